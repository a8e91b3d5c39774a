// Pure helpers of the commands: CMF's rejection messages -> a field in the file (the engine's locateFields,
// which the language server answers the extension with); curl lines without secrets.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { locateFields } from '../../language-service/src/index';
import { curlCommand, shellQuote } from '../../client/src/commands/curl';
import { orderLike, indentOf } from '../../client/src/commands/deploy';

const text = JSON.stringify(
  { apiVersion: 'cmf.confluent.io/v1', kind: 'ComputePool', metadata: { name: 'p' }, spec: { type: 'SHARED', clusterSpec: { flinkConfiguration: { 'taskmanager.numberOfTaskSlots': '4' }, serviceAccount: 'x' } } },
  null,
  2,
);

describe('CMF rejection -> field', () => {
  it('resolves dotted paths, flat Flink keys included, to the longest existing prefix', () => {
    const at = (field: string) => locateFields(text, [`${field} is wrong.`]).map((p) => p.path);
    assert.deepEqual(at('spec.clusterSpec.flinkConfiguration.taskmanager.numberOfTaskSlots'), [['spec', 'clusterSpec', 'flinkConfiguration', 'taskmanager.numberOfTaskSlots']]);
    assert.deepEqual(at('spec.clusterSpec.image'), [['spec', 'clusterSpec']]);
    assert.deepEqual(at('status.phase'), []);
  });

  it('puts each message on the field it names', () => {
    const ps = locateFields(text, [
      "Compute pool 'p' (environment 'e'): spec.clusterSpec.serviceAccount must not be set: CMF deploys statements with its own Kubernetes service account. Remove it.",
      'Something without a field.',
      "metadata.name 'p' does not match the compute pool 'q' in the URL",
    ]);
    assert.deepEqual(ps.map((p) => p.path), [['spec', 'clusterSpec', 'serviceAccount'], ['metadata', 'name']]);
    const lines = text.split('\n');
    assert.equal(ps[0].range.start.line, lines.findIndex((l) => l.includes('"serviceAccount"')));
    assert.equal(ps[1].range.start.line, lines.findIndex((l) => l.includes('"name"')));
  });
});

describe('curl', () => {
  it('quotes for the shell', () => {
    assert.equal(shellQuote('/plain/path.pem'), '/plain/path.pem');
    assert.equal(shellQuote("it's here"), `'it'\\''s here'`);
  });

  it('a token command becomes the way to fill the variable; insecure is -k; the proxy has no credentials', () => {
    const out = curlCommand({ name: 'x', url: 'https://cmf:8443', auth: 'command', tokenCommand: 'get-token --json', insecureSkipVerify: true }, { method: 'GET', segments: ['environments', 'e', 'compute-pools', 'p'] }, { proxy: 'http://user:pw@proxy:3128' });
    assert.equal(
      out,
      'CMF_TOKEN="$(get-token --json)"\ncurl -sS https://cmf:8443/cmf/api/v1/environments/e/compute-pools/p \\\n  --insecure \\\n  --proxy http://proxy:3128 \\\n  -H "Authorization: Bearer $CMF_TOKEN" \\\n  -H \'Accept: application/json\'\n',
    );
  });
});

describe('diff layout', () => {
  it('lays the live pool out in the file\'s key order and indentation', () => {
    assert.deepEqual(Object.keys(orderLike({ b: 1, a: 2, c: 3 }, { c: 0, a: 0 }) as object), ['c', 'a', 'b']);
    assert.equal(indentOf('{\n    "a": 1\n}'), 4);
    assert.equal(indentOf('{\n\t"a": 1\n}'), '\t');
  });
});
