/**
 * Compute-pool lifecycle: plan, apply, suspend, resume, delete, force delete and wait, with CMF's rules
 * applied before anything is sent. Pure logic over `CmfClient`; no vscode import, no printing. The VS Code
 * commands and the `cmf-pools` CLI both call it and only add confirmation, progress and output.
 *
 * What is decided here, and where the facts come from:
 * - Lint: a file is checked by the language service (the same rules as the editor and `cmf-pools lint`);
 *   any error-severity diagnostic refuses it before a request is made.
 * - Server-owned fields (`status`, `metadata.uid`, timestamps) come from cmf-facts `SERVER_OWNED_PATHS`;
 *   they are never compared and never sent.
 * - Blocking statements: `statementBlocks` from cmf-facts (per pool type and operation; a FAILED shared
 *   pool blocks nothing). Before an update, suspend, resume or delete the pool's statements are read, and
 *   the operation is refused without a write when one blocks. If CMF still answers 409 (something changed
 *   in between, or CMF's rules differ), the statements are read again and returned with the conflict.
 * - `spec.type` is immutable: a file whose type differs from the live pool's is refused.
 *
 * The plan's diff (see `planPool`): a unified line diff of canonical JSON (keys sorted, two-space indent;
 * or the file's own format, YAML, through the linted pool's `render`) of the live pool against the file, both without server-owned fields, and with the values CMF filled in
 * from defaults left out of the live side:
 * - Environment defaults: a value present on the live pool but absent from the file is left out when it
 *   equals the environment's `computePoolDefaults` at the same place (`computePoolDefaults` mirrors the
 *   pool's `spec`, e.g. `computePoolDefaults.clusterSpec.image` ↔ `spec.clusterSpec.image`). Objects are
 *   compared key by key (the way defaults are merged), arrays and scalars as a whole. Such a value is
 *   equivalent to its absence — CMF would fill it in from the same default — so leaving it out cannot hide
 *   a change to what runs. A live value that differs from the default, or a key the default lacks, stays
 *   in the diff: applying the file would remove it.
 * - `spec.state` of a SHARED pool: CMF documents RUNNING as the default. A file without it matches a live
 *   RUNNING pool; against a live SUSPENDED pool the file side shows `"state": "RUNNING"`, because applying
 *   it resumes the pool.
 * - Empty `metadata.labels` / `metadata.annotations` equal absent ones.
 * The paths left out are listed in the plan (`defaultsIgnored`) so a UI can say so.
 */
import type { Diagnostic } from 'vscode-languageserver-types';
import { isObject } from '../../cmf-model/src/json';
import { SERVER_OWNED_PATHS, SETTLED_POOL_PHASES, statementBlocks, type PoolPhase, type PoolState, type PoolType } from '../../cmf-model/src/facts';
import type { CallOptions, CmfClient } from './client';
import { CmfError, sentence } from './errors';
import type { ComputePool, Environment, Statement } from '../../cmf-model/src/types';
import { unifiedDiff } from './line-diff';
import { terminalSafe } from './safe-text';

// ---------------------------------------------------------------------------------------------------------
// Files and lint
// ---------------------------------------------------------------------------------------------------------

/** A diagnostic of the linted file, as the language service reports it (code and message always strings). */
export type LintDiagnostic = Diagnostic & { code: string; message: string };

/**
 * A pool file the language service has linted (its facade's `lint`, or the language server's `cmfPools/lint`):
 * the lifecycle never lints, so the editor, the CLI and CI refuse exactly the same files.
 */
export interface LintedPool {
  /** How to name the file in messages and the diff. */
  label?: string;
  /** The pool, when the file is a JSON object. */
  value: Record<string, unknown> | undefined;
  /** `metadata.name`, when it is a string. */
  name: string | undefined;
  /** Every diagnostic, in document order. */
  diagnostics: LintDiagnostic[];
  /** The error-severity diagnostics: any of them refuses the file. */
  errors: LintDiagnostic[];
  /** Writes a value (keys already sorted) in the file's format for the diff; canonical JSON when absent. */
  render?: (value: unknown) => string;
}

// ---------------------------------------------------------------------------------------------------------
// Plans
// ---------------------------------------------------------------------------------------------------------

