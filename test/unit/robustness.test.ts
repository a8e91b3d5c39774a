/** The service never throws and never points outside the document, whatever the text. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { PoolDiagnostic as Diagnostic } from '../../language-service/src/index';
import { validateText } from '../engine';
import { sharedPool, text } from '../pools';

const POOL_PATH = '/w/fuzz.pool.json';

function checkRanges(t: string, diags: Diagnostic[]): void {
  const lines = t.split(/\r\n|\r|\n/);
  for (const d of diags) {
    for (const p of [d.range.start, d.range.end]) {
      assert.ok(p.line >= 0 && p.line < lines.length, `line ${p.line} inside ${lines.length} lines`);
      assert.ok(p.character >= 0 && p.character <= lines[p.line].length, `character ${p.character} inside line ${p.line}`);
    }
    const s = d.range.start;
    const e = d.range.end;
    assert.ok(s.line < e.line || (s.line === e.line && s.character <= e.character), 'start before end');
  }
}

function lintAll(t: string): Diagnostic[] {
  const diags = validateText(t, { path: POOL_PATH, reportSyntaxErrors: true });
  checkRanges(t, diags);
  return diags;
}

describe('hostile text', () => {
  it('empty, whitespace, truncated, binary and non-object roots give diagnostics or nothing', () => {
    const seed = text(sharedPool());
    const inputs = ['', '   \n', seed.slice(0, seed.length / 2), '\u0000\u0001\u0002\uFFFF', 'null', '42', '"x"', '[]', '{', '}', '{"kind": "ComputePool", "kind": 1}', '\uFEFF{}'];
    for (const t of inputs) assert.ok(Array.isArray(lintAll(t)), JSON.stringify(t));
    assert.deepEqual(lintAll('[]').map((d) => d.code), ['schema/type']);
  });

  it('reports 10,000 levels of nesting with one diagnostic at the place it gets too deep', () => {
    for (const open of ['[', '{"a":']) {
      const t = open.repeat(10_000) + (open === '[' ? ']' : '1}').repeat(10_000);
      const diags = lintAll(t);
      assert.deepEqual(diags.map((d) => d.code), ['too-deep']);
      assert.ok(diags[0].range.start.character > 200);
    }
    const deepConfig = sharedPool();
    let cursor: Record<string, unknown> = deepConfig.spec.clusterSpec.flinkConfiguration;
    for (let i = 0; i < 200; i++) cursor = cursor[`k${i}`] = {} as Record<string, unknown>;
    cursor.leaf = 1;
    assert.deepEqual(lintAll(text(deepConfig)).map((d) => d.code), ['flink-config-unknown-key']);
  });

  it('handles a 5 MB pool', () => {
    const p = sharedPool();
    p.metadata.annotations = {};
    for (let i = 0; i < 60_000; i++) p.metadata.annotations[`note-${i}`] = 'x'.repeat(60);
    const t = text(p);
    assert.ok(t.length > 5_000_000);
    assert.deepEqual(lintAll(t), []);
  });

  it('survives thousands of random edits of a valid pool (deletions, insertions, truncations)', () => {
    const seed = text(sharedPool());
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), s: fc.oneof(fc.string(), fc.constantFrom('{', '}', '[', ']', '"', ',', ':', '\\', '\n', 'null', '"kind"')) }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 8 }), (edits) => {
        let t = seed;
        for (const e of edits) {
          const at = e.at % (t.length + 1);
          if (e.kind === 'delete') t = t.slice(0, at) + t.slice(at + e.len);
          else if (e.kind === 'insert') t = t.slice(0, at) + e.s + t.slice(at);
          else t = t.slice(0, at);
        }
        lintAll(t);
      }),
      { numRuns: 3000, seed: 20261125 },
    );
  });

  it('survives random JSON values as pools', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        lintAll(JSON.stringify(v, null, 1));
      }),
      { numRuns: 1000, seed: 7 },
    );
  });
});
