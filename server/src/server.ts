/**
 * The language server: wiring only. Documents, settings and LSP events go to the pool language
 * service; its diagnostics come back. `node dist/server.js --stdio` speaks LSP over stdio; the VS Code
 * client starts it over IPC (`--node-ipc`); vscode-languageserver picks the transport from argv.
 */
import {
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeParams,
  type InitializeResult,
  CodeActionKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fileURLToPath } from 'node:url';
import {
  type PoolDiagnostic,
  type PoolFile,
  DEFAULT_SETTINGS,
  carryDiagnostics,
  EDITOR_PROBLEM_LIMIT,
  ResolvedSettings,
  codeActions,
  complete,
  hover,
  isPool,
  lint,
  locateFields,
  newPoolText,
  normalizeSettings,
  parse,
  poolText,
  resolveCompletion,
  symbols,
  validateInSteps,
} from '../../language-service/src/index';
import {
  ENVIRONMENT_DEFAULTS_NOTIFICATION,
  LINT_REQUEST,
  LOCATE_FIELDS_REQUEST,
  NEW_POOL_REQUEST,
  POOL_DOCUMENT_NOTIFICATION,
  POOL_TEXT_REQUEST,
  type EnvironmentDefaultsParams,
  type PoolDocumentParams,
  type PoolTextParams,
  type PoolTextResponse,
  type LintParams,
  type LintResponse,
  type LocateFieldsParams,
  type LocateFieldsResponse,
  type NewPoolParams,
  type NewPoolResponse,
  type PoolDefaults,
} from './protocol';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

let pullConfiguration = false;
/** Report YAML syntax errors (the client says whether a YAML extension does already). */
let reportYamlSyntaxErrors = true;
/** The client inserts snippet syntax ($1, ${1:x}) in completions; else plain text is sent. */
let snippetSupport = false;
/** The completion list defaults the client takes (editRange, insertTextFormat, data): sent once per list. */
let completionItemDefaults: string[] = [];
/** Settings per document URI, pulled from the client on first use and dropped when they change. */
const settingsCache = new Map<string, Promise<ResolvedSettings>>();
let fallbackSettings = new ResolvedSettings(DEFAULT_SETTINGS);

connection.onInitialize((params: InitializeParams): InitializeResult => {
  pullConfiguration = params.capabilities.workspace?.configuration === true;
  snippetSupport = params.capabilities.textDocument?.completion?.completionItem?.snippetSupport === true;
  completionItemDefaults = params.capabilities.textDocument?.completion?.completionList?.itemDefaults ?? [];
  const options = params.initializationOptions as { settings?: unknown; yamlSyntaxReportedElsewhere?: unknown } | undefined;
  const init = options?.settings;
  // YAML's syntax errors are ours to report only where no YAML extension (Red Hat's) reports them already.
  reportYamlSyntaxErrors = options?.yamlSyntaxReportedElsewhere !== true;
  if (init !== undefined) fallbackSettings = new ResolvedSettings(normalizeSettings(init));
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      completionProvider: { triggerCharacters: ['"', ':'], resolveProvider: true },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      documentSymbolProvider: { label: 'CMF compute pool' },
    },
    serverInfo: { name: 'cmf-pools', version: process.env.CMF_POOLS_VERSION ?? '0' },
  };
});

function settingsFor(uri: string): Promise<ResolvedSettings> {
  if (!pullConfiguration) return Promise.resolve(fallbackSettings);
  let s = settingsCache.get(uri);
  if (!s) {
    s = connection.workspace
      .getConfiguration({ scopeUri: uri, section: 'cmfPools' })
      .then((raw) => new ResolvedSettings(normalizeSettings(raw)))
      .catch(() => fallbackSettings);
    settingsCache.set(uri, s);
  }
  return s;
}

/** The selected environment's computePoolDefaults, sent by the client; pools are validated as CMF will deploy them. */
let environmentDefaults: PoolDefaults | undefined;
connection.onNotification(ENVIRONMENT_DEFAULTS_NOTIFICATION, (params: EnvironmentDefaultsParams) => {
  const d = params?.defaults;
  environmentDefaults = d && typeof d === 'object' ? d : undefined;
  generation++;
  for (const doc of documents.all()) schedule(doc.uri);
});

