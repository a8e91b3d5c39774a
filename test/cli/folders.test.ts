/**
 * `cmf-pools lint DIR` on whole repositories, with the built dist/cli.js: nested pools in JSON and YAML (and in
 * multi-document files beside other Kubernetes resources), node_modules and .git never entered, .gitignore files
 * obeyed as git obeys them (checked against `git ls-files` on the same tree), and "No compute-pool files found".
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { poolText } from '../../language-service/src/index';
import { cfkSharedPool, dedicatedPool, sharedPool, text } from '../pools';
import { tempFolders } from './temp';

/** Temporary folders, removed when the file's tests are done. */
const temp = tempFolders();

const CLI = path.resolve(__dirname, '../../dist/cli.js');

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Writes files (path -> content) under `root`, making folders. */
function tree(root: string, files: Record<string, string>): void {
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
}

/** The files `lint --format json` checked. */
function checked(args: string[], cwd: string): string[] {
  const r = run(['lint', '--format', 'json', ...args], cwd);
  assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.err}`);
  return (JSON.parse(r.out) as { file: string }[]).map((f) => f.file);
}

const gitAvailable = spawnSync('git', ['--version']).status === 0;

describe('lint of a repository', () => {
  let repo: string;
  const badShared = () => {
    const p = sharedPool();
    p.spec.clusterSpec.image = 'confluentinc/cp-flink-sql:1.19-cp5';
    return p;
  };
  before(() => {
    repo = temp('cmf-pools-repo-');
    const cfk = cfkSharedPool();
    cfk.spec.clusterSpec.serviceAccount = 'flink';
    tree(repo, {
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.git/pool.json': text(dedicatedPool()),
      'pools/dev/shared.pool.json': text(badShared()),
      'pools/prod/dedicated.json': text(dedicatedPool()), // a pool by its kind, whatever its name
      'pools/prod/notes.json': '{"kind": "Notes", "text": "not a pool"}',
      'k8s/flink.yaml': `apiVersion: platform.confluent.io/v1beta1\nkind: FlinkEnvironment\nmetadata: {name: env1}\n---\n${poolText(cfk, 'yaml')}`,
      'k8s/deployment.yml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n',
      'package.json': '{"name": "x", "kind": "ComputePool-ish"}',
      'node_modules/lib/pool.json': text(badShared()),
      'build/.gitignore': '',
      'build/out.pool.json': text(badShared()),
      'README.md': '# ComputePool files live in pools/\n',
      '.gitignore': 'build/\n*.tmp.json\n',
      'pools/dev/scratch.tmp.json': text(badShared()),
    });
  });

  it('finds the pools in nested folders, by kind or by name, and checks each pool of a multi-document file', () => {
    const r = run(['lint', '.'], repo);
    assert.equal(r.code, 1, r.err);
    assert.match(r.out, /^pools\/dev\/shared\.pool\.json:\d+:\d+ error image-too-old /m);
    assert.match(r.out, /^k8s\/flink\.yaml:\d+:\d+ error forbidden-field Remove clusterSpec\.serviceAccount/m);
    // The CFK pool keeps no checkpoints: INSERT readiness and state across stop and resume are infos on it.
    assert.match(r.out, /^k8s\/flink\.yaml:\d+:\d+ info insert-needs-checkpointing /m);
    assert.match(r.out, /\n5 problems \(2 errors, 0 warnings, 3 info, 0 hints\) in 3 files\.\n3 files found but skipped: not compute pools /);
    assert.deepEqual(checked(['.'], repo), ['k8s/flink.yaml', 'pools/dev/shared.pool.json', 'pools/prod/dedicated.json']);
    // The same from a sub-folder and by absolute path: paths as given, joined with what was found.
    assert.deepEqual(checked(['pools'], repo), ['pools/dev/shared.pool.json', 'pools/prod/dedicated.json']);
    assert.deepEqual(checked([path.join(repo, 'pools', 'prod')], repo), [path.join(repo, 'pools', 'prod', 'dedicated.json')]);
  });

  it('never enters node_modules or .git, and skips what .gitignore ignores, also from a folder below it', () => {
    const all = checked(['.'], repo);
    for (const f of all) assert.doesNotMatch(f, /node_modules|\.git\/|build\/|\.tmp\.json$/, f);
    // pools/dev/scratch.tmp.json is ignored by the root's .gitignore, also when only pools/dev is walked.
    assert.deepEqual(checked(['pools/dev'], repo), ['pools/dev/shared.pool.json']);
    // Named directly, an ignored file is checked, and an ignored folder is walked.
    assert.deepEqual(checked(['pools/dev/scratch.tmp.json'], repo), ['pools/dev/scratch.tmp.json']);
    assert.deepEqual(checked(['build'], repo), ['build/out.pool.json']);
  });

  it('combines folders, files and globs, each file once', () => {
    assert.deepEqual(checked(['pools', 'pools/dev/shared.pool.json', 'k8s/*.yaml'], repo), ['pools/dev/shared.pool.json', 'pools/prod/dedicated.json', 'k8s/flink.yaml']);
  });

  it('says "No compute-pool files found" (exit 2) for a folder without pools, in every format', () => {
    tree(repo, { 'docs/api.json': '{"openapi": "3.0.0"}', 'docs/deep/values.yaml': 'replicas: 2\n' });
    for (const format of ['text', 'json', 'sarif', 'github']) {
      const r = run(['lint', '--format', format, 'docs'], repo);
      assert.equal(r.code, 2, format);
      assert.match(r.err, /^cmf-pools lint: No compute-pool files found in docs \(2 JSON or YAML files looked at: none holds a ComputePool or FlinkComputePool, or matches cmfPools\.files\)\.\n$/, format);
      assert.doesNotMatch(r.out, /No problems/, format);
    }
    assert.equal(JSON.parse(run(['lint', '--format', 'json', 'docs'], repo).out).length, 0);
  });

  it('cmfPools.files from .vscode/settings.json makes files pools by their name in a walk, as in the editor', () => {
    const ws = temp('cmf-pools-ws-files-');
    tree(ws, {
      '.vscode/settings.json': '{ "cmfPools.files": ["**/compute/*.json"] }',
      'compute/a.json': JSON.stringify({ apiVersion: 'cmf.confluent.io/v1', metadata: { name: 'a' }, spec: { type: 'DEDICATED', clusterSpec: {} } }),
      'other/b.json': '{"metadata": {"name": "b"}}',
    });
    assert.deepEqual(checked(['.'], ws), ['compute/a.json']);
  });
});

describe('.gitignore, as git reads it', { skip: !gitAvailable && 'git is not installed' }, () => {
  it('a walk finds exactly the JSON and YAML files `git ls-files --others --exclude-standard` lists', () => {
    const repo = temp('cmf-pools-gitignore-');
    const pool = text(dedicatedPool());
    const files = [
      'a.pool.json', 'b.pool.yaml', 'c.pool.yml', 'keep.pool.json',
      'logs/x.pool.json', 'logs/important.pool.json',
      'nested/deep/d.pool.json', 'nested/deep/e.pool.json', 'nested/skip-me/f.pool.json',
      'only-root.pool.json', 'sub/only-root.pool.json',
      'generated/g.pool.json', 'src/generated/h.pool.json',
      'doc/i.pool.json', 'doc/inner/j.pool.json',
      '#hash.pool.json', ' leading.pool.json', 'trailing.pool.json',
      'star/k.pool.json', 'star/sub/l.pool.json',
      'excluded-by-info.pool.json', 'ws/m.pool.json', 'ws/n.pool.json', 'dir.pool.json/o.pool.json',
      'UPPER.POOL.JSON', 'q.pool.jsonc', 'tmp/x/y/z.pool.json',
    ];
    tree(repo, Object.fromEntries(files.map((f) => [f, pool])));
    tree(repo, {
      '.gitignore': [
        '# a comment',
        'logs/',
        '!logs/important.pool.json', // cannot re-include: its folder is excluded
        '/only-root.pool.json', // anchored
        'generated', // any depth
        'doc/**/*.pool.json',
        '\\#hash.pool.json',
        'trailing.pool.json   ',
        'star/*',
        '!star/sub/',
        '*.POOL.JSON',
        'dir.pool.json/',
        'tmp/**',
        '',
      ].join('\n'),
      'nested/.gitignore': 'skip-me/\n*.pool.json\n!e.pool.json\n',
      'nested/deep/.gitignore': '!d.pool.json\n',
      'ws/.gitignore': 'm.pool.json\n',
    });
    execFileSync('git', ['init', '-q'], { cwd: repo });
    writeFileSync(path.join(repo, '.git', 'info', 'exclude'), 'excluded-by-info.pool.json\n');
    const gitSees = execFileSync('git', ['ls-files', '--others', '--exclude-standard', '-z'], { cwd: repo, encoding: 'utf8' })
      .split('\0')
      .filter((f) => /\.(json|jsonc|ya?ml)$/i.test(f))
      .sort();
    const weSee = checked(['.'], repo).sort();
    assert.deepEqual(weSee, gitSees);
    // And the cases are real: some of each kind are in, some out.
    for (const f of ['a.pool.json', 'nested/deep/d.pool.json', 'nested/deep/e.pool.json', 'sub/only-root.pool.json', ' leading.pool.json', 'star/sub/l.pool.json', 'ws/n.pool.json', 'q.pool.jsonc']) assert.ok(weSee.includes(f), `${f} is checked`);
    for (const f of ['logs/important.pool.json', 'only-root.pool.json', 'src/generated/h.pool.json', 'doc/inner/j.pool.json', '#hash.pool.json', 'trailing.pool.json', 'star/k.pool.json', 'excluded-by-info.pool.json', 'UPPER.POOL.JSON', 'ws/m.pool.json', 'tmp/x/y/z.pool.json', 'nested/skip-me/f.pool.json']) {
      assert.ok(!weSee.includes(f), `${f} is ignored`);
    }
  });
});