export interface BlockingStatement {
  name: string;
  phase: string;
  /** `status.detail`, when CMF gave one. */
  detail?: string;
}

interface PlanBase {
  environment: string;
  /** Every diagnostic of the file (warnings are shown, only errors refuse). */
  diagnostics: LintDiagnostic[];
}

interface CreatePlan extends PlanBase {
  kind: 'create';
  name: string;
  /** What POST sends: the file without server-owned fields. */
  body: ComputePool;
  live: undefined;
  /** The whole body as added lines. */
  diff: string;
}

export interface UpdatePlan extends PlanBase {
  kind: 'update';
  name: string;
  /** What PUT sends: the file without server-owned fields (the full body). */
  body: ComputePool;
  live: ComputePool;
  /** Unified diff, live (`---`) to file (`+++`). */
  diff: string;
  /** Dotted paths that differ, e.g. `spec.clusterSpec.taskManager.resource.memory`. */
  changedPaths: string[];
  /** Live values left out of the comparison as filled in from defaults. */
  defaultsIgnored: string[];
  /** Statements that block the update (read by `PoolLifecycle.plan`; undefined from the pure `planPool`). */
  blockers?: BlockingStatement[];
}

interface UnchangedPlan extends PlanBase {
  kind: 'unchanged';
  name: string;
  body: ComputePool;
  live: ComputePool;
  defaultsIgnored: string[];
}

type RefusalReason = 'lint-errors' | 'type-change';

interface RefusedPlan extends PlanBase {
  kind: 'refused';
  reason: RefusalReason;
  name: string | undefined;
  live?: ComputePool;
  /** One sentence naming the pool and environment. */
  message: string;
  /** For a type change: the unified diff of the live pool against the file, as an update's (what differs, not what would be sent). */
  diff?: string;
  /** For a type change: the dotted paths that differ, `spec.type` among them. */
  changedPaths?: string[];
}

export type Plan = CreatePlan | UpdatePlan | UnchangedPlan | RefusedPlan;

export interface PlanOptions {
  environment: string;
  /** The environment's `computePoolDefaults` (see the module comment). */
  computePoolDefaults?: Environment['computePoolDefaults'];
  /** Label of the live side of the diff (default: "live compute pool 'x' (environment 'e')"). */
  liveLabel?: string;
  /** Label of the file side (default: the file's path, or "file"). */
  fileLabel?: string;
}

/**
 * Plans applying `file` given the live pool (undefined when it does not exist). Pure: no requests. Refuses a
 * file with lint errors, and a type change.
 */
export function planPool(linted: LintedPool, live: ComputePool | undefined, options: PlanOptions): Plan {
  const environment = options.environment;
  const base = { environment, diagnostics: linted.diagnostics };
  if (linted.errors.length || !linted.value || !linted.name) {
    const n = linted.errors.length;
    return {
      ...base,
      kind: 'refused',
      reason: 'lint-errors',
      name: linted.name,
      live,
      message: `${linted.label ?? 'The file'} has ${n} error${n === 1 ? '' : 's'}${linted.name ? ` (compute pool '${linted.name}', environment '${environment}')` : ''}; fix ${n === 1 ? 'it' : 'them'} before applying.`,
    };
  }
  const name = linted.name;
  const body = withoutServerOwned(linted.value) as unknown as ComputePool;
  const write = (v: unknown) => (linted.render ? linted.render(sortKeys(v)).replace(/\n$/, '') : canonicalJson(v));
  if (!live) {
    const text = write(body);
    const diff = unifiedDiff('', text, { from: '/dev/null', to: options.fileLabel ?? linted.label ?? 'file' });
    return { ...base, kind: 'create', name, body, live: undefined, diff };
  }
  const fileType = body.spec?.type;
  const liveType = live.spec?.type;
  const { live: liveSide, file: fileSide, ignored } = comparable(live, body, options.computePoolDefaults);
  const diffOf = () =>
    unifiedDiff(write(liveSide), write(fileSide), {
      from: options.liveLabel ?? `live compute pool '${name}' (environment '${environment}')`,
      to: options.fileLabel ?? linted.label ?? 'file',
    });
  if (fileType !== liveType) {
    return {
      ...base,
      kind: 'refused',
      reason: 'type-change',
      name,
      live,
      message:
        `Compute pool '${name}' in environment '${environment}' is ${String(liveType)}, the file says ${String(fileType)}: spec.type is immutable in CMF. ` +
        `Keep spec.type ${String(liveType)}, or create a new pool under another name (or delete this one first).`,
      diff: diffOf(),
      changedPaths: changedPaths(liveSide, fileSide),
    };
  }
  if (canonicalJson(liveSide) === canonicalJson(fileSide)) return { ...base, kind: 'unchanged', name, body, live, defaultsIgnored: ignored };
  return { ...base, kind: 'update', name, body, live, diff: diffOf(), changedPaths: changedPaths(liveSide, fileSide), defaultsIgnored: ignored };
}

