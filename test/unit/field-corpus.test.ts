/**
 * The field corpus (test/fixtures/field/): pools from public deployments, each with the CMF version it met and what
 * CMF did. A pool CMF accepted lints without an error on that version; a pool CMF rejected gets the matching error;
 * a pool whose statements then failed gets the diagnostic that says why, before it is deployed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { ResolvedSettings, lint, normalizeSettings } from '../../language-service/src/index';

const DIR = path.resolve(__dirname, '../fixtures/field');

interface Entry {
  file: string;
  cmfVersion: string;
  outcome: 'accepted' | 'rejected' | 'statements-failed';
  expect?: string[];
  cmfSaid?: string;
  what: string;
}

const corpus = (JSON.parse(readFileSync(path.join(DIR, 'corpus.json'), 'utf8')) as { pools: Entry[] }).pools;

function lintEntry(e: Entry) {
  const settings = new ResolvedSettings(normalizeSettings({ cmfVersion: e.cmfVersion }));
  return lint(readFileSync(path.join(DIR, e.file), 'utf8'), { path: path.join(DIR, e.file), settings });
}

describe('the field corpus', () => {
  it('lists every document of the folder, with a row in its README', () => {
    const files = readdirSync(DIR).filter((f) => /\.(json|ya?ml)$/.test(f) && f !== 'corpus.json');
    assert.deepEqual(corpus.map((e) => e.file).sort(), files.sort());
    const readme = readFileSync(path.join(DIR, 'README.md'), 'utf8');
    for (const e of corpus) assert.ok(readme.includes(`| \`${e.file}\` |`), e.file);
    assert.ok(corpus.some((e) => e.outcome === 'accepted') && corpus.some((e) => e.outcome === 'rejected') && corpus.some((e) => e.outcome === 'statements-failed'));
  });

  for (const e of corpus) {
    it(`${e.file} (CMF ${e.cmfVersion}, ${e.outcome})`, () => {
      const r = lintEntry(e);
      assert.ok(r.isPool && r.pools.length > 0, 'it is read as a pool');
      const errors = r.pools.flatMap((p) => p.errors);
      const all = r.pools.flatMap((p) => p.diagnostics);
      if (e.outcome === 'accepted') {
        assert.deepEqual(errors.map((d) => `${d.code}: ${d.message}`), [], `CMF accepted it: ${e.what}`);
        return;
      }
      assert.ok(e.expect?.length, 'the corpus says which diagnostic matches');
      for (const code of e.expect!) assert.ok(all.some((d) => d.code === code), `${code} for: ${e.what}\ngot: ${JSON.stringify(all.map((d) => d.code))}`);
      if (e.outcome === 'rejected') {
        // CMF refused it: the linter refuses it too (an error), before CMF is asked.
        assert.ok(errors.some((d) => e.expect!.includes(d.code)), 'an error');
        if (e.cmfSaid) assert.ok(all.some((d) => d.message.includes(e.cmfSaid!)), `CMF's words are in the message: ${e.cmfSaid}`);
      }
      if (e.cmfSaid && e.outcome === 'statements-failed') assert.ok(all.some((d) => d.message.includes(e.cmfSaid!)), "CMF's words are in the message");
    });
  }

  it('the pools whose statements failed on 2.3 or later were fine for the CMF version before the floor (cp5 on 2.2)', () => {
    const sandbox = corpus.find((e) => e.file === 'gitops-sandbox-cp5.pool.json')!;
    assert.deepEqual(lintEntry({ ...sandbox, cmfVersion: '2.2' }).pools.flatMap((p) => p.errors), []);
  });
});
