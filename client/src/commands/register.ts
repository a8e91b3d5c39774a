/**
 * Registers every `cmfPools.*` command of the explorer and the pool files: turns VS Code's arguments (a
 * tree node, a file URI, nothing from the palette) into the logic's inputs, and nothing more.
 */
import * as vscode from 'vscode';
import { poolFileInput } from '../language/language-client';
import type { ExplorerModel, ExplorerNode, PoolNode, ConnectionNode, EnvironmentNode } from '../explorer/model';
import type { CommandContext, PoolTarget } from './context';
import { addConnection, editConnection, removeConnection, selectConnection, selectEnvironment } from './connection-commands';
import { compareWithDeployed, copyDeployAsCurl, deployPool, type PoolFileInput } from './deploy';
import type { LintResponse } from '../language/pool-language';
import { copyAsCurl, deletePool, forceDeletePool, openPoolAsFile, resumePool, suspendPool } from './pool-commands';
import type { LocalCmfSession } from './local-cmf';
import type { WebUiForwards } from './web-ui';
import { reportFailure } from './context';

export interface RegisterOptions {
  ctx: CommandContext;
  model: ExplorerModel;
  view: vscode.TreeView<ExplorerNode>;
  local: LocalCmfSession;
  webUi: WebUiForwards;
  log: vscode.LogOutputChannel;
  /** After a full refresh: re-read the environment defaults, redraw CodeLenses. */
  onRefresh(): void;
}

function isNode<K extends ExplorerNode['kind']>(arg: unknown, kind: K): arg is Extract<ExplorerNode, { kind: K }> {
  return typeof arg === 'object' && arg !== null && (arg as { kind?: unknown }).kind === kind && typeof (arg as { id?: unknown }).id === 'string';
}

function poolTarget(node: PoolNode): PoolTarget {
  return { connection: node.connection, environment: node.environment, pool: node.pool.metadata.name };
}

/** The document a file command works on: its URI argument, or the active editor, when the language server says it is a pool. */
async function poolDocument(o: RegisterOptions, arg: unknown): Promise<{ doc: vscode.TextDocument; file: PoolFileInput; linted: LintResponse } | undefined> {
  let doc: vscode.TextDocument | undefined;
  if (arg instanceof vscode.Uri) doc = await vscode.workspace.openTextDocument(arg);
  else doc = vscode.window.activeTextEditor?.document;
  if (!doc) {
    void o.ctx.ui.error('Open a compute pool file first: JSON or YAML with kind ComputePool (or CFK\'s FlinkComputePool), or a file matching cmfPools.files such as *.pool.json or *.pool.yaml.');
    return undefined;
  }
  const file = poolFileInput(doc);
  const linted = await o.ctx.language.lint(file);
  if (!linted.isPool) {
    void o.ctx.ui.error(`${file.path.split(/[\\/]/).pop()} is not a compute pool file: it needs kind ComputePool (or FlinkComputePool) at the top level of a document, or a name matching cmfPools.files.`);
    return undefined;
  }
  return { doc, file, linted };
}