/** The two sides the plan compares (see the module comment). */
export function comparable(
  live: ComputePool,
  file: ComputePool,
  computePoolDefaults?: Environment['computePoolDefaults'],
): { live: Record<string, unknown>; file: Record<string, unknown>; ignored: string[] } {
  const l = withoutServerOwned(live);
  const f = withoutServerOwned(file);
  const ignored: string[] = [];
  for (const side of [l, f]) {
    const meta = side.metadata;
    if (isObject(meta)) {
      for (const k of ['labels', 'annotations']) if (isObject(meta[k]) && Object.keys(meta[k] as object).length === 0) delete meta[k];
    }
  }
  const ls = isObject(l.spec) ? l.spec : undefined;
  const fs = isObject(f.spec) ? f.spec : undefined;
  if (ls && fs) {
    if (ls.type === 'SHARED') {
      if (fs.state === undefined && ls.state !== undefined) {
        if (ls.state === 'RUNNING') {
          delete ls.state;
          ignored.push('spec.state');
        } else fs.state = 'RUNNING';
      } else if (ls.state === undefined && fs.state === 'RUNNING') ls.state = 'RUNNING';
    }
    if (isObject(computePoolDefaults)) l.spec = pruneDefaults(ls, fs, computePoolDefaults, 'spec', ignored);
  }
  return { live: l, file: f, ignored };
}

/** `live` without the values that are absent from `file` and equal to `defaults` at the same place. */
function pruneDefaults(live: Record<string, unknown>, file: Record<string, unknown> | undefined, defaults: Record<string, unknown>, path: string, ignored: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, lv] of Object.entries(live)) {
    const fv = file?.[k];
    const dv = defaults[k];
    const p = `${path}.${k}`;
    if (dv !== undefined && fv === undefined) {
      if (canonicalJson(lv) === canonicalJson(dv)) {
        ignored.push(p);
        continue;
      }
      if (isObject(lv) && isObject(dv)) {
        const rest = pruneDefaults(lv, undefined, dv, p, ignored);
        if (Object.keys(rest).length) out[k] = rest;
        continue;
      }
    } else if (isObject(lv) && isObject(fv) && isObject(dv)) {
      out[k] = pruneDefaults(lv, fv, dv, p, ignored);
      continue;
    }
    out[k] = lv;
  }
  return out;
}

/** Dotted paths where two JSON values differ (objects key by key; arrays and scalars as a whole). */
function changedPaths(a: unknown, b: unknown, path = ''): string[] {
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => changedPaths(a[k], b[k], path ? `${path}.${k}` : k));
  }
  return canonicalJson(a) === canonicalJson(b) ? [] : [path || '(root)'];
}

/** JSON with object keys sorted and two-space indentation: the same value always prints the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2) ?? 'undefined';
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) if (v[k] !== undefined) out[k] = sortKeys(v[k]);
  return out;
}

/** A deep copy of a pool without the fields the server owns (cmf-facts `SERVER_OWNED_PATHS`). */
export function withoutServerOwned(pool: ComputePool | Record<string, unknown>): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(pool)) as Record<string, unknown>;
  for (const path of SERVER_OWNED_PATHS) {
    let node: unknown = copy;
    for (const seg of path.slice(0, -1)) node = isObject(node) ? node[seg] : undefined;
    if (isObject(node)) delete node[path[path.length - 1]];
  }
  return copy;
}

