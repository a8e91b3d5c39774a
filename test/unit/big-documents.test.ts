/**
 * Big documents (issue 14): a file with more problems than an editor shows gets the ones it would show and a count of
 * the rest (too-many-problems); validation in steps gives what validation does.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  DEFAULT_SETTINGS,
  EDITOR_PROBLEM_LIMIT,
  ResolvedSettings,
  normalizeSettings,
  parse,
  poolText,
  validate,
  validateInSteps,
  type PoolDiagnostic,
} from '../../language-service/src/index';
import { unknownKeysPool } from '../../bench/documents';

const settings = new ResolvedSettings(DEFAULT_SETTINGS);
const fileOf = (t: string, uri: string, languageId = 'json') => parse(TextDocument.create(uri, languageId, 1, t));

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
    assert.equal(all.length, 1503);
    const shown = validate(file, settings, { path: '/w/many.pool.json', maxProblems: EDITOR_PROBLEM_LIMIT });
    assert.equal(shown.length, EDITOR_PROBLEM_LIMIT);
    const [summary, ...rest] = shown;
    assert.equal(summary!.code, 'too-many-problems');
    assert.equal(summary!.severity, 3);
    assert.deepEqual(summary!.range.start, { line: 0, character: 0 });
    assert.equal(
      summary!.message,
      'many.pool.json has 1,503 problems. The editor shows 1,000 per file, so it is given the 999 most severe, and 504 are not listed here; `cmf-pools lint` lists them all.',
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
    const pool = (name: string) => {
      const p = JSON.parse(unknownKeysPool('json', 700)) as { metadata: { name: string } };
      p.metadata.name = name;
      return poolText(p, 'yaml');
    };
    const yamlText = `${pool('first')}---\n${pool('second')}`;
    const file = fileOf(yamlText, 'file:///w/two.pool.yaml', 'yaml');
    const all = validate(file, settings, { path: '/w/two.pool.yaml' });
    assert.equal(all.length, 1402);
    const shown = validate(file, settings, { path: '/w/two.pool.yaml', maxProblems: EDITOR_PROBLEM_LIMIT });
    assert.equal(shown.length, EDITOR_PROBLEM_LIMIT);
    assert.match(shown[0]!.message, /has 1,402 problems/);
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
