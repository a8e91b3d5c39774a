/**
 * The local CMF's in-memory model: Kubernetes clusters, environments, compute pools and statements, and the
 * rules CMF applies to them. The HTTP layer (server.ts) only routes and serialises; every decision about a
 * resource (validation, conflicts, blocking statements, 503 while a cluster is away, phases) is made here.
 *
 * Phases move lazily: a change records a transition ("PENDING until t, then RUNNING") and `advance()`, which
 * the server calls at the start of every request, applies the transitions that are due. A transition does not
 * happen while the environment's Kubernetes cluster is not CONNECTED (CMF cannot see Kubernetes then), so the
 * last known phase is what reads return, with `status.warning` saying so.
 *
 * Rules come from CMF's compute-pool documentation page and the CMF 2.3.1 OpenAPI; the facts shared with the
 * rest of the project (blocking phases, forbidden fields, name rules) are imported from cmf-facts.
 */
import { randomUUID } from 'node:crypto';
import {
  API_VERSION,
  CLUSTER_STATES_REJECTING_WRITES,
  CHECKPOINTING_INTERVAL,
  FORBIDDEN_CLUSTER_SPEC_FIELDS,
  INSERT_WITHOUT_CHECKPOINTING,
  isInsertStatement,
  podTemplateEnvelopeRejection,
  KIND,
  PHASES_BLOCKING_DELETE,
  PHASES_BLOCKING_UPDATE,
  POOL_NAME_PATTERN,
  POOL_STATES,
  POOL_TYPES,
  SHARED_POOL_NAME_MAX,
  SHARED_POOL_PHASE_ACCEPTING_STATEMENTS,
  STOPPABLE_STATEMENT_PHASES,
  TERMINAL_STATEMENT_PHASES,
  statementBlocks,
  withDefaults,
  type KubernetesClusterState,
  type PoolPhase,
  type PoolState,
  type PoolType,
  type StatementPhase,
} from '../../cmf-model/src/facts';
import type {
  AllStatementDefaults_1,
  ComputePool,
  ComputePoolClusterSpec,
  ComputePoolSpec,
  Environment,
  KubernetesCluster,
  KubernetesClusterLifecycleState,
  KubernetesClusterStatus,
  ResourceUsageSummary,
  Statement,
  StatementExceptionList,
  StatementResult,
  StatementSpec,
  StatementTraits,
  StringMap,
} from '../../cmf-model/src/types';
import { isObject } from '../../cmf-model/src/json';
import { parseResourceMemory } from '../../cmf-model/src/quantities';
import { CmfHttpError } from './errors';
import { listPage, type Listable, type Page } from './query';

const STATEMENT_KIND = 'Statement';
const STATEMENT_PHASES: readonly StatementPhase[] = ['PENDING', 'RUNNING', 'STOPPED', 'FAILING', 'COMPLETED', 'FAILED'];
const POOL_PHASES: readonly PoolPhase[] = ['DEDICATED', 'PENDING', 'RUNNING', 'DELETING', 'FAILING', 'FAILED', 'SUSPENDED'];
const CLUSTER_STATES: readonly KubernetesClusterState[] = ['CONNECTED', 'DISCONNECTED', 'DECOMMISSIONED'];
/** The cluster environments are bound to when they name none. */
const DEFAULT_KUBERNETES_CLUSTER = 'default-k8s-cluster';
/** What the local CMF reports as its version (it follows the CMF 2.3.1 OpenAPI). */
export const LOCAL_CMF_VERSION = '2.3.1';

/** Environment names (OpenAPI `PostResourceBase.name`): at least 4 characters, DNS-subdomain style. */
const ENV_NAME_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const ENV_NAME_MIN = 4;
/** Kubernetes namespace and cluster names (OpenAPI `KubernetesNamespace`, `KubernetesClusterName`). */
const K8S_NAME_PATTERN = ENV_NAME_PATTERN;
const K8S_NAME_MAX = 253;
/** Statement names become Kubernetes object names: the same DNS-subdomain rule. */
const STATEMENT_NAME_PATTERN = ENV_NAME_PATTERN;
const STATEMENT_NAME_MAX = 253;

interface Transition<P> {
  to: P;
  at: number;
  message?: string;
}

export interface ClusterRecord {
  name: string;
  uid: string;
  creationTimestamp: string;
  updateTimestamp: string;
  labels?: StringMap;
  annotations?: StringMap;
  lifecycleState: KubernetesClusterLifecycleState;
  state: KubernetesClusterState;
  message?: string;
  /** ms; refreshed on every read while CONNECTED, frozen while not. */
  lastHeartbeat: number;
  kubernetesVersion: string;
}

export interface EnvironmentRecord {
  name: string;
  createdTime: string;
  updatedTime: string;
  kubernetesNamespace: string;
  kubernetesClusterName: string;
  flinkApplicationDefaults?: Record<string, unknown>;
  computePoolDefaults?: Record<string, unknown>;
  statementDefaults?: AllStatementDefaults_1;
  labels?: StringMap;
  annotations?: StringMap;
  secrets: StringMap;
}

export interface PoolRecord {
  env: string;
  metadata: { name: string; uid: string; creationTimestamp: string; updateTimestamp: string; labels?: StringMap; annotations?: StringMap };
  spec: ComputePoolSpec;
  phase: PoolPhase;
  message?: string;
  /** `to: 'GONE'` removes the pool (the end of DELETING). */
  transition?: Transition<PoolPhase | 'GONE'>;
  /** Test control: a non-forced delete fails as if Kubernetes cleanup failed. */
  failKubernetesCleanup: boolean;
}

interface StatementExceptionRecord {
  name: string;
  message: string;
  timestamp: string;
}

export interface StatementRecord {
  env: string;
  metadata: { name: string; uid: string; creationTimestamp: string; updateTimestamp: string; labels?: StringMap; annotations?: StringMap };
  spec: StatementSpec;
  phase: StatementPhase;
  detail?: string;
  transition?: Transition<StatementPhase>;
  traits: StatementTraits;
  /** Newest first. */
  exceptions: StatementExceptionRecord[];
}

export interface StoreOptions {
  /** How long pools and statements stay PENDING (and shared pools DELETING) before settling. */
  phaseDelayMs: number;
  /** Clock, in ms (tests may replace it). */
  now?: () => number;
}