/** Are two live pools the same apart from server-owned fields? (`null`/undefined: absent.) */
export function sameLive(a: ComputePool | null | undefined, b: ComputePool | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  return canonicalJson(withoutServerOwned(a)) === canonicalJson(withoutServerOwned(b));
}

// ---------------------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------------------

/** CMF answered 409 although no statement blocked when we looked. */
export interface Conflict {
  kind: 'conflict';
  error: CmfError;
  /** The statements that block now; when none does by CMF's documented rules, every statement on the pool. */
  statements: BlockingStatement[];
  message: string;
}

/**
 * The pool read back right after an update is neither what was sent nor what CMF answered to the PUT: someone else
 * changed (or deleted) it meanwhile. CMF has no conditional update, so this is found only after the fact.
 */
export interface Overwritten {
  /** The pool as CMF has it now (undefined: deleted). */
  now: ComputePool | undefined;
  /** Unified diff of what was sent (`---`) against what CMF has now (`+++`), comparable fields only. */
  diff: string;
  message: string;
}

export type ApplyResult =
  | { kind: 'created'; plan: CreatePlan; pool: ComputePool }
  | { kind: 'updated'; plan: UpdatePlan; pool: ComputePool; overwritten?: Overwritten }
  | { kind: 'unchanged'; plan: UnchangedPlan }
  | { kind: 'refused'; plan: RefusedPlan; message: string }
  | { kind: 'blocked'; plan: UpdatePlan; blockers: BlockingStatement[]; message: string }
  | { kind: 'changed-elsewhere'; plan: Plan; expected: ComputePool | null; message: string }
  | (Conflict & { plan: CreatePlan | UpdatePlan });

type StateChange = 'suspend' | 'resume';

export type StateChangeResult =
  | { kind: 'done'; operation: StateChange; live: ComputePool; pool: ComputePool; message: string }
  | { kind: 'unchanged'; operation: StateChange; live: ComputePool; message: string }
  | { kind: 'refused'; operation: StateChange; reason: 'dedicated'; live?: ComputePool; message: string }
  | { kind: 'blocked'; operation: StateChange; live: ComputePool; blockers: BlockingStatement[]; message: string }
  | (Conflict & { operation: StateChange; live: ComputePool });

export type DeleteResult =
  | { kind: 'deleted'; force: boolean; live: ComputePool; message: string }
  | { kind: 'blocked'; force: boolean; live: ComputePool; blockers: BlockingStatement[]; message: string }
  | (Conflict & { force: boolean; live: ComputePool });

export interface WaitProgress {
  name: string;
  phase: string | undefined;
  /** `status.message`. */
  message?: string;
  /** `status.warning`: the status may be stale (the environment's Kubernetes cluster is away). */
  warning?: string;
  elapsedMs: number;
  pool: ComputePool;
}

export type WaitResult =
  | { kind: 'settled'; phase: PoolPhase; pool: ComputePool; elapsedMs: number; polls: number }
  | { kind: 'timeout'; phase: string | undefined; pool: ComputePool | undefined; elapsedMs: number; polls: number }
  | { kind: 'gone'; elapsedMs: number; polls: number };

export interface WaitOptions extends CallOptions {
  /** Overall limit (default 10 minutes). `timeoutMs` of each request stays the connection's. */
  waitTimeoutMs?: number;
  /** Between polls (default 1000 ms). */
  intervalMs?: number;
  /**
   * Stop only at these phases (or FAILED, which a pool does not leave by itself), e.g. SUSPENDED after a
   * suspend, so an old settled phase read just after the write does not end the wait. Default: any settled phase.
   */
  until?: PoolPhase | readonly PoolPhase[];
  /** Called with the first status and every change of phase, message or warning. */
  onProgress?: (p: WaitProgress) => void;
}

/** "a (RUNNING), b (STOPPED)". */
export function describeStatements(list: readonly BlockingStatement[]): string {
  // Names and phases come from CMF: shown escaped (safe-text.ts), on one line.
  return list.map((s) => `${terminalSafe(s.name)} (${terminalSafe(s.phase)})`).join(', ');
}

