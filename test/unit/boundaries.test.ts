/**
 * The parts' boundaries are enforced by ESLint (eslint.config.mjs, run by `npm test`): a forbidden import fails
 * the build. Shown here on imports that each part must not make, and on ones it may, through ESLint's own API.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const ROOT = join(__dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });

/** The boundary errors ESLint reports for `code` as if it were the file at `path` (relative to the root). */
async function boundaryErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, path) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const FORBIDDEN: [string, string, RegExp][] = [
  ['client/src/commands/probe.ts', "import { lint } from '../../../language-service/src/index';", /may not import language-service\//],
  ['client/src/commands/probe.ts', "import { startLocalCmf } from '../../../local-cmf/src/server';", /may not import local-cmf\//],
  ['client/src/probe.ts', "import { validateDocument } from '../../server/src/server';", /only the language server protocol/],
  ['cli/src/probe.ts', "import { validateDocument } from '../../language-service/src/validate';", /through its facade/],
  ['server/src/probe.ts', "import { RULES } from '../../language-service/src/rules';", /through its facade/],
  ['cmf-client/src/probe.ts', "import { lint } from '../../language-service/src/index';", /may not import language-service\//],
  ['cmf-client/src/probe.ts', "import * as vscode from 'vscode';", /Only the VS Code extension/],
  ['language-service/src/probe.ts', "import { CmfClient } from '../../cmf-client/src/client';", /may not import cmf-client\//],
  ['local-cmf/src/probe.ts', "import { PoolLifecycle } from '../../cmf-client/src/lifecycle';", /may not import cmf-client\//],
  ['cmf-model/src/probe.ts', "import { lint } from '../../language-service/src/index';", /may not import language-service\//],
];

const ALLOWED: [string, string][] = [
  ['client/src/commands/probe.ts', "import { PoolLifecycle } from '../../../cmf-client/src/lifecycle';"],
  ['client/src/probe.ts', "import { LINT_REQUEST } from '../../server/src/protocol';"],
  ['cli/src/probe.ts', "import { lint } from '../../language-service/src/index';"],
  ['server/src/probe.ts', "import { lint } from '../../language-service/src/index';"],
  ['language-service/src/probe.ts', "import { KIND } from '../../cmf-model/src/facts';"],
  ['test/unit/probe.test.ts', "import { RULES } from '../../language-service/src/rules';"],
];

describe('boundaries between the parts', () => {
  for (const [path, code, message] of FORBIDDEN) {
    it(`refuses in ${path}: ${code}`, async () => {
      const errors = await boundaryErrors(path, code);
      assert.equal(errors.length, 1, `one boundary error, got ${JSON.stringify(errors)}`);
      assert.match(errors[0]!, message);
    });
  }
  for (const [path, code] of ALLOWED) {
    it(`allows in ${path}: ${code}`, async () => assert.deepEqual(await boundaryErrors(path, code), []));
  }
});
