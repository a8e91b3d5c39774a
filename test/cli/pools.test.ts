/**
 * The CMF verbs of `cmf-pools` as users run them: the built dist/cli.js in a child process (no terminal)
 * against a local CMF started here, over HTTP, HTTPS with a CA made by openssl, and mTLS. Output, exit
 * statuses, refusals without a terminal, --help texts, and that the token is never printed. The prompts on a
 * terminal are checked in process through `main` with a scripted `confirm`.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { startLocalCmf, type LocalCmf } from '../../local-cmf/src/server';
import { startTestLocalCmf, type TestLocalCmf } from '../../local-cmf/src/test-controls';
import { main, type CliIo } from '../../cli/src/main';
import { poolText } from '../../language-service/src/index';
import { cfkSharedPool, namedSharedPool } from '../pools';


const CLI = path.resolve(__dirname, '../../dist/cli.js');
const DEV = 'development';
const PROD = 'prod';
const TOKEN = 'cli-secret-token-4f1e2d3c';

interface Run {
  code: number | null;
  out: string;
  err: string;
}

/** Runs dist/cli.js without a terminal; only the variables given (plus PATH) are set. Async: the local CMF runs in this process. */
function run(args: string[], opts: { env?: Record<string, string>; cwd?: string; input?: string } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [CLI, ...args],
      { cwd: opts.cwd ?? dir, env: { PATH: process.env.PATH ?? '', ...opts.env }, encoding: 'utf8', timeout: 30_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, out: stdout, err: stderr }),
    );
    child.stdin?.end(opts.input ?? '');
  });
}

let dir: string;
let cmf: TestLocalCmf;
const conn = (env = DEV) => ['--url', cmf.url, '--environment', env];


function writePool(name: string, pool: unknown): string {
  writeFileSync(path.join(dir, name), JSON.stringify(pool, null, 2));
  return name;
}

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cmf-pools-verbs-'));
  cmf = await startTestLocalCmf({ phaseDelayMs: 100 });
});
after(async () => {
  await cmf.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  cmf.controls.reset();
  cmf.controls.setPhaseDelay(100);
});