/** The phase a pool settles in once `spec` is applied: DEDICATED, or RUNNING / SUSPENDED for a shared pool. */
export function targetPhase(spec: { type?: PoolType; state?: PoolState } | undefined): PoolPhase {
  if (spec?.type === 'DEDICATED') return 'DEDICATED';
  return spec?.state === 'SUSPENDED' ? 'SUSPENDED' : 'RUNNING';
}

// ---------------------------------------------------------------------------------------------------------
// The operations
// ---------------------------------------------------------------------------------------------------------

/** The lifecycle of the compute pools of one environment, over one client. */
export class PoolLifecycle {
  constructor(
    readonly client: CmfClient,
    readonly environment: string,
  ) {}

  private get env(): string {
    return this.environment;
  }

  private where(name: string): string {
    return `compute pool '${terminalSafe(name)}' in environment '${terminalSafe(this.env)}'`;
  }

  /** The live pool, or undefined when CMF answers 404 for it (other errors are thrown). */
  async getLive(name: string, call?: CallOptions): Promise<ComputePool | undefined> {
    try {
      return await this.client.getComputePool(this.env, name, call);
    } catch (e) {
      if (e instanceof CmfError && e.kind === 'http' && e.status === 404) return undefined;
      throw e;
    }
  }

  /**
   * Reads the environment (its `computePoolDefaults`; a missing environment fails here with a 404 that says
   * so), the live pool, and — for an update — the statements that would block it. Lint errors refuse the
   * file before any request.
   */
  async plan(linted: LintedPool, call?: CallOptions): Promise<Plan> {
    return (await this.planWithDefaults(linted, call)).plan;
  }

  /**
   * Plans several pools of this environment, in order, as `plan` plans one: the environment is read once, then
   * each live pool (and, for an update, its statements). A pool with lint errors is refused without a request.
   */
  async planAll(pools: readonly LintedPool[], call?: CallOptions): Promise<Plan[]> {
    let environment: Environment | undefined;
    const plans: Plan[] = [];
    for (const linted of pools) {
      const needed = !(linted.errors.length || !linted.value || !linted.name);
      if (needed) environment ??= await this.client.getEnvironment(this.env, call);
      plans.push((await this.planWithDefaults(linted, call, environment)).plan);
    }
    return plans;
  }

  private async planWithDefaults(linted: LintedPool, call?: CallOptions, known?: Environment): Promise<{ plan: Plan; defaults?: Environment['computePoolDefaults'] }> {
    if (linted.errors.length || !linted.value || !linted.name) return { plan: planPool(linted, undefined, { environment: this.env }) };
    const environment = known ?? (await this.client.getEnvironment(this.env, call));
    const live = await this.getLive(linted.name, call);
    const defaults = environment.computePoolDefaults;
    const plan = planPool(linted, live, { environment: this.env, computePoolDefaults: defaults });
    if (plan.kind === 'update') plan.blockers = (await this.statementsOn(plan.live, 'update', call)).blocking;
    return { plan, defaults };
  }

