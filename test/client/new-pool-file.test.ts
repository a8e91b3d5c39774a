/** CMF: New Compute Pool File: the flow over a fake editor, and the pools it writes (clean for the linter). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { NEW_POOL_FILE_COMMAND, newPoolFile, type NewPoolFileHost } from '../../client/src/commands/new-pool-file';
import { newPool } from '../../language-service/src/new-pool';
import { newPoolText } from '../../language-service/src/index';
import { poolNameProblem, type PoolType } from '../../cmf-model/src/facts';
import { lint } from '../pools';

function host(type: PoolType | undefined, name: string | undefined) {
  const opened: { fileName: string; content: string }[] = [];
  const asked: { suggested: string; problems: Record<string, string | undefined> }[] = [];
  const h: NewPoolFileHost = {
    pickType: async () => type,
    newPool: async (t, n) => newPoolText({ type: t, name: n }),
    askName: async (_t, suggested, validate) => {
      asked.push({ suggested, problems: Object.fromEntries(['ok-name', 'Bad_Name', '-x', 'a'.repeat(46)].map((n) => [n, validate(n)])) });
      return name;
    },
    open: async (fileName, content) => {
      opened.push({ fileName, content });
    },
  };
  return { h, opened, asked };
}

describe('CMF: New Compute Pool File', () => {
  it('is declared in package.json with the CMF category', () => {
    const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8'));
    const cmd = (pkg.contributes.commands as { command: string; title: string; category?: string }[]).find((c) => c.command === NEW_POOL_FILE_COMMAND);
    assert.ok(cmd, 'declared');
    assert.equal(cmd.category, 'CMF');
    assert.equal(cmd.title, 'New Compute Pool File');
  });

  for (const type of ['SHARED', 'DEDICATED'] as const) {
    it(`opens a clean ${type} pool named as asked`, async () => {
      const { h, opened, asked } = host(type, 'orders-pool');
      const outcome = await newPoolFile(h);
      assert.equal(outcome.kind, 'opened');
      assert.equal(opened.length, 1);
      assert.equal(opened[0]!.fileName, 'orders-pool.pool.json');
      const pool = JSON.parse(opened[0]!.content);
      assert.equal(pool.metadata.name, 'orders-pool');
      assert.equal(pool.spec.type, type);
      assert.deepEqual(lint(opened[0]!.content).map((d) => `${d.code}: ${d.message}`), []);
      assert.equal(asked[0]!.suggested, type === 'SHARED' ? 'shared-pool' : 'pool');
      assert.equal(asked[0]!.problems['ok-name'], undefined);
      assert.ok(asked[0]!.problems['Bad_Name']);
      assert.ok(asked[0]!.problems['-x']);
      assert.equal(asked[0]!.problems['a'.repeat(46)] !== undefined, type === 'SHARED');
    });
  }

  it('does nothing when the type or the name is not given', async () => {
    for (const [type, name] of [[undefined, 'x'], ['SHARED', undefined], ['SHARED', 'Not Valid']] as const) {
      const { h, opened } = host(type, name);
      assert.deepEqual(await newPoolFile(h), { kind: 'cancelled' });
      assert.equal(opened.length, 0);
    }
  });

  it('writes clean pools for other Flink lines and names at the length limit', () => {
    for (const flinkVersion of ['v1_19', 'v2_3']) {
      for (const type of ['SHARED', 'DEDICATED'] as const) {
        const name = 'p'.repeat(45);
        assert.equal(poolNameProblem(name, type), undefined);
        const diags = lint(newPool({ type, name, flinkVersion })).filter((d) => (d.severity ?? 1) <= 2);
        assert.deepEqual(diags.map((d) => `${d.code}: ${d.message}`), [], `${type} ${flinkVersion}`);
      }
    }
  });
});
