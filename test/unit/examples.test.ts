/**
 * CMF's own examples: every complete pool in the compute-pool documentation and the OpenAPI gets no
 * error or warning, except the OpenAPI's shared example on 1.19-cp5, which must get shared-image-too-old.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { lint } from '../pools';

const FIXTURES = path.resolve(__dirname, '../fixtures');
const worse = (d: { severity?: number }) => (d.severity ?? 1) <= 2;

describe("CMF's example pools", () => {
  it('the documentation examples are clean', () => {
    const files = readdirSync(path.join(FIXTURES, 'docs')).filter((f) => f.endsWith('.pool.json'));
    assert.ok(files.length >= 2);
    for (const f of files) {
      const diags = lint(readFileSync(path.join(FIXTURES, 'docs', f), 'utf8')).filter(worse);
      assert.deepEqual(diags.map((d) => `${d.code}: ${d.message}`), [], f);
    }
  });

  it('the OpenAPI examples are clean, but for the shared pool on 1.19-cp5', () => {
    const examples = JSON.parse(readFileSync(path.join(FIXTURES, 'openapi', 'compute-pool-examples.json'), 'utf8')) as { source: string; pool: Record<string, any> }[];
    assert.ok(examples.length >= 2);
    let tooOld = 0;
    for (const { source, pool } of examples) {
      const diags = lint(pool).filter(worse);
      const sharedCp5 = pool.spec?.type === 'SHARED' && /1\.19-cp5$/.test(String(pool.spec?.clusterSpec?.image));
      // Response examples carry server-set fields (status, uid, timestamps): that warning is expected there.
      const rest = diags.filter((d) => d.code !== 'server-managed-field');
      if (sharedCp5) {
        tooOld++;
        assert.deepEqual(rest.map((d) => d.code), ['shared-image-too-old'], source);
      } else assert.deepEqual(rest.map((d) => `${d.code}: ${d.message}`), [], source);
    }
    assert.ok(tooOld >= 1, 'the OpenAPI has a shared example on 1.19-cp5');
  });
});