connection.onDidChangeConfiguration((change) => {
  settingsCache.clear();
  generation++;
  const pushed = (change.settings as { cmfPools?: unknown } | undefined)?.cmfPools;
  if (!pullConfiguration && pushed !== undefined) fallbackSettings = new ResolvedSettings(normalizeSettings(pushed));
  for (const doc of documents.all()) schedule(doc.uri);
});

/**
 * Validation runs once the document has stopped changing for a turn of the event loop, and only for the
 * newest version: a burst of changes costs one validation, not one per change, without any timed
 * debounce. One turn is not enough: vscode-jsonrpc hands over one message per setImmediate, so a burst
 * already received arrives one change per turn; waiting for a turn without a change lets it drain first.
 */
const scheduled = new Map<string, number>(); // uri -> schedule() calls since its validation was queued
function schedule(uri: string): void {
  const calls = scheduled.get(uri);
  scheduled.set(uri, (calls ?? 0) + 1);
  if (calls !== undefined) return;
  let seen = 0;
  const turn = () => {
    const now = scheduled.get(uri) ?? 0;
    if (now !== seen) {
      seen = now;
      setImmediate(turn);
      return;
    }
    scheduled.delete(uri);
    void validate(uri);
  };
  setImmediate(turn);
}

/** Validation works this long at a time, then lets the messages that came meanwhile be answered. */
const SLICE_MS = 8;
/** Settings or environment defaults changed: validations begun before are out of date. */
let generation = 0;
/** The validation under way per document: a newer one (a new version, new settings) replaces it, and it stops. */
const running = new Map<string, { doc: TextDocument; version: number; generation: number; done: Promise<PoolDiagnostic[] | undefined> }>();

/**
 * Validates the document's current version and publishes its diagnostics, a slice at a time: between slices the
 * messages that arrived are handled (a hover waits no longer than a slice), and a validation whose version or settings
 * are no longer current stops there, publishing nothing. A validation of the same version and settings already under
 * way is joined, not repeated. Resolves with what was published, or undefined when it stopped.
 */
function validate(uri: string): Promise<PoolDiagnostic[] | undefined> {
  const doc = documents.get(uri);
  if (!doc) return Promise.resolve(undefined);
  const published = lastPublished.get(uri);
  if (published && published.doc === doc && published.version === doc.version && published.generation === generation) return Promise.resolve(published.diagnostics);
  const current = running.get(uri);
  if (current && current.doc === doc && current.version === doc.version && current.generation === generation) return current.done;
  const entry = { doc, version: doc.version, generation, done: Promise.resolve<PoolDiagnostic[] | undefined>(undefined) };
  running.set(uri, entry);
  entry.done = validateNow(uri, entry).finally(() => {
    if (running.get(uri) === entry) running.delete(uri);
  });
  return entry.done;
}

