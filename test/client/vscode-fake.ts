/**
 * A fake of the VS Code API, just large enough to run the real `activate()` of client/src/extension.ts
 * under plain Node: `require('vscode')` (and `vscode-languageclient/node`, whose language server the
 * tests do not need) resolve to the objects below. Everything the extension writes at the VS Code
 * boundary is recorded in `host` — output channel lines, notifications and modals, clipboard, settings
 * updates, secret storage, status bar, tree items, CodeLenses, diagnostics, executed commands — so a test
 * can look at all of it at once. Settings have VS Code's layers (default, user, workspace, folder) and
 * `get()` merges them the way VS Code does for a resource-scoped setting, so a test can check that the
 * extension does not take a value from the workspace.
 *
 * Import this module before anything that imports 'vscode'.
 */
import Module from 'node:module';
import { join } from 'node:path';
import { URI, Utils } from 'vscode-uri';
import { startServer, type PoolServer } from '../lsp/lsp-client';

type Listener<T> = (e: T) => unknown;

class Disposable {
  constructor(private readonly fn?: () => void) {}
  static from(...ds: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => ds.forEach((d) => d.dispose()));
  }
  dispose(): void {
    this.fn?.();
  }
}

class EventEmitter<T> {
  private readonly listeners = new Set<Listener<T>>();
  readonly event = (l: Listener<T>, thisArg?: unknown, disposables?: { dispose(): unknown }[]) => {
    const bound: Listener<T> = thisArg ? l.bind(thisArg) : l;
    this.listeners.add(bound);
    const d = new Disposable(() => this.listeners.delete(bound));
    disposables?.push(d);
    return d;
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  get size(): number {
    return this.listeners.size;
  }
  dispose(): void {
    this.listeners.clear();
  }
}

// vscode.Uri: vscode-uri's URI is the same class VS Code's is modelled on.
const Uri = URI as typeof URI & { joinPath: typeof Utils.joinPath };
Uri.joinPath = Utils.joinPath;

export class ThemeColor {
  constructor(readonly id: string) {}
}
export class ThemeIcon {
  constructor(
    readonly id: string,
    readonly color?: ThemeColor,
  ) {}
}
export class MarkdownString {
  isTrusted?: boolean;
  constructor(
    public value = '',
    public supportThemeIcons = false,
  ) {}
}
const TreeItemCollapsibleState = { None: 0, Collapsed: 1, Expanded: 2 } as const;
export class TreeItem {
  id?: string;
  description?: string;
  tooltip?: string | MarkdownString;
  contextValue?: string;
  iconPath?: ThemeIcon;
  command?: { command: string; title: string; arguments?: unknown[] };
  resourceUri?: URI;
  constructor(
    public label: string,
    public collapsibleState: number = 0,
  ) {}
}
export class FileDecoration {
  constructor(
    readonly badge?: string,
    readonly tooltip?: string,
    readonly color?: ThemeColor,
  ) {}
}
export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}
export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(sl: number, sc: number, el: number, ec: number) {
    this.start = new Position(sl, sc);
    this.end = new Position(el, ec);
  }
}
export class CodeLens {
  constructor(
    readonly range: Range,
    readonly command?: { title: string; command: string; tooltip?: string; arguments?: unknown[] },
  ) {}
}
const DiagnosticSeverity = { Error: 0, Warning: 1, Information: 2, Hint: 3 } as const;
class Diagnostic {
  source?: string;
  code?: string;
  constructor(
    readonly range: Range,
    readonly message: string,
    readonly severity: number,
  ) {}
}
class WorkspaceEdit {
  readonly edits: { uri: URI; range: Range; text: string }[] = [];
  replace(uri: URI, range: Range, text: string): void {
    this.edits.push({ uri, range, text });
  }
}
class CancellationTokenSource {
  private readonly emitter = new EventEmitter<void>();
  readonly token = { isCancellationRequested: false, onCancellationRequested: this.emitter.event };
  cancel(): void {
    this.token.isCancellationRequested = true;
    this.emitter.fire();
  }
  dispose(): void {
    this.emitter.dispose();
  }
}
const StatusBarAlignment = { Left: 1, Right: 2 } as const;
const ProgressLocation = { SourceControl: 1, Window: 10, Notification: 15 } as const;
const ConfigurationTarget = { Global: 1, Workspace: 2, WorkspaceFolder: 3 } as const;
const ExtensionMode = { Production: 1, Development: 2, Test: 3 } as const;

