/**
 * Try with a local CMF: runs the local CMF (the extension's `dist/local-cmf.js`, the product build, without
 * test controls) in a process of its own on 127.0.0.1 with the demo data, and adds a connection to it for
 * this session only — its port is random, so it is not written to settings. Stopping it removes the
 * connection and ends the process; so does deactivation, and the process also ends by itself when the
 * extension host goes away (it watches its IPC channel). No vscode import.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { ConnectionConfig } from '../connections/config';
import { reportFailure, type CommandContext } from './context';

/**
 * The environment to select in the local CMF's demo data (`--seed demo`): the extension runs the local CMF as a
 * program and does not import it; test/client/local-cmf-process.test.ts checks that the demo has this environment.
 */
export const DEMO_ENVIRONMENT = 'development';

export interface LocalCmfSessionOptions {
  /** The local CMF to run: the extension's `dist/local-cmf.js` (`context.asAbsolutePath`). */
  script: string;
  /** How long pools and statements stay PENDING (`--phase-delay-ms`); the local CMF's default when unset. */
  phaseDelayMs?: number;
  /** How long to wait for the URL on its first line of output. Default 15 s. */
  startTimeoutMs?: number;
}

/** A local CMF running in a child process. */
export interface LocalCmfProcess {
  url: string;
  child: ChildProcess;
  /** Resolves when the process has exited (with its code, or the signal that ended it). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const DEFAULT_START_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 3_000;
/** The URL it prints: loopback only. */
const URL_LINE = /^https?:\/\/(127\.0\.0\.1|\[::1\]|localhost):\d{1,5}$/;

/**
 * Starts `node <script> <args>` (its environment: this one's, plus `env`) and waits for the URL it prints
 * as its first line on stdout. Lines on stderr go to `onStderr`. Rejects with an error that says what
 * happened (with the last lines it wrote on stderr) when it cannot be started, exits first, prints
 * something else, or prints nothing in time; the process is stopped then. In VS Code `process.execPath`
 * is Electron's, run as Node with ELECTRON_RUN_AS_NODE, as vscode-languageclient starts its servers.
 */
export function forkLocalCmf(
  script: string,
  args: string[],
  opts: { timeoutMs?: number; onStderr?: (line: string) => void; env?: Record<string, string> } = {},
): Promise<LocalCmfProcess> {
  if (!existsSync(script)) return Promise.reject(new Error(`The local CMF is missing: ${script} does not exist (a development build runs "npm run build" first).`));
  const timeoutMs = opts.timeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  let child: ChildProcess;
  try {
    child = fork(script, args, {
      execArgv: [],
      env: { ...process.env, ...opts.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
  } catch (e) {
    return Promise.reject(new Error(`Could not start the local CMF (${script}): ${e instanceof Error ? e.message : String(e)}`));
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const tail: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => {
    tail.push(line);
    if (tail.length > 5) tail.shift();
    opts.onStderr?.(line);
  });
  const said = () => (tail.length ? ` It said: ${tail.join(' | ')}` : '');

  return new Promise<LocalCmfProcess>((resolve, reject) => {
    let settled = false;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      reject(new Error(message));
    };
    const timer = setTimeout(() => fail(`The local CMF did not report its URL within ${Math.round(timeoutMs / 100) / 10} s, so it was stopped.${said()}`), timeoutMs);
    // (Any later 'error', such as a failed kill, is not a start failure: fail() ignores it once settled.)
    child.on('error', (e) => fail(`Could not start the local CMF (${script}): ${e.message}`));
    // 'close' comes after the exit and the end of its output, so its last words on stderr are in.
    child.once('close', (code, signal) => fail(`The local CMF exited before it was ready (${signal ? `signal ${signal}` : `exit code ${code}`}).${said()}`));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      if (settled) return;
      const url = line.trim();
      if (!URL_LINE.test(url)) return fail(`The local CMF printed '${url.slice(0, 200)}' where its loopback URL belongs, so it was stopped.`);
      settled = true;
      clearTimeout(timer);
      resolve({ url, child, exited });
    });
  });
}

/** Ends the process: SIGTERM (it closes its server and exits), then SIGKILL if it is still there after a grace period. */
export async function stopLocalCmfProcess(p: LocalCmfProcess, graceMs = STOP_GRACE_MS): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const gone = await Promise.race([p.exited.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), graceMs)))]);
  clearTimeout(timer);
  if (!gone) {
    p.child.kill('SIGKILL');
    await p.exited;
  }
}

