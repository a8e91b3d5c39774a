/**
 * `apply -f DIR|FILE...` and `diff -f DIR|FILE...` on whole repositories, as a GitOps pipeline runs them: the built
 * dist/cli.js in a child process (no terminal) against a local CMF started here, and `main` in process with scripted
 * answers where a terminal is needed. One plan for every pool, one question, writes in order stopping at the first
 * failure (and saying what was and was not applied), FlinkComputePools skipped, `-o json` shapes, and diff's exit
 * statuses.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startTestLocalCmf, type TestLocalCmf } from '../../local-cmf/src/test-controls';
import { main, type CliIo } from '../../cli/src/main';
import { poolText } from '../../language-service/src/index';
import { cfkSharedPool, namedSharedPool } from '../pools';

const CLI = path.resolve(__dirname, '../../dist/cli.js');
const DEV = 'development';

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function run(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CLI, ...args], { cwd, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, out: stdout, err: stderr }),
    );
    child.stdin?.end();
  });
}

let cmf: TestLocalCmf;
const conn = () => ['--url', cmf.url, '--environment', DEV];

/** A repository of pool files: `files` maps paths to contents (objects are written as JSON). */
const made: string[] = [];
function repo(files: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cmf-pools-gitops-'));
  made.push(dir);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

const memory = (name: string) => cmf.store.pool(DEV, name).spec.clusterSpec.taskManager?.resource?.memory;
const has = (name: string) => cmf.store.pools.get(DEV)!.has(name);
const bigger = (name: string) => namedSharedPool(name, (p) => (p.spec.clusterSpec.taskManager.resource.memory = '4096m'));

before(async () => {
  cmf = await startTestLocalCmf({ phaseDelayMs: 0 });
});
after(async () => {
  await cmf.close();
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  cmf.controls.reset();
  cmf.controls.setPhaseDelay(0);
});

/** A repository where `alpha` exists (and is changed by the files), `beta` exists unchanged, `gamma` and `delta` are new. */
function gitopsRepo(): string {
  cmf.store.createPool(DEV, namedSharedPool('alpha'));
  cmf.store.createPool(DEV, namedSharedPool('beta'));
  cmf.controls.settle();
  return repo({
    'pools/alpha.pool.json': bigger('alpha'),
    'pools/team/beta.pool.json': namedSharedPool('beta'),
    'pools/team/more.yaml': `# two pools in one file\n${poolText(namedSharedPool('gamma'), 'yaml')}---\n${poolText(namedSharedPool('delta'), 'yaml')}`,
    'pools/cfk/flink.yaml': `apiVersion: platform.confluent.io/v1beta1\nkind: FlinkEnvironment\nmetadata: {name: env1}\n---\n${poolText(cfkSharedPool(), 'yaml')}`,
    'pools/README.json': { note: 'not a pool' },
    'node_modules/x/pool.json': bigger('ignored'),
  });
}

describe('apply -f DIR: one plan for every pool', () => {
  it('a dry run prints a part per pool (update with its diff, unchanged, create, create), the CFK pool skipped, and a summary; nothing is written', async () => {
    const dir = gitopsRepo();
    const r = await run(['apply', '-f', 'pools', '--dry-run', ...conn()], dir);
    assert.equal(r.code, 0, r.err);
    const parts = r.out.split(/^(?=Plan for compute pool ')/m).filter((p) => p.startsWith('Plan for compute pool '));
    assert.deepEqual(
      parts.map((p) => /^Plan for compute pool '([^']+)' in environment 'development' \(CMF [^)]+\): (\w+)/.exec(p)!.slice(1).join(' ')),
      ['alpha update', 'beta unchanged', 'gamma create', 'delta create'],
    );
    assert.match(parts[0]!, /--- live compute pool 'alpha' \(environment 'development'\)\n\+\+\+ pools\/alpha\.pool\.json\n@@ [^\n]+\n[\s\S]*-\s+"memory": "2048m",?\n\+\s+"memory": "4096m",?\n/);
    assert.match(parts[2]!, /--- \/dev\/null\n\+\+\+ pools\/team\/more\.yaml:2\n@@ [^\n]+\n\+apiVersion: cmf\.confluent\.io\/v1\n/);
    assert.match(parts[3]!, /\+\+\+ pools\/team\/more\.yaml:\d+\n/);
    assert.match(r.out, /^Skipped FlinkComputePool 'shared-pool' \(pools\/cfk\/flink\.yaml:5\): Confluent for Kubernetes owns it and syncs it to CMF; it is applied with kubectl apply -f pools\/cfk\/flink\.yaml, not through CMF's API\.$/m);
    assert.match(r.out, /^Plan for 4 compute pools: 2 to create, 1 to update, 1 unchanged; 1 skipped \(FlinkComputePool: CFK owns it\)\.\nDry run: nothing was written\.\n$/m);
    assert.equal(memory('alpha'), '2048m');
    assert.ok(!has('gamma') && !has('delta') && !has('shared-pool') && !has('ignored'));
  });

  it('-o json: the documented shape, with the diff, changed paths and lint diagnostics of each pool', async () => {
    const dir = gitopsRepo();
    const r = await run(['apply', '-f', 'pools', '--dry-run', '-o', 'json', ...conn()], dir);
    assert.equal(r.code, 0, r.err);
    const plan = JSON.parse(r.out);
    assert.deepEqual(Object.keys(plan), ['cmf', 'environment', 'applicable', 'summary', 'pools']);
    assert.equal(plan.cmf, cmf.url);
    assert.equal(plan.environment, DEV);
    assert.equal(plan.applicable, true);
    assert.deepEqual(plan.summary, { create: 2, update: 1, unchanged: 1, refused: 0, blocked: 0, skipped: 1 });
    assert.deepEqual(
      plan.pools.map((p: any) => [p.file, p.line, p.name, p.kind, p.action]),
      [
        ['pools/alpha.pool.json', 1, 'alpha', 'ComputePool', 'update'],
        ['pools/team/beta.pool.json', 1, 'beta', 'ComputePool', 'unchanged'],
        ['pools/team/more.yaml', 2, 'gamma', 'ComputePool', 'create'],
        ['pools/team/more.yaml', 28, 'delta', 'ComputePool', 'create'],
        ['pools/cfk/flink.yaml', 5, 'shared-pool', 'FlinkComputePool', 'skipped'],
      ],
    );
    const alpha = plan.pools[0];
    assert.deepEqual(alpha.changedPaths, ['spec.clusterSpec.taskManager.resource.memory']);
    assert.match(alpha.diff, /^--- live compute pool 'alpha'/);
    assert.deepEqual(alpha.diagnostics, []);
    assert.equal(plan.pools[4].reason, 'cfk');
    assert.equal(r.err, '', 'nothing but the JSON');
    const noDryRun = await run(['apply', '-f', 'pools', '-o', 'json', ...conn()], dir);
    assert.equal(noDryRun.code, 2);
    assert.match(noDryRun.err, /-o json prints the plan of a dry run: add --dry-run\./);
  });

  it('asks once for the whole plan on a terminal; "no" writes nothing, "yes" applies every change in order', async () => {
    const dir = gitopsRepo();
    const io = (answers: boolean[]) => {
      const o: CliIo & { text: string; questions: string[] } = {
        text: '',
        questions: [],
        out: (t) => void (o.text += t),
        err: (t) => void (o.text += t),
        readStdin: async () => '',
        cwd: dir,
        env: {},
        interactive: true,
        confirm: async (q) => (o.questions.push(q), answers.shift() ?? false),
      };
      return o;
    };
    const no = io([false]);
    assert.equal(await main(['apply', '-f', 'pools', ...conn()], no), 1);
    assert.deepEqual(no.questions, [`Apply the plan to environment '${DEV}' at ${cmf.url}: create 'gamma', 'delta'; update 'alpha'?`]);
    assert.match(no.text, /Not applied: nothing was written to environment 'development'/);
    assert.ok(!has('gamma') && memory('alpha') === '2048m');

    const yes = io([true]);
    assert.equal(await main(['apply', '-f', 'pools', ...conn()], yes), 0, yes.text);
    assert.equal(yes.questions.length, 1);
    const order = [...yes.text.matchAll(/^(Created|Updated) compute pool '(\w+)'/gm)].map((m) => `${m[1]} ${m[2]}`);
    assert.deepEqual(order, ['Updated alpha', 'Created gamma', 'Created delta']);
    assert.match(yes.text, /Applied 3 changes to environment 'development' \(CMF [^)]+\): create 'gamma', 'delta'; update 'alpha'\.\n/);
    assert.ok(has('gamma') && has('delta') && memory('alpha') === '4096m');
    assert.ok(!has('shared-pool'), 'the FlinkComputePool was never sent');
  });

  it('without a terminal, a plan with an update needs --yes; creates alone do not ask', async () => {
    const dir = gitopsRepo();
    const r = await run(['apply', '-f', 'pools', ...conn()], dir);
    assert.equal(r.code, 1);
    assert.match(r.err, /not applying the plan: it updates compute pool 'alpha' in environment 'development' \(CMF [^)]+\) and there is no terminal to confirm on\. Nothing was written\. Review the plan above and re-run with --yes to apply it\./);
    assert.ok(!has('gamma'));
    const creates = await run(['apply', '-f', 'pools/team', ...conn()], dir);
    assert.equal(creates.code, 0, creates.err);
    assert.ok(has('gamma') && has('delta'));
  });

  it('stops at the first failure and says what was and was not applied', async () => {
    const dir = gitopsRepo();
    // The first POST (gamma's create) fails; alpha's PUT comes before it, delta's POST after.
    cmf.controls.injectFault({ kind: 'status', status: 500, message: 'etcd is down', method: 'POST', path: `/cmf/api/v1/environments/${DEV}/compute-pools` });
    const r = await run(['apply', '-f', 'pools', '--yes', ...conn()], dir);
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.out, /^Updated compute pool 'alpha'/m);
    assert.match(r.err, /HTTP 500/);
    assert.match(r.err, /stopped at compute pool 'gamma' \(pools\/team\/more\.yaml:2\)\. Applied: 'alpha' \(updated\)\. Not applied: 'gamma', 'delta'\.\n/);
    assert.equal(memory('alpha'), '4096m');
    assert.ok(!has('gamma') && !has('delta'));
  });

  it('a refused pool (lint errors) or a blocked update refuses the whole plan: nothing is applied', async () => {
    const dir = gitopsRepo();
    writeFileSync(path.join(dir, 'pools/zeta.pool.json'), JSON.stringify(namedSharedPool('zeta', (p) => (p.spec.clusterSpec.image = 'confluentinc/cp-flink-sql:1.19-cp5')), null, 2));
    const r = await run(['apply', '-f', 'pools', '--yes', ...conn()], dir);
    assert.equal(r.code, 1);
    assert.match(r.out, /Plan for compute pool 'zeta' [^\n]+: refused \(lint errors\)\npools\/zeta\.pool\.json:\d+:\d+ error image-too-old /);
    assert.match(r.out, /Plan for 5 compute pools: 2 to create, 1 to update, 1 unchanged, 1 refused; 1 skipped/);
    assert.match(r.err, /nothing was applied: 'zeta' cannot be applied as planned \(refused or blocked, above\)\./);
    assert.ok(!has('gamma') && memory('alpha') === '2048m');
    const dry = await run(['apply', '-f', 'pools', '--dry-run', '-o', 'json', ...conn()], dir);
    assert.equal(dry.code, 1);
    const zeta = JSON.parse(dry.out).pools.find((p: any) => p.name === 'zeta');
    assert.equal(zeta.action, 'refused');
    assert.equal(zeta.reason, 'lint-errors');
    assert.equal(zeta.diagnostics[0].code, 'image-too-old');
  });

  it('two pools of one name, a named file of FlinkComputePools only, a folder without pools: refused before CMF is asked', async () => {
    const dir = repo({ 'a/web.json': namedSharedPool('web'), 'b/web.yaml': poolText(namedSharedPool('web'), 'yaml'), 'cfk.yaml': poolText(cfkSharedPool(), 'yaml'), 'empty/x.json': '{}' });
    const before = cmf.store.pools.get(DEV)!.size;
    const dup = await run(['apply', '-f', 'a', '-f', 'b', '--yes', ...conn()], dir);
    assert.equal(dup.code, 1);
    assert.match(dup.err, /compute pool 'web' is in a\/web\.json:1 and b\/web\.yaml:1: a pool can be applied from one place only\./);
    const cfk = await run(['apply', '-f', 'cfk.yaml', '--yes', ...conn()], dir);
    assert.equal(cfk.code, 1);
    assert.match(cfk.err, /cfk\.yaml is a FlinkComputePool \(shared-pool\): Confluent for Kubernetes owns that pool/);
    const none = await run(['apply', '-f', 'empty', ...conn()], dir);
    assert.equal(none.code, 2);
    assert.match(none.err, /No compute-pool files found in empty \(1 JSON or YAML file looked at/);
    assert.equal(cmf.store.pools.get(DEV)!.size, before);
    // Files after -f are files too: what a shell makes of -f pools/*.json.
    const many = await run(['apply', '-f', 'a/web.json', 'b/web.yaml', '--dry-run', ...conn()], dir);
    assert.equal(many.code, 1);
    assert.match(many.err, /compute pool 'web' is in a\/web\.json:1 and b\/web\.yaml:1/);
  });
});

describe('diff -f: drift against the live pools', () => {
  it('exit 0 when everything matches (values CMF filled in from the environment\'s defaults left out), 1 when a pool differs or is missing, with the diffs', async () => {
    const dir = gitopsRepo();
    // alpha's file differs, beta matches, gamma and delta are missing.
    const r = await run(['diff', '-f', 'pools', ...conn()], dir);
    assert.equal(r.code, 1, r.err);
    assert.match(r.out, /^--- live compute pool 'alpha' \(environment 'development'\)\n\+\+\+ pools\/alpha\.pool\.json\n/);
    assert.match(r.out, /^--- \/dev\/null\n\+\+\+ pools\/team\/more\.yaml:2\n/m);
    assert.doesNotMatch(r.out, /beta/);
    assert.match(r.err, /^3 of 4 compute pools differ from environment 'development' \(CMF [^)]+\): 'alpha' \(changed\), 'gamma' \(not in CMF\), 'delta' \(not in CMF\)\.$/m);
    assert.match(r.err, /^Skipped FlinkComputePool 'shared-pool' \(pools\/cfk\/flink\.yaml:5\)/m);

    const applied = await run(['apply', '-f', 'pools', '--yes', ...conn()], dir);
    assert.equal(applied.code, 0, applied.err);
    cmf.controls.settle();
    const same = await run(['diff', '-f', 'pools', ...conn()], dir);
    assert.equal(same.code, 0, same.out + same.err);
    assert.equal(same.out, '');
    assert.match(same.err, /No differences: all 4 compute pools match environment 'development'/);

    // A pool whose file leaves out what the environment's computePoolDefaults give, and CMF has them filled in (as CMF
    // does on create; the local CMF keeps the body as sent, so the test fills them in): no drift. A value that is not
    // the default's is.
    const lean = namedSharedPool('lean');
    delete lean.spec.clusterSpec.image;
    delete lean.spec.clusterSpec.flinkVersion;
    const leanDir = repo({ 'lean.pool.json': lean });
    assert.equal((await run(['apply', '-f', '.', ...conn()], leanDir)).code, 0);
    const defaults = cmf.store.getEnvironment(DEV, false).computePoolDefaults!.clusterSpec as Record<string, unknown>;
    const filled = cmf.store.getPool(DEV, 'lean', false) as any;
    filled.spec.clusterSpec.image = defaults.image;
    filled.spec.clusterSpec.flinkVersion = defaults.flinkVersion;
    cmf.store.updatePool(DEV, 'lean', filled);
    const leanDiff = await run(['diff', '-f', '.', ...conn()], leanDir);
    assert.equal(leanDiff.code, 0, leanDiff.out + leanDiff.err);
    assert.equal(leanDiff.out, '');
    assert.match(leanDiff.err, /^lean\.pool\.json: left out, filled in by CMF from defaults: spec\.clusterSpec\.image, spec\.clusterSpec\.flinkVersion\.$/m);
    filled.spec.clusterSpec.image = 'confluentinc/cp-flink-sql:1.19-cp9';
    cmf.store.updatePool(DEV, 'lean', filled);
    const drift = await run(['diff', '-f', '.', ...conn()], leanDir);
    assert.equal(drift.code, 1);
    assert.match(drift.out, /^-\s+"image": "confluentinc\/cp-flink-sql:1\.19-cp9",?$/m);
  });

  it('a change made in CMF behind the files\' back is drift (exit 1); -o json has the documented shape', async () => {
    const dir = gitopsRepo();
    assert.equal((await run(['apply', '-f', 'pools', '--yes', ...conn()], dir)).code, 0);
    cmf.controls.settle();
    const live = cmf.store.getPool(DEV, 'beta', false) as any;
    live.spec.clusterSpec.taskManager.resource.cpu = 3;
    cmf.store.updatePool(DEV, 'beta', live);
    const r = await run(['diff', '-f', 'pools', '-o', 'json', ...conn()], dir);
    assert.equal(r.code, 1, r.err);
    const d = JSON.parse(r.out);
    assert.deepEqual(Object.keys(d), ['cmf', 'environment', 'differs', 'summary', 'pools']);
    assert.equal(d.differs, true);
    assert.deepEqual(d.summary, { same: 3, changed: 1, missing: 0, skipped: 1, error: 0 });
    const beta = d.pools.find((p: any) => p.name === 'beta');
    assert.equal(beta.status, 'changed');
    assert.deepEqual(beta.changedPaths, ['spec.clusterSpec.taskManager.resource.cpu']);
    assert.match(beta.diff, /\n-\s+"cpu": 3,?\n\+\s+"cpu": 1,?\n/);
    assert.deepEqual(
      d.pools.map((p: any) => `${p.name} ${p.status}`),
      ['alpha same', 'beta changed', 'gamma same', 'delta same', 'shared-pool skipped'],
    );
  });

  it('exit 2 on errors: a file that cannot be read, a pool that cannot be read, no pool found, CMF unreachable; lint errors are still compared', async () => {
    const dir = repo({
      'ok/web.pool.json': namedSharedPool('web'),
      'broken/x.pool.json': '{"kind": "ComputePool", "metadata": {"name": "x"',
      'lint/old.pool.json': namedSharedPool('old', (p) => (p.spec.clusterSpec.image = 'confluentinc/cp-flink-sql:1.19-cp5')),
      'empty/values.yaml': 'replicas: 2\n',
    });
    const missing = await run(['diff', '-f', 'nope.json', ...conn()], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /cannot read nope\.json: no such file/);
    const broken = await run(['diff', '-f', 'broken', '-f', 'ok', ...conn()], dir);
    assert.equal(broken.code, 2, 'an error wins over a difference');
    assert.match(broken.err, /cmf-pools diff: cannot compare broken\/x\.pool\.json: \d+ syntax errors? \(first: line 1: Invalid JSON: /);
    assert.match(broken.out, /\+\+\+ ok\/web\.pool\.json/, 'the others are still compared');
    const none = await run(['diff', '-f', 'empty', ...conn()], dir);
    assert.equal(none.code, 2);
    assert.match(none.err, /No compute-pool files found in empty/);
    const down = await run(['diff', '-f', 'ok', '--url', 'http://127.0.0.1:9', '--environment', DEV], dir);
    assert.equal(down.code, 2, down.err);
    assert.match(down.err, /Connection refused/i);
    const lint = await run(['diff', '-f', 'lint', ...conn()], dir);
    assert.equal(lint.code, 1, lint.err);
    assert.match(lint.out, /^--- \/dev\/null\n\+\+\+ lint\/old\.pool\.json\n/);
  });
});
