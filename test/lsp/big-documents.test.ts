/**
 * Big documents over stdio (issue 14): a text too long to read gets a diagnostic that says so and its requests
 * decline; a pool with 20,000 unknown Flink keys gets what the editor shows of its problems; validation that a newer
 * version makes stale is dropped; and the server goes on answering. Behaviour only: speed is bench/big-documents.ts's.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionList, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { codeActionsFor, codesOf, completionAt, documentSymbolsOf, hoverAt, startServer, type PoolServer } from './lsp-client';
import { EDITOR_PROBLEM_LIMIT, MAX_TEXT_LENGTH } from '../../language-service/src/index';
import { hugePool, unknownKeysPool } from '../../bench/documents';
import { positionAt } from '../../bench/measure';
import { sharedPool, text } from '../pools';
import { validateText } from '../engine';

const items = (r: CompletionList | unknown[] | null) => (r === null ? [] : Array.isArray(r) ? r : r.items);

describe('big documents over stdio', () => {
  let server: PoolServer;
  before(async () => {
    server = await startServer({});
  });
  after(async () => server.stop());

  for (const format of ['json', 'yaml'] as const) {
    it(`${format}: a text longer than the engine reads gets too-large, its requests decline, and the next document is served`, { timeout: 120_000 }, async () => {
      const uri = `file:///w/huge.pool.${format}`;
      const t = hugePool(format, MAX_TEXT_LENGTH[format] + 1);
      const got = server.next(uri);
      server.open(uri, t, 1, format);
      const p = await got;
      assert.deepEqual(codesOf(p.diagnostics), ['too-large']);
      assert.match(String(p.diagnostics[0]!.message), new RegExp(`^huge\\.pool\\.${format} is \\d+\\.\\d MB of ${format.toUpperCase()}`));
      const at = { line: 12, character: 8 };
      assert.equal(await hoverAt(server, uri, at), null);
      assert.deepEqual(items(await completionAt(server, uri, at)), []);
      assert.deepEqual(await codeActionsFor(server, uri, p.diagnostics[0]!.range, p.diagnostics), []);
      assert.deepEqual(await documentSymbolsOf(server, uri), []);
      // A keystroke: still declined, and said again for the new version.
      const next = server.next(uri, (q) => q.version === 2);
      server.changes(uri, 2, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: format === 'json' ? ' ' : '#\n' }]);
      assert.deepEqual(codesOf((await next).diagnostics), ['too-large']);
      server.close(uri);

      const small = `file:///w/small.pool.${format}`;
      const published = server.next(small);
      const bad = sharedPool();
      bad.spec.clusterSpec.flinkConfiguration['taskmanager.numberOfTaskSlot'] = '4';
      const smallText = format === 'json' ? text(bad) : require('yaml').stringify(bad);
      server.open(small, smallText, 1, format);
      assert.deepEqual(codesOf((await published).diagnostics), ['flink-config-unknown-key']);
      const h = (await hoverAt(server, small, positionAt(smallText, smallText.search(/taskmanager\.numberOfTaskSlot(?!s)/) + 3))) as Hover;
      assert.match((h.contents as MarkupContent).value, /flink-config-unknown-key/);
      server.close(small);
    });
  }

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
    // The pool's own problems (infos: high availability, state) beside the 20,000 warnings.
    const own = validateText(unknownKeysPool('json', 0), { path: '/w/unknown-keys.pool.json' }).length;
    const count = (n: number) => n.toLocaleString('en');
    assert.match(String(p.diagnostics[0]!.message), new RegExp(`^unknown-keys\\.pool\\.json has ${count(20_000 + own)} problems\\. .* ${count(20_000 + own - 999)} are not listed here; \`cmf-pools lint\` lists them all\\.$`));
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

  it('a hover just after a keystroke answers from the problems the editor shows, without waiting for the new validation', async () => {
    const opened = server.next(uri, (p) => p.version === 1);
    server.open(uri, t, 1, 'json');
    await opened;
    const cpu = positionAt(t, t.indexOf('"cpu": 1') + '"cpu": '.length);
    const v2 = server.next(uri, (p) => p.version === 2);
    server.changes(uri, 2, [{ range: { start: cpu, end: { line: cpu.line, character: cpu.character + 1 } }, text: '2' }]);
    // Asked at once: the validation of version 2 is under way (tens of milliseconds on this pool). The warning on a key
    // the keystroke did not touch is explained either way: from version 1's problems, moved, or from version 2's.
    const h = (await hoverAt(server, uri, positionAt(t, t.indexOf('"table.setting-52"') + 3))) as Hover;
    assert.match((h.contents as MarkupContent).value, /\*\*Warning `flink-config-unknown-key`\*\*[\s\S]*"table\.setting-52"/);
    assert.equal((await v2).diagnostics.length, EDITOR_PROBLEM_LIMIT);
    server.close(uri);
  });
});
