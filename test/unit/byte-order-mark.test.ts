/**
 * A file that starts with a UTF-8 byte order mark (Windows editors write one) is read as if it had none: the same
 * diagnostics at the same places of the text (the mark is one character of line 0), no `invalid-json` at 1:1,
 * quick fixes that keep the mark, and completion as in any other file. JSON and YAML alike.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver-types';
import { codeActions, complete, lint, poolText } from '../../language-service/src/index';
import { parseText, validateText } from '../engine';
import { dedicatedPool, text } from '../pools';

const BOM = '\ufeff';

function badPool() {
  const p = dedicatedPool();
  p.spec.clusterSpec.serviceAccount = 'flink';
  p.spec.clusterSpec.flinkConfiguration['taskmanager.numberOfTaskSlot'] = '4';
  return p;
}

/** The diagnostics of `t` without the mark, moved to where they stand in the text with it. */
function shifted(t: string, languageId: string, uri: string) {
  return validateText(t, { languageId, uri, reportSyntaxErrors: true }).map((d) => {
    const move = (p: { line: number; character: number }) => (p.line === 0 ? { line: 0, character: p.character + 1 } : p);
    return { ...d, range: { start: move(d.range.start), end: move(d.range.end) } };
  });
}

describe('a leading byte order mark', () => {
  for (const [format, languageId, uri] of [
    ['JSON', 'json', 'untitled:bom.pool.json'],
    ['YAML', 'yaml', 'untitled:bom.pool.yaml'],
  ] as const) {
    it(`${format}: the same diagnostics, at the same places of the text`, () => {
      const t = format === 'JSON' ? text(badPool()) : poolText(badPool(), 'yaml');
      const withMark = validateText(BOM + t, { languageId, uri, reportSyntaxErrors: true });
      assert.ok(withMark.length >= 2, JSON.stringify(withMark.map((d) => d.code)));
      assert.ok(!withMark.some((d) => d.code === 'invalid-json' || d.code === 'invalid-yaml'), JSON.stringify(withMark.map((d) => d.message)));
      assert.deepEqual(withMark, shifted(t, languageId, uri));
    });

    it(`${format}: lint() reads the pool and its name`, () => {
      const t = format === 'JSON' ? text(dedicatedPool()) : poolText(dedicatedPool(), 'yaml');
      const r = lint(BOM + t, { path: `/work/bom.pool.${format === 'JSON' ? 'json' : 'yaml'}` });
      assert.equal(r.isPool, true);
      assert.equal(r.pool.name, 'pool');
      assert.deepEqual(r.pool.errors, []);
    });

    it(`${format}: a quick fix keeps the mark`, () => {
      const t = BOM + (format === 'JSON' ? text(badPool()) : poolText(badPool(), 'yaml'));
      const d = validateText(t, { languageId, uri }).find((x) => x.code === 'forbidden-field')!;
      const [action] = codeActions(parseText(t, uri, languageId, 1), [d]);
      assert.ok(action, 'a fix is offered');
      const edits = action!.edit!.changes![uri] as TextEdit[];
      const fixed = TextDocument.applyEdits(TextDocument.create(uri, languageId, 1, t), edits);
      assert.ok(fixed.startsWith(BOM), 'the mark stays');
      assert.ok(!fixed.includes('serviceAccount'));
      assert.deepEqual(validateText(fixed, { languageId, uri, reportSyntaxErrors: true }).filter((x) => x.code === 'forbidden-field' || x.code.startsWith('invalid-')), []);
    });
  }

  it('JSON: completion works as in a file without it', () => {
    const t = BOM + '{\n  "apiVersion": "cmf.confluent.io/v1",\n  "kind": "ComputePool",\n  "spec": {"type": "SHARED", "clusterSpec": {\n    ""\n  }}\n}\n';
    const at = t.indexOf('""') + 1;
    const file = parseText(t, 'untitled:bom.pool.json');
    const labels = complete(file, file.text.positionAt(at)).items.map((i) => i.label);
    assert.ok(labels.includes('flinkVersion') && labels.includes('image'), labels.join(', '));
    const without = parseText(t.slice(1), 'untitled:bom.pool.json');
    assert.deepEqual(labels, complete(without, without.text.positionAt(at - 1)).items.map((i) => i.label));
  });

  it('only at the very start: a mark inside the text is an ordinary (invalid) character', () => {
    const t = text(dedicatedPool()).replace('{', `{${BOM}`);
    assert.deepEqual(
      validateText(t, { reportSyntaxErrors: true }).map((d) => d.code).filter((c) => c === 'invalid-json'),
      ['invalid-json'],
    );
  });
});
