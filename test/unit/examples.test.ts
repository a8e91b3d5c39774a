/**
 * CMF's own examples: every complete pool in the compute-pool documentation gets no error or warning. The OpenAPI's
 * examples (CMF 2.3.1's) are all on confluentinc/cp-flink-sql:1.19-cp5, older than the 1.19-cp7 floor of CMF 2.3 and
 * later for every pool type (deployments on 2.3.x fail statement plans with it): each gets image-too-old, and nothing else.
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

  it('the OpenAPI examples are clean but for image-too-old: 1.19-cp5 is older than the floor, dedicated and shared alike', () => {
    const examples = JSON.parse(readFileSync(path.join(FIXTURES, 'openapi', 'compute-pool-examples.json'), 'utf8')) as { source: string; pool: Record<string, any> }[];
    assert.ok(examples.length >= 2);
    let tooOld = 0;
    for (const { source, pool } of examples) {
      const diags = lint(pool).filter(worse);
      const cp5 = /1\.19-cp5$/.test(String(pool.spec?.clusterSpec?.image));
      // Response examples carry server-set fields (status, uid, timestamps): that warning is expected there.
      const rest = diags.filter((d) => d.code !== 'server-managed-field');
      if (cp5) {
        tooOld++;
        assert.deepEqual(rest.map((d) => d.code), ['image-too-old'], source);
        // On CMF 2.2, where 1.19-cp5 ran, the dedicated examples are clean (2.2 has no shared pools).
        if (pool.spec?.type === 'DEDICATED') assert.deepEqual(lint(pool, { cmfVersion: '2.2' }).filter(worse).filter((d) => d.code !== 'server-managed-field'), [], source);
      } else assert.deepEqual(rest.map((d) => `${d.code}: ${d.message}`), [], source);
    }
    assert.ok(tooOld >= 4, 'the OpenAPI examples, dedicated and shared, are on 1.19-cp5');
  });
});
