/** A real LSP client over stdio for tests and benchmarks: spawns `node dist/server.js --stdio`. */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type {
  CodeAction,
  CompletionItem,
  CompletionList,
  DocumentSymbol,
  Hover,
  Position,
  Range,
  ClientCapabilities,
  Diagnostic,
  PublishDiagnosticsParams,
  ServerCapabilities,
  TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol';

const SERVER = path.resolve(__dirname, '../../dist/server.js');

export interface PoolServer {
  connection: MessageConnection;
  process: ChildProcess;
  /** Every publishDiagnostics, in arrival order. */
  published: PublishDiagnosticsParams[];
  /** Resolves with the next publish for `uri` that satisfies `pred`. */
  next(uri: string, pred?: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams>;
  open(uri: string, text: string, version?: number, languageId?: string): void;
  change(uri: string, version: number, text: string): void;
  /** A didChange with any content changes: ranged (incremental) ones, whole-text ones, or a mix. */
  changes(uri: string, version: number, contentChanges: TextDocumentContentChangeEvent[]): void;
  close(uri: string): void;
  settings: Record<string, unknown>;
  /** What the server answered to `initialize`. */
  capabilities: ServerCapabilities;
  /** Everything the server wrote to stderr (the last 1 MiB). */
  stderr(): string;
  /** Every window/logMessage and window/showMessage, in arrival order. */
  logs: { type: number; message: string }[];
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Client capabilities beyond `workspace.configuration` (e.g. what VS Code announces, for the fuzzer). */
  capabilities?: ClientCapabilities;
  /** Answers workspace/configuration per section (default: the `settings` given to startServer, as they are then). */
  configuration?: (section?: string) => unknown;
  /** The server to run (default: the built dist/server.js). */
  serverPath?: string;
  /** `initializationOptions` of the initialize request (the extension sends e.g. yamlSyntaxReportedElsewhere). */
  initializationOptions?: unknown;
}

const STDERR_KEEP = 1024 * 1024;

export async function startServer(settings: Record<string, unknown> = {}, options: StartOptions = {}): Promise<PoolServer> {
  const child = spawn(process.execPath, [options.serverPath ?? SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEEP);
  });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const published: PublishDiagnosticsParams[] = [];
  const waiters: { uri: string; pred: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  const server: PoolServer = {
    connection,
    process: child,
    published,
    settings,
    capabilities: {},
    stderr: () => stderr,
    logs: [],
    next(uri, pred = () => true) {
      return new Promise((resolve) => waiters.push({ uri, pred, resolve }));
    },
    open(uri, text, version = 1, languageId = 'json') {
      void connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
    },
    change(uri, version, text) {
      void connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    },
    changes(uri, version, contentChanges) {
      void connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
    },
    close(uri) {
      void connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    },
    async stop() {
      try {
        await connection.sendRequest('shutdown');
        void connection.sendNotification('exit');
      } catch {
        // already gone
      }
      connection.dispose();
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    },
  };
  connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.push(p);
    for (let i = 0; i < waiters.length; i++) {
      const w = waiters[i];
      if (w.uri === p.uri && w.pred(p)) {
        waiters.splice(i--, 1);
        w.resolve(p);
      }
    }
  });
  connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) => params.items.map((i) => options.configuration?.(i.section) ?? server.settings));
  for (const method of ['window/logMessage', 'window/showMessage']) {
    connection.onNotification(method, (p: { type: number; message: string }) => {
      server.logs.push({ type: p.type, message: String(p.message) });
    });
  }
  connection.listen();
  const capabilities: ClientCapabilities = { ...options.capabilities, workspace: { ...options.capabilities?.workspace, configuration: true } };
  const init = await connection.sendRequest<{ capabilities?: ServerCapabilities }>('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities,
    initializationOptions: options.initializationOptions,
  });
  server.capabilities = init?.capabilities ?? {};
  void connection.sendNotification('initialized', {});
  return server;
}

export function codesOf(diags: Diagnostic[]): string[] {
  return diags.map((d) => String(d.code)).sort();
}

// Requests for the authoring features, over the same connection.

export function completionAt(server: PoolServer, uri: string, position: Position): Promise<CompletionList | CompletionItem[] | null> {
  return server.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position });
}

export function resolveCompletionItem(server: PoolServer, item: CompletionItem): Promise<CompletionItem> {
  return server.connection.sendRequest('completionItem/resolve', item);
}

export function hoverAt(server: PoolServer, uri: string, position: Position): Promise<Hover | null> {
  return server.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position });
}

export function codeActionsFor(server: PoolServer, uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[] | null> {
  return server.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics, ...(only ? { only } : {}) } });
}

export function documentSymbolsOf(server: PoolServer, uri: string): Promise<DocumentSymbol[] | null> {
  return server.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } });
}
