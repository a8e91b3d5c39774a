/**
 * The explorer's model: connection -> environments -> compute pools -> statements, fetched from CMF as
 * the tree asks, with stable node objects (so one node can be refreshed), placeholders and errors as
 * nodes, a name filter, and polling of unsettled pools and statements. No vscode import: tree.ts adapts
 * it to a TreeDataProvider, and the tests drive it against the local CMF.
 */
import { CmfError } from '../../../cmf-client/src/errors';
import type { ComputePool, Environment, Statement } from '../../../cmf-model/src/types';
import type { ConnectionConfig } from '../connections/config';
import type { ConnectionRegistry, Logger } from '../connections/registry';
import { Poller, type PollerTimers } from './poller';
import {
  connectionView,
  environmentView,
  isPoolUnsettled,
  isStatementUnsettled,
  messageView,
  poolView,
  statementView,
  type NodeView,
} from './present';

export interface ConnectionNode {
  kind: 'connection';
  id: string;
  parent: undefined;
  connection: ConnectionConfig;
}
export interface EnvironmentNode {
  kind: 'environment';
  id: string;
  parent: ConnectionNode;
  connection: string;
  environment: Environment;
}
export interface PoolNode {
  kind: 'pool';
  id: string;
  parent: EnvironmentNode;
  connection: string;
  environment: string;
  pool: ComputePool;
}
export interface StatementNode {
  kind: 'statement';
  id: string;
  parent: PoolNode;
  connection: string;
  environment: string;
  statement: Statement;
}
export interface MessageNode {
  kind: 'message';
  id: string;
  parent: ExplorerNode;
  role: 'placeholder' | 'error';
  text: string;
  detail?: string;
  command?: NodeView['command'];
}
export type ExplorerNode = ConnectionNode | EnvironmentNode | PoolNode | StatementNode | MessageNode;

/** Command ids the model's nodes point at (registered by the extension). */
const EXPLORER_COMMANDS = {
  refresh: 'cmfPools.refresh',
  editConnection: 'cmfPools.editConnection',
  clearFilter: 'cmfPools.clearFilter',
  newPoolFile: 'cmfPools.newPoolFile',
} as const;

export interface ExplorerModelOptions {
  registry: ConnectionRegistry;
  log: Logger;
  /** Base polling interval in ms (the `cmfPools.explorer.pollInterval` setting). */
  pollIntervalMs: () => number;
  maxPollIntervalMs?: number;
  timers?: PollerTimers;
}

type ChangeListener = (node: ExplorerNode | undefined) => void;

const nodeId = (...parts: string[]) => JSON.stringify(parts);

export class ExplorerModel {
  private readonly nodes = new Map<string, ExplorerNode>();
  private readonly listeners = new Set<ChangeListener>();
  /** Unsettled pools and statements shown in the tree, by node id. */
  private readonly unsettled = new Map<string, PoolNode | StatementNode>();
  private filterText = '';
  readonly poller: Poller;

  constructor(private readonly opts: ExplorerModelOptions) {
    this.poller = new Poller({
      intervalMs: opts.pollIntervalMs,
      maxIntervalMs: opts.maxPollIntervalMs ?? 60_000,
      tick: () => this.poll(),
      timers: opts.timers,
      onError: (e) => opts.log.warn(`Polling failed: ${(e as Error).message}`),
    });
  }