export class LocalCmfSession {
  private server?: LocalCmfProcess;
  private connection?: string;
  private starting?: Promise<ConnectionConfig | undefined>;

  constructor(private readonly options: LocalCmfSessionOptions) {}

  get running(): boolean {
    return !!this.server;
  }

  get url(): string | undefined {
    return this.server?.url;
  }

  /** The process id of the running local CMF (for tests). */
  get pid(): number | undefined {
    return this.server?.child.pid;
  }

  /** Starts it (once) and selects its connection with the demo's development environment. */
  start(ctx: CommandContext): Promise<ConnectionConfig | undefined> {
    if (this.server && this.connection) {
      const c = ctx.registry.get(this.connection);
      if (c) return ctx.registry.select(c.name, DEMO_ENVIRONMENT).then(() => c);
    }
    this.starting ??= this.doStart(ctx).finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async doStart(ctx: CommandContext): Promise<ConnectionConfig | undefined> {
    let server: LocalCmfProcess | undefined;
    try {
      const args = ['--port', '0', '--host', '127.0.0.1', '--seed', 'demo'];
      if (this.options.phaseDelayMs !== undefined) args.push('--phase-delay-ms', String(this.options.phaseDelayMs));
      server = await forkLocalCmf(this.options.script, args, {
        timeoutMs: this.options.startTimeoutMs,
        onStderr: (line) => ctx.log.info(`[local CMF] ${line}`),
      });
      const started = server;
      void started.exited.then(({ code, signal }) => this.exitedOnItsOwn(ctx, started, code, signal));
      this.server = server;
      const taken = new Set(ctx.registry.list().map((c) => c.name));
      let name = 'local CMF';
      for (let i = 2; taken.has(name); i++) name = `local CMF ${i}`;
      const config: ConnectionConfig = { name, url: server.url, auth: 'none', local: true, defaultEnvironment: DEMO_ENVIRONMENT };
      await ctx.registry.save(config);
      this.connection = name;
      await ctx.registry.select(name, DEMO_ENVIRONMENT);
      ctx.log.info(`Started the local CMF on ${server.url} (demo data, loopback only, process ${server.child.pid}) as connection '${name}'.`);
      void ctx.ui.info(`The local CMF is running on ${server.url} with demo data. It stops when this window closes. Try expanding '${DEMO_ENVIRONMENT}' in the CMF explorer.`);
      return config;
    } catch (e) {
      if (server && this.server === server) await this.stop(ctx);
      else if (server) await stopLocalCmfProcess(server);
      await reportFailure(ctx, 'Starting the local CMF', e);
      return undefined;
    }
  }

  /** The process ended without being asked to (stop() forgets it first): say so, and drop its connection. */
  private async exitedOnItsOwn(ctx: CommandContext, p: LocalCmfProcess, code: number | null, signal: NodeJS.Signals | null): Promise<void> {
    if (this.server !== p) return;
    const name = this.connection;
    this.server = undefined;
    this.connection = undefined;
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    ctx.log.error(`The local CMF (process ${p.child.pid}) stopped unexpectedly (${how}).`);
    if (name && ctx.registry.get(name)) await ctx.registry.remove(name);
    void ctx.ui.error(`The local CMF stopped unexpectedly (${how}); its connection '${name ?? 'local CMF'}' was removed. Run "Try with a Local CMF" to start it again.`);
  }

  async stop(ctx?: CommandContext): Promise<void> {
    const server = this.server;
    const name = this.connection;
    this.server = undefined;
    this.connection = undefined;
    try {
      if (name && ctx?.registry.get(name)) await ctx.registry.remove(name);
    } finally {
      if (server) await stopLocalCmfProcess(server);
    }
  }
}