// ---------------------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------------------

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}
function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string "${v.length > 40 ? v.slice(0, 40) + '…' : v}"`;
  return `a ${typeof v}`;
}
function list(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
/** Checks an optional string-to-string map; pushes a problem per bad entry. */
function checkStringMap(where: string, v: unknown, problems: string[]): StringMap | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) {
    problems.push(`${where} must be an object of string values, not ${describe(v)}.`);
    return undefined;
  }
  const out: StringMap = {};
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== 'string') problems.push(`${where}.${k} must be a string (quote it: "${String(JSON.stringify(val))}"), not ${describe(val)}.`);
    else out[k] = val;
  }
  return out;
}
/** What kind of SQL a statement is, and whether it finishes by itself (DDL, SHOW, ...) or keeps running. */
function classifySql(sql: string): { traits: StatementTraits; finishes: boolean } {
  const text = sql.replace(/^(\s+|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)+/, '').toUpperCase();
  const w = text.split(/[\s(;]+/).filter(Boolean);
  const first = w[0] ?? '';
  if (first === 'SELECT' || first === 'WITH' || first === 'VALUES' || first === 'TABLE') {
    return { traits: { sqlKind: 'SELECT', isBounded: first === 'VALUES', isAppendOnly: true, upsertColumns: [] }, finishes: first === 'VALUES' };
  }
  if (first === 'INSERT') return { traits: { sqlKind: 'INSERT_INTO', isBounded: false, isAppendOnly: true }, finishes: false };
  if (first === 'EXECUTE' || first === 'BEGIN') return { traits: { sqlKind: 'STATEMENT_SET', isBounded: false, isAppendOnly: true }, finishes: false };
  if ((first === 'CREATE' || first === 'REPLACE') && /\bAS\s+SELECT\b/.test(text)) {
    return { traits: { sqlKind: 'CREATE_TABLE_AS', isBounded: false, isAppendOnly: true }, finishes: false };
  }
  const kind = first === 'DESC' ? 'DESCRIBE' : [first, w[1]].filter((x) => x && /^[A-Z]+$/.test(x)).slice(0, ['CREATE', 'DROP', 'ALTER', 'SHOW'].includes(first) ? 2 : 1).join('_');
  return { traits: { sqlKind: kind || 'UNKNOWN', isBounded: true, isAppendOnly: true }, finishes: true };
}

// ---------------------------------------------------------------------------------------------------------
// The store
// ---------------------------------------------------------------------------------------------------------

export class LocalCmfStore {
  readonly clusters = new Map<string, ClusterRecord>();
  readonly environments = new Map<string, EnvironmentRecord>();
  /** env name → pool name → pool */
  readonly pools = new Map<string, Map<string, PoolRecord>>();
  /** env name → statement name → statement */
  readonly statements = new Map<string, Map<string, StatementRecord>>();
  phaseDelayMs: number;
  readonly now: () => number;

  constructor(options: StoreOptions) {
    this.phaseDelayMs = Math.max(0, options.phaseDelayMs);
    this.now = options.now ?? Date.now;
    this.clear();
  }

  /** Forgets everything but the default Kubernetes cluster. */
  clear(): void {
    this.clusters.clear();
    this.environments.clear();
    this.pools.clear();
    this.statements.clear();
    this.registerCluster(DEFAULT_KUBERNETES_CLUSTER, { provider: 'local' });
  }

  nowIso(): string {
    return new Date(this.now()).toISOString();
  }

  registerCluster(name: string, labels?: StringMap): ClusterRecord {
    const ts = this.nowIso();
    const rec: ClusterRecord = {
      name,
      uid: randomUUID(),
      creationTimestamp: ts,
      updateTimestamp: ts,
      labels,
      lifecycleState: 'ACTIVE',
      state: 'CONNECTED',
      lastHeartbeat: this.now(),
      kubernetesVersion: 'v1.30.4',
    };
    this.clusters.set(name, rec);
    return rec;
  }

  // ---- time --------------------------------------------------------------------------------------------

  /** Applies every transition that is due (and, with `all`, every pending one) in environments whose cluster is CONNECTED. */
  advance(all = false): void {
    const now = all ? Infinity : this.now();
    for (const [envName, pools] of this.pools) {
      if (!this.connected(envName)) continue;
      for (const [name, p] of pools) {
        if (!p.transition || p.transition.at > now) continue;
        if (p.transition.to === 'GONE') {
          pools.delete(name);
          continue;
        }
        p.phase = p.transition.to;
        p.message = p.transition.message;
        p.transition = undefined;
      }
    }
    for (const [envName, stmts] of this.statements) {
      if (!this.connected(envName)) continue;
      for (const s of stmts.values()) {
        if (!s.transition || s.transition.at > now) continue;
        s.phase = s.transition.to;
        s.detail = s.transition.message;
        s.transition = undefined;
      }
    }
  }

  /** Completes every pending transition now (where the cluster is CONNECTED). */
  settle(): void {
    this.advance(true);
  }

  private due(): number {
    return this.now() + this.phaseDelayMs;
  }

  // ---- lookups -----------------------------------------------------------------------------------------

  private knownEnvironments(): string {
    const names = [...this.environments.keys()].sort();
    return names.length ? `Known environments: ${names.join(', ')}.` : 'There are no environments yet; create one with POST /cmf/api/v1/environments.';
  }

  env(name: string): EnvironmentRecord {
    const env = this.environments.get(name);
    if (!env) throw new CmfHttpError(404, `Environment '${name}' not found. ${this.knownEnvironments()}`);
    return env;
  }

  pool(envName: string, name: string): PoolRecord {
    this.env(envName);
    const pool = this.pools.get(envName)?.get(name);
    if (!pool) {
      const names = [...(this.pools.get(envName)?.keys() ?? [])].sort();
      throw new CmfHttpError(404, `Compute pool '${name}' not found in environment '${envName}'. ${names.length ? `Its compute pools: ${names.join(', ')}.` : 'It has no compute pools.'}`);
    }
    return pool;
  }

  statement(envName: string, name: string): StatementRecord {
    this.env(envName);
    const stmt = this.statements.get(envName)?.get(name);
    if (!stmt) throw new CmfHttpError(404, `Statement '${name}' not found in environment '${envName}'.`);
    return stmt;
  }

  cluster(name: string): ClusterRecord {
    const c = this.clusters.get(name);
    if (!c) throw new CmfHttpError(404, `Kubernetes cluster '${name}' not found. Known clusters: ${[...this.clusters.keys()].sort().join(', ')}.`);
    return c;
  }

  clusterOf(envName: string): ClusterRecord {
    const env = this.env(envName);
    return this.cluster(env.kubernetesClusterName);
  }

  connected(envName: string): boolean {
    const env = this.environments.get(envName);
    const c = env && this.clusters.get(env.kubernetesClusterName);
    return !!c && c.state === 'CONNECTED';
  }

  statementsOnPool(envName: string, poolName: string): StatementRecord[] {
    return [...(this.statements.get(envName)?.values() ?? [])].filter((s) => s.spec.computePoolName === poolName);
  }

  // ---- Kubernetes cluster availability ------------------------------------------------------------------

  private requireWritable(envName: string, action: string, forceHint: boolean): void {
    const c = this.clusterOf(envName);
    if (!CLUSTER_STATES_REJECTING_WRITES.includes(c.state)) return;
    throw new CmfHttpError(
      503,
      `Cannot ${action}: the Kubernetes cluster '${c.name}' of environment '${envName}' is ${c.state}${c.message ? ` (${c.message})` : ''}. ` +
        `CMF rejects changes until the cluster is CONNECTED again; reads show the last known status.` +
        (forceHint ? ' To remove the resource from CMF anyway, repeat the delete with ?force=true (its Kubernetes resources may be left behind).' : ''),
    );
  }

  /** `status.warning` while the environment's cluster is not CONNECTED. */
  staleWarning(envName: string): string | undefined {
    if (this.connected(envName)) return undefined;
    const c = this.clusterOf(envName);
    return (
      `The displayed status may be stale: the Kubernetes cluster '${c.name}' of environment '${envName}' is ${c.state}, ` +
      `so this is the last status CMF saw (last heartbeat ${new Date(c.lastHeartbeat).toISOString()}).`
    );
  }

  // ---- Kubernetes clusters ----------------------------------------------------------------------------------

  clusterView(c: ClusterRecord): KubernetesCluster {
    return {
      apiVersion: API_VERSION,
      kind: 'KubernetesCluster',
      metadata: {
        name: c.name,
        uid: c.uid,
        creationTimestamp: c.creationTimestamp,
        updateTimestamp: c.updateTimestamp,
        ...(c.labels ? { labels: { ...c.labels } } : {}),
        ...(c.annotations ? { annotations: { ...c.annotations } } : {}),
      },
      spec: { lifecycleState: c.lifecycleState },
      status: this.clusterStatus(c),
    };
  }

  clusterStatus(c: ClusterRecord): KubernetesClusterStatus {
    if (c.state === 'CONNECTED') c.lastHeartbeat = this.now();
    return {
      state: c.state,
      ...(c.message ? { message: c.message } : {}),
      lastHeartbeatTimestamp: new Date(c.lastHeartbeat).toISOString(),
      ...(c.state === 'CONNECTED' ? { kubernetesVersion: c.kubernetesVersion } : {}),
    };
  }

  listClusters(q: URLSearchParams): Page<KubernetesCluster> {
    const entries = [...this.clusters.values()].map((c) => ({
      view: { name: c.name, labels: c.labels ?? {}, creationTimestamp: c.creationTimestamp, updateTimestamp: c.updateTimestamp },
      json: this.clusterView(c),
    }));
    return listPage(q, entries, { phaseFilter: false });
  }

  /** PUT /kubernetes-clusters/{name}: lifecycle state, labels, annotations. */
  updateCluster(name: string, body: unknown): KubernetesCluster {
    const c = this.cluster(name);
    if (!isObject(body)) throw new CmfHttpError(400, `The request body must be a KubernetesCluster object, not ${describe(body)}.`);
    const problems: string[] = [];
    const meta = body.metadata;
    if (meta !== undefined && meta !== null && !isObject(meta)) problems.push(`metadata must be an object, not ${describe(meta)}.`);
    const m = isObject(meta) ? meta : {};
    if (m.name !== undefined && m.name !== name) problems.push(`metadata.name '${String(m.name)}' does not match the cluster '${name}' in the URL.`);
    const labels = checkStringMap('metadata.labels', m.labels, problems);
    const annotations = checkStringMap('metadata.annotations', m.annotations, problems);
    const spec = body.spec;
    if (spec !== undefined && spec !== null && !isObject(spec)) problems.push(`spec must be an object, not ${describe(spec)}.`);
    const lifecycle = isObject(spec) ? spec.lifecycleState : undefined;
    if (lifecycle !== undefined && lifecycle !== 'ACTIVE' && lifecycle !== 'DECOMMISSIONED') {
      problems.push(`spec.lifecycleState must be ACTIVE or DECOMMISSIONED, not ${describe(lifecycle)}.`);
    }
    if (problems.length) throw new CmfHttpError(400, problems.map((p) => `Kubernetes cluster '${name}': ${p}`));
    if (lifecycle === 'DECOMMISSIONED' && c.lifecycleState !== 'DECOMMISSIONED') {
      const users = [...this.environments.values()].filter((e) => e.kubernetesClusterName === name).map((e) => e.name).sort();
      if (users.length) throw new CmfHttpError(400, `Cannot decommission cluster '${name}': referenced by environments [${users.join(', ')}]`);
      this.advance();
      c.lifecycleState = 'DECOMMISSIONED';
      c.state = 'DECOMMISSIONED';
      c.message = undefined;
    } else if (lifecycle === 'ACTIVE' && c.lifecycleState === 'DECOMMISSIONED') {
      c.lifecycleState = 'ACTIVE';
      c.state = 'CONNECTED';
      c.message = undefined;
      c.lastHeartbeat = this.now();
    }
    // Labels/annotations: omitted or null leaves them unchanged; {} clears them (OpenAPI KubernetesClusterMetadata).
    if (labels !== undefined) c.labels = Object.keys(labels).length ? labels : undefined;
    if (annotations !== undefined) c.annotations = Object.keys(annotations).length ? annotations : undefined;
    c.updateTimestamp = this.nowIso();
    return this.clusterView(c);
  }

  // ---- environments ----------------------------------------------------------------------------------------

  environmentView(env: EnvironmentRecord, includeResources: boolean): Environment {
    const cluster = this.cluster(env.kubernetesClusterName);
    const out: Environment = {
      name: env.name,
      created_time: env.createdTime,
      updated_time: env.updatedTime,
      kubernetesNamespace: env.kubernetesNamespace,
      kubernetesClusterName: env.kubernetesClusterName,
      ...(env.flinkApplicationDefaults ? { flinkApplicationDefaults: clone(env.flinkApplicationDefaults) } : {}),
      ...(env.computePoolDefaults ? { computePoolDefaults: clone(env.computePoolDefaults) } : {}),
      ...(env.statementDefaults ? { statementDefaults: clone(env.statementDefaults) } : {}),
      metadata: {
        name: env.name,
        creationTimestamp: env.createdTime,
        updateTimestamp: env.updatedTime,
        ...(env.labels ? { labels: { ...env.labels } } : {}),
        ...(env.annotations ? { annotations: { ...env.annotations } } : {}),
      },
      secrets: { ...env.secrets },
      status: { kubernetesCluster: this.clusterStatus(cluster) },
    };
    if (includeResources) {
      const stmts = [...(this.statements.get(env.name)?.values() ?? [])];
      out.status!.resources = { applications: {}, statements: countByPhase(stmts) };
      const pools = [...(this.pools.get(env.name)?.values() ?? [])];
      out.status!.resourceSummary = sumSummaries(pools.map((p) => this.poolResourceSummary(p)));
    }
    return out;
  }

  listEnvironments(q: URLSearchParams, includeResources: boolean): Page<Environment> {
    const entries = [...this.environments.values()].map((e) => ({
      view: {
        name: e.name,
        labels: e.labels ?? {},
        creationTimestamp: e.createdTime,
        updateTimestamp: e.updatedTime,
        searchable: { kubernetesNamespace: e.kubernetesNamespace },
      },
      json: this.environmentView(e, includeResources),
    }));
    return listPage(q, entries, { phaseFilter: false, searchScopes: ['name', 'kubernetesNamespace'] });
  }

  getEnvironment(name: string, includeResources: boolean): Environment {
    return this.environmentView(this.env(name), includeResources);
  }

  /**
   * POST /environments: creates or updates (the body replaces the defaults). Validation problems are 400, as
   * the OpenAPI documents for this endpoint. `kubernetesNamespace` and `kubernetesClusterName` cannot change
   * once set (the environment's Kubernetes resources live there).
   */
  upsertEnvironment(body: unknown): { environment: Environment; created: boolean } {
    if (!isObject(body)) throw new CmfHttpError(400, `The request body must be an Environment object, not ${describe(body)}.`);
    const problems: string[] = [];
    const meta = body.metadata;
    if (meta !== undefined && meta !== null && !isObject(meta)) problems.push(`metadata must be an object, not ${describe(meta)}.`);
    const m = isObject(meta) ? meta : {};
    if (body.name !== undefined && typeof body.name !== 'string') problems.push(`name must be a string, not ${describe(body.name)}.`);
    if (m.name !== undefined && typeof m.name !== 'string') problems.push(`metadata.name must be a string, not ${describe(m.name)}.`);
    if (typeof body.name === 'string' && typeof m.name === 'string' && body.name !== m.name) {
      problems.push(`name '${body.name}' and metadata.name '${m.name}' differ; give one name.`);
    }
    const name = typeof body.name === 'string' ? body.name : typeof m.name === 'string' ? m.name : undefined;
    if (name === undefined || name === '') problems.push('name: must not be blank (set "name" or "metadata.name").');
    else {
      if (name.length < ENV_NAME_MIN) problems.push(`name: size must be between ${ENV_NAME_MIN} and 2147483647 ('${name}' has ${name.length} characters).`);
      if (!ENV_NAME_PATTERN.test(name)) problems.push(`name: '${name}' must consist of lower-case letters, digits, '-' and '.', and start and end with a letter or digit.`);
    }
    const existing = name ? this.environments.get(name) : undefined;
    const label = `Environment '${name ?? ''}'`;

    const ns = body.kubernetesNamespace;
    if (ns === undefined || ns === null) {
      if (!existing) problems.push(`kubernetesNamespace is required: the Kubernetes namespace the environment's Flink clusters are deployed in.`);
    } else if (typeof ns !== 'string' || ns.length < 1 || ns.length > K8S_NAME_MAX || !K8S_NAME_PATTERN.test(ns)) {
      problems.push(`kubernetesNamespace ${describe(ns)} is not a valid Kubernetes namespace name (lower-case letters, digits, '-' and '.', at most ${K8S_NAME_MAX} characters).`);
    } else if (existing && ns !== existing.kubernetesNamespace) {
      problems.push(`kubernetesNamespace cannot be changed from '${existing.kubernetesNamespace}' to '${ns}'; create a new environment instead.`);
    }
    const cl = body.kubernetesClusterName;
    if (cl !== undefined && cl !== null) {
      if (typeof cl !== 'string' || !K8S_NAME_PATTERN.test(cl)) problems.push(`kubernetesClusterName ${describe(cl)} is not a valid cluster name.`);
      else if (!this.clusters.has(cl)) problems.push(`Environment's kubernetesClusterName '${cl}' does not exist. Known clusters: ${[...this.clusters.keys()].sort().join(', ')}.`);
      else if (existing && cl !== existing.kubernetesClusterName) problems.push(`kubernetesClusterName cannot be changed from '${existing.kubernetesClusterName}' to '${cl}'.`);
      else if (!existing && this.clusters.get(cl)!.lifecycleState === 'DECOMMISSIONED') problems.push(`Kubernetes cluster '${cl}' is DECOMMISSIONED; bind the environment to an ACTIVE cluster.`);
    }
    for (const key of ['flinkApplicationDefaults', 'computePoolDefaults'] as const) {
      const v = body[key];
      if (v !== undefined && v !== null && !isObject(v)) problems.push(`${key} must be an object, not ${describe(v)}.`);
    }
    if (isObject(body.computePoolDefaults)) {
      const cs = body.computePoolDefaults.clusterSpec;
      if (cs !== undefined && !isObject(cs)) problems.push(`computePoolDefaults.clusterSpec must be an object, not ${describe(cs)}.`);
      if (isObject(cs)) {
        for (const [field, why] of Object.entries(FORBIDDEN_CLUSTER_SPEC_FIELDS)) {
          if (field in cs) problems.push(`computePoolDefaults.clusterSpec.${field} must not be set: ${why}.`);
        }
      }
    }
    let statementDefaults: AllStatementDefaults_1 | undefined;
    const sd = body.statementDefaults;
    if (sd !== undefined && sd !== null) {
      if (!isObject(sd)) problems.push(`statementDefaults must be an object, not ${describe(sd)}.`);
      else {
        statementDefaults = {};
        for (const [k, v] of Object.entries(sd)) {
          if (k !== 'detached' && k !== 'interactive') {
            problems.push(`statementDefaults.${k} is not known; use statementDefaults.detached or statementDefaults.interactive.`);
          } else if (v !== undefined && v !== null) {
            if (!isObject(v)) problems.push(`statementDefaults.${k} must be an object, not ${describe(v)}.`);
            else statementDefaults[k] = { flinkConfiguration: checkStringMap(`statementDefaults.${k}.flinkConfiguration`, v.flinkConfiguration, problems) };
          }
        }
      }
    }
    const labels = checkStringMap('metadata.labels', m.labels, problems);
    const annotations = checkStringMap('metadata.annotations', m.annotations, problems);
    if (problems.length) throw new CmfHttpError(400, problems.map((p) => `${label}: ${p}`));

    const ts = this.nowIso();
    const rec: EnvironmentRecord = {
      name: name!,
      createdTime: existing?.createdTime ?? ts,
      updatedTime: ts,
      kubernetesNamespace: (ns as string | undefined) ?? existing!.kubernetesNamespace,
      kubernetesClusterName: (cl as string | undefined) ?? existing?.kubernetesClusterName ?? DEFAULT_KUBERNETES_CLUSTER,
      flinkApplicationDefaults: isObject(body.flinkApplicationDefaults) ? clone(body.flinkApplicationDefaults) : undefined,
      computePoolDefaults: isObject(body.computePoolDefaults) ? clone(body.computePoolDefaults) : undefined,
      statementDefaults,
      labels,
      annotations,
      secrets: existing?.secrets ?? {},
    };
    // The environment's Kubernetes resources (service account, secrets) live on its cluster.
    const cluster = this.cluster(rec.kubernetesClusterName);
    if (CLUSTER_STATES_REJECTING_WRITES.includes(cluster.state)) {
      throw new CmfHttpError(
        503,
        `Cannot ${existing ? 'update' : 'create'} environment '${rec.name}': its Kubernetes cluster '${cluster.name}' is ${cluster.state}. ` +
          'CMF rejects changes until the cluster is CONNECTED again.',
      );
    }
    this.environments.set(rec.name, rec);
    if (!this.pools.has(rec.name)) this.pools.set(rec.name, new Map());
    if (!this.statements.has(rec.name)) this.statements.set(rec.name, new Map());
    return { environment: this.environmentView(rec, false), created: !existing };
  }

  /**
   * DELETE /environments/{name}. An environment that still has compute pools or statements is not deleted
   * (409; the OpenAPI is silent on this case): delete them first. `force` skips the Kubernetes cleanup only.
   */
  deleteEnvironment(name: string, force: boolean): void {
    this.env(name);
    const pools = [...(this.pools.get(name)?.keys() ?? [])].sort();
    const stmts = [...(this.statements.get(name)?.keys() ?? [])].sort();
    if (pools.length || stmts.length) {
      const parts = [pools.length ? `compute pools [${pools.join(', ')}]` : '', stmts.length ? `statements [${stmts.join(', ')}]` : ''].filter(Boolean);
      throw new CmfHttpError(409, `Environment '${name}' still has ${parts.join(' and ')}; delete them first.`);
    }
    if (!force) this.requireWritable(name, `delete environment '${name}'`, true);
    this.environments.delete(name);
    this.pools.delete(name);
    this.statements.delete(name);
  }

  // ---- compute pools ------------------------------------------------------------------------------------------

  /** The clusterSpec a pool's clusters are deployed with: the environment's `computePoolDefaults.clusterSpec` under the pool's own. */
  effectiveClusterSpec(p: PoolRecord): ComputePoolClusterSpec {
    const env = this.environments.get(p.env);
    const defaults = env?.computePoolDefaults?.clusterSpec;
    return withDefaults(isObject(defaults) ? defaults : {}, p.spec.clusterSpec) as ComputePoolClusterSpec;
  }

  poolResourceSummary(p: PoolRecord): ResourceUsageSummary {
    const cs = this.effectiveClusterSpec(p);
    const slots = Math.max(1, Number(cs.flinkConfiguration?.['taskmanager.numberOfTaskSlots'] ?? 1) || 1);
    const active = this.statementsOnPool(p.env, p.metadata.name).filter((s) => ['PENDING', 'RUNNING', 'FAILING'].includes(s.phase));
    const par = (s: StatementRecord) => s.spec.parallelism ?? (Number(s.spec.flinkConfiguration?.['parallelism.default']) || 1);
    let jm = 0;
    let tm = 0;
    if (p.spec.type === 'SHARED') {
      if (['RUNNING', 'PENDING', 'FAILING'].includes(p.phase)) {
        jm = cs.jobManager?.replicas ?? 1;
        const needed = Math.ceil(active.reduce((n, s) => n + par(s), 0) / slots);
        tm = cs.mode === 'standalone' ? (cs.taskManager?.replicas ?? 1) : needed;
      }
    } else {
      for (const s of active) {
        jm += cs.jobManager?.replicas ?? 1;
        tm += Math.ceil(par(s) / slots);
      }
    }
    return summary(cs, jm, tm);
  }

  poolView(p: PoolRecord, includeResources: boolean): ComputePool {
    const warning = this.staleWarning(p.env);
    const out: ComputePool = {
      apiVersion: API_VERSION,
      kind: KIND,
      metadata: clone(p.metadata),
      spec: clone(p.spec),
      status: {
        phase: p.phase,
        ...(p.message ? { message: p.message } : {}),
        ...(warning ? { warning } : {}),
      },
    };
    if (includeResources) {
      out.status!.resourceSummary = this.poolResourceSummary(p);
      out.status!.resources = { statements: countByPhase(this.statementsOnPool(p.env, p.metadata.name)) };
    }
    return out;
  }

  listPools(envName: string, q: URLSearchParams, includeResources: boolean): Page<ComputePool> {
    this.env(envName);
    // `json` is a getter: only the items on the requested page are rendered, so a page costs O(page) copies.
    const render = (p: PoolRecord) => this.poolView(p, includeResources);
    const entries = [...(this.pools.get(envName)?.values() ?? [])].map((p) => ({
      view: { name: p.metadata.name, labels: p.metadata.labels ?? {}, phase: p.phase, creationTimestamp: p.metadata.creationTimestamp, updateTimestamp: p.metadata.updateTimestamp },
      get json() {
        return render(p);
      },
    }));
    return listPage(q, entries, { phaseFilter: true });
  }

  getPool(envName: string, name: string, includeResources: boolean): ComputePool {
    return this.poolView(this.pool(envName, name), includeResources);
  }

  /**
   * Checks a ComputePool body. A body that is not a JSON object is 400; a well-formed request whose content
   * CMF cannot accept is 422 ("Request valid but invalid content"), with one error per problem.
   * Server-owned fields (`status`, `metadata.uid`, timestamps) are ignored, as is anything CMF does not model.
   */
  private validatePool(envName: string, body: unknown, urlName?: string): { metadata: { name: string; labels?: StringMap; annotations?: StringMap }; spec: ComputePoolSpec } {
    if (!isObject(body)) throw new CmfHttpError(400, `The request body must be a ComputePool object, not ${describe(body)}.`);
    const problems: string[] = [];
    const { name, labels, annotations } = checkEnvelope(body, KIND, 'compute pool', urlName, problems, (n) =>
      POOL_NAME_PATTERN.test(n)
        ? undefined
        : `metadata.name '${n}' is not a valid compute pool name: use lower-case letters, digits and '-', starting with a letter and ending with a letter or digit.`,
    );
    const spec = body.spec;
    let type: PoolType | undefined;
    let state: PoolState | undefined;
    let clusterSpec: ComputePoolClusterSpec | undefined;
    if (!isObject(spec)) problems.push(spec === undefined ? 'spec is required (with spec.type and spec.clusterSpec).' : `spec must be an object, not ${describe(spec)}.`);
    else {
      if (spec.type === undefined) problems.push(`spec.type is required: set it to ${list([...POOL_TYPES])}.`);
      else if (!POOL_TYPES.includes(spec.type as PoolType)) problems.push(`spec.type ${describe(spec.type)} is not a pool type: use ${list([...POOL_TYPES])}.`);
      else type = spec.type as PoolType;
      if (spec.state !== undefined && spec.state !== null) {
        if (!POOL_STATES.includes(spec.state as PoolState)) problems.push(`spec.state ${describe(spec.state)} is not a pool state: use ${list([...POOL_STATES])}.`);
        else if (type === 'DEDICATED') problems.push('spec.state can only be set on SHARED pools; a DEDICATED pool has no long-lived cluster to suspend. Remove spec.state.');
        else state = spec.state as PoolState;
      }
      if (spec.clusterSpec === undefined || spec.clusterSpec === null) problems.push('spec.clusterSpec is required: the Flink cluster (flinkVersion, image, jobManager, taskManager, ...) the pool runs statements on.');
      else if (!isObject(spec.clusterSpec)) problems.push(`spec.clusterSpec must be an object, not ${describe(spec.clusterSpec)}.`);
      else {
        clusterSpec = clone(spec.clusterSpec) as ComputePoolClusterSpec;
        for (const [field, why] of Object.entries(FORBIDDEN_CLUSTER_SPEC_FIELDS)) {
          if (field in spec.clusterSpec) problems.push(`spec.clusterSpec.${field} must not be set: ${why}. Remove it.`);
        }
        // As CMF answers it (seen in the field): the Pod's envelope is refused in the pool's own pod template.
        const envelope = podTemplateEnvelopeRejection(spec.clusterSpec.podTemplate);
        if (envelope) problems.push(envelope);
      }
    }
    if (type === 'SHARED' && name && name.length > SHARED_POOL_NAME_MAX) {
      problems.push(`metadata.name '${name}' is ${name.length} characters long; a SHARED pool's name may have at most ${SHARED_POOL_NAME_MAX} (its session cluster is named after it).`);
    }
    if (problems.length) {
      const who = `Compute pool${name ? ` '${name}'` : ''} (environment '${envName}')`;
      throw new CmfHttpError(422, problems.map((p) => `${who}: ${p}`));
    }
    return {
      metadata: { name: name!, ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) },
      spec: { type: type!, ...(state ? { state } : {}), clusterSpec: clusterSpec! },
    };
  }

  createPool(envName: string, body: unknown): ComputePool {
    this.env(envName);
    const { metadata, spec } = this.validatePool(envName, body);
    const existing = this.pools.get(envName)!.get(metadata.name);
    if (existing) {
      throw new CmfHttpError(
        409,
        existing.phase === 'DELETING'
          ? `Compute pool '${metadata.name}' in environment '${envName}' is still being deleted; create it again once it is gone.`
          : `Compute pool '${metadata.name}' already exists in environment '${envName}'. Change it with PUT /cmf/api/v1/environments/${envName}/compute-pools/${metadata.name}, or choose another name.`,
      );
    }
    this.requireWritable(envName, `create compute pool '${metadata.name}'`, false);
    const ts = this.nowIso();
    const rec: PoolRecord = {
      env: envName,
      metadata: { name: metadata.name, uid: randomUUID(), creationTimestamp: ts, updateTimestamp: ts, labels: metadata.labels, annotations: metadata.annotations },
      spec,
      phase: 'DEDICATED',
      failKubernetesCleanup: false,
    };
    if (spec.type === 'SHARED') {
      const target: PoolPhase = spec.state === 'SUSPENDED' ? 'SUSPENDED' : 'RUNNING';
      rec.phase = 'PENDING';
      rec.message = target === 'RUNNING' ? 'Deploying the session cluster.' : 'Storing the suspended pool; no Kubernetes resources are deployed.';
      rec.transition = { to: target, at: this.due() };
    }
    this.pools.get(envName)!.set(rec.metadata.name, rec);
    this.advance();
    return this.poolView(rec, false);
  }

  private blockers(p: PoolRecord, op: 'update' | 'delete'): StatementRecord[] {
    return this.statementsOnPool(p.env, p.metadata.name)
      .filter((s) => statementBlocks(op, p.spec.type, p.phase, s.phase))
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  }

  /**
   * PUT /compute-pools/{name}: replaces labels, annotations and spec. Suspending and resuming a shared pool
   * are updates of `spec.state`. Changing `spec.type` is answered 422 (the OpenAPI offers 400 or 422 for a
   * rejected body; the body is well-formed, its content is what CMF refuses, which is what 422 means there).
   */
  updatePool(envName: string, name: string, body: unknown): ComputePool {
    const p = this.pool(envName, name);
    const { metadata, spec } = this.validatePool(envName, body, name);
    if (spec.type !== p.spec.type) {
      throw new CmfHttpError(
        422,
        `Compute pool '${name}' (environment '${envName}'): spec.type is immutable and cannot change from ${p.spec.type} to ${spec.type}. Create a new ${spec.type} pool instead.`,
      );
    }
    if (p.phase === 'DELETING') throw new CmfHttpError(409, `Compute pool '${name}' in environment '${envName}' is being deleted and cannot be updated.`);
    const suspending = spec.type === 'SHARED' && spec.state === 'SUSPENDED' && (p.spec.state ?? 'RUNNING') !== 'SUSPENDED';
    const verb = suspending ? 'suspend' : 'update';
    this.requireWritable(envName, `${verb} compute pool '${name}'`, false);
    const blocking = this.blockers(p, 'update');
    if (blocking.length) {
      const phases = PHASES_BLOCKING_UPDATE[p.spec.type];
      const advice =
        p.spec.type === 'SHARED'
          ? 'Delete those statements, or wait for them to reach COMPLETED or FAILED; a STOPPED statement blocks too.'
          : 'Delete those statements first; on a DEDICATED pool FAILED statements block too.';
      throw new CmfHttpError(
        409,
        `Compute pool '${name}' in environment '${envName}' cannot be ${suspending ? 'suspended' : 'updated'}: ` +
          `statements in phase ${list([...phases])} use it: ${blocking.map((s) => `${s.metadata.name} (${s.phase})`).join(', ')}. ${advice}`,
      );
    }
    const before = p.spec;
    p.metadata = { ...p.metadata, labels: metadata.labels, annotations: metadata.annotations, updateTimestamp: this.nowIso() };
    p.spec = spec;
    if (spec.type === 'SHARED') {
      const target: PoolPhase = spec.state === 'SUSPENDED' ? 'SUSPENDED' : 'RUNNING';
      const unchanged = !p.transition && p.phase === target && (target === 'SUSPENDED' || sameJson(before.clusterSpec, spec.clusterSpec));
      if (!unchanged) {
        p.phase = 'PENDING';
        p.message =
          target === 'SUSPENDED' ? 'Suspending: removing the session cluster.' : before.state === 'SUSPENDED' ? 'Resuming: deploying the session cluster.' : 'Redeploying the session cluster.';
        p.transition = { to: target, at: this.due() };
      }
    }
    this.advance();
    return this.poolView(p, false);
  }

  /**
   * DELETE /compute-pools/{name}. Blocked (409) while statements in PENDING, RUNNING, STOPPED or FAILING use
   * the pool, with or without `force` (a FAILED shared pool blocks nothing). Without `force` the Kubernetes
   * resources are cleaned up first: 503 while the cluster is away, 500 if cleanup fails; a shared pool with a
   * session cluster then shows DELETING for `phaseDelayMs` before it disappears. Suspended shared pools and
   * dedicated pools have no pool-level Kubernetes resources and go at once; so does any pool with `force`.
   */
  deletePool(envName: string, name: string, force: boolean): void {
    const p = this.pool(envName, name);
    const blocking = this.blockers(p, 'delete');
    if (blocking.length) {
      throw new CmfHttpError(
        409,
        `Compute pool '${name}' in environment '${envName}' is in use and cannot be deleted: statements in phase ${list([...PHASES_BLOCKING_DELETE])} use it: ` +
          `${blocking.map((s) => `${s.metadata.name} (${s.phase})`).join(', ')}. Delete those statements, or wait for them to reach COMPLETED or FAILED` +
          `${force ? '; force=true does not skip this check' : ''}.`,
      );
    }
    const pools = this.pools.get(envName)!;
    if (force) {
      pools.delete(name);
      return;
    }
    this.requireWritable(envName, `delete compute pool '${name}'`, true);
    if (p.failKubernetesCleanup) {
      throw new CmfHttpError(
        500,
        `Could not delete the Kubernetes resources of compute pool '${name}' (environment '${envName}'): the session cluster's FlinkDeployment could not be removed. ` +
          'The pool was not deleted. Retry, or delete with ?force=true to remove it from CMF only (its Kubernetes resources may be left behind).',
      );
    }
    if (p.phase === 'DELETING') return;
    const hasCluster = p.spec.type === 'SHARED' && p.phase !== 'SUSPENDED';
    if (hasCluster && this.phaseDelayMs > 0) {
      p.phase = 'DELETING';
      p.message = 'Deleting the session cluster.';
      p.transition = { to: 'GONE', at: this.due() };
    } else pools.delete(name);
  }

  // ---- statements -------------------------------------------------------------------------------------------

  statementResourceSummary(s: StatementRecord): ResourceUsageSummary {
    const pool = this.pools.get(s.env)?.get(s.spec.computePoolName);
    if (!pool) return {};
    const cs = this.effectiveClusterSpec(pool);
    const active = ['PENDING', 'RUNNING', 'FAILING'].includes(s.phase);
    const slots = Math.max(1, Number(cs.flinkConfiguration?.['taskmanager.numberOfTaskSlots'] ?? 1) || 1);
    const par = s.spec.parallelism ?? (Number(s.spec.flinkConfiguration?.['parallelism.default']) || 1);
    const tm = active ? Math.ceil(par / slots) : 0;
    const jm = active && pool.spec.type === 'DEDICATED' ? (cs.jobManager?.replicas ?? 1) : 0;
    const out = summary(cs, jm, tm);
    if (pool.spec.type === 'SHARED') delete out.jobManager; // the session cluster's JobManager belongs to the pool
    return out;
  }

  statementView(s: StatementRecord, includeResources: boolean): Statement {
    const warning = this.staleWarning(s.env);
    return {
      apiVersion: API_VERSION,
      kind: STATEMENT_KIND,
      metadata: clone(s.metadata),
      spec: clone(s.spec),
      status: {
        phase: s.phase,
        ...(s.detail ? { detail: s.detail } : {}),
        traits: clone(s.traits),
        ...(includeResources ? { resourceSummary: this.statementResourceSummary(s) } : {}),
        ...(warning ? { warning } : {}),
      },
    };
  }

  listStatements(envName: string, q: URLSearchParams, includeResources: boolean): Page<Statement> {
    this.env(envName);
    const pool = q.get('compute-pool');
    const phase = q.get('phase');
    const PHASE_PARAM = ['pending', 'running', 'completed', 'deleting', 'failing', 'failed', 'stopped'];
    if (phase !== null && phase !== '' && !PHASE_PARAM.includes(phase.toLowerCase())) {
      throw new CmfHttpError(400, `Query parameter 'phase': '${phase}' is not a statement phase; use one of ${PHASE_PARAM.join(', ')}.`);
    }
    const nameGlob = q.get('name');
    const nameRe = nameGlob ? new RegExp(`^${nameGlob.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`) : undefined;
    // `json` is a getter: only the items on the requested page are rendered (see listPools).
    const render = (s: StatementRecord) => this.statementView(s, includeResources);
    const entries = [...(this.statements.get(envName)?.values() ?? [])]
      .filter((s) => !pool || s.spec.computePoolName === pool)
      .filter((s) => !phase || s.phase.toLowerCase() === phase.toLowerCase())
      .filter((s) => !nameRe || nameRe.test(s.metadata.name))
      .map((s) => ({
        view: {
          name: s.metadata.name,
          labels: s.metadata.labels ?? {},
          phase: s.phase,
          creationTimestamp: s.metadata.creationTimestamp,
          updateTimestamp: s.metadata.updateTimestamp,
          searchable: { statement: s.spec.statement },
        } satisfies Listable,
        get json() {
          return render(s);
        },
      }));
    return listPage(q, entries, { phaseFilter: true, searchScopes: ['name', 'statement'] });
  }

  getStatement(envName: string, name: string, includeResources: boolean): Statement {
    return this.statementView(this.statement(envName, name), includeResources);
  }

  private validateStatement(
    envName: string,
    body: unknown,
    urlName: string | undefined,
  ): { metadata: { name: string; labels?: StringMap; annotations?: StringMap }; spec: StatementSpec } {
    if (!isObject(body)) throw new CmfHttpError(400, `The request body must be a Statement object, not ${describe(body)}.`);
    const problems: string[] = [];
    const { name, labels, annotations } = checkEnvelope(body, STATEMENT_KIND, 'statement', urlName, problems, (n) =>
      STATEMENT_NAME_PATTERN.test(n) && n.length <= STATEMENT_NAME_MAX
        ? undefined
        : `metadata.name '${n}' is not a valid statement name: use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit.`,
    );
    const spec = body.spec;
    const out: Partial<StatementSpec> = {};
    if (!isObject(spec)) problems.push(spec === undefined ? 'spec is required (with spec.statement and spec.computePoolName).' : `spec must be an object, not ${describe(spec)}.`);
    else {
      if (typeof spec.statement !== 'string' || spec.statement.trim() === '') problems.push(spec.statement === undefined ? 'spec.statement is required: the SQL to run.' : `spec.statement must be a non-empty SQL string, not ${describe(spec.statement)}.`);
      else out.statement = spec.statement;
      if (typeof spec.computePoolName !== 'string' || spec.computePoolName === '') problems.push(spec.computePoolName === undefined ? 'spec.computePoolName is required: the compute pool to run the statement on.' : `spec.computePoolName must be a non-empty string, not ${describe(spec.computePoolName)}.`);
      else out.computePoolName = spec.computePoolName;
      const props = checkStringMap('spec.properties', spec.properties, problems);
      if (props) out.properties = props;
      const conf = checkStringMap('spec.flinkConfiguration', spec.flinkConfiguration, problems);
      if (conf) out.flinkConfiguration = conf;
      if (spec.parallelism !== undefined && spec.parallelism !== null) {
        if (typeof spec.parallelism !== 'number' || !Number.isInteger(spec.parallelism) || spec.parallelism < 1 || spec.parallelism > 2 ** 31 - 1) {
          problems.push(`spec.parallelism must be a whole number of at least 1, not ${describe(spec.parallelism)}.`);
        } else out.parallelism = spec.parallelism;
      }
      if (spec.stopped !== undefined && spec.stopped !== null) {
        if (typeof spec.stopped !== 'boolean') problems.push(`spec.stopped must be true or false, not ${describe(spec.stopped)}.`);
        else out.stopped = spec.stopped;
      }
      if (spec.startFromSavepoint !== undefined && spec.startFromSavepoint !== null) {
        const sfs = spec.startFromSavepoint;
        if (urlName === undefined) problems.push('spec.startFromSavepoint works only when updating a statement (PUT); remove it from the new statement.');
        else if (!isObject(sfs)) problems.push(`spec.startFromSavepoint must be an object, not ${describe(sfs)}.`);
        else {
          if (sfs.savepointName !== undefined || sfs.uid !== undefined) {
            problems.push(`spec.startFromSavepoint names savepoint '${String(sfs.savepointName ?? sfs.uid)}', which does not exist for statement '${name ?? ''}'.`);
          }
          out.startFromSavepoint = clone(sfs);
        }
      }
    }
    if (problems.length) {
      const who = `Statement${name ? ` '${name}'` : ''} (environment '${envName}')`;
      throw new CmfHttpError(422, problems.map((p) => `${who}: ${p}`));
    }
    return { metadata: { name: name!, ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) }, spec: out as StatementSpec };
  }

  /** The pool a statement runs on must exist and accept statements: a SHARED pool only while RUNNING. */
  private requirePoolAccepts(envName: string, stmtName: string, poolName: string, action: string): PoolRecord {
    const pool = this.pools.get(envName)?.get(poolName);
    if (!pool) {
      const names = [...(this.pools.get(envName)?.keys() ?? [])].sort();
      throw new CmfHttpError(
        422,
        `Statement '${stmtName}' (environment '${envName}'): compute pool '${poolName}' does not exist in environment '${envName}'. ` +
          (names.length ? `Its compute pools: ${names.join(', ')}.` : 'Create a compute pool first.'),
      );
    }
    if (pool.phase === 'DELETING') throw new CmfHttpError(422, `Cannot ${action} statement '${stmtName}': compute pool '${poolName}' (environment '${envName}') is being deleted.`);
    if (pool.spec.type === 'SHARED' && pool.phase !== SHARED_POOL_PHASE_ACCEPTING_STATEMENTS) {
      const hint = pool.phase === 'SUSPENDED' ? ' Resume it (PUT the pool with spec.state RUNNING) first.' : pool.phase === 'PENDING' ? ' Wait until it is RUNNING.' : ' Update the pool to bring it back to RUNNING.';
      throw new CmfHttpError(
        422,
        `Cannot ${action} statement '${stmtName}': shared compute pool '${poolName}' (environment '${envName}') is ${pool.phase}; statements run on it only while it is RUNNING.${hint}`,
      );
    }
    return pool;
  }

  createStatement(envName: string, body: unknown): Statement {
    this.env(envName);
    const { metadata, spec } = this.validateStatement(envName, body, undefined);
    if (this.statements.get(envName)!.has(metadata.name)) {
      throw new CmfHttpError(409, `Statement '${metadata.name}' already exists in environment '${envName}'. Choose another name, or delete the existing statement first.`);
    }
    const pool = this.requirePoolAccepts(envName, metadata.name, spec.computePoolName, 'submit');
    // As CMF answers it (seen in the field): an INSERT INTO needs a checkpointing interval on the statement or its pool.
    if (isInsertStatement(spec.statement) && !hasOption(spec.flinkConfiguration, CHECKPOINTING_INTERVAL) && !hasOption(this.effectiveClusterSpec(pool).flinkConfiguration, CHECKPOINTING_INTERVAL)) {
      throw new CmfHttpError(422, INSERT_WITHOUT_CHECKPOINTING);
    }
    this.requireWritable(envName, `create statement '${metadata.name}'`, false);
    const ts = this.nowIso();
    const { traits, finishes } = classifySql(spec.statement);
    const rec: StatementRecord = {
      env: envName,
      metadata: { name: metadata.name, uid: randomUUID(), creationTimestamp: ts, updateTimestamp: ts, labels: metadata.labels, annotations: metadata.annotations },
      spec,
      phase: spec.stopped ? 'STOPPED' : 'PENDING',
      traits,
      exceptions: [],
    };
    if (!spec.stopped) rec.transition = { to: finishes ? 'COMPLETED' : 'RUNNING', at: this.due() };
    this.statements.get(envName)!.set(rec.metadata.name, rec);
    this.advance();
    return this.statementView(rec, false);
  }

  /**
   * PUT /statements/{name}. `spec.stopped: true` stops a PENDING, RUNNING or FAILING statement (→ STOPPED);
   * `spec.stopped: false` resumes a STOPPED one (→ PENDING → RUNNING). `spec.statement` and
   * `spec.computePoolName` cannot change; a finished (COMPLETED/FAILED) statement's spec cannot change.
   * Rejections are 422: the OpenAPI lists no 409 for this endpoint.
   */
  updateStatement(envName: string, name: string, body: unknown): Statement {
    const s = this.statement(envName, name);
    const { metadata, spec } = this.validateStatement(envName, body, name);
    const who = `Statement '${name}' (environment '${envName}')`;
    const problems: string[] = [];
    if (spec.statement !== s.spec.statement) problems.push(`${who}: spec.statement cannot be changed; create a new statement for different SQL.`);
    if (spec.computePoolName !== s.spec.computePoolName) problems.push(`${who}: spec.computePoolName cannot be changed from '${s.spec.computePoolName}' to '${spec.computePoolName}'.`);
    if (problems.length) throw new CmfHttpError(422, problems);
    const stop = spec.stopped === true && s.phase !== 'STOPPED';
    const resume = spec.stopped !== true && s.phase === 'STOPPED';
    const terminal = TERMINAL_STATEMENT_PHASES.includes(s.phase);
    const { stopped: _a, ...restNew } = spec;
    const { stopped: _b, ...restOld } = s.spec;
    if (stop && !STOPPABLE_STATEMENT_PHASES.includes(s.phase)) {
      throw new CmfHttpError(422, `${who} is ${s.phase} and cannot be stopped: only ${list([...STOPPABLE_STATEMENT_PHASES])} statements can.`);
    }
    if (terminal && !sameJson(restNew, restOld)) {
      throw new CmfHttpError(422, `${who} has finished (${s.phase}); its spec can no longer change. Create a new statement instead.`);
    }
    if (resume) this.requirePoolAccepts(envName, name, spec.computePoolName, 'resume');
    this.requireWritable(envName, `update statement '${name}'`, false);
    s.metadata = { ...s.metadata, labels: metadata.labels, annotations: metadata.annotations, updateTimestamp: this.nowIso() };
    s.spec = terminal ? { ...spec, stopped: s.spec.stopped } : spec;
    if (stop) {
      s.phase = 'STOPPED';
      s.detail = 'Stopped on request.';
      s.transition = undefined;
    } else if (resume) {
      s.phase = 'PENDING';
      s.detail = 'Resuming.';
      s.transition = { to: classifySql(s.spec.statement).finishes ? 'COMPLETED' : 'RUNNING', at: this.due() };
    }
    this.advance();
    return this.statementView(s, false);
  }

  deleteStatement(envName: string, name: string, force: boolean): void {
    this.statement(envName, name);
    if (!force) this.requireWritable(envName, `delete statement '${name}'`, true);
    this.statements.get(envName)!.delete(name);
  }

  statementResult(envName: string, name: string): StatementResult {
    const s = this.statement(envName, name);
    if (s.traits.sqlKind !== 'SELECT') {
      throw new CmfHttpError(400, `Statement '${name}' (environment '${envName}') is ${s.traits.sqlKind ?? 'not a query'} and does not return results; only SELECT statements do.`);
    }
    if (s.phase === 'FAILED') throw new CmfHttpError(410, `The results of statement '${name}' (environment '${envName}') are gone: the statement FAILED.`);
    return {
      apiVersion: API_VERSION,
      kind: 'StatementResult',
      metadata: { creationTimestamp: this.nowIso(), annotations: {} },
      results: { data: [] },
    };
  }

  statementExceptions(envName: string, name: string): StatementExceptionList {
    const s = this.statement(envName, name);
    return {
      apiVersion: API_VERSION,
      kind: 'StatementExceptionList',
      data: s.exceptions.slice(0, 10).map((e) => ({ apiVersion: API_VERSION, kind: 'StatementException', ...e })),
    };
  }

  // ---- test controls ----------------------------------------------------------------------------------------

  /** Sets a Kubernetes cluster's effective state, as if CMF's heartbeat had found it so. */
  setClusterState(name: string, state: KubernetesClusterState, message?: string): KubernetesCluster {
    const c = this.cluster(name);
    if (!CLUSTER_STATES.includes(state)) throw new CmfHttpError(400, `Cluster state must be ${list([...CLUSTER_STATES])}, not ${describe(state)}.`);
    this.advance(); // what was due before the change happened while CMF could still see the cluster
    if (state === 'CONNECTED' && c.state !== 'CONNECTED') c.lastHeartbeat = this.now();
    c.state = state;
    c.lifecycleState = state === 'DECOMMISSIONED' ? 'DECOMMISSIONED' : 'ACTIVE';
    c.message = message ?? (state === 'DISCONNECTED' ? 'Failed to connect to cluster: connection timed out' : undefined);
    c.updateTimestamp = this.nowIso();
    return this.clusterView(c);
  }

  setPoolPhase(envName: string, name: string, phase: PoolPhase, message?: string): ComputePool {
    const p = this.pool(envName, name);
    if (!POOL_PHASES.includes(phase)) throw new CmfHttpError(400, `Pool phase must be one of ${POOL_PHASES.join(', ')}, not ${describe(phase)}.`);
    p.phase = phase;
    p.message = message ?? (phase === 'FAILED' ? 'The session cluster has failed.' : phase === 'FAILING' ? 'The session cluster is encountering errors.' : undefined);
    p.transition = undefined;
    return this.poolView(p, false);
  }

  setKubernetesCleanupFailure(envName: string, name: string, fail: boolean): void {
    this.pool(envName, name).failKubernetesCleanup = fail;
  }

  setStatementPhase(envName: string, name: string, phase: StatementPhase, detail?: string): Statement {
    const s = this.statement(envName, name);
    if (!STATEMENT_PHASES.includes(phase)) throw new CmfHttpError(400, `Statement phase must be one of ${STATEMENT_PHASES.join(', ')}, not ${describe(phase)}.`);
    s.phase = phase;
    s.transition = undefined;
    s.detail = detail;
    if ((phase === 'FAILED' || phase === 'FAILING') && detail) {
      s.exceptions.unshift({ name: 'org.apache.flink.runtime.JobException', message: detail, timestamp: this.nowIso() });
    }
    return this.statementView(s, false);
  }
}

