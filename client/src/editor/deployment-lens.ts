/**
 * A CodeLens at the top of each pool of a file (a multi-document YAML file may hold several): its deployment
 * state against the selected connection and environment — not deployed / in sync / differs — with Deploy and
 * Compare. A CFK FlinkComputePool gets a read-only lens (CFK syncs it; no Deploy) against its
 * spec.flinkEnvironment, when the selected connection has the pool. Reads only: the environment
 * and the live pool are fetched (GET) at most once per `ttlMs` per pool name, and the file is compared
 * locally on every edit with the lifecycle's own comparison.
 */
import * as vscode from 'vscode';
import { deploymentStates, fetchDeployed, type Deployed, type DeploymentState } from '../commands/deploy';
import { poolFileInput } from '../language/language-client';
import type { PoolLanguage } from '../language/pool-language';
import type { ConnectionRegistry } from '../connections/registry';

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
    const sel = this.registry.selection();
    const ac = new AbortController();
    const sub = token.onCancellationRequested(() => ac.abort());
    try {
      const states = await deploymentStates(
        { registry: this.registry, language: this.language },
        poolFileInput(doc),
        (t, signal) => this.deployed(t.connection, t.environment, t.pool, signal ?? ac.signal),
        ac.signal,
      );
      if (token.isCancellationRequested) return [];
      return states.flatMap((s) => {
        const where = s.state.kind === 'no-target' || s.state.kind === 'invalid' || !s.state.target ? '' : `${s.state.target.environment} (${s.state.target.connection})`;
        const range = new vscode.Range(s.line, 0, s.line, 0);
        const commands = s.cfk ? cfkLensesFor(s.state, where, doc.uri, s.index) : lensesFor(s.state, where || `${sel?.environment} (${sel?.connection})`, doc.uri, s.index);
        return commands.map((c) => new vscode.CodeLens(range, c));
      });
    } finally {
      sub.dispose();
    }
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}

/** The lens commands for a state (the titles are what the user sees); `index` says which pool of the file. */
function lensesFor(state: DeploymentState, where: string, uri: vscode.Uri, index: number): vscode.Command[] {
  const deploy: vscode.Command = { title: 'Deploy', command: 'cmfPools.deployPool', arguments: [uri, index] };
  const compare: vscode.Command = { title: 'Compare', command: 'cmfPools.compareWithDeployed', arguments: [uri, index] };
  switch (state.kind) {
    case 'no-target':
      return [{ title: '$(plug) CMF: select a connection and environment to see the deployment state', command: 'cmfPools.selectConnection' }];
    case 'invalid':
      return [];
    case 'not-deployed':
      return [{ ...deploy, title: `$(cloud-upload) Not deployed to ${where}` }, deploy];
    case 'in-sync':
      return [{ ...compare, title: `$(check) In sync with ${where}${state.phase ? ` · ${state.phase}` : ''}` }, compare];
    case 'differs': {
      const n = state.changedPaths.length;
      return [{ ...compare, title: `$(diff) Differs from ${where}: ${n} field${n === 1 ? '' : 's'}`, tooltip: state.changedPaths.join('\n') }, deploy, compare];
    }
    case 'type-differs':
      return [{ ...compare, title: `$(error) spec.type differs from the pool deployed to ${where}`, tooltip: state.message }, compare];
    case 'unknown':
      return [{ title: `$(warning) Deployment state on ${where} unknown: ${state.message}`, command: 'cmfPools.showLog' }];
  }
}

/** A CFK manifest's lens: read-only (CFK syncs the pool; no Deploy), and only when the connection has the pool. */
function cfkLensesFor(state: DeploymentState, where: string, uri: vscode.Uri, index: number): vscode.Command[] {
  const compare: vscode.Command = { title: 'Compare', command: 'cmfPools.compareWithDeployed', arguments: [uri, index] };
  const tooltip = 'Confluent for Kubernetes owns this pool and syncs it to CMF: change it with kubectl apply (or your GitOps tool), not from here.';
  switch (state.kind) {
    case 'no-target':
      return [{ title: '$(plug) CMF: select a connection to see how CMF holds this CFK pool', command: 'cmfPools.selectConnection' }];
    case 'in-sync':
      return [{ ...compare, title: `$(check) Synced by CFK · in sync with ${where}${state.phase ? ` · ${state.phase}` : ''}`, tooltip }];
    case 'differs': {
      const n = state.changedPaths.length;
      return [{ ...compare, title: `$(diff) Synced by CFK · CMF's copy on ${where} differs: ${n} field${n === 1 ? '' : 's'}`, tooltip: `${tooltip}\n\n${state.changedPaths.join('\n')}` }, compare];
    }
    case 'type-differs':
      return [{ ...compare, title: `$(error) Synced by CFK · spec.type differs from CMF's copy on ${where}`, tooltip: state.message }];
    case 'unknown':
      return [{ title: `$(warning) Synced by CFK · state on ${where} unknown: ${state.message}`, command: 'cmfPools.showLog' }];
    case 'invalid':
    case 'not-deployed':
      return [];
  }
}
