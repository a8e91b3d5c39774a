/**
 * Activation: starts the pool language server over IPC for JSON documents. The server decides which
 * documents are compute pools (top-level kind ComputePool, or cmfPools.files); other JSON is left alone.
 * Then the CMF side: connections, the explorer, the status bar, the pool files' CodeLens and the commands
 * (wired in `activatePools`; their logic lives in commands/, explorer/, connections/ without vscode).
 */
import * as path from 'node:path';
import type { ExtensionContext } from 'vscode';
import * as vscode from 'vscode';
import { registerNewPoolFile } from './commands/new-pool-file';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ENVIRONMENT_DEFAULTS_NOTIFICATION, type EnvironmentDefaultsParams } from '../../server/src/protocol';
import { parseDocument } from '../../language-service/src/document';
import { isPoolDocument } from '../../language-service/src/service';
import { ResolvedSettings, normalizeSettings } from '../../language-service/src/settings';
import { ConnectionRegistry } from './connections/registry';
import { VsCodeSettings, channelLogger, secretPort, statePort } from './connections/vscode-ports';
import { ExplorerModel, type ExplorerNode } from './explorer/model';
import { PoolTreeProvider } from './explorer/tree';
import { ConnectionStatusBar } from './explorer/status-bar';
import { DeploymentLens } from './editor/deployment-lens';
import { RejectionDiagnostics } from './editor/rejections';
import { selectedEnvironmentDefaults } from './editor/environment-defaults';
import { DiffDocuments, DIFF_SCHEME, VsCodeUi } from './commands/vscode-ui';
import { OperationGuard } from './commands/guard';
import { LocalCmfSession } from './commands/local-cmf';
import { WebUiForwards } from './commands/web-ui';
import { registerCommands, revealStatements } from './commands/register';
import type { CommandContext } from './commands/context';

let client: LanguageClient | undefined;
let stopPools: (() => Promise<void>) | undefined;

/**
 * What `activate()` returns to the end-to-end suite, and only to it: only when VS Code runs the extension
 * for its tests (`ExtensionMode.Test`: an extension under development started with extensionTestsPath),
 * never in an installed extension, so nothing a workspace or another extension can reach. The suite reads
 * the explorer through the same provider and view VS Code renders, and checks where a token went.
 */
export interface CmfPoolsTestApi {
  explorer: PoolTreeProvider;
  view: vscode.TreeView<ExplorerNode>;
  secrets: vscode.SecretStorage;
}

export async function activate(context: ExtensionContext): Promise<CmfPoolsTestApi | undefined> {
  context.subscriptions.push(registerNewPoolFile(vscode));
  const clientReady = new Deferred<LanguageClient>();
  const pools = activatePools(context, clientReady.promise);
  stopPools = pools.stop;
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'json' },
      { scheme: 'file', language: 'jsonc' },
      { scheme: 'untitled', language: 'json' },
      { scheme: 'untitled', language: 'jsonc' },
    ],
    synchronize: { configurationSection: 'cmfPools' },
    diagnosticCollectionName: 'cmf-pools',
  };
  client = new LanguageClient('cmfPools', 'CMF Pools', serverOptions, clientOptions);
  await client.start();
  clientReady.resolve(client);
  context.subscriptions.push({ dispose: () => void client?.stop() });
  return context.extensionMode === vscode.ExtensionMode.Test ? { explorer: pools.tree, view: pools.view, secrets: context.secrets } : undefined;
}

export async function deactivate(): Promise<void> {
  await stopPools?.();
  stopPools = undefined;
  await client?.stop();
  client = undefined;
}

class Deferred<T> {
  resolve!: (v: T) => void;
  readonly promise = new Promise<T>((r) => (this.resolve = r));
}

/** `cmfPools.*` lint settings for a file (what the language server uses for it). */
function lintSettings(uri?: vscode.Uri): ResolvedSettings {
  const c = vscode.workspace.getConfiguration('cmfPools', uri);
  return new ResolvedSettings(normalizeSettings({ files: c.get('files'), rules: c.get('rules'), allowedImages: c.get('allowedImages') }));
}

function pathToUri(p?: string): vscode.Uri | undefined {
  if (!p) return undefined;
  return /^[a-z][a-z0-9+.-]+:/i.test(p) && !/^[a-z]:[\\/]/i.test(p) ? vscode.Uri.parse(p) : vscode.Uri.file(p);
}

/**
 * The CMF side of the extension. Connections come from user/machine settings and SecretStorage only, so an
 * untrusted workspace changes nothing here; every write to CMF starts from a user's command. Returns what
 * to run on deactivation (stop the local CMF and the web UI forwards, close connections), and the tree
 * and its view (for the test API).
 */
