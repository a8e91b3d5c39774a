/**
 * Activation: registers the explorer, the commands and the pool files' CodeLens, and nothing heavy. The pool
 * language server starts when the first document that may be a pool is open (language/language-client.ts); it
 * decides which documents are compute pools (top-level kind ComputePool, or cmfPools.files), and other JSON
 * is left alone. The CMF side (connections, the explorer, the commands) is wired in `activatePools`; its logic
 * lives in commands/, explorer/ and connections/ without vscode, and loads undici only for its first request.
 */
import type { ExtensionContext } from 'vscode';
import * as vscode from 'vscode';
import { registerNewPoolFile } from './commands/new-pool-file';
import { POOL_LANGUAGES, PoolLanguageClient } from './language/language-client';
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

export function activate(context: ExtensionContext): CmfPoolsTestApi | undefined {
  const pools = activatePools(context);
  stopPools = pools.stop;
  return context.extensionMode === vscode.ExtensionMode.Test ? { explorer: pools.tree, view: pools.view, secrets: context.secrets } : undefined;
}

export async function deactivate(): Promise<void> {
  await stopPools?.();
  stopPools = undefined;
}

/**
 * The CMF side of the extension. Connections come from user/machine settings and SecretStorage only, so an
 * untrusted workspace changes nothing here; every write to CMF starts from a user's command. Returns what
 * to run on deactivation (stop the local CMF and the web UI forwards, close connections), and the tree
 * and its view (for the test API).
 */
function activatePools(context: ExtensionContext): { stop: () => Promise<void>; tree: PoolTreeProvider; view: vscode.TreeView<ExplorerNode> } {
  const channel = vscode.window.createOutputChannel('CMF Pools', { log: true });
  const log = channelLogger(channel);
  const language = new PoolLanguageClient(context, log);
  const registry = new ConnectionRegistry({ settings: new VsCodeSettings(), secrets: secretPort(context.secrets), state: statePort(context.workspaceState), log });
  for (const p of registry.problems()) log.warn(p);

  const pollSeconds = () => vscode.workspace.getConfiguration('cmfPools').get<number>('explorer.pollInterval') ?? 5;
  const model = new ExplorerModel({ registry, log, pollIntervalMs: () => Math.max(1, pollSeconds()) * 1000 });
  const tree = new PoolTreeProvider(model);
  const view = vscode.window.createTreeView('cmfPools.explorer', { treeDataProvider: tree, showCollapseAll: true });
  model.poller.setVisible(view.visible);

  const isPool = (doc: vscode.TextDocument) => language.isPool(doc);
  const lens = new DeploymentLens(registry, language, (doc) => language.mightBePool(doc));
  const rejections = new RejectionDiagnostics();
  const diffDocs = new DiffDocuments();
  // The product build of the local CMF, run in a process of its own (never in the extension host).
  const local = new LocalCmfSession({ script: context.asAbsolutePath('dist/local-cmf.js') });
  const webUi = new WebUiForwards();

  const ctx: CommandContext = {
    ui: new VsCodeUi(diffDocs, channel),
    registry,
    log,
    guard: new OperationGuard(),
    language,
    rejections,
    memory: statePort(context.globalState),
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
    if (round !== defaultsRound) return; // a newer selection is on its way
    await language.setEnvironmentDefaults(defaults).catch((e: unknown) => log.warn(`Could not send the environment defaults to the language server: ${String(e)}`));
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
    language,
    registerNewPoolFile(vscode, language),
    language.onDidChangePoolDocument((uri) => {
      lens.redraw();
      if (uri.toString() === vscode.window.activeTextEditor?.document.uri.toString()) setActivePool();
    }),
    tree,
    view,
    new ConnectionStatusBar(registry),
    lens,
    rejections,
    vscode.window.registerFileDecorationProvider(tree),
    vscode.workspace.registerTextDocumentContentProvider(DIFF_SCHEME, diffDocs),
    vscode.languages.registerCodeLensProvider(['file', 'untitled'].flatMap((scheme) => POOL_LANGUAGES.map((language) => ({ scheme, language }))), lens),
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
    await language.stop();
    model.dispose();
    await webUi.dispose();
    await local.stop();
    await registry.dispose();
  };
  return { stop, tree, view };
}