// ---------------------------------------------------------------------------------------------------------
// Documents

export class FakeDocument {
  version = 1;
  constructor(
    readonly uri: URI,
    private text: string,
    readonly languageId = 'json',
  ) {}
  getText(): string {
    return this.text;
  }
  get lineCount(): number {
    return this.text.split('\n').length;
  }
  get fileName(): string {
    return this.uri.fsPath;
  }
  setText(text: string): void {
    this.text = text;
    this.version++;
  }
}

// ---------------------------------------------------------------------------------------------------------
// What the extension did, for the tests

export type Layer = 'defaultValue' | 'globalValue' | 'workspaceValue' | 'workspaceFolderValue';

export interface Recorded {
  /** Every line written to an output channel, as "<channel> <level> <text>". */
  output: string[];
  /** Notifications and modals: kind, message, detail (modals), items. */
  messages: { kind: 'info' | 'warn' | 'error'; message: string; detail?: string; modal: boolean; items: string[] }[];
  clipboard: string[];
  /** Every settings update: section.key, value, target. */
  settingsWrites: { key: string; value: unknown; target: unknown }[];
  secretsStored: { key: string; value: string }[];
  /** Every command the extension executed (setContext, vscode.diff, ...) or a test ran through `host.run`. */
  executed: { command: string; args: unknown[] }[];
  /** The status bar item after each update (its background color is set last). */
  statusBar: { text?: string; tooltip?: unknown; backgroundColor?: ThemeColor }[];
  inputBoxes: { title?: string; prompt?: string; value?: string; password?: boolean }[];
  quickPicks: { title?: string; items: { label: string; description?: string; detail?: string }[] }[];
  progress: { title?: string; reports: string[] }[];
  opened: { content?: string; uri?: string }[];
  external: string[];
  notifications: { method: string; params: unknown }[];
  diagnostics: { uri: string; diagnostics: Diagnostic[] }[];
}

export interface Answers {
  /** Answer to a message (modal or not): the item to click, or undefined. */
  message?: (kind: 'info' | 'warn' | 'error', message: string, items: string[], modal: boolean) => string | undefined | Promise<string | undefined>;
  /** Input box answers, in order. */
  inputs: (string | undefined)[];
  /** Quick pick answers (a label, or part of one), in order. */
  picks: (string | undefined)[];
  /** Open dialog answers (paths), in order. */
  files: (string | undefined)[];
}

function emptyRecord(): Recorded {
  return {
    output: [],
    messages: [],
    clipboard: [],
    settingsWrites: [],
    secretsStored: [],
    executed: [],
    statusBar: [],
    inputBoxes: [],
    quickPicks: [],
    progress: [],
    opened: [],
    external: [],
    notifications: [],
    diagnostics: [],
  };
}

interface FakeTreeView {
  visible: boolean;
  description?: string;
  provider: { getTreeItem(n: unknown): TreeItem; getChildren(n?: unknown): unknown; provideFileDecoration?(uri: URI): FileDecoration | undefined };
  visibility: EventEmitter<{ visible: boolean }>;
  collapse: EventEmitter<{ element: unknown }>;
}