function countByPhase(stmts: StatementRecord[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of stmts) out[s.phase] = (out[s.phase] ?? 0) + 1;
  return out;
}

/** A resource.memory as the Flink operator reads it (a number is taken as bytes); 0 when it cannot be read. */
function memoryBytes(v: unknown): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  return (typeof v === 'string' ? parseResourceMemory(v) : undefined) ?? 0;
}

function summary(cs: ComputePoolClusterSpec, jm: number, tm: number): ResourceUsageSummary {
  const jmCpu = Number(cs.jobManager?.resource?.cpu ?? 0) || 0;
  const tmCpu = Number(cs.taskManager?.resource?.cpu ?? 0) || 0;
  const jmMem = memoryBytes(cs.jobManager?.resource?.memory);
  const tmMem = memoryBytes(cs.taskManager?.resource?.memory);
  return {
    jobManager: { cpu: jm * jmCpu, memory: Math.round(jm * jmMem), count: jm },
    taskManager: { cpu: tm * tmCpu, memory: Math.round(tm * tmMem), count: tm },
  };
}

function sumSummaries(list: ResourceUsageSummary[]): ResourceUsageSummary {
  const out = { jobManager: { cpu: 0, memory: 0, count: 0 }, taskManager: { cpu: 0, memory: 0, count: 0 } };
  for (const s of list) {
    for (const k of ['jobManager', 'taskManager'] as const) {
      out[k].cpu += s[k]?.cpu ?? 0;
      out[k].memory += s[k]?.memory ?? 0;
      out[k].count += s[k]?.count ?? 0;
    }
  }
  return out;
}

