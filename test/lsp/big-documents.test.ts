/**
 * Big documents over stdio (issue 14): a pool with 20,000 unknown Flink keys gets what the editor shows of its
 * problems; validation that a newer version makes stale is dropped; and the server goes on answering. Behaviour only:
 * speed is bench/big-documents.ts's.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionList, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { completionAt, hoverAt, startServer, type PoolServer } from './lsp-client';
import { EDITOR_PROBLEM_LIMIT } from '../../language-service/src/index';
import { unknownKeysPool } from '../../bench/documents';
import { positionAt } from '../../bench/measure';

const items = (r: CompletionList | unknown[] | null) => (r === null ? [] : Array.isArray(r) ? r : r.items);

describe('big documents over stdio', () => {
  let server: PoolServer;
  before(async () => {
    server = await startServer({});
  });
  after(async () => server.stop());

  const uri = 'file:///w/unknown-keys.pool.json';
  const t = unknownKeysPool('json');

  it(`a pool with 20,000 unknown Flink keys: the editor gets ${EDITOR_PROBLEM_LIMIT.toLocaleString('en')} problems, the first saying how many more there are`, async () => {
    const got = server.next(uri, (p) => p.version === 1);
    server.open(uri, t, 1, 'json');
    // Asked before the diagnostics are published: hover waits for the validation under way and explains its warning.
    const key = positionAt(t, t.indexOf('"table.setting-52"') + 3);
    const h = (await hoverAt(server, uri, key)) as Hover;
    const p = await got;
    assert.match((h.contents as MarkupContent).value, /\*\*Warning `flink-config-unknown-key`\*\*/);
    assert.equal(p.diagnostics.length, EDITOR_PROBLEM_LIMIT);
    assert.equal(p.diagnostics[0]!.code, 'too-many-problems');
    assert.match(String(p.diagnostics[0]!.message), /^unknown-keys\.pool\.json has 20,001 problems\. .* 19,002 are not listed here; `cmf-pools lint` lists them all\.$/);
    const capped = p.diagnostics.find((d) => String(d.message).includes('"state.setting-500"'))!;
    assert.match(String(capped.message), /this pool has 20,000 unknown keys, "did you mean" is looked up for the first 100, and 19,900 are left without a suggestion/);
  });

  it('a burst of keystrokes while it is validated: only the newest version is published, and requests are answered meanwhile', async () => {
    const cpu = t.indexOf('"cpu": 1') + '"cpu": '.length;
    const at = positionAt(t, cpu);
    const before = server.published.filter((p) => p.uri === uri).length;
    const last = server.next(uri, (p) => p.version === 21);
    const answers: Promise<unknown>[] = [];
    for (let v = 2; v <= 21; v++) {
      server.changes(uri, v, [{ range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: String(v % 2 + 1) }]);
      answers.push(completionAt(server, uri, positionAt(t, t.indexOf('"taskmanager.numberOfTaskSlots"') + 5)));
      await new Promise((r) => setTimeout(r, 5));
    }
    const p = await last;
    assert.equal(p.diagnostics.length, EDITOR_PROBLEM_LIMIT);
    for (const a of await Promise.all(answers)) assert.ok(items(a as CompletionList).length > 0);
    const versions = server.published.filter((q) => q.uri === uri).slice(before).map((q) => q.version ?? 0);
    assert.deepEqual([...versions].sort((a, b) => a - b), versions, 'never an older version after a newer one');
    assert.ok(versions.length < 20, `${versions.length} publishes for 20 versions: stale validations are dropped`);
    server.close(uri);
  });
});