  /**
   * Creates the pool (POST) when it does not exist, updates it (PUT of the full body) when it differs;
   * writes nothing when it is unchanged, the file has lint errors, the type differs, or a statement blocks.
   *
   * `expectedLive` guards against a change made elsewhere between showing a plan and applying it: pass the
   * `live` of the plan the user saw (`null` if it said create). The live pool is read again right before the
   * PUT; if it differs (server-owned fields aside), nothing is written and the result is 'changed-elsewhere'
   * with the plan for the pool as it is now.
   *
   * CMF has no conditional update (no version or ETag on PUT): two updates at once are both accepted and the later
   * one wins. So the pool is read back right after the PUT; when it is neither what was sent nor what CMF answered
   * to the PUT, the result carries `overwritten` (someone else changed it meanwhile). A change made elsewhere after
   * that read is not seen by anyone.
   */
  async apply(linted: LintedPool, opts: { expectedLive?: ComputePool | null } & CallOptions = {}): Promise<ApplyResult> {
    const { expectedLive, ...call } = opts;
    const { plan, defaults } = await this.planWithDefaults(linted, call);
    if (plan.kind === 'refused') return { kind: 'refused', plan, message: plan.message };
    if (expectedLive !== undefined && !sameLive(expectedLive, plan.live)) return this.changedElsewhere(plan, expectedLive);
    if (plan.kind === 'unchanged') return { kind: 'unchanged', plan };
    if (plan.kind === 'create') {
      try {
        const pool = await this.client.createComputePool(this.env, plan.body, call);
        return { kind: 'created', plan, pool };
      } catch (e) {
        if (!(e instanceof CmfError && e.status === 409)) throw e;
        // Created by someone else since we looked: show what is there now.
        const again = await this.plan(linted, call);
        return this.changedElsewhere(again, expectedLive ?? null);
      }
    }
    const blockers = plan.blockers ?? (await this.statementsOn(plan.live, 'update', call)).blocking;
    if (blockers.length) {
      return {
        kind: 'blocked',
        plan,
        blockers,
        message: `${sentence(this.where(plan.name))} cannot be updated: ${blockMessage(plan.live, 'update', blockers)}`,
      };
    }
    if (expectedLive !== undefined) {
      const now = await this.getLive(plan.name, call);
      if (!sameLive(now, plan.live)) {
        const environment = await this.client.getEnvironment(this.env, call);
        return this.changedElsewhere(planPool(linted, now, { environment: this.env, computePoolDefaults: environment.computePoolDefaults }), expectedLive);
      }
    }
    let pool: ComputePool;
    try {
      pool = await this.client.updateComputePool(this.env, plan.name, plan.body, call);
    } catch (e) {
      const conflict = await this.conflictFrom(e, plan.live, 'update', call);
      return { ...conflict, plan };
    }
    const overwritten = await this.readBack(plan, pool, defaults, call);
    return overwritten ? { kind: 'updated', plan, pool, overwritten } : { kind: 'updated', plan, pool };
  }

  /** Reads the pool back after an update; says how it differs when someone else changed it meanwhile. */
  private async readBack(plan: UpdatePlan, answered: ComputePool, defaults: Environment['computePoolDefaults'] | undefined, call?: CallOptions): Promise<Overwritten | undefined> {
    const now = await this.getLive(plan.name, call);
    if (now && sameLive(now, answered)) return undefined;
    const sent = comparable(plan.body, plan.body).file;
    if (now) {
      const { live, file } = comparable(now, plan.body, defaults);
      if (canonicalJson(live) === canonicalJson(file)) return undefined;
      return {
        now,
        diff: unifiedDiff(canonicalJson(file), canonicalJson(live), { from: 'sent by this update', to: `compute pool '${terminalSafe(plan.name)}' read back right after it` }),
        message:
          `${sentence(this.where(plan.name))} was changed by someone else meanwhile: read back right after this update, it is not what was sent, so this change may be lost. ` +
          `CMF has no conditional update (the last write wins); check the pool and apply again if needed.`,
      };
    }
    return {
      now: undefined,
      diff: unifiedDiff(canonicalJson(sent), '', { from: 'sent by this update', to: '/dev/null' }),
      message: `${sentence(this.where(plan.name))} was deleted by someone else right after this update. CMF has no conditional update; create it again if it is still wanted.`,
    };
  }

  /** Suspends a SHARED pool (PUT of its live body with `spec.state: SUSPENDED`). Pass the pool object, when you have it, to refuse a dedicated pool without any request. */
  suspend(pool: string | ComputePool, call?: CallOptions): Promise<StateChangeResult> {
    return this.setState(pool, 'SUSPENDED', call);
  }

  /** Resumes a suspended SHARED pool (PUT of its live body with `spec.state: RUNNING`). */
  resume(pool: string | ComputePool, call?: CallOptions): Promise<StateChangeResult> {
    return this.setState(pool, 'RUNNING', call);
  }