describe('cmf-pools --help', () => {
  it('lists every command, the connection flags and variables, and the exit statuses', async () => {
    const r = await run(['--help']);
    assert.equal(r.code, 0);
    for (const c of ['lint', 'apply', 'diff', 'get', 'list', 'statements', 'suspend', 'resume', 'delete', 'completion']) assert.match(r.out, new RegExp(`^  ${c} `, 'm'));
    for (const f of ['--url / CONFLUENT_CMF_URL', 'CONFLUENT_CMF_CERTIFICATE_AUTHORITY_PATH', '--client-cert-path / CONFLUENT_CMF_CLIENT_CERT_PATH', 'CONFLUENT_CMF_CLIENT_KEY_PATH', 'CMF_POOLS_TOKEN']) {
      assert.ok(r.out.includes(f), f);
    }
    assert.match(r.out, /a flag wins over its variable/);
    assert.match(r.out, /Exit status: 0 .*1 .*\n?.*2 a usage error/s);
  });

  it('each verb has its own help; delete explains force=true and how it differs from the confluent CLI', async () => {
    for (const verb of ['apply', 'diff', 'get', 'list', 'statements', 'suspend', 'resume', 'delete']) {
      const r = await run([verb, '--help']);
      assert.equal(r.code, 0, verb);
      assert.match(r.out, new RegExp(`^Usage: cmf-pools ${verb}`), verb);
      assert.match(r.out, /--url URL .*\[CONFLUENT_CMF_URL\]/, verb);
      assert.match(r.out, /Exit status:/, verb);
    }
    const d = (await run(['delete', '--help'])).out;
    assert.match(d, /--force\s+send CMF's force=true: remove the pool from CMF's metadata only/);
    assert.match(d, /session cluster may be left running/);
    assert.match(d, /not the confluent CLI's --force[\s\S]*only skips its prompt and never sends force=true/);
    assert.match(d, /--yes skips the prompt/);
    const a = (await run(['apply', '--help'])).out;
    assert.match(a, /-f, --file FILE/);
    assert.match(a, /--dry-run/);
    assert.match(a, /--wait/);
    assert.match(a, /with no terminal, only --yes updates/);
  });
});

describe('usage errors exit 2', () => {
  it('no URL, no environment, an unknown flag, a token flag, a bad output format, no pool name', async () => {
    const cases: [string[], RegExp][] = [
      [['list', '--environment', DEV], /the CMF URL is required: specify it with --url or set the variable CONFLUENT_CMF_URL/],
      [['list', '--url', cmf.url], /--environment is required/],
      [['list', ...conn(), '--colour'], /Unknown option '--colour'/],
      [['list', ...conn(), '--token', TOKEN], /there is no token flag \(it would land in shell history\): set the variable CMF_POOLS_TOKEN/],
      [['get', 'x', ...conn(), '-o', 'xml'], /-o\/--output must be json, yaml or table/],
      [['suspend', ...conn()], /name the compute pool/],
      [['apply', ...conn()], /-f FILE is required/],
      [['apply', '-f', 'missing.json', ...conn()], /cannot read missing\.json: no such file/],
      [['list', '--url', 'ftp://x', '--environment', DEV], /must start with http:\/\/ or https:\/\//],
      [['frobnicate'], /unknown command "frobnicate"/],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, message, args.join(' '));
      assert.equal(r.out, '');
    }
    const leaked = await run(['list', ...conn(), '--token', TOKEN]);
    assert.ok(!leaked.err.includes(TOKEN), 'the token given on the command line is not echoed');
  });
});

describe('list, get, statements', () => {
  it('list: a table of name, type, phase, age and warning that names the URL and environment', async () => {
    const r = await run(['list', ...conn()]);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trimEnd().split('\n');
    assert.equal(lines[0], `Compute pools in environment '${DEV}' (CMF ${cmf.url}):`);
    assert.match(lines[1], /^NAME\s+TYPE\s+PHASE\s+AGE\s+WARNING$/);
    assert.match(r.out, /^interactive\s+SHARED\s+RUNNING\s+\d+d\d*h?\s*$/m);
    assert.match(r.out, /^sandbox\s+SHARED\s+SUSPENDED\s+\d+d/m);
  });

  it('list shows CMF\'s warning while the cluster is away', async () => {
    cmf.controls.setEnvironmentClusterState(DEV, 'DISCONNECTED');
    const r = await run(['list', ...conn()]);
    assert.equal(r.code, 0);
    assert.match(r.out, /^interactive\s+SHARED\s+RUNNING\s+\S+\s+The displayed status may be stale/m);
  });

  it('json and yaml are the resources as CMF returns them; the variable gives the URL, and a flag wins over it', async () => {
    const viaEnv = await run(['list', '--environment', PROD, '-o', 'json'], { env: { CONFLUENT_CMF_URL: cmf.url } });
    assert.equal(viaEnv.code, 0, viaEnv.err);
    const pools = JSON.parse(viaEnv.out);
    assert.deepEqual(pools.map((p: any) => p.metadata.name).sort(), ['analytics', 'orders-etl']);
    assert.match(viaEnv.err, new RegExp(`2 compute pools \\(CMF ${cmf.url}, environment 'prod'\\)`));
    const flagWins = await run(['get', 'orders-etl', ...conn(PROD), '-o', 'yaml'], { env: { CONFLUENT_CMF_URL: 'http://127.0.0.1:1' } });
    assert.equal(flagWins.code, 0, flagWins.err);
    const pool = parseYaml(flagWins.out);
    assert.equal(pool.kind, 'ComputePool');
    assert.equal(pool.spec.type, 'DEDICATED');
    assert.equal(pool.status.phase, 'DEDICATED');
  });

  it('get: a summary naming pool, environment and URL; a missing pool exits 1 naming it', async () => {
    const r = await run(['get', 'interactive', ...conn()]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`^Compute pool 'interactive' in environment '${DEV}' \\(CMF ${cmf.url}\\)\\n`));
    assert.match(r.out, /^ {2}Type:\s+SHARED$/m);
    assert.match(r.out, /^ {2}Phase:\s+RUNNING$/m);
    assert.match(r.out, /^ {2}Image:\s+confluentinc\/cp-flink-sql:1\.19-cp7$/m);
    const missing = await run(['get', 'nope', ...conn()]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /Not found \(HTTP 404\): compute pool 'nope' in environment 'development' does not exist/);
    assert.ok(missing.err.includes(cmf.url));
  });

  it('statements, of an environment or of one pool, with their phases', async () => {
    const all = await run(['statements', ...conn(PROD)]);
    assert.equal(all.code, 0, all.err);
    assert.match(all.out, /^NAME\s+POOL\s+PHASE\s+STOPPED\s+AGE\s+SQL\s+DETAIL$/m);
    assert.match(all.out, /^payments-audit\s+orders-etl\s+STOPPED\s+yes\s+\S+\s+INSERT INTO payments_audit SELECT \* FROM payments WHERE amo…\s+Stopped on request\.$/m);
    assert.match(all.out, /^revenue-dashboard\s+analytics\s+RUNNING/m);
    const one = await run(['statements', '--pool', 'analytics', ...conn(PROD)]);
    assert.match(one.out, new RegExp(`^Statements on compute pool 'analytics' in environment 'prod' \\(CMF ${cmf.url}\\):`));
    assert.ok(!one.out.includes('orders-etl'));
    const json = JSON.parse((await run(['statements', '--pool', 'orders-etl', ...conn(PROD), '-o', 'json'])).out);
    assert.equal(json.length, 3);
  });
});

