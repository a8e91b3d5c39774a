/**
 * Big documents (issue 14): a text too long to read says so (too-large) and the features decline it; a file with more
 * problems than an editor shows gets the ones it would show and a count of the rest (too-many-problems); validation in
 * steps gives what validation does.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  DEFAULT_SETTINGS,
  EDITOR_PROBLEM_LIMIT,
  MAX_TEXT_LENGTH,
  ResolvedSettings,
  codeActions,
  complete,
  hover,
  isPool,
  lint,
  normalizeSettings,
  parse,
  poolText,
  symbols,
  validate,
  validateInSteps,
  type PoolDiagnostic,
} from '../../language-service/src/index';
import { hugePool, unknownKeysPool } from '../../bench/documents';
import { sharedPool, text } from '../pools';

const settings = new ResolvedSettings(DEFAULT_SETTINGS);
const fileOf = (t: string, uri: string, languageId = 'json') => parse(TextDocument.create(uri, languageId, 1, t));

describe('a text longer than the engine reads', () => {
  const json = hugePool('json', MAX_TEXT_LENGTH.json + 1);
  const yaml = hugePool('yaml', MAX_TEXT_LENGTH.yaml + 1);

  for (const [format, t] of [
    ['json', json],
    ['yaml', yaml],
  ] as const) {
    it(`${format}: one too-large error naming the file and both sizes; completion, hover, quick fixes and the outline decline`, () => {
      const file = fileOf(t, `file:///w/huge.pool.${format}`, format);
      assert.ok(file.tooLarge);
      assert.equal(file.documents.length, 0);
      const diags = validate(file, settings, { path: `/w/huge.pool.${format}` });
      assert.deepEqual(diags.map((d) => [d.code, d.severity, d.range.start.line]), [['too-large', 1, 0]]);
      const limit = format === 'json' ? MAX_TEXT_LENGTH.json : MAX_TEXT_LENGTH.yaml;
      assert.match(diags[0]!.message, new RegExp(`^huge\\.pool\\.${format} is ${(t.length / 1e6).toFixed(1)} MB of ${format.toUpperCase()}: cmf-pools reads pool files of up to ${(limit / 1e6).toFixed(1)} MB`));
      assert.match(diags[0]!.message, /not validated, and the editor offers no completion, hover or quick fix in it/);
      const at = { line: 20, character: 8 };
      assert.deepEqual(complete(file, at).items, []);
      assert.equal(hover(file, at), null);
      assert.deepEqual(codeActions(file, diags), []);
      assert.deepEqual(symbols(file), []);
    });
  }

  it('is a pool by its path, or by a kind at its top level; a big file that only mentions the kind is left alone', () => {
    assert.equal(isPool(fileOf(json, 'file:///w/anything.json'), settings, '/w/anything.json'), true, 'kind: ComputePool first in the root object');
    assert.equal(isPool(fileOf(yaml, 'file:///w/anything.yaml', 'yaml'), settings, '/w/anything.yaml'), true, 'kind: ComputePool at column 0');
    const list = JSON.stringify({ items: [JSON.parse(text(sharedPool())), { padding: 'x'.repeat(MAX_TEXT_LENGTH.json) }] });
    const file = fileOf(list, 'file:///w/pools.json');
    assert.ok(file.tooLarge);
    assert.equal(isPool(file, settings, '/w/pools.json'), false);
    assert.deepEqual(validate(file, settings, { path: '/w/pools.json' }), []);
    // The same text in a file cmfPools.files names is a pool, and hears about it.
    assert.deepEqual(validate(file, settings, { path: '/w/pools.pool.json' }).map((d) => d.code), ['too-large']);
  });

  it('`cmf-pools lint` reports it as an error, pool or not, unless the rule is off', () => {
    const r = lint(json, { path: '/w/huge.json' });
    assert.deepEqual(r.diagnostics.map((d) => d.code), ['too-large']);
    assert.equal(r.pool.errors.length, 1);
    const off = new ResolvedSettings(normalizeSettings({ rules: { 'too-large': 'off' } }));
    assert.deepEqual(lint(json, { path: '/w/huge.json', settings: off }).diagnostics, []);
  });

  it('a text just at the limit is read as usual', () => {
    const t = hugePool('json', MAX_TEXT_LENGTH.json - 2000);
    assert.ok(t.length <= MAX_TEXT_LENGTH.json);
    const file = fileOf(t, 'file:///w/big.pool.json');
    assert.equal(file.tooLarge, undefined);
    assert.equal(file.documents.length, 1);
  });
});

describe('more problems than the editor shows', () => {
  /** A pool with `unknown` unknown Flink keys (warnings), two errors near its end, and ha-recommended (info). */
  function manyProblems(unknown: number): string {
    const pool = JSON.parse(unknownKeysPool('json', unknown));
    pool.spec.clusterSpec.taskManager.resource.memory = 'lots';
    pool.spec.clusterSpec.serviceAccount = 'flink';
    return JSON.stringify(pool, null, 2);
  }
  const bySeverityThenPlace = (all: PoolDiagnostic[], n: number) =>
    all
      .map((d, i) => ({ d, i }))
      .sort((a, b) => a.d.severity! - b.d.severity! || a.i - b.i)
      .slice(0, n)
      .sort((a, b) => a.i - b.i)
      .map((k) => k.d);

  it(`the editor gets the ${EDITOR_PROBLEM_LIMIT - 1} most severe in document order, and too-many-problems says how many more there are`, () => {
    const file = fileOf(manyProblems(1500), 'file:///w/many.pool.json');
    const all = validate(file, settings, { path: '/w/many.pool.json' });
    // The pool's own problems (two errors, a few infos) and a warning per unknown key.
    const own = validate(fileOf(manyProblems(0), 'file:///w/many.pool.json'), settings, { path: '/w/many.pool.json' }).length;
    assert.ok(own >= 3);
    assert.equal(all.length, 1500 + own);
    const count = (n: number) => n.toLocaleString('en');
    const shown = validate(file, settings, { path: '/w/many.pool.json', maxProblems: EDITOR_PROBLEM_LIMIT });
    assert.equal(shown.length, EDITOR_PROBLEM_LIMIT);
    const [summary, ...rest] = shown;
    assert.equal(summary!.code, 'too-many-problems');
    assert.equal(summary!.severity, 3);
    assert.deepEqual(summary!.range.start, { line: 0, character: 0 });
    assert.equal(
      summary!.message,
      `many.pool.json has ${count(1500 + own)} problems. The editor shows 1,000 per file, so it is given the 999 most severe, and ${count(1500 + own - 999)} are not listed here; \`cmf-pools lint\` lists them all.`,
    );
    assert.deepEqual(rest, bySeverityThenPlace(all, EDITOR_PROBLEM_LIMIT - 1));
    assert.deepEqual(
      rest.filter((d) => d.severity === 1).map((d) => d.code).sort(),
      ['forbidden-field', 'invalid-resource'],
      'the errors near the end are kept',
    );
    // Under the limit, nothing changes.
    const few = fileOf(manyProblems(10), 'file:///w/few.pool.json');
    assert.deepEqual(validate(few, settings, { maxProblems: EDITOR_PROBLEM_LIMIT }), validate(few, settings));
  });

  it('with too-many-problems off, the 1,000 most severe and nothing else', () => {
    const off = new ResolvedSettings(normalizeSettings({ rules: { 'too-many-problems': 'off' } }));
    const file = fileOf(manyProblems(1500), 'file:///w/many.pool.json');
    const shown = validate(file, off, { maxProblems: EDITOR_PROBLEM_LIMIT });
    assert.deepEqual(shown, bySeverityThenPlace(validate(file, off), EDITOR_PROBLEM_LIMIT));
  });

  it('in a YAML file of several pools, the limit is the file’s', () => {
    const pool = (name: string, unknown = 700) => {
      const p = JSON.parse(unknownKeysPool('json', unknown)) as { metadata: { name: string } };
      p.metadata.name = name;
      return poolText(p, 'yaml');
    };
    const yamlText = `${pool('first')}---\n${pool('second')}`;
    const file = fileOf(yamlText, 'file:///w/two.pool.yaml', 'yaml');
    const all = validate(file, settings, { path: '/w/two.pool.yaml' });
    const own = validate(fileOf(`${pool('first', 0)}---\n${pool('second', 0)}`, 'file:///w/two.pool.yaml', 'yaml'), settings, { path: '/w/two.pool.yaml' }).length;
    assert.equal(all.length, 1400 + own);
    const shown = validate(file, settings, { path: '/w/two.pool.yaml', maxProblems: EDITOR_PROBLEM_LIMIT });
    assert.equal(shown.length, EDITOR_PROBLEM_LIMIT);
    assert.match(shown[0]!.message, new RegExp(`has ${(1400 + own).toLocaleString('en')} problems`));
    assert.deepEqual(shown.slice(1), bySeverityThenPlace(all, EDITOR_PROBLEM_LIMIT - 1));
  });
});

describe('validation in steps', () => {
  it('takes many steps on a pool with 20,000 unknown keys, and ends with what validate gives', () => {
    const file = fileOf(unknownKeysPool('json'), 'file:///w/unknown.pool.json');
    const options = { path: '/w/unknown.pool.json', maxProblems: EDITOR_PROBLEM_LIMIT };
    const steps = validateInSteps(file, settings, options);
    let n = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) n++;
    assert.ok(n >= 40, `${n} steps`);
    assert.deepEqual(step.value, validate(file, settings, options));
  });
});