function activatePools(
  context: ExtensionContext,
  languageClient: Promise<LanguageClient>,
): { stop: () => Promise<void>; tree: PoolTreeProvider; view: vscode.TreeView<ExplorerNode> } {
  const channel = vscode.window.createOutputChannel('CMF Pools', { log: true });
  const log = channelLogger(channel);
  const registry = new ConnectionRegistry({ settings: new VsCodeSettings(), secrets: secretPort(context.secrets), state: statePort(context.workspaceState), log });
  for (const p of registry.problems()) log.warn(p);

  const pollSeconds = () => vscode.workspace.getConfiguration('cmfPools').get<number>('explorer.pollInterval') ?? 5;
  const model = new ExplorerModel({ registry, log, pollIntervalMs: () => Math.max(1, pollSeconds()) * 1000 });
  const tree = new PoolTreeProvider(model);
  const view = vscode.window.createTreeView('cmfPools.explorer', { treeDataProvider: tree, showCollapseAll: true });
  model.poller.setVisible(view.visible);

  const isPool = (doc: vscode.TextDocument) =>
    (doc.languageId === 'json' || doc.languageId === 'jsonc') &&
    isPoolDocument(parseDocument(TextDocument.create(doc.uri.toString(), 'json', doc.version, doc.getText())), doc.uri.scheme === 'file' ? doc.uri.fsPath : doc.uri.path, lintSettings(doc.uri));
  const lens = new DeploymentLens(registry, isPool);
  const rejections = new RejectionDiagnostics();
  const diffDocs = new DiffDocuments();
  // The product build of the local CMF, run in a process of its own (never in the extension host).
  const local = new LocalCmfSession({ script: context.asAbsolutePath(path.join('dist', 'local-cmf.js')) });
  const webUi = new WebUiForwards();

  const ctx: CommandContext = {
    ui: new VsCodeUi(diffDocs, channel),
    registry,
    log,
    guard: new OperationGuard(),
    lintSettings: (p) => lintSettings(pathToUri(p)),
    rejections,
    onPoolWritten: () => lens.invalidate(),
    explorer: {
      poolChanged: (c, e) => model.poolChanged(c, e),
      refresh: () => model.refresh(),
      revealStatements: (c, e, p, s) => revealStatements(model, view, c, e, p, s),
    },
  };

  // The editor validates the effective pool: the selected environment's computePoolDefaults under the file.
  let defaultsRound = 0;
  const syncDefaults = async () => {
    const round = ++defaultsRound;
    const defaults = await selectedEnvironmentDefaults(registry, log);
    const lc = await languageClient;
    if (round !== defaultsRound) return; // a newer selection is on its way
    const params: EnvironmentDefaultsParams = { defaults };
    await lc.sendNotification(ENVIRONMENT_DEFAULTS_NOTIFICATION, params).catch((e: unknown) => log.warn(`Could not send the environment defaults to the language server: ${String(e)}`));
  };
  let activeIsPool: boolean | undefined;
  const setActivePool = () => {
    const doc = vscode.window.activeTextEditor?.document;
    const is = !!doc && isPool(doc);
    if (is !== activeIsPool) void vscode.commands.executeCommand('setContext', 'cmfPools.activeEditorIsPool', (activeIsPool = is));
  };
  const setContexts = () => {
    void vscode.commands.executeCommand('setContext', 'cmfPools.hasConnections', registry.list().length > 0);
    void vscode.commands.executeCommand('setContext', 'cmfPools.localCmfRunning', local.running);
  };

  context.subscriptions.push(
    channel,
    tree,
    view,
    new ConnectionStatusBar(registry),
    lens,
    rejections,
    vscode.window.registerFileDecorationProvider(tree),
    vscode.workspace.registerTextDocumentContentProvider(DIFF_SCHEME, diffDocs),
    vscode.languages.registerCodeLensProvider(['file', 'untitled'].flatMap((scheme) => [{ scheme, language: 'json' }, { scheme, language: 'jsonc' }]), lens),
    view.onDidChangeVisibility((e) => model.poller.setVisible(e.visible)),
    view.onDidCollapseElement((e) => model.collapsed(e.element)),
    registry.onDidChange(() => {
      model.refresh();
      setContexts();
      void syncDefaults();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('cmfPools.connections') || e.affectsConfiguration('http.proxy') || e.affectsConfiguration('http.noProxy') || e.affectsConfiguration('http.proxySupport')) {
        void registry.settingsChanged();
      }
    }),
    vscode.workspace.onDidSaveTextDocument((doc) => {
      if (isPool(doc)) lens.invalidate();
    }),
    // For the editor title's Deploy and Compare buttons: is the active editor a pool file?
    vscode.window.onDidChangeActiveTextEditor(() => setActivePool()),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === vscode.window.activeTextEditor?.document) setActivePool();
    }),
    ...registerCommands({
      ctx,
      model,
      view,
      local,
      webUi,
      log: channel,
      lintSettings,
      onRefresh: () => {
        lens.invalidate();
        void syncDefaults();
      },
    }),
  );
  setContexts();
  setActivePool();
  void syncDefaults();

  const stop = async () => {
    model.dispose();
    await webUi.dispose();
    await local.stop();
    await registry.dispose();
  };
  return { stop, tree, view };
}