/** The state of the fake editor; tests read `recorded` and drive events. */
export const host = {
  recorded: emptyRecord(),
  answers: { inputs: [], picks: [], files: [] } as Answers,
  /** Settings by layer: `settings.globalValue['cmfPools.connections']`. */
  settings: { defaultValue: {}, globalValue: {}, workspaceValue: {}, workspaceFolderValue: {} } as Record<Layer, Record<string, unknown>>,
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  codeLensProviders: [] as { provideCodeLenses(doc: FakeDocument, token: unknown): unknown }[],
  contentProviders: new Map<string, { provideTextDocumentContent(uri: URI): string }>(),
  decorationProviders: [] as { provideFileDecoration(uri: URI): FileDecoration | undefined }[],
  treeViews: new Map<string, FakeTreeView>(),
  documents: new Map<string, FakeDocument>(),
  activeEditor: undefined as { document: FakeDocument } | undefined,
  events: {
    configuration: new EventEmitter<{ affectsConfiguration(section: string): boolean }>(),
    save: new EventEmitter<FakeDocument>(),
    change: new EventEmitter<{ document: FakeDocument; contentChanges: unknown[] }>(),
    open: new EventEmitter<FakeDocument>(),
    close: new EventEmitter<FakeDocument>(),
    activeEditor: new EventEmitter<{ document: FakeDocument } | undefined>(),
  },
  workspaceFolders: undefined as { uri: URI; name: string; index: number }[] | undefined,

  /** Starts over: nothing recorded, no answers, default settings. Keeps registered providers. */
  reset(): void {
    this.recorded = emptyRecord();
    this.answers = { inputs: [], picks: [], files: [] };
  },

  /** Runs a registered command the way VS Code does (the palette, a menu, a CodeLens). */
  run(command: string, ...args: unknown[]): Promise<unknown> {
    const fn = this.commands.get(command);
    if (!fn) throw new Error(`The command ${command} is not registered`);
    return Promise.resolve(fn(...args));
  },

  /** Adds a document (as if opened from disk) and makes it the active editor when `active`. */
  openDocument(path: string, text: string, active = true): FakeDocument {
    const uri = URI.file(path);
    const doc = new FakeDocument(uri, text);
    this.documents.set(uri.toString(), doc);
    this.events.open.fire(doc);
    if (active) {
      this.activeEditor = { document: doc };
      this.events.activeEditor.fire(this.activeEditor);
    }
    return doc;
  },

  /** Changes a setting in a layer and tells the extension, as VS Code does. */
  setSetting(layer: Layer, key: string, value: unknown): void {
    if (value === undefined) delete this.settings[layer][key];
    else this.settings[layer][key] = value;
    this.events.configuration.fire({ affectsConfiguration: (s: string) => key === s || key.startsWith(s + '.') || s.startsWith(key + '.') });
  },

  /** The CodeLenses every registered provider gives for a document. */
  async codeLenses(doc: FakeDocument): Promise<CodeLens[]> {
    const out: CodeLens[] = [];
    for (const p of this.codeLensProviders) out.push(...((await p.provideCodeLenses(doc, new CancellationTokenSource().token)) as CodeLens[]));
    return out;
  },

  /** Every tree item of a view, depth first (children are asked for as VS Code asks when a node is expanded). */
  async treeItems(viewId: string, expand: (item: TreeItem) => boolean = () => true): Promise<{ node: unknown; item: TreeItem; decoration?: FileDecoration }[]> {
    const view = this.treeViews.get(viewId);
    if (!view) throw new Error(`No tree view ${viewId}`);
    const out: { node: unknown; item: TreeItem; decoration?: FileDecoration }[] = [];
    const walk = async (parent?: unknown) => {
      const nodes = (await view.provider.getChildren(parent)) as unknown[];
      for (const node of nodes ?? []) {
        const item = view.provider.getTreeItem(node);
        const decoration = item.resourceUri ? this.decorationProviders.map((p) => p.provideFileDecoration(item.resourceUri!)).find((d) => d) : undefined;
        out.push({ node, item, decoration });
        if (item.collapsibleState !== TreeItemCollapsibleState.None && expand(item)) await walk(node);
      }
    };
    await walk();
    return out;
  },

  /** Every string the extension wrote anywhere at the VS Code boundary (but the secret store's values), as one text (for grepping). */
  everything(extra: unknown[] = []): string {
    const r = this.recorded;
    // What went into the secret store is the one place a secret belongs: only its keys are included.
    const recorded = { ...r, secretsStored: r.secretsStored.map((s) => s.key) };
    return JSON.stringify([recorded, this.settings, [...this.documents.values()].map((d) => d.getText()), ...extra], (_k, v) => (v instanceof URI ? v.toString() : v));
  },
};

// ---------------------------------------------------------------------------------------------------------
// The API