export function registerCommands(o: RegisterOptions): vscode.Disposable[] {
  const { ctx, model, view } = o;
  const reg = (id: string, fn: (...args: unknown[]) => unknown) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await fn(...args);
      } catch (e) {
        await reportFailure(ctx, `The command ${id}`, e);
        return undefined;
      }
    });
  const poolCommand = (id: string, fn: (t: PoolTarget, node: PoolNode) => Promise<unknown>) =>
    reg(id, async (arg) => {
      if (!isNode(arg, 'pool')) {
        void ctx.ui.info('Run this command on a compute pool in the CMF explorer.');
        return;
      }
      return fn(poolTarget(arg), arg);
    });
  const setFilter = async (text: string) => {
    model.setFilter(text);
    view.description = text ? `filter: ${text}` : undefined;
    await vscode.commands.executeCommand('setContext', 'cmfPools.filtered', !!text);
  };

  return [
    // Connections
    reg('cmfPools.addConnection', () => addConnection(ctx)),
    reg('cmfPools.editConnection', (arg) => editConnection(ctx, isNode(arg, 'connection') ? arg.connection.name : undefined)),
    reg('cmfPools.removeConnection', async (arg) => {
      const name = isNode(arg, 'connection') ? arg.connection.name : undefined;
      const conn = name ? ctx.registry.get(name) : undefined;
      if (conn?.local) return o.local.stop(ctx);
      return removeConnection(ctx, name);
    }),
    reg('cmfPools.selectConnection', (arg) => selectConnection(ctx, isNode(arg, 'connection') ? (arg as ConnectionNode).connection.name : undefined)),
    reg('cmfPools.selectEnvironment', (arg) => (isNode(arg, 'environment') ? selectEnvironment(ctx, (arg as EnvironmentNode).connection, arg.environment.name) : selectConnection(ctx))),

    // The explorer
    reg('cmfPools.refresh', (arg) => {
      if (arg && typeof arg === 'object' && 'id' in (arg as object)) model.refresh(arg as ExplorerNode);
      else {
        model.refresh();
        o.onRefresh();
      }
    }),
    reg('cmfPools.filter', async () => {
      const text = await vscode.window.showInputBox({ title: 'Filter the CMF explorer', prompt: 'Show compute pools and statements whose name contains this text (empty: show all)', value: model.filter });
      if (text !== undefined) await setFilter(text);
    }),
    reg('cmfPools.clearFilter', () => setFilter('')),
    reg('cmfPools.showLog', () => o.log.show(true)),

    // Pool files
    // A CodeLens passes the URI and which pool of the file (the index among its pools).
    reg('cmfPools.deployPool', async (arg, index) => {
      const d = await poolDocument(o, arg);
      if (d) return deployPool(ctx, d.file, undefined, typeof index === 'number' ? index : undefined);
    }),
    reg('cmfPools.compareWithDeployed', async (arg, index) => {
      const d = await poolDocument(o, arg);
      if (d) return compareWithDeployed(ctx, d.file, undefined, typeof index === 'number' ? index : undefined);
    }),
    reg('cmfPools.copyDeployAsCurl', async (arg, index) => {
      const d = await poolDocument(o, arg);
      if (!d) return;
      const relative = d.doc.uri.scheme === 'file' ? vscode.workspace.asRelativePath(d.doc.uri) : 'pool.json';
      return copyDeployAsCurl(ctx, d.file, relative, typeof index === 'number' ? index : undefined);
    }),

    // Pools in the tree
    poolCommand('cmfPools.suspendPool', (t) => suspendPool(ctx, t)),
    poolCommand('cmfPools.resumePool', (t) => resumePool(ctx, t)),
    poolCommand('cmfPools.deletePool', (t) => deletePool(ctx, t)),
    poolCommand('cmfPools.forceDeletePool', (t) => forceDeletePool(ctx, t)),
    poolCommand('cmfPools.openPoolAsFile', (t) => openPoolAsFile(ctx, t)),
    poolCommand('cmfPools.copyAsCurl', (t) => copyAsCurl(ctx, t)),
    poolCommand('cmfPools.openFlinkWebUi', (t) => o.webUi.open(ctx, t)),

    // The local CMF
    reg('cmfPools.tryLocalCmf', async () => {
      await o.local.start(ctx);
      await vscode.commands.executeCommand('setContext', 'cmfPools.localCmfRunning', o.local.running);
    }),
    reg('cmfPools.stopLocalCmf', async () => {
      await o.local.stop(ctx);
      await vscode.commands.executeCommand('setContext', 'cmfPools.localCmfRunning', false);
    }),
  ];
}

/** Reveals statements in the tree (after a blocked delete or suspend): expands the pool, selects the first. */
export async function revealStatements(model: ExplorerModel, view: vscode.TreeView<ExplorerNode>, connection: string, environment: string, pool: string, statements: string[]): Promise<void> {
  const poolNode = model.findPool(connection, environment, pool);
  if (!poolNode) return;
  await view.reveal(poolNode, { expand: true, focus: false, select: false });
  await model.children(poolNode);
  const first = statements.map((s) => model.findStatement(connection, environment, s)).find((n) => n);
  if (first) await view.reveal(first, { select: true, focus: true });
}