describe('the environment and the CMF version a pool is checked against', () => {
  /** A dedicated pool on Flink 2.3 with no image of its own: the development environment's defaults supply one (1.19-cp7). */
  const onFlink23 = () =>
    namedSharedPool('flink-23', (p) => {
      p.spec.type = 'DEDICATED';
      delete p.spec.state;
      delete p.spec.clusterSpec.image;
      p.spec.clusterSpec.flinkVersion = 'v2_3';
    });

  it('lint --environment reads the computePoolDefaults and the version from CMF (which wins over --cmf-version)', async () => {
    const f = writePool('flink-23.pool.json', onFlink23());
    const alone = await run(['lint', f]);
    assert.match(alone.out, / warning image-missing /);
    assert.doesNotMatch(alone.out, /flink-version-unsupported/, 'the newest CMF known runs Flink 2.3');
    const r = await run(['lint', f, '--cmf-version', '2.5', ...conn()]);
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.out, /image-missing/, "the environment's defaults supply the image");
    assert.match(r.out, / warning flink-version-unsupported CMF 2\.3\.1 \(the connected CMF\) does not run statements on Flink 2\.3 /);
    // The image comes from the defaults, and is for Flink 1.19: said so, naming where it comes from.
    assert.match(r.out, / warning image-flink-version-mismatch .*\(The value comes from the computePoolDefaults of environment 'development' \(CMF http:\/\/127\.0\.0\.1:\d+\); set it in this file to override it\.\)/);
  });

  it('a CMF that does not say its version: --cmf-version (or the settings) decides', async () => {
    const f = writePool('flink-23b.pool.json', onFlink23());
    cmf.controls.injectFault({ kind: 'status', status: 500, times: 'always', path: '/cmf/api/v1/system-information' });
    const on24 = await run(['lint', f, '--cmf-version', '2.4', ...conn()]);
    assert.match(on24.out, / warning flink-version-unsupported CMF 2\.4 \(cmfPools\.cmfVersion\) does not run statements on Flink 2\.3 /);
    const on25 = await run(['lint', f, '--cmf-version', '2.5', ...conn()]);
    assert.doesNotMatch(on25.out, /flink-version-unsupported/);
  });

  it('lint --environment exits 2 when CMF cannot be read, and names what it needs', async () => {
    const r = await run(['lint', writePool('x.pool.json', namedSharedPool('x')), '--environment', 'nowhere', '--url', cmf.url]);
    assert.equal(r.code, 2);
    assert.match(r.err, /cmf-pools lint: .*nowhere/);
    const noUrl = await run(['lint', 'x.pool.json', '--environment', DEV]);
    assert.equal(noUrl.code, 2);
    assert.match(noUrl.err, /the CMF URL is required/);
  });

  it('apply checks the effective pool for the connected CMF: its version wins over --cmf-version, its defaults count', async () => {
    // 1.19-cp5 ran on CMF 2.2, but this CMF says it is 2.3.1: refused, whatever the flag says.
    const old = writePool('old.pool.json', namedSharedPool('old', (p) => (p.spec.clusterSpec.image = 'confluentinc/cp-flink-sql:1.19-cp5')));
    const r = await run(['apply', '-f', old, '--cmf-version', '2.2', '--yes', ...conn()]);
    assert.equal(r.code, 1);
    assert.match(r.out, /^old\.pool\.json:\d+:\d+ error image-too-old On CMF 2\.3\.1 \(the connected CMF\)/m);
    assert.ok(!cmf.store.pools.get(DEV)!.has('old'));
    // A pool whose memory only the environment would give is checked with the environment's defaults.
    const bare = writePool('bare.pool.json', namedSharedPool('bare', (p) => delete p.spec.clusterSpec.image));
    const created = await run(['apply', '-f', bare, ...conn()]);
    assert.equal(created.code, 0, created.out + created.err);
    assert.doesNotMatch(created.out, /image-missing/);
  });
});