  private async setState(target: string | ComputePool, state: PoolState, call?: CallOptions): Promise<StateChangeResult> {
    const operation: StateChange = state === 'SUSPENDED' ? 'suspend' : 'resume';
    const done = operation === 'suspend' ? 'suspended' : 'resumed';
    const dedicated = (name: string, live?: ComputePool): StateChangeResult => ({
      kind: 'refused',
      operation,
      reason: 'dedicated',
      live,
      message: `${sentence(this.where(name))} is DEDICATED: only SHARED pools can be ${done} (a dedicated pool starts a cluster per statement and has no session cluster to ${operation}).`,
    });
    if (typeof target !== 'string' && target.spec?.type === 'DEDICATED') return dedicated(target.metadata.name);
    const name = typeof target === 'string' ? target : target.metadata.name;
    // Always the current body: a stale one would undo changes made since it was read.
    const live = await this.client.getComputePool(this.env, name, call);
    if (live.spec?.type !== 'SHARED') return dedicated(name, live);
    const current = live.spec.state ?? 'RUNNING';
    if (current === state) {
      return { kind: 'unchanged', operation, live, message: `${sentence(this.where(name))} is already ${state === 'SUSPENDED' ? 'suspended' : 'running (spec.state RUNNING)'}; nothing to do.` };
    }
    const { blocking } = await this.statementsOn(live, 'update', call);
    if (blocking.length) {
      return { kind: 'blocked', operation, live, blockers: blocking, message: `${sentence(this.where(name))} cannot be ${done}: ${blockMessage(live, 'update', blocking)}` };
    }
    const body = withoutServerOwned(live) as unknown as ComputePool;
    body.spec.state = state;
    try {
      const pool = await this.client.updateComputePool(this.env, name, body, call);
      return { kind: 'done', operation, live, pool, message: `${sentence(this.where(name))}: ${operation === 'suspend' ? 'suspending' : 'resuming'} (phase ${pool.status?.phase ?? 'unknown'}).` };
    } catch (e) {
      return { ...(await this.conflictFrom(e, live, 'update', call)), operation, live };
    }
  }

  /** Deletes the pool and its Kubernetes resources (no `force`). */
  delete(name: string, call?: CallOptions): Promise<DeleteResult> {
    return this.remove(name, false, call);
  }

  /**
   * Deletes with CMF's `force=true`: the pool's metadata only, without Kubernetes cleanup — a shared pool's
   * session cluster may be left running. Statements still block it (force does not bypass the in-use check).
   */
  forceDelete(name: string, call?: CallOptions): Promise<DeleteResult> {
    return this.remove(name, true, call);
  }

  /** What a delete would meet: the live pool (a 404 is thrown) and the statements that block deleting it. */
  async inspectDelete(name: string, call?: CallOptions): Promise<{ live: ComputePool; blockers: BlockingStatement[] }> {
    const live = await this.client.getComputePool(this.env, name, call);
    return { live, blockers: (await this.statementsOn(live, 'delete', call)).blocking };
  }

  private async remove(name: string, force: boolean, call?: CallOptions): Promise<DeleteResult> {
    const { live, blockers } = await this.inspectDelete(name, call);
    if (blockers.length) {
      return {
        kind: 'blocked',
        force,
        live,
        blockers,
        message: `${sentence(this.where(name))} cannot be deleted${force ? ' (not even with force=true)' : ''}: ${blockMessage(live, 'delete', blockers)}`,
      };
    }
    try {
      await this.client.deleteComputePool(this.env, name, { ...call, force });
    } catch (e) {
      return { ...(await this.conflictFrom(e, live, 'delete', call)), force, live };
    }
    return {
      kind: 'deleted',
      force,
      live,
      message: force
        ? `${sentence(this.where(name))} was removed from CMF's metadata (force=true)${live.spec?.type === 'SHARED' ? '; its session cluster may still be running on Kubernetes' : ''}.`
        : `${sentence(this.where(name))} is being deleted.`,
    };
  }