function outputChannel(name: string) {
  const line = (level: string) => (m: string) => void host.recorded.output.push(`${name} ${level} ${m}`);
  return {
    name,
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
    debug: line('debug'),
    trace: line('trace'),
    append: line('append'),
    appendLine: line('line'),
    replace: line('replace'),
    clear: () => undefined,
    show: () => undefined,
    hide: () => undefined,
    dispose: () => undefined,
    logLevel: 2,
    onDidChangeLogLevel: new EventEmitter<number>().event,
  };
}

async function message(kind: 'info' | 'warn' | 'error', msg: string, ...rest: unknown[]): Promise<string | undefined> {
  let modal = false;
  let detail: string | undefined;
  if (rest.length && typeof rest[0] === 'object' && rest[0] !== null && !('title' in (rest[0] as object))) {
    const o = rest.shift() as { modal?: boolean; detail?: string };
    modal = !!o.modal;
    detail = o.detail;
  }
  const items = rest.map((i) => (typeof i === 'string' ? i : (i as { title: string }).title));
  host.recorded.messages.push({ kind, message: msg, detail, modal, items });
  return host.answers.message?.(kind, msg, items, modal);
}

function pickAnswer<T extends { label: string }>(items: readonly T[]): T | undefined {
  const answer = host.answers.picks.shift();
  if (answer === undefined) return undefined;
  const item = items.find((i) => i.label === answer) ?? items.find((i) => i.label.includes(answer));
  if (!item) throw new Error(`No quick pick item "${answer}" in ${items.map((i) => i.label).join(' | ')}`);
  return item;
}

function configuration(section: string) {
  const full = (key: string) => (section ? `${section}.${key}` : key);
  const layer = (l: Layer, key: string) => host.settings[l][full(key)];
  return {
    get<T>(key: string, fallback?: T): T | undefined {
      // VS Code's merge for a resource setting: folder over workspace over user over default.
      for (const l of ['workspaceFolderValue', 'workspaceValue', 'globalValue', 'defaultValue'] as Layer[]) {
        const v = layer(l, key);
        if (v !== undefined) return v as T;
      }
      return fallback;
    },
    has(key: string): boolean {
      return this.get(key) !== undefined;
    },
    /** Every key of the section that any layer sets, merged (what the language server pulls). */
    all(): Record<string, unknown> {
      const out: Record<string, unknown> = {};
      for (const l of Object.values(host.settings)) {
        for (const k of Object.keys(l)) if (k.startsWith(`${section}.`)) out[k.slice(section.length + 1)] = this.get(k.slice(section.length + 1));
      }
      return out;
    },
    inspect<T>(key: string) {
      return {
        key: full(key),
        defaultValue: layer('defaultValue', key) as T | undefined,
        globalValue: layer('globalValue', key) as T | undefined,
        workspaceValue: layer('workspaceValue', key) as T | undefined,
        workspaceFolderValue: layer('workspaceFolderValue', key) as T | undefined,
      };
    },
    async update(key: string, value: unknown, target?: unknown): Promise<void> {
      host.recorded.settingsWrites.push({ key: full(key), value: JSON.parse(JSON.stringify(value ?? null)), target });
      const l: Layer = target === ConfigurationTarget.Global || target === true ? 'globalValue' : target === ConfigurationTarget.WorkspaceFolder ? 'workspaceFolderValue' : 'workspaceValue';
      host.setSetting(l, full(key), value);
    },
  };
}

