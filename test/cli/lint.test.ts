/** `cmf-pools lint` as users run it: the built dist/cli.js on real files, its output and exit status. */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { poolText } from '../../language-service/src/index';
import { cfkSharedPool, dedicatedPool, sharedPool, text } from '../pools';

const CLI = path.resolve(__dirname, '../../dist/cli.js');

function run(args: string[], cwd: string, input?: string) {
  const r = spawnSync(CLI, args, { cwd, input, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('cmf-pools lint', () => {
  let dir: string;
  let badText: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cmf-pools-cli-'));
    const bad = sharedPool();
    bad.spec.clusterSpec.image = 'confluentinc/cp-flink-sql:1.19-cp5';
    bad.spec.clusterSpec.taskManager.replicas = 2;
    badText = text(bad);
    writeFileSync(path.join(dir, 'bad.pool.json'), badText);
    writeFileSync(path.join(dir, 'good.pool.json'), text(dedicatedPool()));
    const warnOnly = dedicatedPool();
    warnOnly.spec.clusterSpec.mode = 'native';
    writeFileSync(path.join(dir, 'warn.json'), text(warnOnly));
    writeFileSync(path.join(dir, 'package.json'), '{"name": "x", "spec": {"type": "BIG"}}');
    writeFileSync(path.join(dir, 'broken.pool.json'), '{\n  "kind": "ComputePool",\n  "spec": {\n');
    mkdirSync(path.join(dir, 'sub'));
    writeFileSync(path.join(dir, 'sub', 'nested.json'), text(dedicatedPool()));
  });

  it('prints file:line:col severity code message, 1-based, and exits 1 on errors', () => {
    const r = run(['lint', 'bad.pool.json'], dir);
    assert.equal(r.code, 1, r.err);
    const lines = r.out.trim().split('\n');
    const image = lines.find((l) => l.includes('image-too-old'))!;
    const imageLine = badText.split('\n').findIndex((l) => l.includes('"image"')) + 1;
    const imageCol = badText.split('\n')[imageLine - 1].indexOf('"confluentinc') + 1;
    assert.equal(image.split(' ')[0], `bad.pool.json:${imageLine}:${imageCol}`);
    assert.match(image, /^bad\.pool\.json:\d+:\d+ error image-too-old On CMF 2\.5 \(the newest CMF these rules know; set cmfPools\.cmfVersion to yours\), statements need confluentinc\/cp-flink-sql 1\.19-cp7 or newer/);
    assert.ok(lines.some((l) => / warning replicas-ignored-native /.test(l)));
    assert.match(r.out, /2 problems \(1 error, 1 warning, 0 info, 0 hints\) in 1 file\./);
  });

  it('reads a file that starts with a byte order mark as if it had none: the same lines and columns', () => {
    const bom = mkdtempSync(path.join(tmpdir(), 'cmf-pools-bom-'));
    const yaml = poolText(JSON.parse(badText), 'yaml');
    writeFileSync(path.join(bom, 'with.pool.json'), '\ufeff' + badText);
    writeFileSync(path.join(bom, 'without.pool.json'), badText);
    writeFileSync(path.join(bom, 'with.pool.yaml'), '\ufeff' + yaml);
    writeFileSync(path.join(bom, 'without.pool.yaml'), yaml);
    for (const ext of ['json', 'yaml']) {
      const withMark = run(['lint', `with.pool.${ext}`], bom);
      assert.doesNotMatch(withMark.out, /invalid-(json|yaml)/);
      assert.match(withMark.out, / error /);
      assert.equal(withMark.out.replace(/^with\./gm, 'without.'), run(['lint', `without.pool.${ext}`], bom).out, ext);
    }
  });

  it('exits 0 when there are only warnings, and says so for a clean file', () => {
    assert.equal(run(['lint', 'warn.json'], dir).code, 0);
    const r = run(['lint', 'good.pool.json'], dir);
    assert.equal(r.code, 0);
    assert.match(r.out, /No problems in 1 file\./);
  });

  it('writes JSON with 0-based LSP ranges', () => {
    const r = run(['lint', '--format', 'json', 'bad.pool.json', 'good.pool.json'], dir);
    assert.equal(r.code, 1);
    const out = JSON.parse(r.out) as { file: string; diagnostics: { range: { start: { line: number; character: number } }; severity: string; code: string; message: string }[] }[];
    assert.deepEqual(out.map((f) => f.file), ['bad.pool.json', 'good.pool.json']);
    const image = out[0].diagnostics.find((d) => d.code === 'image-too-old')!;
    assert.equal(image.severity, 'error');
    assert.equal(image.range.start.line, badText.split('\n').findIndex((l) => l.includes('"image"')));
    assert.deepEqual(out[1].diagnostics, []);
  });

  it('reports invalid JSON with its position', () => {
    const r = run(['lint', 'broken.pool.json'], dir);
    assert.equal(r.code, 1);
    assert.match(r.out, /^broken\.pool\.json:\d+:\d+ error invalid-json Invalid JSON: /m);
  });

  it('reads standard input with "-"', () => {
    const p = dedicatedPool();
    p.spec.state = 'SUSPENDED';
    const r = run(['lint', '-'], dir, text(p));
    assert.equal(r.code, 1);
    assert.match(r.out, /^<stdin>:\d+:\d+ error state-on-dedicated /m);
  });

  it('expands globs and skips JSON that is not a pool', () => {
    const r = run(['lint', '--format', 'json', '**/*.json'], dir);
    const files = (JSON.parse(r.out) as { file: string }[]).map((f) => f.file).sort();
    assert.deepEqual(files, ['bad.pool.json', 'broken.pool.json', 'good.pool.json', 'sub/nested.json', 'warn.json']);
    const t = run(['lint', '*.json'], dir);
    assert.match(t.out, /1 file found but skipped: not compute pools/);
  });

  it('YAML: a multi-document file, each pool checked with the file\'s own lines; other YAML skipped by a glob', () => {
    const cfk = cfkSharedPool();
    cfk.spec.clusterSpec.serviceAccount = 'flink';
    const bad = dedicatedPool();
    bad.spec.state = 'RUNNING';
    const manifest = `# GitOps\napiVersion: platform.confluent.io/v1beta1\nkind: FlinkEnvironment\nmetadata: {name: flink-env1}\n---\n${poolText(cfk, 'yaml')}---\n${poolText(bad, 'yaml')}`;
    writeFileSync(path.join(dir, 'flink.yaml'), manifest);
    writeFileSync(path.join(dir, 'deployment.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n');
    const lines = manifest.split('\n');
    const lineOf = (needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;
    const r = run(['lint', 'flink.yaml'], dir);
    assert.equal(r.code, 1, r.err);
    assert.match(r.out, new RegExp(`^flink\\.yaml:${lineOf('serviceAccount: flink')}:5 error forbidden-field `, 'm'));
    assert.match(r.out, new RegExp(`^flink\\.yaml:${lines.lastIndexOf('  state: RUNNING') + 1}:3 error state-on-dedicated `, 'm'));
    const g = run(['lint', '--format', 'json', '*.yaml'], dir);
    assert.deepEqual((JSON.parse(g.out) as { file: string }[]).map((f) => f.file), ['flink.yaml']);
    // YAML on standard input, and YAML's syntax errors.
    const tabs = run(['lint', '-'], dir, poolText(dedicatedPool(), 'yaml').replace('  type: DEDICATED', '\ttype: DEDICATED'));
    assert.equal(tabs.code, 1);
    assert.match(tabs.out, /^<stdin>:\d+:1 error invalid-yaml Invalid YAML: tabs are not allowed as indentation/m);
  });

  it('YAML: the rules from the field report in a ComputePool and a CFK FlinkComputePool as in the JSON pool, on the same fields', () => {
    const ws = mkdtempSync(path.join(tmpdir(), 'cmf-pools-field-yaml-'));
    // Every rule of issue 12 triggered at once: pod envelopes, the image floor, a Flink line CMF does not run, no
    // memory, no checkpointing interval, no state directories, a credential in plain text, a key written twice.
    const field = (p: any) => {
      const c = p.spec.clusterSpec;
      c.podTemplate = { apiVersion: 'v1', kind: 'Pod' };
      c.taskManager.podTemplate = { kind: 'Pod' };
      delete c.jobManager.resource.memory;
      c.flinkConfiguration = { 's3.secret-key': 'do-not-echo-me', 'taskmanager.numberOfTaskSlots': '2' };
      return p;
    };
    const pool = field(dedicatedPool());
    pool.spec.clusterSpec.image = 'confluentinc/cp-flink-sql:1.19-cp5';
    const cfk = field(cfkSharedPool());
    cfk.spec.clusterSpec.flinkVersion = 'v2_1';
    cfk.spec.clusterSpec.image = 'confluentinc/cp-flink-sql:2.1-cp1';
    const twice = (t: string, key: string) => t.replace(new RegExp(`^(\\s*)(${key}.*)$`, 'm'), (_m, pad: string, line: string) => `${pad}${line.replace(/"4"|"2"|4|2/, '"8"')}${line.trim().startsWith('"') ? ',' : ''}\n${pad}${line}`);
    writeFileSync(path.join(ws, 'pool.pool.json'), twice(text(pool), '"taskmanager.numberOfTaskSlots"'));
    writeFileSync(path.join(ws, 'pool.pool.yaml'), `# a pool\n${twice(poolText(pool, 'yaml'), 'taskmanager.numberOfTaskSlots')}`);
    writeFileSync(path.join(ws, 'cfk.pool.json'), twice(text(cfk), '"taskmanager.numberOfTaskSlots"'));
    writeFileSync(path.join(ws, 'cfk.yaml'), `apiVersion: platform.confluent.io/v1beta1\nkind: FlinkEnvironment\nmetadata: {name: flink-env1}\n---\n${twice(poolText(cfk, 'yaml'), 'taskmanager.numberOfTaskSlots')}`);
    const report = (file: string) => {
      const r = run(['lint', '--format', 'json', file], ws);
      assert.equal(r.code, 1, r.err);
      const [f] = JSON.parse(r.out) as { diagnostics: { code: string; severity: string; message: string; range: { start: { line: number } } }[] }[];
      const lines = readFileSync(path.join(ws, file), 'utf8').split('\n');
      // code, severity, message, and the field on the line it is reported at (its key, without quotes)
      return f!.diagnostics.map((d) => `${d.code} ${d.severity} ${/^\s*-?\s*"?([\w.-]+)"?\s*:/.exec(lines[d.range.start.line]!)?.[1]}: ${d.message}`).sort();
    };
    const want = ['pod-template-envelope', 'component-pod-template-envelope', 'resource-memory-missing', 'insert-needs-checkpointing', 'stateless-stop-resume', 'flink-config-secret', 'duplicate-key'];
    for (const [json, yaml, extra] of [['pool.pool.json', 'pool.pool.yaml', 'image-too-old'], ['cfk.pool.json', 'cfk.yaml', 'flink-version-unsupported']] as const) {
      const fromJson = report(json);
      const fromYaml = report(yaml);
      for (const code of [...want, extra]) assert.ok(fromYaml.some((l) => l.startsWith(`${code} `)), `${code} in ${yaml}:\n${fromYaml.join('\n')}`);
      assert.deepEqual(fromYaml, fromJson, `${yaml} reads as ${json}`);
      assert.ok(!fromYaml.some((l) => l.includes('do-not-echo-me')), 'the secret is never repeated');
    }
  });

  it('exits 2 and names the file it cannot read, still linting the others', () => {
    const r = run(['lint', 'missing.json', 'bad.pool.json'], dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /cannot read missing\.json: no such file/);
    assert.match(r.out, /image-too-old/);
    const unreadable = path.join(dir, 'locked.json');
    writeFileSync(unreadable, '{}');
    chmodSync(unreadable, 0o000);
    if (process.getuid?.() !== 0) assert.equal(run(['lint', 'locked.json'], dir).code, 2);
    assert.equal(run(['lint', 'nothing-*.json'], dir).code, 2);
  });

  it('--pools-only checks named files only when they hold a pool, and none is fine (for hooks)', () => {
    const none = run(['lint', '--pools-only', 'package.json'], dir);
    assert.equal(none.code, 0);
    assert.equal(none.out, 'No compute-pool files among the 1 file given.\n');
    assert.equal(run(['lint', 'package.json'], dir).code, 1, 'named without it, package.json is checked as a pool');
    const some = run(['lint', '--pools-only', '--format', 'json', 'package.json', 'bad.pool.json', 'sub/nested.json'], dir);
    assert.equal(some.code, 1);
    assert.deepEqual((JSON.parse(some.out) as { file: string }[]).map((f) => f.file), ['bad.pool.json', 'sub/nested.json']);
  });

  it('exits 2 on usage errors, naming the flag', () => {
    let r = run(['lint', '--fromat', 'json', 'good.pool.json'], dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /--fromat/);
    r = run(['lint', '--format', 'xml', 'good.pool.json'], dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /--format must be "text", "json", "sarif" or "github" \(got "xml"\)/);
    r = run(['lint'], dir);
    assert.equal(r.code, 2);
    r = run(['lint', '--rule', 'image-missing', 'good.pool.json'], dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /--rule "image-missing" must look like CODE=SEVERITY/);
    r = run(['frobnicate'], dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown command "frobnicate"/);
  });

  it('takes rule severities from --rule and from .vscode/settings.json, like the editor (an old code name included)', () => {
    assert.equal(run(['lint', '--rule', 'image-too-old=warning', 'bad.pool.json'], dir).code, 0);
    // Settings written for the rule's former name still apply to it.
    assert.equal(run(['lint', '--rule', 'shared-image-too-old=warning', 'bad.pool.json'], dir).code, 0);
    const ws = mkdtempSync(path.join(tmpdir(), 'cmf-pools-ws-'));
    mkdirSync(path.join(ws, '.vscode'));
    writeFileSync(path.join(ws, '.vscode', 'settings.json'), '{\n  // editor settings\n  "cmfPools.rules": { "shared-image-too-old": "off" },\n}\n');
    writeFileSync(path.join(ws, 'bad.pool.json'), badText);
    const r = run(['lint', 'bad.pool.json'], ws);
    assert.equal(r.code, 0);
    assert.doesNotMatch(r.out, /image-too-old/);
    assert.equal(run(['lint', '--no-settings', 'bad.pool.json'], ws).code, 1);
  });

  it('checks pools for a CMF version: --cmf-version, or cmfPools.cmfVersion in the settings file; the flag wins', () => {
    const ws = mkdtempSync(path.join(tmpdir(), 'cmf-pools-version-'));
    const p = dedicatedPool();
    p.spec.clusterSpec.image = 'confluentinc/cp-flink-sql:1.19-cp5';
    writeFileSync(path.join(ws, 'old.pool.json'), text(p));
    // 1.19-cp5 ran on CMF 2.2; on 2.3 and later it is below the floor for every pool type.
    assert.equal(run(['lint', 'old.pool.json'], ws).code, 1);
    const on22 = run(['lint', '--cmf-version', '2.2.9', 'old.pool.json'], ws);
    assert.equal(on22.code, 0, on22.out);
    const on24 = run(['lint', '--cmf-version', '2.4', 'old.pool.json'], ws);
    assert.equal(on24.code, 1);
    assert.match(on24.out, / error image-too-old On CMF 2\.4 \(cmfPools\.cmfVersion\), statements need confluentinc\/cp-flink-sql 1\.19-cp7 or newer/);
    mkdirSync(path.join(ws, '.vscode'));
    writeFileSync(path.join(ws, '.vscode', 'settings.json'), '{ "cmfPools.cmfVersion": "2.2" }');
    assert.equal(run(['lint', 'old.pool.json'], ws).code, 0);
    assert.equal(run(['lint', '--cmf-version', '2.3', 'old.pool.json'], ws).code, 1);
    const bad = run(['lint', '--cmf-version', 'newest', 'old.pool.json'], ws);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--cmf-version "newest" is not a CMF version: use e\.g\. 2\.4 or 2\.4\.1\./);
  });

  it('checks the effective pool over an environment\'s computePoolDefaults from --environment-defaults FILE (JSON or YAML)', () => {
    const ws = mkdtempSync(path.join(tmpdir(), 'cmf-pools-defaults-'));
    const p = dedicatedPool();
    delete p.spec.clusterSpec.image;
    delete p.spec.clusterSpec.jobManager.resource.memory;
    writeFileSync(path.join(ws, 'bare.pool.json'), text(p));
    const alone = run(['lint', 'bare.pool.json'], ws);
    assert.match(alone.out, / warning image-missing /);
    assert.match(alone.out, / warning resource-memory-missing /);
    // The Environment as CMF returns it, in JSON; and the computePoolDefaults alone, in YAML.
    writeFileSync(path.join(ws, 'env.json'), JSON.stringify({ name: 'dev', computePoolDefaults: { clusterSpec: { image: 'confluentinc/cp-flink-sql:1.19-cp7', jobManager: { resource: { memory: '1024m' } } } } }));
    writeFileSync(path.join(ws, 'defaults.yaml'), 'clusterSpec:\n  image: confluentinc/cp-flink-sql:1.19-cp5\n  jobManager: {resource: {memory: 1024m}}\n');
    const env = run(['lint', '--environment-defaults', 'env.json', 'bare.pool.json'], ws);
    assert.equal(env.code, 0, env.out);
    assert.doesNotMatch(env.out, /image-missing|resource-memory-missing/);
    const old = run(['lint', '--environment-defaults', 'defaults.yaml', 'bare.pool.json'], ws);
    assert.equal(old.code, 1);
    assert.match(old.out, / error image-too-old .*\(The value comes from the computePoolDefaults of the environment in defaults\.yaml; set it in this file to override it\.\)/);
    writeFileSync(path.join(ws, 'nothing.json'), '[1, 2]');
    const none = run(['lint', '--environment-defaults', 'nothing.json', 'bare.pool.json'], ws);
    assert.equal(none.code, 2);
    assert.match(none.err, /nothing\.json holds no computePoolDefaults/);
    assert.equal(run(['lint', '--environment-defaults', 'missing.json', 'bare.pool.json'], ws).code, 2);
    const both = run(['lint', '--environment-defaults', 'env.json', '--environment', 'dev', 'bare.pool.json'], ws);
    assert.equal(both.code, 2);
    assert.match(both.err, /either --environment-defaults FILE or --environment NAME/);
  });

  it('explains itself with --help', () => {
    const top = run(['--help'], dir);
    assert.equal(top.code, 0);
    assert.match(top.out, /lint/);
    const lint = run(['lint', '--help'], dir);
    assert.equal(lint.code, 0);
    for (const flag of ['--format', '--settings', '--rule', '--allowed-image', 'Exit status']) assert.ok(lint.out.includes(flag), flag);
  });
});

describe("the README's quick tour", () => {
  it('shows exactly what cmf-pools lint prints for examples/bad/shared-bad.pool.json', () => {
    const root = path.resolve(__dirname, '../..');
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const command = '$ npx cmf-pools lint examples/bad/shared-bad.pool.json\n';
    const start = readme.indexOf(command) + command.length;
    assert.ok(start > command.length, 'the README shows the command');
    const shown = readme.slice(start, readme.indexOf('```', start));
    const r = run(['lint', 'examples/bad/shared-bad.pool.json'], root);
    assert.equal(r.code, 1);
    assert.equal(r.out, shown);
  });
});

describe('Flink option data at run time', () => {
  const root = path.resolve(__dirname, '../..');
  const dataDir = path.join(root, 'language-service', 'data');
  /** What the bundles read: the build's brotli-compressed copies. */
  const readDir = path.join(root, 'dist', 'data');
  let preload: string;
  let log: string;
  before(() => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'cmf-pools-data-reads-'));
    log = path.join(tmp, 'reads.txt');
    preload = path.join(tmp, 'record-reads.cjs');
    // Records every file the process reads from dist/data.
    writeFileSync(
      preload,
      `const fs = require('node:fs');
       const read = fs.readFileSync;
       fs.readFileSync = function (file, ...rest) {
         if (String(file).includes(${JSON.stringify(readDir + path.sep)})) fs.appendFileSync(${JSON.stringify(log)}, String(file).slice(${readDir.length + 1}) + '\\n');
         return read.call(this, file, ...rest);
       };`,
    );
  });
  const reads = (args: string[]) => {
    writeFileSync(log, '');
    const r = spawnSync(process.execPath, ['--require', preload, CLI, ...args], { cwd: root, encoding: 'utf8' });
    return { code: r.status, files: readFileSync(log, 'utf8').split('\n').filter(Boolean), out: r.stdout, err: r.stderr };
  };

  it('is not in the bundles: dist/cli.js and dist/server.js read it, compressed, from dist/data', () => {
    const descriptions = JSON.parse(readFileSync(path.join(dataDir, 'flink-option-descriptions.json'), 'utf8')).descriptions as string[];
    const longest = descriptions.reduce((a, b) => (b.length > a.length ? b : a));
    for (const bundle of ['cli.js', 'server.js']) {
      const text = readFileSync(path.join(root, 'dist', bundle), 'utf8');
      assert.ok(!text.includes('"blob.client.connect.timeout"') && !text.includes(JSON.stringify(longest).slice(1, 60)), `${bundle} holds option data`);
    }
  });

  it('lint reads the pool version\'s file once, no description, and not the schema (its validator is precompiled)', () => {
    const r = reads(['lint', 'examples/shared.pool.json', 'examples/dedicated.pool.json']);
    assert.equal(r.code, 0, r.err + r.out);
    assert.deepEqual(r.files, ['flink-options-1.19.json.br']);
  });

  it('an unknown key reads the other versions too (to say where it exists), an unknown property the schema (for what it may have meant), still no description', () => {
    const r = reads(['lint', 'examples/bad/shared-bad.pool.json']);
    assert.equal(r.code, 1, r.err);
    assert.match(r.out, /Did you mean "taskmanager\.numberOfTaskSlots"/);
    assert.deepEqual(r.files.sort(), ['compute-pool.schema.json.br', 'flink-options-1.19.json.br', 'flink-options-1.20.json.br', 'flink-options-2.0.json.br']);
  });
});