describe('apply', () => {
  it('create (no question asked), unchanged, a dry run of an update, then no update without a terminal or --yes', async () => {
    const f = writePool('web.pool.json', namedSharedPool());
    const created = await run(['apply', '-f', f, ...conn()]);
    assert.equal(created.code, 0, created.err);
    assert.match(created.out, new RegExp(`^Plan for compute pool 'web' in environment '${DEV}' \\(CMF ${cmf.url}\\): create\\n--- /dev/null\\n\\+\\+\\+ web\\.pool\\.json\\n`));
    assert.match(created.out, /Created compute pool 'web' in environment 'development' \(CMF .*\); phase PENDING\./);
    cmf.controls.settle();

    const same = await run(['apply', '-f', f, ...conn()]);
    assert.equal(same.code, 0);
    assert.match(same.out, /: unchanged\nNo changes: the live pool matches web\.pool\.json\./);

    const g = writePool('web2.pool.json', namedSharedPool('web', (p) => (p.spec.clusterSpec.taskManager.resource.memory = '4096m')));
    const dry = await run(['apply', '-f', g, '--dry-run', ...conn()]);
    assert.equal(dry.code, 0, dry.err);
    assert.match(dry.out, /: update\n--- live compute pool 'web' \(environment 'development'\)\n\+\+\+ web2\.pool\.json\n@@ /);
    assert.match(dry.out, /\n-\s+"memory": "2048m"\n\+\s+"memory": "4096m"\n/);
    assert.match(dry.out, /Dry run: nothing was written\.\n$/);

    const noTty = await run(['apply', '-f', g, ...conn()]);
    assert.equal(noTty.code, 1);
    assert.match(noTty.err, /not updating compute pool 'web' in environment 'development' \(CMF .*\): there is no terminal to confirm on\. .*re-run with --yes/);
    assert.equal(cmf.store.pool(DEV, 'web').spec.clusterSpec.taskManager?.resource?.memory, '2048m');

    const yes = await run(['apply', '-f', g, '--yes', '--wait', ...conn()]);
    assert.equal(yes.code, 0, yes.err);
    assert.match(yes.out, /Updated compute pool 'web' in environment 'development' .*; phase PENDING\./);
    assert.match(yes.err, /Waiting for compute pool 'web' in environment 'development' \(CMF .*\) to be RUNNING/);
    assert.match(yes.err, /: PENDING — Redeploying the session cluster\./);
    assert.match(yes.out, /Compute pool 'web' in environment 'development' \(CMF .*\) is RUNNING \(after /);
    assert.equal(cmf.store.pool(DEV, 'web').spec.clusterSpec.taskManager?.resource?.memory, '4096m');
  });

  it('reads a file that starts with a byte order mark as if it had none', async () => {
    writeFileSync(path.join(dir, 'bom.pool.json'), '\ufeff' + JSON.stringify(namedSharedPool('bom'), null, 2));
    const r = await run(['apply', '-f', 'bom.pool.json', ...conn()]);
    assert.equal(r.code, 0, r.out + r.err);
    assert.doesNotMatch(r.out, /invalid-json/);
    assert.ok(cmf.store.pools.get(DEV)!.has('bom'));
  });

  it('reads the file from standard input with -f -', async () => {
    const r = await run(['apply', '-f', '-', ...conn()], { input: JSON.stringify(namedSharedPool('piped')) });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /\+\+\+ <stdin>/);
    assert.ok(cmf.store.pools.get(DEV)!.has('piped'));
  });

  it('refuses lint errors (printed like cmf-pools lint) and a type change, exit 1, nothing written', async () => {
    const bad = writePool('bad.pool.json', namedSharedPool('web', (p) => (p.spec.clusterSpec.image = 'confluentinc/cp-flink-sql:1.19-cp5')));
    const r = await run(['apply', '-f', bad, '--yes', ...conn()]);
    assert.equal(r.code, 1);
    assert.match(r.out, /: refused \(lint errors\)\n/);
    assert.match(r.out, /^bad\.pool\.json:\d+:\d+ error image-too-old /m);
    assert.match(r.out, /bad\.pool\.json has 1 error \(compute pool 'web', environment 'development'\); fix it before applying\./);
    assert.ok(!cmf.store.pools.get(DEV)!.has('web'));

    const dedicated = writePool('type.pool.json', {
      ...namedSharedPool('interactive'),
      spec: { type: 'DEDICATED', clusterSpec: namedSharedPool().spec.clusterSpec },
    });
    const t = await run(['apply', '-f', dedicated, '--yes', ...conn()]);
    assert.equal(t.code, 1);
    assert.match(t.out, /: refused \(spec\.type differs\)\nCompute pool 'interactive' in environment 'development' is SHARED, the file says DEDICATED: spec\.type is immutable/);
  });

  it('refuses a Confluent for Kubernetes FlinkComputePool: CFK owns it, kubectl applies it; nothing is sent to CMF', async () => {
    const f = writePool('cfk.pool.json', cfkSharedPool());
    const r = await run(['apply', '-f', f, '--yes', ...conn()]);
    assert.equal(r.code, 1);
    assert.match(r.err, /cfk\.pool\.json is a FlinkComputePool \(shared-pool\): Confluent for Kubernetes owns that pool .*kubectl apply -f cfk\.pool\.json/);
    assert.equal(r.out, '');
    assert.ok(!cmf.store.pools.get(DEV)!.has('shared-pool'));
  });

  it('YAML: a ComputePool in YAML is created, its diff in YAML; get -o yaml is a file apply takes unchanged; a file of two pools applies both', async () => {
    const yamlFile = path.join(dir, 'yaml-web.pool.yaml');
    writeFileSync(yamlFile, `# made by hand\n${poolText(namedSharedPool('yaml-web'), 'yaml')}`);
    const created = await run(['apply', '-f', 'yaml-web.pool.yaml', ...conn()]);
    assert.equal(created.code, 0, created.err);
    assert.match(created.out, /\+\+\+ yaml-web\.pool\.yaml\n@@ [^\n]+\n\+apiVersion: cmf\.confluent\.io\/v1\n/);
    assert.match(created.out, /\n\+ {8}memory: 2048m\n/);
    cmf.controls.settle();

    const got = await run(['get', 'yaml-web', '-o', 'yaml', ...conn()]);
    assert.equal(got.code, 0, got.err);
    assert.match(got.out, /\nstatus:\n/);
    writeFileSync(path.join(dir, 'got.yaml'), got.out);
    const again = await run(['apply', '-f', 'got.yaml', ...conn()]);
    assert.equal(again.code, 0, again.err);
    // Accepted as it is: the fields CMF sets are warnings (server-managed-field), left out of the comparison.
    assert.match(again.out, /: unchanged\n(?:got\.yaml:\d+:\d+ warning server-managed-field [^\n]+\n)+No changes: the live pool matches got\.yaml\./);

    writeFileSync(path.join(dir, 'two.yaml'), `${poolText(namedSharedPool('a'), 'yaml')}---\n${poolText(namedSharedPool('b'), 'yaml')}`);
    const two = await run(['apply', '-f', 'two.yaml', '--yes', ...conn()]);
    assert.equal(two.code, 0, two.err);
    assert.match(two.out, /: create\n--- \/dev\/null\n\+\+\+ two\.yaml:1\n[\s\S]*: create\n--- \/dev\/null\n\+\+\+ two\.yaml:\d+\n/);
    assert.ok(cmf.store.pools.get(DEV)!.has('a') && cmf.store.pools.get(DEV)!.has('b'));
  });

  it('an update blocked by a statement names it and its phase, exit 1', async () => {
    const live = cmf.store.getPool(DEV, 'interactive', false) as any;
    delete live.status;
    delete live.metadata.uid;
    live.spec.clusterSpec.flinkConfiguration['high-availability.type'] = 'kubernetes';
    live.spec.clusterSpec.flinkConfiguration['high-availability.storageDir'] = 's3://b/i';
    const f = writePool('interactive.pool.json', live);
    const r = await run(['apply', '-f', f, '--yes', ...conn()]);
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.out, /Blocked: CMF refuses to update compute pool 'interactive' in environment 'development' \(CMF .*\) while these statements use it: clicks-per-minute \(RUNNING\)\./);
  });
});