async function validateNow(uri: string, entry: { doc: TextDocument; version: number; generation: number }): Promise<PoolDiagnostic[] | undefined> {
  const { doc, version } = entry;
  const settings = await settingsFor(uri);
  const began = performance.now(); // the validation's own time, not the wait for settings the client may be asked for
  // Changed, closed or reopened while the settings came (documents are updated in place, and a reopened
  // one is a new object, maybe at the same version), or replaced by a newer validation: that one publishes.
  const stale = () => documents.get(uri) !== doc || doc.version !== version || running.get(uri) !== entry;
  if (stale()) return undefined;
  let diagnostics: PoolDiagnostic[] = [];
  try {
    const parsed = parsedFor(doc);
    const pool = isPool(parsed, settings, pathOf(uri));
    if (poolDocuments.get(uri) !== pool) {
      poolDocuments.set(uri, pool);
      void connection.sendNotification(POOL_DOCUMENT_NOTIFICATION, { uri, isPool: pool } satisfies PoolDocumentParams);
    }
    if (pool) {
      const options = { path: pathOf(uri), defaults: environmentDefaults, reportYamlSyntaxErrors, maxProblems: EDITOR_PROBLEM_LIMIT };
      const steps = validateInSteps(parsed, settings, options);
      let until = performance.now() + SLICE_MS;
      for (let step = steps.next(); ; step = steps.next()) {
        if (step.done) {
          diagnostics = step.value;
          break;
        }
        if (performance.now() >= until) {
          await new Promise((resolve) => setImmediate(resolve));
          if (stale()) return undefined;
          until = performance.now() + SLICE_MS;
        }
      }
    }
  } catch (e) {
    // The service must never throw; if it does, say so once in the log and keep serving.
    connection.console.error(`cmf-pools: validating ${uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    diagnostics = [];
  }
  lastPublished.set(uri, { doc, version, text: doc.getText(), generation: entry.generation, diagnostics, ms: performance.now() - began });
  // Published even when empty: that clears what an earlier version had, and tells the client we looked.
  void connection.sendDiagnostics({ uri, version, diagnostics });
  return diagnostics;
}

/**
 * How long a hover waits for its version's validation before it explains the diagnostics the editor shows meanwhile
 * instead. A pool's validation takes 1 to 5 ms, so a hover after a keystroke waits for it and explains the new
 * diagnostics. A very large pool's takes longer (60 to 100 ms, in slices, with 20,000 unknown Flink keys): a hover
 * that waited would answer late, so when the document's last validation took longer than this, it does not wait.
 */
const HOVER_WAIT_MS = 20;

/**
 * The diagnostics the user sees in this version of the document: its own when they are published or come within
 * HOVER_WAIT_MS (not waited for after a slow validation); else the last published, moved by the edits since (VS Code
 * moves their markers the same way until new diagnostics come), without the ones that reach into the edited text.
 * Undefined when nothing is known yet.
 */
async function diagnosticsShown(uri: string, doc: TextDocument): Promise<PoolDiagnostic[] | undefined> {
  const own = validate(uri);
  const shown = lastPublished.get(uri);
  if (!shown || shown.doc !== doc || shown.generation !== generation || shown.version === doc.version) return own;
  if (shown.ms <= HOVER_WAIT_MS) {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), HOVER_WAIT_MS)));
    const first = await Promise.race([own, late]);
    clearTimeout(timer);
    if (first !== 'late') return first;
  }
  return carryDiagnostics(shown.text, shown.diagnostics, doc);
}

/** The file system path (or the URI's path) that cmfPools.files is matched against. */
function pathOf(uri: string): string {
  try {
    // Node's own reading of a file URL for the platform the server runs on (c%3A drive letters, UNC hosts).
    return uri.startsWith('file:') ? fileURLToPath(uri) : decodeURIComponent(new URL(uri).pathname);
  } catch {
    return uri; // not a URL Node reads: matched as it is
  }
}

/**
 * One parse per document version, shared by validation, completion, hover, code actions and symbols. A new version
 * is parsed from the previous one's parse (which it consumes): a keystroke in a YAML value is not parsed again.
 */
const parsedCache = new Map<string, { version: number; parsed: PoolFile }>();
function parsedFor(doc: TextDocument): PoolFile {
  const cached = parsedCache.get(doc.uri);
  // The same document object at the same version: a document closed and opened again is a new object.
  if (cached && cached.version === doc.version && cached.parsed.text === doc) return cached.parsed;
  const parsed = parse(doc, cached?.parsed);
  parsedCache.set(doc.uri, { version: doc.version, parsed });
  return parsed;
}

/** Whether each open document is a pool, as last told to the client (POOL_DOCUMENT_NOTIFICATION). */
const poolDocuments = new Map<string, boolean>();

/** The diagnostics last published per document, so hover explains exactly what the user sees. */
/** What was last published per document: its version and text, and how long its validation took. */
const lastPublished = new Map<string, { doc: TextDocument; version: number; text: string; generation: number; diagnostics: PoolDiagnostic[]; ms: number }>();

documents.onDidOpen((e) => schedule(e.document.uri));
documents.onDidChangeContent((e) => schedule(e.document.uri));
documents.onDidClose((e) => {
  settingsCache.delete(e.document.uri);
  parsedCache.delete(e.document.uri);
  lastPublished.delete(e.document.uri);
  poolDocuments.delete(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

/** The parsed document and its settings when `uri` is an open compute-pool document; else undefined. */
async function poolDocument(uri: string): Promise<{ parsed: PoolFile; settings: ResolvedSettings } | undefined> {
  if (!documents.get(uri)) return undefined;
  const settings = await settingsFor(uri);
  const doc = documents.get(uri); // the newest version, after the settings came
  if (!doc) return undefined;
  const parsed = parsedFor(doc);
  return isPool(parsed, settings, pathOf(uri)) ? { parsed, settings } : undefined;
}

/** Runs a request handler; a failure is logged and answered with `fallback`: a handler never throws. */
async function answer<T>(what: string, uri: string, fallback: T, f: () => T | Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    connection.console.error(`cmf-pools: ${what} in ${uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return fallback;
  }
}

connection.onCompletion((params) =>
  answer('completion', params.textDocument.uri, null, async () => {
    const pool = await poolDocument(params.textDocument.uri);
    return pool
      ? complete(pool.parsed, params.position, {
          snippets: snippetSupport,
          itemDefaults: completionItemDefaults,
          settings: pool.settings,
          path: pathOf(params.textDocument.uri),
          cmfVersion: environmentDefaults?.cmfVersion,
        })
      : null;
  }),
);
connection.onCompletionResolve((item) => answer('completion resolve', '', item, () => resolveCompletion(item)));
connection.onHover((params) =>
  answer('hover', params.textDocument.uri, null, async () => {
    const pool = await poolDocument(params.textDocument.uri);
    if (!pool) return null;
    // Hover explains what the user sees: this version's diagnostics, or while they are still being made, the ones
    // the editor shows meanwhile (see diagnosticsShown). The work is not done twice.
    const uri = params.textDocument.uri;
    const version = pool.parsed.text.version;
    const diagnostics = await diagnosticsShown(uri, pool.parsed.text);
    if (documents.get(uri) !== pool.parsed.text || pool.parsed.text.version !== version) return null; // changed meanwhile
    return hover(pool.parsed, params.position, { settings: pool.settings, diagnostics, path: pathOf(params.textDocument.uri) });
  }),
);
connection.onCodeAction((params) =>
  answer('code actions', params.textDocument.uri, [], async () => {
    const only = params.context.only;
    if (only && !only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(k + '.'))) return [];
    const pool = await poolDocument(params.textDocument.uri);
    return pool ? codeActions(pool.parsed, params.context.diagnostics) : [];
  }),
);
connection.onDocumentSymbol((params) =>
  answer('document symbols', params.textDocument.uri, [], async () => {
    const pool = await poolDocument(params.textDocument.uri);
    return pool ? symbols(pool.parsed, { settings: pool.settings, path: pathOf(params.textDocument.uri) }) : [];
  }),
);

// The extension's own requests (protocol.ts): it has no validator of its own and asks the server.
connection.onRequest(LINT_REQUEST, (params: LintParams) =>
  answer('lint', params?.uri ?? '', null, async (): Promise<LintResponse> => {
    const settings = await settingsFor(params.uri);
    const defaults = params.defaults && typeof params.defaults === 'object' ? params.defaults : undefined;
    return lint(String(params.text ?? ''), { path: pathOf(params.uri), languageId: params.languageId, settings, defaults });
  }),
);
connection.onRequest(LOCATE_FIELDS_REQUEST, (params: LocateFieldsParams) =>
  answer('locating fields', '', [], (): LocateFieldsResponse => locateFields(String(params.text ?? ''), Array.isArray(params.messages) ? params.messages.map(String) : [], {
      languageId: params.languageId,
      line: Number.isInteger(params.line) ? params.line : undefined,
    })),
);
connection.onRequest(POOL_TEXT_REQUEST, (params: PoolTextParams) =>
  answer('pool text', '', null, (): PoolTextResponse => ({ text: poolText(params.value, params.format === 'yaml' ? 'yaml' : 'json') })),
);
connection.onRequest(NEW_POOL_REQUEST, (params: NewPoolParams) => answer('new pool', '', null, (): NewPoolResponse => ({ text: newPoolText(params) })));

documents.listen(connection);
connection.listen();
