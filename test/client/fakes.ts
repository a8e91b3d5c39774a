// Fakes for the VS Code boundary: a scripted Ui that records what it was asked and shown, in-memory
// settings/secrets/state ports, and a local CMF whose request log is captured (method, path, status).
import { DEFAULT_SETTINGS, ResolvedSettings, lint, locateFields, newPoolText, poolText } from '../../language-service/src/index';
import type { LocalCmfOptions } from '../../local-cmf/src/server';
import { startTestLocalCmf, type TestLocalCmf } from '../../local-cmf/src/test-controls';
import { ConnectionRegistry, type Logger, type SettingsPort } from '../../client/src/connections/registry';
import type { VsCodeProxySettings } from '../../client/src/connections/proxy';
import { OperationGuard } from '../../client/src/commands/guard';
import type { CommandContext, ExplorerHooks } from '../../client/src/commands/context';
import type { DiffSide, InputOptions, PickItem, ProgressReporter, Ui } from '../../client/src/commands/ui';
import type { FieldProblem, PoolFileInput, PoolLanguage } from '../../client/src/language/pool-language';

// The tests talk to 127.0.0.1 directly; a proxy configured on the machine must not get in the way.
for (const v of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy']) delete process.env[v];

type Shown =
  | { kind: 'confirm'; message: string; detail: string; actions: string[] }
  | { kind: 'info'; message: string; actions: string[] }
  | { kind: 'warn'; message: string; actions: string[] }
  | { kind: 'error'; message: string; actions: string[] }
  | { kind: 'pick'; title: string; labels: string[] }
  | { kind: 'input'; title: string; prompt: string; password: boolean }
  | { kind: 'progress'; title: string; reports: string[] }
  | { kind: 'diff'; title: string; left: DiffSide; right: DiffSide }
  | { kind: 'untitled'; text: string; language: string }
  | { kind: 'copy'; text: string }
  | { kind: 'external'; url: string }
  | { kind: 'run'; command: string; args: unknown[] }
  | { kind: 'log' };

export interface Script {
  /** Answer to a modal confirmation: the action label, or undefined to cancel. */
  confirm?: (message: string, actions: string[]) => string | undefined;
  /** Answer to a notification (clicked action or undefined). */
  notify?: (kind: 'info' | 'warn' | 'error', message: string, actions: string[]) => string | undefined;
  /** Answers to picks, in order: a label (or a predicate) to choose, or undefined to cancel. */
  picks?: (string | undefined)[];
  /** Answers to inputs, in order. */
  inputs?: (string | undefined)[];
  files?: (string | undefined)[];
}

class FakeUi implements Ui {
  readonly shown: Shown[] = [];
  constructor(public script: Script = {}) {}

  of<K extends Shown['kind']>(kind: K): Extract<Shown, { kind: K }>[] {
    return this.shown.filter((s): s is Extract<Shown, { kind: K }> => s.kind === kind);
  }

  async confirm(message: string, detail: string, ...actions: string[]) {
    this.shown.push({ kind: 'confirm', message, detail, actions });
    return this.script.confirm?.(message, actions);
  }
  private note(kind: 'info' | 'warn' | 'error', message: string, actions: string[]) {
    this.shown.push({ kind, message, actions });
    return Promise.resolve(this.script.notify?.(kind, message, actions));
  }
  info(message: string, ...actions: string[]) {
    return this.note('info', message, actions);
  }
  warn(message: string, ...actions: string[]) {
    return this.note('warn', message, actions);
  }
  error(message: string, ...actions: string[]) {
    return this.note('error', message, actions);
  }
  async pick<T>(items: PickItem<T>[], options: { title: string }) {
    this.shown.push({ kind: 'pick', title: options.title, labels: items.map((i) => i.label) });
    const answer = (this.script.picks ?? []).shift();
    if (answer === undefined) return undefined;
    const item = items.find((i) => i.label === answer || i.label.includes(answer));
    if (!item) throw new Error(`No pick item "${answer}" in ${items.map((i) => i.label).join(' | ')}`);
    return item.value;
  }
  async input(o: InputOptions) {
    this.shown.push({ kind: 'input', title: o.title, prompt: o.prompt, password: !!o.password });
    const answer = (this.script.inputs ?? []).shift();
    if (answer !== undefined && o.validate) {
      const problem = o.validate(answer);
      if (problem) throw new Error(`Input "${answer}" rejected: ${problem}`);
    }
    return answer;
  }
  async pickFile() {
    return (this.script.files ?? []).shift();
  }
  async withProgress<T>(title: string, _c: boolean, task: (p: ProgressReporter, s: AbortSignal) => Promise<T>) {
    const entry = { kind: 'progress' as const, title, reports: [] as string[] };
    this.shown.push(entry);
    return task({ report: (m) => entry.reports.push(m) }, new AbortController().signal);
  }
  async diff(left: DiffSide, right: DiffSide, title: string) {
    this.shown.push({ kind: 'diff', title, left, right });
  }
  async openUntitled(text: string, language: string) {
    this.shown.push({ kind: 'untitled', text, language });
  }
  async copy(text: string) {
    this.shown.push({ kind: 'copy', text });
  }
  async openExternal(url: string) {
    this.shown.push({ kind: 'external', url });
    return true;
  }
  showLog() {
    this.shown.push({ kind: 'log' });
  }
  async run(command: string, ...args: unknown[]) {
    this.shown.push({ kind: 'run', command, args });
    return undefined;
  }
}

class MemoryLog implements Logger {
  readonly lines: string[] = [];
  info(m: string) {
    this.lines.push(`info ${m}`);
  }
  warn(m: string) {
    this.lines.push(`warn ${m}`);
  }
  error(m: string) {
    this.lines.push(`error ${m}`);
  }
}

class MemorySettings implements SettingsPort {
  writes = 0;
  constructor(public value: unknown = [], public proxySettings: VsCodeProxySettings = {}) {}
  readConnections() {
    return this.value;
  }
  async writeConnections(v: Record<string, unknown>[]) {
    this.writes++;
    this.value = JSON.parse(JSON.stringify(v));
  }
  proxy() {
    return this.proxySettings;
  }
}

class MemorySecrets {
  readonly map = new Map<string, string>();
  async get(k: string) {
    return this.map.get(k);
  }
  async store(k: string, v: string) {
    this.map.set(k, v);
  }
  async delete(k: string) {
    this.map.delete(k);
  }
}

class MemoryState {
  readonly map = new Map<string, unknown>();
  get<T>(k: string) {
    return this.map.get(k) as T | undefined;
  }
  async update(k: string, v: unknown) {
    if (v === undefined) this.map.delete(k);
    else this.map.set(k, v);
  }
}

/** The local CMF (with its test controls) and its request log as "METHOD /path?query STATUS" lines (timings dropped). */
export async function localCmf(opts: Omit<LocalCmfOptions, 'extend'> = {}): Promise<TestLocalCmf & { requests: string[]; writes(): string[] }> {
  const requests: string[] = [];
  const cmf = await startTestLocalCmf({ port: 0, seed: 'demo', phaseDelayMs: 0, ...opts, log: (l) => requests.push(l.replace(/ \d+ms$/, '')) });
  return Object.assign(cmf, { requests, writes: () => requests.filter((r) => !r.startsWith('GET ')) });
}

/**
 * The language server's answers to the extension (server/src/server.ts's request handlers), computed in process
 * with the same engine calls, for the command logic's tests; the extension's own suites talk to the real server.
 */
export function engineLanguage(settings: () => ResolvedSettings = () => new ResolvedSettings(DEFAULT_SETTINGS)): PoolLanguage {
  return {
    lint: async (file, defaults) => lint(file.text, { path: file.path, languageId: file.languageId, settings: settings(), defaults: defaults ?? undefined }),
    locateFields: async (file, messages, line) => locateFields(file.text, messages, { languageId: file.languageId, line }),
    newPool: async (options) => newPoolText(options),
    poolText: async (value, format) => poolText(value, format),
  };
}

/** A pool file's text as the editor hands it to a command. */
export function fileInput(path: string, text: string, languageId = 'json'): PoolFileInput {
  return { path, uri: `file://${path}`, languageId, text };
}

export interface Harness {
  ui: FakeUi;
  log: MemoryLog;
  settings: MemorySettings;
  secrets: MemorySecrets;
  state: MemoryState;
  /** The extension's global state (remembered choices). */
  memory: MemoryState;
  registry: ConnectionRegistry;
  ctx: CommandContext;
  rejections: Map<string, FieldProblem[]>;
  poolChanges: string[];
}

export function harness(connections: unknown[] = [], script: Script = {}, explorer?: Partial<ExplorerHooks>): Harness {
  const ui = new FakeUi(script);
  const log = new MemoryLog();
  const settings = new MemorySettings(connections);
  const secrets = new MemorySecrets();
  const state = new MemoryState();
  const registry = new ConnectionRegistry({ settings, secrets, state, log, clientOptions: { retry: { retries: 0 } } });
  const rejections = new Map<string, FieldProblem[]>();
  const poolChanges: string[] = [];
  const memory = new MemoryState();
  const ctx: CommandContext = {
    ui,
    memory,
    registry,
    log,
    guard: new OperationGuard(),
    language: engineLanguage(),
    followIntervalMs: 20,
    rejections: { set: (p, list) => rejections.set(p, list), clear: (p) => rejections.delete(p) },
    explorer: { poolChanged: (c, e) => poolChanges.push(`${c}/${e}`), refresh: () => undefined, ...explorer },
  };
  return { ui, log, settings, secrets, state, memory, registry, ctx, rejections, poolChanges };
}