describe('suspend, resume, delete', () => {
  it('suspend: a dedicated pool and a blocked pool are refused (exit 1); resume --wait follows the pool to RUNNING', async () => {
    const d = await run(['suspend', 'orders-etl', ...conn(PROD)]);
    assert.equal(d.code, 1);
    assert.match(d.err, /Compute pool 'orders-etl' in environment 'prod' is DEDICATED: only SHARED pools can be suspended .*\(CMF http/);
    const b = await run(['suspend', 'interactive', ...conn()]);
    assert.equal(b.code, 1);
    assert.match(b.err, /cannot be suspended: a statement blocks it: clicks-per-minute \(RUNNING\)/);
    const r = await run(['resume', 'sandbox', '--wait', ...conn()]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Compute pool 'sandbox' in environment 'development': resuming \(phase PENDING\)\. \(CMF http/);
    assert.match(r.out, /is RUNNING \(after /);
    const again = await run(['resume', 'sandbox', ...conn()]);
    assert.equal(again.code, 0);
    assert.match(again.out, /already running/);
  });

  it('delete: blocked names statements and phases; no terminal and no --yes refuses; --yes deletes', async () => {
    const blocked = await run(['delete', 'orders-etl', '--yes', ...conn(PROD)]);
    assert.equal(blocked.code, 1);
    assert.match(blocked.err, /compute pool 'orders-etl' in environment 'prod' \(CMF .*\) cannot be deleted: these statements use it: fraud-scoring \(FAILING\), orders-enrichment \(RUNNING\), payments-audit \(STOPPED\)/);
    const forced = await run(['delete', 'orders-etl', '--force', '--yes', ...conn(PROD)]);
    assert.equal(forced.code, 1);
    assert.match(forced.err, /not even with --force: force=true does not skip the in-use check/);

    const noTty = await run(['delete', 'sandbox', ...conn()]);
    assert.equal(noTty.code, 1);
    assert.match(noTty.err, /not deleting compute pool 'sandbox' in environment 'development' \(CMF .*\): there is no terminal to confirm on\. Re-run with --yes/);
    assert.ok(cmf.store.pools.get(DEV)!.has('sandbox'));
    const yes = await run(['delete', 'sandbox', '--yes', ...conn()]);
    assert.equal(yes.code, 0, yes.err);
    assert.match(yes.out, /Compute pool 'sandbox' in environment 'development' is being deleted\. \(CMF http/);
    assert.ok(!cmf.store.pools.get(DEV)!.has('sandbox'));
  });

  it('while the cluster is DISCONNECTED: delete fails with the 503 explained (exit 1); --force --yes removes the metadata', async () => {
    cmf.store.createPool(DEV, namedSharedPool());
    cmf.controls.settle();
    cmf.controls.setEnvironmentClusterState(DEV, 'DISCONNECTED');
    const r = await run(['delete', 'web', '--yes', ...conn()]);
    assert.equal(r.code, 1);
    assert.match(r.err, /HTTP 503.*DISCONNECTED.*force=true/s);
    const f = await run(['delete', 'web', '--force', '--yes', ...conn()]);
    assert.equal(f.code, 0, f.err);
    assert.match(f.out, /removed from CMF's metadata \(force=true\); its session cluster may still be running on Kubernetes/);
  });
});

describe('on a terminal (in process, scripted answers)', () => {
  function io(answers: boolean[]): CliIo & { text: string; questions: string[] } {
    const o = {
      text: '',
      questions: [] as string[],
      out: (t: string) => void (o.text += t),
      err: (t: string) => void (o.text += t),
      readStdin: async () => '',
      cwd: dir,
      env: {},
      interactive: true,
      confirm: async (q: string) => {
        o.questions.push(q);
        return answers.shift() ?? false;
      },
    };
    return o;
  }

  it('apply asks before an update and does nothing on "no"; delete asks, and the force question says what force=true skips', async () => {
    cmf.store.createPool(DEV, namedSharedPool());
    cmf.controls.settle();
    const f = writePool('tty.pool.json', namedSharedPool('web', (p) => (p.spec.clusterSpec.taskManager.resource.memory = '3072m')));
    const no = io([false]);
    assert.equal(await main(['apply', '-f', f, ...conn()], no), 1);
    assert.deepEqual(no.questions, [`Update compute pool 'web' in environment '${DEV}' at ${cmf.url}?`]);
    assert.match(no.text, /Not updated: compute pool 'web' in environment 'development' \(CMF .*\) is unchanged\./);
    const yes = io([true]);
    assert.equal(await main(['apply', '-f', f, ...conn()], yes), 0, yes.text);
    assert.equal(cmf.store.pool(DEV, 'web').spec.clusterSpec.taskManager?.resource?.memory, '3072m');

    cmf.controls.settle();
    const del = io([false, true]);
    assert.equal(await main(['delete', 'web', '--force', ...conn()], del), 1);
    assert.match(del.questions[0], /^Force-delete SHARED compute pool 'web' from environment 'development' at http.*force=true.*metadata only and its session cluster may be left running\.$/);
    assert.equal(await main(['delete', 'web', '--force', ...conn()], del), 0, del.text);
    assert.ok(!cmf.store.pools.get(DEV)!.has('web'));
  });
});

describe('credentials', () => {
  let secured: LocalCmf;
  before(async () => {
    secured = await startLocalCmf({ token: TOKEN });
  });
  after(async () => {
    await secured.close();
  });

  it('the token comes from CMF_POOLS_TOKEN; a wrong one is a 401 that does not print it', async () => {
    const ok = await run(['list', '--url', secured.url, '--environment', DEV], { env: { CMF_POOLS_TOKEN: TOKEN } });
    assert.equal(ok.code, 0, ok.err);
    assert.ok(!ok.out.includes(TOKEN) && !ok.err.includes(TOKEN));
    const none = await run(['list', '--url', secured.url, '--environment', DEV]);
    assert.equal(none.code, 1);
    assert.match(none.err, /HTTP 401.*no token is configured/);
    const wrong = await run(['delete', 'sandbox', '--yes', '--url', secured.url, '--environment', DEV], { env: { CMF_POOLS_TOKEN: `${TOKEN}-x` } });
    assert.equal(wrong.code, 1);
    assert.match(wrong.err, /HTTP 401/);
    assert.ok(!wrong.err.includes(TOKEN) && !wrong.out.includes(TOKEN));
  });
});

const opensslAvailable = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('HTTPS and mTLS', { skip: !opensslAvailable && 'openssl is not installed' }, () => {
  let pki: string;
  let https: LocalCmf;
  let mtls: LocalCmf;
  const file = (f: string) => path.join(pki, f);

  before(async () => {
    pki = mkdtempSync(path.join(tmpdir(), 'cmf-pools-pki-'));
    const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: pki, stdio: 'pipe' });
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    ssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=cmf-pools CLI test CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
    for (const [name, usage, san] of [['server', 'serverAuth', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], ['client', 'clientAuth', '']]) {
      ssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name === 'server' ? '127.0.0.1' : 'cmf-pools-cli'}`);
      writeFileSync(file(`${name}.ext`), `extendedKeyUsage=${usage}\nkeyUsage=critical,digitalSignature\n${san}\n`);
      ssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', String(Date.now()), '-days', '2', '-out', `${name}.crt`, '-extfile', `${name}.ext`);
    }
    const read = (f: string) => readFileSync(file(f));
    https = await startLocalCmf({ tls: { key: read('server.key'), cert: read('server.crt') } });
    mtls = await startLocalCmf({ tls: { key: read('server.key'), cert: read('server.crt'), ca: read('ca.crt'), requestClientCert: true } });
  });
  after(async () => {
    await https?.close();
    await mtls?.close();
    if (pki) rmSync(pki, { recursive: true, force: true });
  });

  it('HTTPS with the CA from the flag or its variable; without it, a TLS error that says what to set', async () => {
    const flag = await run(['list', '--url', https.url, '--environment', DEV, '--certificate-authority-path', file('ca.crt')]);
    assert.equal(flag.code, 0, flag.err);
    assert.match(flag.out, new RegExp(`Compute pools in environment 'development' \\(CMF ${https.url}\\)`));
    const variable = await run(['get', 'interactive', '--url', https.url, '--environment', DEV], { env: { CONFLUENT_CMF_CERTIFICATE_AUTHORITY_PATH: file('ca.crt') } });
    assert.equal(variable.code, 0, variable.err);
    const untrusted = await run(['list', '--url', https.url, '--environment', DEV]);
    assert.equal(untrusted.code, 1);
    assert.match(untrusted.err, /TLS error: the certificate of 127\.0\.0\.1:\d+ is not trusted.*--certificate-authority-path/);
  });

  it('mTLS with a client certificate and key; a missing key fails clearly, before any request', async () => {
    const tlsArgs = ['--url', mtls.url, '--environment', PROD, '--certificate-authority-path', file('ca.crt')];
    const ok = await run(['statements', ...tlsArgs, '--client-cert-path', file('client.crt'), '--client-key-path', file('client.key')]);
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /orders-enrichment/);
    const viaEnv = await run(['list', ...tlsArgs], { env: { CONFLUENT_CMF_CLIENT_CERT_PATH: file('client.crt'), CONFLUENT_CMF_CLIENT_KEY_PATH: file('client.key') } });
    assert.equal(viaEnv.code, 0, viaEnv.err);

    const noKey = await run(['list', ...tlsArgs, '--client-cert-path', file('client.crt')]);
    assert.equal(noKey.code, 2);
    assert.match(noKey.err, /a client certificate is set \(--client-cert-path\) but no client key: mTLS needs both\. Set --client-key-path or CONFLUENT_CMF_CLIENT_KEY_PATH\./);
    const missingKey = await run(['list', ...tlsArgs, '--client-cert-path', file('client.crt'), '--client-key-path', file('nope.key')]);
    assert.equal(missingKey.code, 2);
    assert.match(missingKey.err, /Cannot read the client key file '.*nope\.key' \(--client-key-path\): no such file/);
    const wrongKey = await run(['list', ...tlsArgs, '--client-cert-path', file('client.crt'), '--client-key-path', file('server.key')]);
    assert.equal(wrongKey.code, 2);
    assert.match(wrongKey.err, /the client key '.*server\.key' does not belong to the client certificate/);
    const noCert = await run(['list', ...tlsArgs]);
    assert.equal(noCert.code, 1);
    assert.match(noCert.err, /TLS error.*client certificate/i);
  });
});
