/**
 * The CLI as an npm package, as a user gets it: `scripts/pack-cli.mjs` packs it with `npm pack`, and the tarball is
 * installed with `npm install -g --prefix <tmp>` offline with an empty cache (it has no dependency to fetch), and run
 * with `npx <tarball>`, outside this repository, with Node alone on the PATH. Then the README's CI recipes with the
 * installed binary: the GitHub Actions job's lint command (its SARIF against the schema) and the pre-commit hook's
 * entry on the staged files of a git repository. And the root's `npm pack`, which pre-commit uses to install the hook
 * from this repository.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { COMMANDS } from '../../cli/src/commands';
import { poolText } from '../../language-service/src/index';
import { cfkSharedPool, dedicatedPool, sharedPool, text } from '../pools';

const ROOT = path.resolve(__dirname, '../..');
const ROOT_PKG = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; scripts: Record<string, string> };
const NODE_DIR = path.dirname(process.execPath);
const gitAvailable = spawnSync('git', ['--version']).status === 0;

let tmp: string;
let tarball: string;
let prefix: string;
let bin: string;
/** npm, offline, with an empty cache and no user configuration: anything it would fetch fails. */
let npmArgs: string[];

/** Runs the installed binary with Node alone on the PATH, no NODE_PATH, in `cwd`. */
function installed(args: string[], cwd: string, input?: string) {
  const r = spawnSync(bin, args, { cwd, input, encoding: 'utf8', env: { PATH: NODE_DIR, HOME: tmp } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

before(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'cmf-pools-package-'));
  const out = path.join(tmp, 'out');
  tarball = execFileSync(process.execPath, [path.join(ROOT, 'scripts/pack-cli.mjs'), '--out', out], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop()!;
  writeFileSync(path.join(tmp, 'npmrc'), '');
  npmArgs = ['--offline', '--registry', 'http://127.0.0.1:9/', '--cache', path.join(tmp, 'cache'), '--userconfig', path.join(tmp, 'npmrc'), '--no-audit', '--no-fund'];
  prefix = path.join(tmp, 'prefix');
  execFileSync('npm', ['install', '-g', '--prefix', prefix, ...npmArgs, tarball], { cwd: tmp, encoding: 'utf8', stdio: 'pipe' });
  bin = path.join(prefix, 'bin', 'cmf-pools');
});
after(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('the npm package', () => {
  it('holds the allow-listed files and nothing else: the bundle, the data it reads, the schemas, README and LICENSE', () => {
    assert.equal(path.basename(tarball), `cmf-pools-${ROOT_PKG.version}.tgz`);
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n').sort();
    assert.deepEqual(files, [
      'package/LICENSE',
      'package/README.md',
      'package/dist/cli.js',
      'package/dist/data/compute-pool.schema.json.br',
      'package/dist/data/flink-compute-pool.schema.json.br',
      'package/dist/data/flink-options-1.19.json.br',
      'package/dist/data/flink-options-1.20.json.br',
      'package/dist/data/flink-options-2.0.json.br',
      'package/package.json',
      'package/schemas/compute-pool.schema.json',
      'package/schemas/flink-compute-pool.schema.json',
    ]);
    const manifest = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }));
    assert.equal(manifest.name, 'cmf-pools');
    assert.equal(manifest.version, ROOT_PKG.version);
    assert.deepEqual(manifest.bin, { 'cmf-pools': 'dist/cli.js' });
    assert.deepEqual(manifest.engines, { node: '>=20' });
    for (const key of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies', 'scripts']) assert.equal(manifest[key], undefined, key);
    assert.equal(execFileSync('tar', ['-xzOf', tarball, 'package/README.md'], { encoding: 'utf8' }), readFileSync(path.join(ROOT, 'cli/README.md'), 'utf8'));
  });

  it('needs no runtime dependency: the bundle requires Node\'s modules only, and ajv only where a bundle has no precompiled validator', () => {
    const bundle = readFileSync(path.join(prefix, 'lib/node_modules/cmf-pools/dist/cli.js'), 'utf8');
    assert.match(bundle, /^#!\/usr\/bin\/env node\n/);
    assert.doesNotMatch(bundle, /sourceMappingURL/, 'the source map is not shipped, nor pointed to');
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`), 'node:sqlite']);
    const required = new Set([...bundle.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!).filter((m) => !builtins.has(m)));
    // 'ajv/dist/runtime/…' appears in the precompiled validator's code strings; ajv itself is required only to compile
    // the schema when no precompiled validator is bundled, never in the CLI (the lint below proves it, without ajv).
    assert.deepEqual([...required].filter((m) => !m.startsWith('ajv/dist/runtime/')), ['ajv']);
    assert.ok(!existsSync(path.join(prefix, 'lib/node_modules/cmf-pools/node_modules')), 'nothing was installed beside it');
    assert.deepEqual(readdirSync(path.join(prefix, 'lib/node_modules')), ['cmf-pools']);
  });

  it('the installed binary lints files outside this repository as dist/cli.js does, JSON and multi-document YAML', () => {
    const work = path.join(tmp, 'work');
    mkdirSync(work);
    copyFileSync(path.join(ROOT, 'examples/bad/shared-bad.pool.json'), path.join(work, 'shared-bad.pool.json'));
    const cfk = cfkSharedPool();
    cfk.spec.clusterSpec.serviceAccount = 'flink';
    writeFileSync(path.join(work, 'flink.yaml'), `apiVersion: platform.confluent.io/v1beta1\nkind: FlinkEnvironment\nmetadata: {name: e}\n---\n${poolText(cfk, 'yaml')}`);
    const r = installed(['lint', 'shared-bad.pool.json', 'flink.yaml'], work);
    assert.equal(r.code, 1, r.err);
    const repoBuild = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'lint', 'shared-bad.pool.json', 'flink.yaml'], { cwd: work, encoding: 'utf8' });
    assert.equal(r.out, repoBuild.stdout);
    assert.match(r.out, /^shared-bad\.pool\.json:35:9 warning schema\/additionalProperties Unknown property "replica"/m, 'the schema is checked (its precompiled validator)');
    assert.match(r.out, /^flink\.yaml:\d+:5 error forbidden-field /m);
    assert.match(r.out, /^16 problems \(7 errors, 5 warnings, 4 info, 0 hints\) in 2 files\.$/m);
    assert.equal(installed(['--version'], work).out, `${ROOT_PKG.version}\n`);
    assert.equal(installed(['lint', '-'], work, text(dedicatedPool())).out, 'No problems in 1 file.\n');
  });

  it('runs with npx <tarball>, offline', () => {
    const r = spawnSync('npm', ['exec', ...npmArgs, '--cache', path.join(tmp, 'npx-cache'), '--yes', '--package', tarball, '--', 'cmf-pools', '--version'], {
      cwd: tmp,
      encoding: 'utf8',
      env: { PATH: `${NODE_DIR}:${process.env.PATH}`, HOME: tmp },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `${ROOT_PKG.version}\n`);
  });

  it('its README names every command', () => {
    const readme = readFileSync(path.join(ROOT, 'cli/README.md'), 'utf8');
    for (const c of COMMANDS) assert.match(readme, new RegExp(`\`${c.name}[ \`]`), c.name);
  });
});

