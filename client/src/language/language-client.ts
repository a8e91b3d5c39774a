/**
 * The language server, from the extension's side: started over IPC when the first document that may be a pool
 * is open (or a command needs it), so a window without pool files never starts it. vscode-languageclient is
 * loaded only then (the bundle keeps it in dist/language-client.js). The server validates and answers
 * everything about pool files (protocol.ts); the extension keeps only what the server told it: which open
 * documents are pools.
 */
import * as vscode from 'vscode';
import type { LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import { mightHoldPool, mightNamePoolKind } from '../../../cmf-model/src/files';
import {
  ENVIRONMENT_DEFAULTS_NOTIFICATION,
  LINT_REQUEST,
  LOCATE_FIELDS_REQUEST,
  NEW_POOL_REQUEST,
  POOL_DOCUMENT_NOTIFICATION,
  POOL_TEXT_REQUEST,
  type EnvironmentDefaultsParams,
  type LintParams,
  type LintResponse,
  type LocateFieldsParams,
  type LocateFieldsResponse,
  type NewPoolParams,
  type NewPoolResponse,
  type PoolDocumentParams,
  type PoolTextParams,
  type PoolTextResponse,
} from '../../../server/src/protocol';
import type { Logger } from '../connections/registry';
import type { FieldProblem, PoolDefaults, PoolFileInput, PoolLanguage } from './pool-language';

/** The languages whose documents may be pools. */
export const POOL_LANGUAGES = ['json', 'jsonc', 'yaml'];

/** A pool file's input from an editor document. */
export function poolFileInput(doc: vscode.TextDocument): PoolFileInput {
  return { path: doc.uri.scheme === 'file' ? doc.uri.fsPath : doc.uri.toString(), uri: doc.uri.toString(), languageId: doc.languageId, text: doc.getText() };
}

export class PoolLanguageClient implements PoolLanguage, vscode.Disposable {
  private client?: Promise<LanguageClient>;
  private defaults: EnvironmentDefaultsParams = { defaults: null };
  /** Open documents the server said are pools. */
  private readonly pools = new Set<string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** A document became a pool, or stopped being one. */
  readonly onDidChangePoolDocument = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Logger,
  ) {
    const look = (doc: vscode.TextDocument) => {
      if (!this.client && this.mightBePool(doc)) void this.start();
    };
    // While the server is not running, an edit is looked at once typing pauses (a large JSON file is not
    // read again on every keystroke), or at once when the edit itself names the kind.
    let pending: ReturnType<typeof setTimeout> | undefined;
    const edited = (e: vscode.TextDocumentChangeEvent) => {
      if (this.client || !POOL_LANGUAGES.includes(e.document.languageId)) return;
      if (e.contentChanges.some((c) => mightNamePoolKind(c.text))) return look(e.document);
      clearTimeout(pending);
      pending = setTimeout(() => look(e.document), 300);
    };
    this.subscriptions.push(
      this.changed,
      { dispose: () => clearTimeout(pending) },
      vscode.workspace.onDidOpenTextDocument(look),
      vscode.workspace.onDidChangeTextDocument(edited),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (this.pools.delete(doc.uri.toString())) this.changed.fire(doc.uri);
      }),
    );
    for (const doc of vscode.workspace.textDocuments) look(doc);
  }

  /** A first look that never says no to a document the server would take for a pool (see cmf-model/src/files.ts). */
  mightBePool(doc: vscode.TextDocument): boolean {
    if (!POOL_LANGUAGES.includes(doc.languageId)) return false;
    const files = vscode.workspace.getConfiguration('cmfPools', doc.uri).get<string[]>('files') ?? [];
    return mightHoldPool(doc.uri.scheme === 'file' ? doc.uri.fsPath : doc.uri.path, doc.getText(), files);
  }

  /** Is this open document a compute pool (as the server last said)? */
  isPool(doc: vscode.TextDocument): boolean {
    return this.pools.has(doc.uri.toString());
  }

  get started(): boolean {
    return this.client !== undefined;
  }

  /** Starts the language server once; every request waits for it. */
  start(): Promise<LanguageClient> {
    this.client ??= this.launch().catch((e: unknown) => {
      this.client = undefined;
      this.log.error(`The CMF Pools language server did not start: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    });
    return this.client;
  }

  private async launch(): Promise<LanguageClient> {
    // A require, not import(): loaded here, on demand (from dist/language-client.js in the bundle).
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- on purpose: loaded on first use only
    const { LanguageClient, TransportKind } = require('vscode-languageclient/node') as typeof import('vscode-languageclient/node');
    const module = this.context.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: ['file', 'untitled'].flatMap((scheme) => POOL_LANGUAGES.map((language) => ({ scheme, language }))),
      synchronize: { configurationSection: 'cmfPools' },
      diagnosticCollectionName: 'cmf-pools',
      // Red Hat's YAML extension reports YAML syntax errors itself: then ours would show them twice.
      initializationOptions: { yamlSyntaxReportedElsewhere: vscode.extensions.getExtension('redhat.vscode-yaml') !== undefined },
    };
    const client = new LanguageClient('cmfPools', 'CMF Pools', serverOptions, clientOptions);
    client.onNotification(POOL_DOCUMENT_NOTIFICATION, (p: PoolDocumentParams) => {
      const had = this.pools.has(p.uri);
      if (p.isPool) this.pools.add(p.uri);
      else this.pools.delete(p.uri);
      if (had !== p.isPool) this.changed.fire(vscode.Uri.parse(p.uri));
    });
    await client.start();
    await client.sendNotification(ENVIRONMENT_DEFAULTS_NOTIFICATION, this.defaults);
    return client;
  }

  /** The selected environment's computePoolDefaults, for the effective-pool validation (sent once the server runs). */
  async setEnvironmentDefaults(defaults: PoolDefaults | null): Promise<void> {
    this.defaults = { defaults };
    if (!this.client) return;
    const client = await this.client;
    await client.sendNotification(ENVIRONMENT_DEFAULTS_NOTIFICATION, this.defaults);
  }

  async lint(file: PoolFileInput, defaults?: PoolDefaults | null): Promise<LintResponse> {
    const client = await this.start();
    const params: LintParams = { uri: file.uri, languageId: file.languageId, text: file.text, defaults: defaults ?? null };
    const r = await client.sendRequest<LintResponse | null>(LINT_REQUEST, params);
    if (!r) throw new Error(`The language server could not lint ${file.path}; see the CMF Pools log.`);
    return r;
  }

  async locateFields(file: PoolFileInput, messages: string[], line?: number): Promise<FieldProblem[]> {
    const client = await this.start();
    const params: LocateFieldsParams = { languageId: file.languageId, text: file.text, messages, line };
    return (await client.sendRequest<LocateFieldsResponse>(LOCATE_FIELDS_REQUEST, params)) ?? [];
  }

  async poolText(value: unknown, format: 'json' | 'yaml'): Promise<string> {
    const client = await this.start();
    const r = await client.sendRequest<PoolTextResponse | null>(POOL_TEXT_REQUEST, { value, format } satisfies PoolTextParams);
    if (!r) throw new Error('The language server could not write the pool as text; see the CMF Pools log.');
    return r.text;
  }

  async newPool(options: NewPoolParams): Promise<string> {
    const client = await this.start();
    const r = await client.sendRequest<NewPoolResponse | null>(NEW_POOL_REQUEST, options);
    if (!r) throw new Error('The language server could not write a new pool; see the CMF Pools log.');
    return r.text;
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await (await client.catch(() => undefined))?.stop();
  }

  dispose(): void {
    for (const d of this.subscriptions.splice(0)) d.dispose();
    void this.stop();
  }
}