const window = {
  createOutputChannel: (name: string) => outputChannel(name),
  showInformationMessage: (m: string, ...rest: unknown[]) => message('info', m, ...rest),
  showWarningMessage: (m: string, ...rest: unknown[]) => message('warn', m, ...rest),
  showErrorMessage: (m: string, ...rest: unknown[]) => message('error', m, ...rest),
  async showInputBox(o: { title?: string; prompt?: string; value?: string; password?: boolean; validateInput?(v: string): unknown }) {
    host.recorded.inputBoxes.push({ title: o.title, prompt: o.prompt, value: o.value, password: o.password });
    const answer = host.answers.inputs.shift();
    if (answer !== undefined && o.validateInput) {
      const problem = await o.validateInput(answer);
      if (problem) throw new Error(`Input "${answer}" rejected: ${String(problem)}`);
    }
    return answer;
  },
  async showQuickPick<T extends { label: string }>(items: readonly T[] | Promise<readonly T[]>, o: { title?: string } = {}) {
    const list = await items;
    host.recorded.quickPicks.push({ title: o.title, items: list.map((i) => ({ label: i.label })) });
    return pickAnswer(list);
  },
  createQuickPick<T extends { label: string; description?: string; detail?: string }>() {
    const accept = new EventEmitter<void>();
    const hide = new EventEmitter<void>();
    const qp = {
      title: undefined as string | undefined,
      placeholder: undefined as string | undefined,
      items: [] as T[],
      activeItems: [] as T[],
      selectedItems: [] as T[],
      ignoreFocusOut: false,
      onDidAccept: accept.event,
      onDidHide: hide.event,
      show() {
        host.recorded.quickPicks.push({ title: qp.title, items: qp.items.map((i) => ({ label: i.label, description: i.description, detail: i.detail })) });
        setImmediate(() => {
          const item = pickAnswer(qp.items);
          if (item) {
            qp.selectedItems = [item];
            accept.fire();
          } else qp.hide();
        });
      },
      hide: () => hide.fire(),
      dispose: () => undefined,
    };
    return qp;
  },
  async showOpenDialog() {
    const f = host.answers.files.shift();
    return f === undefined ? undefined : [URI.file(f)];
  },
  async withProgress<T>(o: { title?: string }, task: (p: { report(v: { message?: string }): void }, token: unknown) => Promise<T>): Promise<T> {
    const entry = { title: o.title, reports: [] as string[] };
    host.recorded.progress.push(entry);
    return task({ report: (v) => void (v.message !== undefined && entry.reports.push(v.message)) }, new CancellationTokenSource().token);
  },
  createTreeView(id: string, o: { treeDataProvider: FakeTreeView['provider'] }) {
    const v: FakeTreeView = { visible: false, provider: o.treeDataProvider, visibility: new EventEmitter(), collapse: new EventEmitter() };
    host.treeViews.set(id, v);
    return {
      get visible() {
        return v.visible;
      },
      get description() {
        return v.description;
      },
      set description(d: string | undefined) {
        v.description = d;
      },
      onDidChangeVisibility: v.visibility.event,
      onDidCollapseElement: v.collapse.event,
      onDidExpandElement: new EventEmitter<unknown>().event,
      reveal: async () => undefined,
      dispose: () => void host.treeViews.delete(id),
    };
  },
  registerFileDecorationProvider(p: { provideFileDecoration(uri: URI): FileDecoration | undefined }) {
    host.decorationProviders.push(p);
    return new Disposable(() => host.decorationProviders.splice(host.decorationProviders.indexOf(p), 1));
  },
  createStatusBarItem() {
    const state: { text?: string; tooltip?: unknown; backgroundColor?: ThemeColor } = {};
    return {
      name: '',
      command: undefined as unknown,
      set backgroundColor(c: ThemeColor | undefined) {
        state.backgroundColor = c;
        host.recorded.statusBar.push({ ...state });
      },
      get backgroundColor() {
        return state.backgroundColor;
      },
      set text(t: string) {
        state.text = t;
      },
      get text() {
        return state.text ?? '';
      },
      set tooltip(t: unknown) {
        state.tooltip = t;
      },
      get tooltip() {
        return state.tooltip;
      },
      show: () => undefined,
      hide: () => undefined,
      dispose: () => undefined,
    };
  },
  get activeTextEditor() {
    return host.activeEditor;
  },
  onDidChangeActiveTextEditor: host.events.activeEditor.event,
  async showTextDocument(doc: FakeDocument) {
    host.activeEditor = { document: doc };
    return host.activeEditor;
  },
};