  /** The pool's statements, and those that block `operation` by CMF's documented rules. */
  async statementsOn(live: ComputePool, operation: 'update' | 'delete', call?: CallOptions): Promise<{ all: BlockingStatement[]; blocking: BlockingStatement[] }> {
    const name = live.metadata.name;
    // The pool's statements only: the client filters on spec.computePoolName whatever the server did with the parameter.
    const statements = await this.client.listStatements(this.env, { ...call, computePool: name });
    const all = statements
      .map((s: Statement) => ({ name: s.metadata.name, phase: s.status?.phase ?? 'UNKNOWN', ...(s.status?.detail ? { detail: s.status.detail } : {}) }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const blocking = all.filter((s) => statementBlocks(operation, live.spec.type, live.status?.phase, s.phase));
    return { all, blocking };
  }

  /** Turns a 409 into a Conflict listing the statements on the pool; rethrows anything else. */
  private async conflictFrom(e: unknown, live: ComputePool, operation: 'update' | 'delete', call?: CallOptions): Promise<Conflict> {
    if (!(e instanceof CmfError && e.kind === 'http' && e.status === 409)) throw e;
    const fresh = (await this.getLive(live.metadata.name, call)) ?? live;
    const { all, blocking } = await this.statementsOn(fresh, operation, call);
    const statements = blocking.length ? blocking : all;
    const which = blocking.length ? 'Statements that block it now' : all.length ? 'No statement blocks it by CMF\'s documented rules; statements on the pool' : 'The pool has no statements';
    return {
      kind: 'conflict',
      error: e,
      statements,
      message: `${e.message}\n${which}${statements.length ? `: ${describeStatements(statements)}` : ''}.`,
    };
  }

  private changedElsewhere(plan: Plan, expected: ComputePool | null | undefined): ApplyResult {
    const name = plan.name ?? '?';
    const now = plan.live ? 'it has changed' : 'it no longer exists';
    return {
      kind: 'changed-elsewhere',
      plan,
      expected: expected ?? null,
      message: expected
        ? `${sentence(this.where(name))} changed since the plan was made (${now}); nothing was written. Review the new plan.`
        : `${sentence(this.where(name))} was created by someone else since the plan was made; nothing was written. Review the new plan.`,
    };
  }

  /**
   * Follows the pool's `status.phase` until it settles (RUNNING, SUSPENDED, DEDICATED, FAILED — or one of
   * `until`), the pool disappears (404), or `waitTimeoutMs` passes. Reports the first status and every
   * change of phase, `status.message` or `status.warning` through `onProgress`.
   */
  async wait(name: string, opts: WaitOptions = {}): Promise<WaitResult> {
    const { waitTimeoutMs = 600_000, intervalMs = 1000, until, onProgress, ...call } = opts;
    const targets: readonly string[] = until === undefined ? SETTLED_POOL_PHASES : typeof until === 'string' ? [until, 'FAILED'] : [...until, 'FAILED'];
    const started = Date.now();
    let polls = 0;
    let last: string | undefined;
    let pool: ComputePool | undefined;
    for (;;) {
      pool = await this.getLive(name, call);
      polls++;
      const elapsedMs = Date.now() - started;
      if (!pool) return { kind: 'gone', elapsedMs, polls };
      const phase = pool.status?.phase;
      const key = JSON.stringify([phase, pool.status?.message, pool.status?.warning]);
      if (key !== last) {
        last = key;
        onProgress?.({ name, phase, message: pool.status?.message, warning: pool.status?.warning, elapsedMs, pool });
      }
      if (phase && targets.includes(phase)) return { kind: 'settled', phase: phase as PoolPhase, pool, elapsedMs, polls };
      const left = waitTimeoutMs - elapsedMs;
      if (left <= 0) return { kind: 'timeout', phase, pool, elapsedMs, polls };
      await sleep(Math.min(intervalMs, left), call.signal);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------

function blockMessage(live: ComputePool, operation: 'update' | 'delete', blockers: BlockingStatement[]): string {
  const advice =
    operation === 'delete'
      ? 'Delete those statements, or wait until they are COMPLETED or FAILED.'
      : live.spec.type === 'SHARED'
        ? 'Delete those statements, or wait until they are COMPLETED or FAILED (a STOPPED statement blocks too).'
        : 'Delete those statements first (on a DEDICATED pool FAILED statements block too).';
  return `${blockers.length === 1 ? 'a statement blocks it' : `${blockers.length} statements block it`}: ${describeStatements(blockers)}. ${advice}`;
}


function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const abortError = () => new CmfError({ kind: 'aborted', message: 'Cancelled while waiting for the compute pool to settle' });
    if (signal?.aborted) return reject(abortError());
    const onAbort = () => {
      clearTimeout(t);
      reject(abortError());
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