  onDidChange(listener: ChangeListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private fire(node: ExplorerNode | undefined): void {
    for (const l of [...this.listeners]) l(node);
  }

  /** Refreshes one node (and what is under it), or the whole tree. */
  refresh(node?: ExplorerNode): void {
    if (!node) {
      this.unsettled.clear();
      this.poller.update(0);
    }
    this.fire(node);
  }

  get filter(): string {
    return this.filterText;
  }

  /** Shows only pools and statements whose name contains `text` (case-insensitive); '' shows everything. */
  setFilter(text: string): void {
    this.filterText = text.trim();
    this.refresh();
  }

  private matches(name: string): boolean {
    return !this.filterText || name.toLowerCase().includes(this.filterText.toLowerCase());
  }

  /** The node with this id, if it was shown. */
  node(id: string): ExplorerNode | undefined {
    return this.nodes.get(id);
  }

  findPool(connection: string, environment: string, pool: string): PoolNode | undefined {
    return this.nodes.get(nodeId('pool', connection, environment, pool)) as PoolNode | undefined;
  }

  findEnvironment(connection: string, environment: string): EnvironmentNode | undefined {
    return this.nodes.get(nodeId('environment', connection, environment)) as EnvironmentNode | undefined;
  }

  findStatement(connection: string, environment: string, statement: string): StatementNode | undefined {
    return this.nodes.get(nodeId('statement', connection, environment, statement)) as StatementNode | undefined;
  }

  /** After a command changed a pool: refresh its environment's list (which re-reads and re-tracks it). */
  poolChanged(connection: string, environment: string): void {
    const env = this.findEnvironment(connection, environment);
    this.fire(env);
  }

  /** A reused node object with fresh data, so VS Code keeps its expansion and selection. */
  private keep<T extends ExplorerNode>(fresh: T): T {
    const old = this.nodes.get(fresh.id);
    if (old && old.kind === fresh.kind) {
      Object.assign(old, fresh);
      return old as T;
    }
    this.nodes.set(fresh.id, fresh);
    return fresh;
  }

  private message(parent: ExplorerNode, role: 'placeholder' | 'error', key: string, text: string, detail?: string, command?: NodeView['command']): MessageNode {
    return this.keep<MessageNode>({ kind: 'message', id: nodeId('message', parent.id, key), parent, role, text, detail, command });
  }

  roots(): ConnectionNode[] {
    return this.opts.registry.list().map((c) => this.keep<ConnectionNode>({ kind: 'connection', id: nodeId('connection', c.name), parent: undefined, connection: c }));
  }

  /** The children of a node; errors and empty lists come back as message nodes, never as exceptions. */
  async children(node?: ExplorerNode): Promise<ExplorerNode[]> {
    if (!node) return this.roots();
    switch (node.kind) {
      case 'connection':
        return this.environments(node);
      case 'environment':
        return this.pools(node);
      case 'pool':
        return this.statements(node);
      default:
        return [];
    }
  }

  view(node: ExplorerNode): NodeView {
    const sel = this.opts.registry.selection();
    switch (node.kind) {
      case 'connection':
        return connectionView(node.connection, sel?.connection === node.connection.name);
      case 'environment':
        return environmentView(node.environment, sel?.connection === node.connection && sel.environment === node.environment.name);
      case 'pool':
        return poolView(node.pool);
      case 'statement':
        return statementView(node.statement);
      case 'message':
        return messageView(node.role, node.text, node.detail, node.command);
    }
  }

  parent(node: ExplorerNode): ExplorerNode | undefined {
    return node.parent;
  }

  private async environments(node: ConnectionNode): Promise<ExplorerNode[]> {
    const name = node.connection.name;
    let envs: Environment[];
    try {
      envs = await (await this.opts.registry.client(name)).listEnvironments();
    } catch (e) {
      return [this.errorNode(node, `Cannot reach ${name}`, e)];
    }
    if (envs.length === 0) {
      return [this.message(node, 'placeholder', 'empty', 'No environments on this CMF yet', 'Create one with `confluent flink environment create <name> --kubernetes-namespace <ns> --url <CMF URL>`, then refresh.')];
    }
    return envs
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((environment) => this.keep<EnvironmentNode>({ kind: 'environment', id: nodeId('environment', name, environment.name), parent: node, connection: name, environment }));
  }

  private async pools(node: EnvironmentNode): Promise<ExplorerNode[]> {
    const { connection } = node;
    const env = node.environment.name;
    let pools: ComputePool[];
    try {
      pools = await (await this.opts.registry.client(connection)).listComputePools(env);
    } catch (e) {
      return [this.errorNode(node, `Cannot list the compute pools of ${env}`, e)];
    }
    this.untrackUnder(node.id);
    if (pools.length === 0) {
      return [
        this.message(node, 'placeholder', 'empty', 'No compute pools — create a pool file and deploy it', 'Run "CMF: New Compute Pool File", then "CMF: Deploy Pool" with this environment selected.', {
          command: EXPLORER_COMMANDS.newPoolFile,
          title: 'New Compute Pool File',
        }),
      ];
    }
    const shown = pools.filter((p) => this.matches(p.metadata.name));
    if (shown.length === 0) return [this.filteredOut(node, pools.length)];
    const out = shown
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
      .map((pool) => this.keep<PoolNode>({ kind: 'pool', id: nodeId('pool', connection, env, pool.metadata.name), parent: node, connection, environment: env, pool }));
    for (const p of out) if (isPoolUnsettled(p.pool)) this.unsettled.set(p.id, p);
    this.poller.update(this.unsettled.size);
    return out;
  }

  private async statements(node: PoolNode): Promise<ExplorerNode[]> {
    const { connection, environment } = node;
    const pool = node.pool.metadata.name;
    let statements: Statement[];
    try {
      statements = await (await this.opts.registry.client(connection)).listStatements(environment, { computePool: pool });
    } catch (e) {
      return [this.errorNode(node, `Cannot list the statements of ${pool}`, e)];
    }
    this.untrackUnder(node.id);
    if (statements.length === 0) return [this.message(node, 'placeholder', 'empty', 'No statements run on this pool')];
    const shown = statements.filter((s) => this.matches(s.metadata.name) || this.matches(pool));
    if (shown.length === 0) return [this.filteredOut(node, statements.length)];
    const out = shown
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
      .map((statement) =>
        this.keep<StatementNode>({ kind: 'statement', id: nodeId('statement', connection, environment, statement.metadata.name), parent: node, connection, environment, statement }),
      );
    for (const s of out) if (isStatementUnsettled(s.statement)) this.unsettled.set(s.id, s);
    this.poller.update(this.unsettled.size);
    return out;
  }

  private filteredOut(node: ExplorerNode, total: number): MessageNode {
    return this.message(node, 'placeholder', 'filtered', `Nothing matches "${this.filterText}" (${total} hidden)`, undefined, { command: EXPLORER_COMMANDS.clearFilter, title: 'Clear Filter' });
  }

  private errorNode(parent: ExplorerNode, what: string, e: unknown): MessageNode {
    const message = e instanceof Error ? e.message : String(e);
    this.opts.log.error(`${what}: ${message}`);
    const short = e instanceof CmfError ? shortReason(e) : message;
    return this.message(parent, 'error', 'error', `${what}: ${short} — click to retry`, message, { command: EXPLORER_COMMANDS.refresh, title: 'Retry', arguments: [parent] });
  }

  /** Stops tracking what was under a node (it was re-listed or collapsed). */
  untrackUnder(id: string): void {
    for (const [k, n] of this.unsettled) {
      let p: ExplorerNode | undefined = n.parent;
      while (p && p.id !== id) p = p.parent;
      if (p) this.unsettled.delete(k);
    }
    this.poller.update(this.unsettled.size);
  }

  /** The node was collapsed in the view: its unsettled descendants need no polling. */
  collapsed(node: ExplorerNode): void {
    this.untrackUnder(node.id);
  }

  /** How many unsettled items are being polled (for tests and the status bar). */
  get pollingCount(): number {
    return this.unsettled.size;
  }

  /**
   * One polling round: re-reads each unsettled pool and statement (one GET each), refreshes those that
   * changed, and forgets those that settled. Returns whether anything changed and how many remain.
   */
  private async poll(): Promise<{ changed: boolean; remaining: number }> {
    let changed = false;
    for (const [id, node] of [...this.unsettled]) {
      if (this.unsettled.get(id) !== node) continue;
      try {
        const client = await this.opts.registry.client(node.connection);
        if (node.kind === 'pool') {
          const fresh = await client.getComputePool(node.environment, node.pool.metadata.name);
          if (JSON.stringify(fresh.status ?? null) !== JSON.stringify(node.pool.status ?? null) || JSON.stringify(fresh.spec) !== JSON.stringify(node.pool.spec)) {
            node.pool = fresh;
            changed = true;
            this.fire(node);
          }
          if (!isPoolUnsettled(fresh)) this.unsettled.delete(id);
        } else {
          const fresh = await client.getStatement(node.environment, node.statement.metadata.name);
          if (JSON.stringify(fresh.status ?? null) !== JSON.stringify(node.statement.status ?? null)) {
            node.statement = fresh;
            changed = true;
            this.fire(node);
          }
          if (!isStatementUnsettled(fresh)) this.unsettled.delete(id);
        }
      } catch (e) {
        if (e instanceof CmfError && e.status === 404) {
          // Gone (a deleted pool, a removed statement): re-list the parent.
          this.unsettled.delete(id);
          changed = true;
          this.fire(node.parent);
        } else throw e;
      }
    }
    return { changed, remaining: this.unsettled.size };
  }

  dispose(): void {
    this.poller.dispose();
    this.listeners.clear();
  }
}

/** The first sentence of a CMF error, for a one-line tree item (the tooltip has all of it). */
export function shortReason(e: CmfError): string {
  const m = e.message.replace(/\s*\[[A-Z]+ [^\]]+\]\s*$/, '');
  const first = m.split(/(?<=[.:;])\s/)[0] ?? m;
  return first.length > 120 ? first.slice(0, 117) + '…' : first.replace(/[.:;]$/, '');
}