const workspace = {
  getConfiguration: (section = '') => configuration(section),
  onDidChangeConfiguration: host.events.configuration.event,
  onDidSaveTextDocument: host.events.save.event,
  onDidChangeTextDocument: host.events.change.event,
  onDidOpenTextDocument: host.events.open.event,
  onDidCloseTextDocument: host.events.close.event,
  get textDocuments() {
    return [...host.documents.values()];
  },
  get workspaceFolders() {
    return host.workspaceFolders;
  },
  async openTextDocument(arg: URI | { content?: string; language?: string }) {
    if (arg instanceof URI) {
      const doc = host.documents.get(arg.toString());
      if (!doc) throw new Error(`No document ${arg.toString()}`);
      return doc;
    }
    host.recorded.opened.push({ content: arg.content });
    return new FakeDocument(URI.from({ scheme: 'untitled', path: `/Untitled-${host.recorded.opened.length}` }), arg.content ?? '', arg.language);
  },
  registerTextDocumentContentProvider(scheme: string, p: { provideTextDocumentContent(uri: URI): string }) {
    host.contentProviders.set(scheme, p);
    return new Disposable(() => host.contentProviders.delete(scheme));
  },
  asRelativePath: (p: URI | string) => (typeof p === 'string' ? p : p.fsPath),
  fs: {
    async stat() {
      throw new Error('not found');
    },
  },
  async applyEdit() {
    return true;
  },
};

const commands = {
  registerCommand(id: string, fn: (...args: unknown[]) => unknown) {
    if (host.commands.has(id)) throw new Error(`command '${id}' already exists`);
    host.commands.set(id, fn);
    return new Disposable(() => host.commands.delete(id));
  },
  async executeCommand(command: string, ...args: unknown[]) {
    host.recorded.executed.push({ command, args });
    const fn = host.commands.get(command);
    return fn ? fn(...args) : undefined;
  },
};

const languages = {
  registerCodeLensProvider(_selector: unknown, p: { provideCodeLenses(doc: FakeDocument, token: unknown): unknown }) {
    host.codeLensProviders.push(p);
    return new Disposable(() => host.codeLensProviders.splice(host.codeLensProviders.indexOf(p), 1));
  },
  createDiagnosticCollection(name: string) {
    const map = new Map<string, Diagnostic[]>();
    return {
      name,
      set(uri: URI, diagnostics: Diagnostic[]) {
        map.set(uri.toString(), diagnostics);
        host.recorded.diagnostics.push({ uri: uri.toString(), diagnostics });
      },
      delete: (uri: URI) => void map.delete(uri.toString()),
      has: (uri: URI) => map.has(uri.toString()),
      get: (uri: URI) => map.get(uri.toString()),
      clear: () => map.clear(),
      dispose: () => map.clear(),
    };
  },
};

const env = {
  clipboard: {
    async writeText(t: string) {
      host.recorded.clipboard.push(t);
    },
    async readText() {
      return host.recorded.clipboard.at(-1) ?? '';
    },
  },
  async openExternal(uri: URI) {
    host.recorded.external.push(uri.toString());
    return true;
  },
};

const api = {
  Disposable,
  EventEmitter,
  Uri,
  ThemeColor,
  ThemeIcon,
  MarkdownString,
  TreeItem,
  TreeItemCollapsibleState,
  FileDecoration,
  Position,
  Range,
  CodeLens,
  Diagnostic,
  DiagnosticSeverity,
  WorkspaceEdit,
  CancellationTokenSource,
  StatusBarAlignment,
  ProgressLocation,
  ConfigurationTarget,
  ExtensionMode,
  window,
  workspace,
  commands,
  languages,
  env,
  extensions: { getExtension: (_id: string) => undefined },
};

/**
 * vscode-languageclient/node over the real language server: `start()` runs the built dist/server.js over stdio
 * (test/lsp/lsp-client.ts), answers its workspace/configuration from the fake's settings, and keeps it in step
 * with the fake's documents (didOpen, didChange, didClose for json and jsonc), as VS Code's client does.
 * Notifications the extension sends are recorded too.
 */
