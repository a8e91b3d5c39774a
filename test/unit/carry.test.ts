/**
 * carryDiagnostics: the diagnostics of an earlier version where they are in the current text, as the editor moves its
 * markers until the new diagnostics come (the language server's hover explains these while a very large pool is
 * validated again). Those that reach into the edited text are dropped; every other one covers the same text as before.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { type PoolDiagnostic, carryDiagnostics } from '../../language-service/src/index';
import { validateText } from '../engine';

const BAD = readFileSync(path.resolve(__dirname, '../../examples/bad/shared-bad.pool.json'), 'utf8');

/** The text a diagnostic covers. */
function covered(text: string, d: PoolDiagnostic): string {
  const doc = TextDocument.create('x:', 'json', 0, text);
  return text.slice(doc.offsetAt(d.range.start), doc.offsetAt(d.range.end));
}

/** `text` with [from, to) replaced by `insert`, as a document. */
function edited(text: string, from: number, to: number, insert: string): TextDocument {
  return TextDocument.create('x:', 'json', 1, text.slice(0, from) + insert + text.slice(to));
}

describe('carryDiagnostics', () => {
  const before = validateText(BAD);
  const at = (needle: string) => BAD.indexOf(needle);

  it('the example has problems to carry, on several lines', () => {
    assert.ok(before.length >= 10, `${before.length} diagnostics`);
    assert.ok(new Set(before.map((d) => d.range.start.line)).size >= 8);
  });

  it('the same text: the same diagnostics', () => {
    assert.deepEqual(carryDiagnostics(BAD, before, TextDocument.create('x:', 'json', 1, BAD)), before);
  });

  it('after an edit anywhere (inserted, deleted or replaced text), each diagnostic it keeps covers the same text as before, and it keeps exactly those clear of the edit', () => {
    const doc0 = TextDocument.create('x:', 'json', 0, BAD);
    const span = (d: PoolDiagnostic) => [doc0.offsetAt(d.range.start), doc0.offsetAt(d.range.end)] as const;
    let checked = 0;
    for (let from = 0; from < BAD.length; from += 3) {
      for (const [len, insert] of [[0, 'x'], [1, ''], [2, 'yz\n'], [0, '\r\n  ']] as const) {
        const to = Math.min(BAD.length, from + len);
        const after = edited(BAD, from, to, insert);
        const carried = carryDiagnostics(BAD, before, after);
        // Those clear of the edit, by the same rule the engine follows: ending at or before it, or starting at or after its end.
        const clear = before.filter((d) => {
          const [s, e] = span(d);
          return e <= from || s >= to;
        });
        // The change is found from the texts (their common prefix and suffix), which may place it elsewhere than we
        // edited when the edit repeats the text beside it; then the kept ones are a superset or subset: compare texts.
        for (const d of carried) {
          const original = before.find((o) => o.code === d.code && o.message === d.message && covered(BAD, o) === covered(after.getText(), d));
          assert.ok(original, `edit at ${from}: ${d.code} now covers ${JSON.stringify(covered(after.getText(), d))}, not what it covered`);
        }
        if (BAD.slice(from - 1, from) !== insert.slice(-1) && BAD.slice(to, to + 1) !== insert.slice(0, 1)) {
          assert.deepEqual(carried.map((d) => d.code), clear.map((d) => d.code), `edit at ${from}`);
        }
        checked++;
      }
    }
    assert.ok(checked > 1000, `${checked} edits`);
  });

  it('a diagnostic the edit reaches into is dropped; one after it moves with its text', () => {
    const name = at('"Shared_Pool"') + 3;
    const after = edited(BAD, name, name, 'X');
    const carried = carryDiagnostics(BAD, before, after);
    assert.ok(before.some((d) => d.code === 'invalid-name'));
    assert.ok(!carried.some((d) => d.code === 'invalid-name'), 'the name being edited has no carried diagnostic');
    const mount = carried.find((d) => d.code === 'reserved-volume')!;
    assert.equal(covered(after.getText(), mount), covered(BAD, before.find((d) => d.code === 'reserved-volume')!));
  });

  it('whitespace added between tokens: what is carried is what validating the new text gives', () => {
    // A new line and indentation at the start of lines before, between and after the problems: the problems are the
    // same, only their places move, so carried and fresh diagnostics agree exactly.
    const lines = BAD.split('\n');
    for (const line of [1, 6, 13, 20, lines.length - 2]) {
      const offset = lines.slice(0, line).join('\n').length + 1;
      const after = edited(BAD, offset, offset, '\n   ');
      const fresh = validateText(after.getText());
      const carried = carryDiagnostics(BAD, before, after);
      const view = (ds: PoolDiagnostic[]) => ds.map((d) => `${d.code} ${JSON.stringify(d.range)} ${d.message}`).sort();
      assert.deepEqual(view(carried), view(fresh), `a line inserted before line ${line + 1}`);
    }
  });
});