/**
 * The parts every resource body shares: apiVersion, kind and metadata (name, labels, annotations).
 * Problems are added to `problems`; the name falls back to the one in the URL.
 */
function checkEnvelope(
  body: Record<string, unknown>,
  kind: string,
  resource: string,
  urlName: string | undefined,
  problems: string[],
  nameProblem: (name: string) => string | undefined,
): { name: string | undefined; labels?: StringMap; annotations?: StringMap } {
  if (body.apiVersion === undefined) problems.push(`apiVersion is required: set it to "${API_VERSION}".`);
  else if (body.apiVersion !== API_VERSION) problems.push(`apiVersion ${describe(body.apiVersion)} is not supported: use "${API_VERSION}".`);
  if (body.kind === undefined) problems.push(`kind is required: set it to "${kind}".`);
  else if (body.kind !== kind) problems.push(`kind ${describe(body.kind)} is wrong for this endpoint: use "${kind}".`);
  const meta = body.metadata;
  if (!isObject(meta)) {
    problems.push(meta === undefined ? 'metadata is required (with at least metadata.name).' : `metadata must be an object, not ${describe(meta)}.`);
    return { name: urlName };
  }
  let name = urlName;
  if (typeof meta.name !== 'string' || meta.name === '') {
    problems.push(meta.name === undefined ? 'metadata.name is required.' : `metadata.name must be a non-empty string, not ${describe(meta.name)}.`);
  } else {
    if (urlName !== undefined && meta.name !== urlName) {
      problems.push(`metadata.name '${meta.name}' does not match the ${resource} '${urlName}' in the URL; a ${resource === 'compute pool' ? 'pool' : resource} cannot be renamed.`);
    }
    name = meta.name;
    const problem = nameProblem(meta.name);
    if (problem) problems.push(problem);
  }
  return { name, labels: checkStringMap('metadata.labels', meta.labels, problems), annotations: checkStringMap('metadata.annotations', meta.annotations, problems) };
}

/** Does a flinkConfiguration set `key`, flat (`a.b.c`) or nested (`{"a": {"b": {"c": ...}}}`)? */
function hasOption(config: unknown, key: string): boolean {
  if (!isObject(config)) return false;
  if (config[key] !== undefined && config[key] !== null) return true;
  const dot = key.indexOf('.');
  for (let i = dot; i > 0; i = key.indexOf('.', i + 1)) {
    if (hasOption(config[key.slice(0, i)], key.slice(i + 1))) return true;
  }
  return false;
}
