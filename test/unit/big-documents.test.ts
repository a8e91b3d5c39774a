/** Big documents (issue 14): validation in steps gives what validation does. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_SETTINGS, ResolvedSettings, parse, validate, validateInSteps } from '../../language-service/src/index';
import { unknownKeysPool } from '../../bench/documents';

const settings = new ResolvedSettings(DEFAULT_SETTINGS);
const fileOf = (t: string, uri: string, languageId = 'json') => parse(TextDocument.create(uri, languageId, 1, t));

describe('validation in steps', () => {
  it('takes many steps on a pool with 20,000 unknown keys, and ends with what validate gives', () => {
    const file = fileOf(unknownKeysPool('json'), 'file:///w/unknown.pool.json');
    const options = { path: '/w/unknown.pool.json' };
    const steps = validateInSteps(file, settings, options);
    let n = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) n++;
    assert.ok(n >= 40, `${n} steps`);
    assert.deepEqual(step.value, validate(file, settings, options));
  });
});
