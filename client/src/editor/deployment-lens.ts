/**
 * A CodeLens at the top of each pool file: its deployment state against the selected connection and
 * environment — not deployed / in sync / differs — with Deploy and Compare. Reads only: the environment
 * and the live pool are fetched (GET) at most once per `ttlMs` per pool name, and the file is compared
 * locally on every edit with the lifecycle's own comparison.
 */
import * as vscode from 'vscode';
import { compareDeployed, fetchDeployed, poolNameOf, type Deployed, type DeploymentState } from '../commands/deploy';
import { poolFileInput } from '../language/language-client';
import type { PoolLanguage } from '../language/pool-language';
import type { ConnectionRegistry } from '../connections/registry';
import { shortReason } from '../explorer/model';
import { CmfError } from '../../../cmf-client/src/errors';

export class DeploymentLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly cache = new Map<string, { at: number; value: Promise<Deployed> }>();
  private readonly sub: { dispose(): void };

  constructor(
    private readonly registry: ConnectionRegistry,
    private readonly language: PoolLanguage,
    /** A first look at a document: false when it cannot be a pool, so nothing is asked of the server. */
    private readonly mightBePool: (doc: vscode.TextDocument) => boolean,
    private readonly ttlMs = 20_000,
  ) {
    this.sub = registry.onDidChange(() => this.invalidate());
  }

  /** Forget what was fetched (after a deploy, a refresh, a new selection) and ask VS Code to redraw. */
  invalidate(): void {
    this.cache.clear();
    this.changed.fire();
  }

  /** Ask VS Code to redraw (a document became a pool, or stopped being one): nothing is fetched again. */
  redraw(): void {
    this.changed.fire();
  }

  private deployed(connection: string, environment: string, pool: string, signal: AbortSignal): Promise<Deployed> {
    const key = JSON.stringify([connection, environment, pool]);
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.value;
    const value = fetchDeployed({ registry: this.registry }, { connection, environment, pool }, signal);
    this.cache.set(key, { at: Date.now(), value });
    value.catch(() => this.cache.delete(key));
    return value;
  }

  async provideCodeLenses(doc: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    if (!this.mightBePool(doc)) return [];
    const file = poolFileInput(doc);
    const answer = await this.language.lint(file);
    if (!answer.isPool || token.isCancellationRequested) return [];
    const range = new vscode.Range(0, 0, 0, 0);
    const sel = this.registry.selection();
    if (!sel?.environment) {
      return [new vscode.CodeLens(range, { title: '$(plug) CMF: select a connection and environment to see the deployment state', command: 'cmfPools.selectConnection' })];
    }
    const linted = { label: file.path, ...answer.pool };
    const parsed = poolNameOf(linted);
    if ('problem' in parsed || token.isCancellationRequested) return [];
    const ac = new AbortController();
    const sub = token.onCancellationRequested(() => ac.abort());
    let state: DeploymentState;
    try {
      state = compareDeployed(linted, await this.deployed(sel.connection, sel.environment, parsed.name, ac.signal));
    } catch (e) {
      state = { kind: 'unknown', message: e instanceof CmfError ? shortReason(e) : e instanceof Error ? e.message : String(e) };
    } finally {
      sub.dispose();
    }
    return lensesFor(state, `${sel.environment} (${sel.connection})`, doc.uri).map((c) => new vscode.CodeLens(range, c));
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}

/** The lens commands for a state (exported for readability; the titles are what the user sees). */
function lensesFor(state: DeploymentState, where: string, uri: vscode.Uri): vscode.Command[] {
  const deploy: vscode.Command = { title: 'Deploy', command: 'cmfPools.deployPool', arguments: [uri] };
  const compare: vscode.Command = { title: 'Compare', command: 'cmfPools.compareWithDeployed', arguments: [uri] };
  switch (state.kind) {
    case 'no-target':
    case 'invalid':
      return [];
    case 'not-deployed':
      return [{ title: `$(cloud-upload) Not deployed to ${where}`, command: 'cmfPools.deployPool', arguments: [uri] }, deploy];
    case 'in-sync':
      return [{ title: `$(check) In sync with ${where}${state.phase ? ` · ${state.phase}` : ''}`, command: 'cmfPools.compareWithDeployed', arguments: [uri] }, compare];
    case 'differs': {
      const n = state.changedPaths.length;
      return [
        { title: `$(diff) Differs from ${where}: ${n} field${n === 1 ? '' : 's'}`, tooltip: state.changedPaths.join('\n'), command: 'cmfPools.compareWithDeployed', arguments: [uri] },
        deploy,
        compare,
      ];
    }
    case 'type-differs':
      return [{ title: `$(error) spec.type differs from the pool deployed to ${where}`, tooltip: state.message, command: 'cmfPools.compareWithDeployed', arguments: [uri] }, compare];
    case 'unknown':
      return [{ title: `$(warning) Deployment state on ${where} unknown: ${state.message}`, command: 'cmfPools.showLog' }];
  }
}
