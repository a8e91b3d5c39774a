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
  type Diagnostic,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { parseDocument } from './service/document';
import { isPoolDocument, validateParsed } from './service/service';
import { DEFAULT_SETTINGS, ResolvedSettings, normalizeSettings } from './service/settings';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

let pullConfiguration = false;
/** Settings per document URI, pulled from the client on first use and dropped when they change. */
const settingsCache = new Map<string, Promise<ResolvedSettings>>();
let fallbackSettings = new ResolvedSettings(DEFAULT_SETTINGS);

connection.onInitialize((params: InitializeParams): InitializeResult => {
  pullConfiguration = params.capabilities.workspace?.configuration === true;
  const init = (params.initializationOptions as { settings?: unknown } | undefined)?.settings;
  if (init !== undefined) fallbackSettings = new ResolvedSettings(normalizeSettings(init));
  return {
    capabilities: { textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental } },
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

connection.onDidChangeConfiguration((change) => {
  settingsCache.clear();
  const pushed = (change.settings as { cmfPools?: unknown } | undefined)?.cmfPools;
  if (!pullConfiguration && pushed !== undefined) fallbackSettings = new ResolvedSettings(normalizeSettings(pushed));
  for (const doc of documents.all()) schedule(doc.uri);
});

/**
 * Validation runs on the next turn of the event loop and only for the newest version: a burst of
 * changes costs one validation, not one per change, without any timed debounce.
 */
const scheduled = new Set<string>();
function schedule(uri: string): void {
  if (scheduled.has(uri)) return;
  scheduled.add(uri);
  setImmediate(() => {
    scheduled.delete(uri);
    void validate(uri);
  });
}

async function validate(uri: string): Promise<void> {
  const doc = documents.get(uri);
  if (!doc) return;
  const settings = await settingsFor(uri);
  const current = documents.get(uri);
  if (!current || current.version !== doc.version) return; // a newer version is scheduled already
  let diagnostics: Diagnostic[];
  try {
    const parsed = parseDocument(doc);
    const path = uri.startsWith('file:') ? URI.parse(uri).fsPath : URI.parse(uri).path;
    diagnostics = isPoolDocument(parsed, path, settings) ? validateParsed(parsed, settings) : [];
  } catch (e) {
    // The service must never throw; if it does, say so once in the log and keep serving.
    connection.console.error(`cmf-pools: validating ${uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    diagnostics = [];
  }
  // Published even when empty: that clears what an earlier version had, and tells the client we looked.
  void connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
}

documents.onDidOpen((e) => schedule(e.document.uri));
documents.onDidChangeContent((e) => schedule(e.document.uri));
documents.onDidClose((e) => {
  settingsCache.delete(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

documents.listen(connection);
connection.listen();