/** The fenced ```yaml blocks of a Markdown file. */
const yamlBlocks = (file: string) => [...readFileSync(file, 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

/** A git repository of pool files: a bad shared pool, a clean dedicated one in YAML, and files that are no pools. */
function gitRepo(name: string): string {
  const dir = path.join(tmp, name);
  mkdirSync(path.join(dir, 'pools', 'prod'), { recursive: true });
  const bad = sharedPool();
  bad.spec.clusterSpec.image = 'confluentinc/cp-flink-sql:1.19-cp5';
  writeFileSync(path.join(dir, 'pools', 'shared.pool.json'), text(bad));
  writeFileSync(path.join(dir, 'pools', 'prod', 'dedicated.yaml'), poolText(dedicatedPool(), 'yaml'));
  writeFileSync(path.join(dir, 'package.json'), '{"name": "app", "version": "1.0.0"}');
  writeFileSync(path.join(dir, 'values.yaml'), 'replicas: 2\n');
  execFileSync('git', ['init', '-q'], { cwd: dir });
  return dir;
}

describe('the README\'s CI recipes, with the installed binary', { skip: !gitAvailable && 'git is not installed' }, () => {
  it('the GitHub Actions job: checkout, setup-node, the lint command, upload-sarif; its SARIF is valid SARIF 2.1.0', () => {
    const blocks = yamlBlocks(path.join(ROOT, 'README.md'));
    const job = blocks.map((b) => parseYaml(b)).find((y) => y?.jobs)?.jobs['compute-pools'];
    assert.ok(job, 'the README shows the job');
    assert.deepEqual(job.permissions, { contents: 'read', 'security-events': 'write' });
    const uses = job.steps.map((s: { uses?: string }) => s.uses).filter(Boolean);
    assert.deepEqual(uses, ['actions/checkout@v4', 'actions/setup-node@v4', 'github/codeql-action/upload-sarif@v3']);
    assert.equal(job.steps[1].with['node-version'], 20);
    const lint = job.steps.find((s: { run?: string }) => s.run).run as string;
    assert.equal(lint, `npx --yes cmf-pools@${ROOT_PKG.version} lint --format sarif . > cmf-pools.sarif`);
    const upload = job.steps.at(-1);
    assert.equal(upload.with.sarif_file, 'cmf-pools.sarif');
    assert.equal(upload.if, 'always()', 'the SARIF is uploaded when lint exits 1');
    // The step, with the installed binary for npx (the package is not published from here), in a checkout.
    const dir = gitRepo('actions');
    const r = spawnSync('bash', ['-c', lint.replace(`npx --yes cmf-pools@${ROOT_PKG.version}`, bin)], { cwd: dir, encoding: 'utf8', env: { PATH: `${NODE_DIR}:/usr/bin:/bin`, HOME: tmp } });
    assert.equal(r.status, 1, r.stderr);
    type Log = { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    const log = JSON.parse(readFileSync(path.join(dir, 'cmf-pools.sarif'), 'utf8')) as Log;
    const ajv = new AjvDraft04({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8')));
    assert.ok(validate(log), JSON.stringify(validate.errors));
    assert.deepEqual(log.runs[0]!.results.map((x) => `${x.locations[0]!.physicalLocation.artifactLocation.uri} ${x.ruleId}`), ['pools/shared.pool.json image-too-old']);
    // cli/README.md shows the same job and hook.
    const cliBlocks = yamlBlocks(path.join(ROOT, 'cli/README.md'));
    assert.deepEqual(cliBlocks, blocks.filter((b) => cliBlocks.includes(b)));
    assert.equal(cliBlocks.length, 2);
  });

  /** Runs a hook's entry as pre-commit does: on the staged files its `files` pattern matches, after the entry's own arguments. */
  function runHook(hook: { entry: string; files: string }, dir: string) {
    const staged = execFileSync('git', ['diff', '--cached', '--name-only', '--diff-filter=ACMR', '-z'], { cwd: dir, encoding: 'utf8' }).split('\0').filter(Boolean);
    const files = staged.filter((f) => new RegExp(hook.files).test(f));
    const [command, ...args] = hook.entry.split(' ');
    assert.equal(command, 'cmf-pools');
    const r = spawnSync(bin, [...args, ...files], { cwd: dir, encoding: 'utf8', env: { PATH: NODE_DIR, HOME: tmp } });
    return { code: r.status, out: r.stdout, err: r.stderr, files };
  }

  it('.pre-commit-hooks.yaml: a node hook whose entry fails on a staged pool with an error, and passes on clean or non-pool files', () => {
    const hooks = parseYaml(readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8'));
    assert.equal(hooks.length, 1);
    const hook = hooks[0];
    assert.equal(hook.id, 'cmf-pools-lint');
    assert.equal(hook.language, 'node');
    assert.equal(hook.entry, 'cmf-pools lint --pools-only');
    const dir = gitRepo('hook');
    execFileSync('git', ['add', 'pools/prod/dedicated.yaml', 'package.json', 'values.yaml'], { cwd: dir });
    const clean = runHook(hook, dir);
    assert.deepEqual(clean.files.sort(), ['package.json', 'pools/prod/dedicated.yaml', 'values.yaml'], 'every staged JSON and YAML file is passed');
    assert.equal(clean.code, 0, clean.out + clean.err);
    assert.match(clean.out, /^No problems in 1 file\.\n/);
    // The bad pool, not staged: not checked.
    assert.doesNotMatch(clean.out, /shared\.pool\.json/);
    execFileSync('git', ['add', 'pools/shared.pool.json'], { cwd: dir });
    const bad = runHook(hook, dir);
    assert.equal(bad.code, 1);
    assert.match(bad.out, /^pools\/shared\.pool\.json:\d+:\d+ error image-too-old /m);
    assert.doesNotMatch(bad.out, /package\.json|values\.yaml/);
    // Only files that are no pools staged: nothing to check is fine.
    execFileSync('git', ['reset', '-q'], { cwd: dir });
    execFileSync('git', ['add', 'package.json', 'values.yaml'], { cwd: dir });
    const none = runHook(hook, dir);
    assert.equal(none.code, 0, none.err);
    assert.equal(none.out, 'No compute-pool files among the 2 files given.\n');
  });

  it('the README\'s local hook is the same hook, with the package from npm', () => {
    const local = yamlBlocks(path.join(ROOT, 'README.md')).map((b) => parseYaml(b)).find((y) => y?.repos)?.repos[0];
    assert.equal(local.repo, 'local');
    const hook = local.hooks[0];
    const shipped = parseYaml(readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8'))[0];
    for (const key of ['id', 'name', 'language', 'entry', 'files']) assert.equal(hook[key], shipped[key], key);
    assert.deepEqual(hook.additional_dependencies, [`cmf-pools@${ROOT_PKG.version}`]);
  });
});

describe('the repository as pre-commit installs it', () => {
  it('npm pack of the root holds the CLI and its data only (.npmignore); prepack builds it; .npmrc keeps npm pack\'s output to the tarball\'s name', () => {
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const files = (JSON.parse(r.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path).sort();
    assert.deepEqual(files, [
      'LICENSE',
      'README.md',
      'dist/cli.js',
      'dist/data/compute-pool.schema.json.br',
      'dist/data/flink-compute-pool.schema.json.br',
      'dist/data/flink-options-1.19.json.br',
      'dist/data/flink-options-1.20.json.br',
      'dist/data/flink-options-2.0.json.br',
      'package.json',
      'schemas/compute-pool.schema.json',
      'schemas/flink-compute-pool.schema.json',
    ]);
    assert.equal(ROOT_PKG.scripts.prepack, 'node scripts/build.mjs');
    // pre-commit takes npm pack's whole standard output for the tarball's name: a script's banner there breaks it.
    const probe = path.join(tmp, 'probe');
    mkdirSync(probe);
    writeFileSync(path.join(probe, 'package.json'), JSON.stringify({ name: 'probe', version: '1.0.0', scripts: { prepack: 'echo building' } }));
    const loud = spawnSync('npm', ['pack', '--userconfig', path.join(tmp, 'npmrc')], { cwd: probe, encoding: 'utf8' });
    assert.equal(loud.status, 0, loud.stderr);
    assert.notEqual(loud.stdout, 'probe-1.0.0.tgz\n', 'without the setting, npm pack prints the script\'s output (else this check is moot)');
    copyFileSync(path.join(ROOT, '.npmrc'), path.join(probe, '.npmrc'));
    const quiet = spawnSync('npm', ['pack', '--userconfig', path.join(tmp, 'npmrc')], { cwd: probe, encoding: 'utf8' });
    assert.equal(quiet.status, 0, quiet.stderr);
    assert.equal(quiet.stdout, 'probe-1.0.0.tgz\n');
  });
});