class LanguageClient {
  private server?: PoolServer;
  private readonly subs: Disposable[] = [];
  private readonly handlers: { method: string; handler: (params: any) => void }[] = [];
  constructor(
    readonly id: string,
    readonly name: string,
  ) {}
  async start(): Promise<void> {
    const server = await startServer({}, { configuration: () => configuration('cmfPools').all() });
    this.server = server;
    for (const { method, handler } of this.handlers) server.connection.onNotification(method, handler);
    const synced = (doc: FakeDocument) => doc.languageId === 'json' || doc.languageId === 'jsonc';
    const open = (doc: FakeDocument) => synced(doc) && server.open(doc.uri.toString(), doc.getText(), doc.version, doc.languageId);
    for (const doc of host.documents.values()) open(doc);
    this.subs.push(
      host.events.open.event(open),
      host.events.change.event((e) => synced(e.document) && server.change(e.document.uri.toString(), e.document.version, e.document.getText())),
      host.events.close.event((doc) => synced(doc) && server.close(doc.uri.toString())),
      host.events.configuration.event(() => void server.connection.sendNotification('workspace/didChangeConfiguration', { settings: null })),
    );
  }
  async stop(): Promise<void> {
    for (const d of this.subs.splice(0)) d.dispose();
    await this.server?.stop();
    this.server = undefined;
  }
  onNotification(method: string, handler: (params: any) => void): Disposable {
    this.handlers.push({ method, handler });
    this.server?.connection.onNotification(method, handler);
    return new Disposable(() => undefined);
  }
  async sendNotification(method: string, params: unknown): Promise<void> {
    host.recorded.notifications.push({ method, params });
    await this.server?.connection.sendNotification(method, params);
  }
  sendRequest<R>(method: string, params: unknown): Promise<R> {
    if (!this.server) return Promise.reject(new Error('The language client is not running'));
    return this.server.connection.sendRequest(method, params);
  }
}
const languageClientApi = { LanguageClient, TransportKind: { stdio: 0, ipc: 1, pipe: 2, socket: 3 } };

// Resolve 'vscode' and 'vscode-languageclient/node' to the objects above (CommonJS, as tsx loads the tests).
const fakes: Record<string, unknown> = { vscode: api, 'vscode-languageclient/node': languageClientApi };
const M = Module as unknown as {
  _resolveFilename(request: string, ...rest: unknown[]): string;
  _cache: Record<string, unknown>;
};
for (const [name, exports] of Object.entries(fakes)) {
  const filename = join(__dirname, `__fake__${name.replace(/\W/g, '_')}.js`);
  const m = new Module(filename);
  m.filename = filename;
  m.exports = exports;
  m.loaded = true;
  M._cache[filename] = m;
}
const resolve = M._resolveFilename;
M._resolveFilename = function (request: string, ...rest: unknown[]) {
  if (request in fakes) return join(__dirname, `__fake__${request.replace(/\W/g, '_')}.js`);
  return resolve.call(this, request, ...rest);
};

// ---------------------------------------------------------------------------------------------------------
// The extension's context

class FakeSecretStorage {
  readonly map = new Map<string, string>();
  private readonly changed = new EventEmitter<{ key: string }>();
  readonly onDidChange = this.changed.event;
  async get(key: string): Promise<string | undefined> {
    return this.map.get(key);
  }
  async store(key: string, value: string): Promise<void> {
    host.recorded.secretsStored.push({ key, value });
    this.map.set(key, value);
    this.changed.fire({ key });
  }
  async delete(key: string): Promise<void> {
    this.map.delete(key);
    this.changed.fire({ key });
  }
}

class FakeMemento {
  readonly map = new Map<string, unknown>();
  get<T>(key: string, fallback?: T): T | undefined {
    return this.map.has(key) ? (this.map.get(key) as T) : fallback;
  }
  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.map.delete(key);
    else this.map.set(key, value);
  }
  keys(): string[] {
    return [...this.map.keys()];
  }
}

export function fakeContext() {
  return {
    subscriptions: [] as { dispose(): unknown }[],
    secrets: new FakeSecretStorage(),
    workspaceState: new FakeMemento(),
    globalState: new FakeMemento(),
    extensionMode: ExtensionMode.Test,
    extensionPath: join(__dirname, '../..'),
    asAbsolutePath: (p: string) => join(__dirname, '../..', p),
  };
}

/**
 * What VS Code does when the extension is deactivated: `deactivate()`, then every subscription disposed.
 * Then the fake starts over (settings, documents, recordings), so another suite in the file can activate again.
 */
export async function deactivate(extension: { deactivate(): Promise<void> }, context: ReturnType<typeof fakeContext>): Promise<void> {
  await extension.deactivate();
  for (const d of context.subscriptions.splice(0)) d.dispose();
  host.reset();
  for (const layer of Object.values(host.settings)) for (const k of Object.keys(layer)) delete layer[k];
  host.documents.clear();
  host.activeEditor = undefined;
}
