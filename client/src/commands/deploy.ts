/**
 * Deploy Pool, Compare with Deployed, and the deployment state of a pool file (for its CodeLens), over the
 * lifecycle module. Deploy:
 *  1. lints the file alone (no request at all when it has errors), then the effective pool — the file over
 *     the target environment's computePoolDefaults, as the editor shows it;
 *  2. plans (the live pool, the statements that block an update);
 *  3. creates directly, or for an update shows the diff (live vs file, server-owned fields left out) and
 *     asks to confirm, naming connection, environment and pool; a type change is refused with the reason;
 *  4. applies with `expectedLive`, so a change made elsewhere since the diff was shown is detected and
 *     the new diff shown instead of overwriting it;
 *  5. follows the phase until it settles.
 * A rejection by CMF that names a field puts a diagnostic on that field.
 * No vscode import.
 */
import { CFK_KIND, cmfPoolOfCfk } from '../../../cmf-model/src/facts';
import { isObject } from '../../../cmf-model/src/json';
import {
  PoolLifecycle,
  comparable,
  planPool,
  withoutServerOwned,
  targetPhase,
  describeStatements,
  type LintDiagnostic,
  type LintedPool,
  type Plan,
  type UpdatePlan,
  type ApplyResult,
} from '../../../cmf-client/src/lifecycle';
import { CmfError, sentence } from '../../../cmf-client/src/errors';
import type { ComputePool, Environment } from '../../../cmf-model/src/types';
import type { LintResponse, PoolFileInput } from '../language/pool-language';
import { describePoolTarget, reportFailure, type CommandContext, type PoolTarget } from './context';
import { type CommandOutcome, guarded, showBlocked, showRefusal } from './outcome';
import { copyAsCurl, followPhase } from './pool-commands';
import { shortReason } from '../explorer/model';
import { SHOW_LOG } from './ui';

export type { PoolFileInput };

export interface DeployTarget {
  connection: string;
  environment: string;
}

const SHOW_PROBLEMS = 'Show Problems';
const SELECT = 'Select Connection';
const MAX_REPLANS = 3;

/** The selected connection and environment, or a message saying what to select. */
function selectedTarget(ctx: CommandContext): DeployTarget | undefined {
  const s = ctx.registry.selection();
  return s?.environment ? { connection: s.connection, environment: s.environment } : undefined;
}

async function askToSelect(ctx: CommandContext, what: string): Promise<void> {
  const choice = await ctx.ui.warn(`${what}: select a CMF connection and environment first.`, SELECT);
  if (choice === SELECT) await ctx.ui.run('cmfPools.selectConnection');
}

const ERROR = 1;

/** A pool of a file as the language server linted it: which document, its kind, and the file's format. */
interface FilePool {
  linted: LintedPool;
  kind: LintResponse['pool']['kind'];
  /** Its place among the file's pools (a CodeLens passes it back), and where its document starts. */
  index: number;
  line: number;
  /** How many pools the file holds (a multi-document YAML file may hold several). */
  count: number;
  language: 'json' | 'yaml';
}

function filePools(file: PoolFileInput, result: LintResponse): FilePool[] {
  const pools = result.pools.length ? result.pools : [result.pool];
  return pools.map((p, index) => ({ linted: { label: file.path, ...p }, kind: p.kind, index, line: p.line, count: pools.length, language: result.language }));
}

/**
 * The pool of a file a command works on, linted alone as the language server does it: the one at `index` (a
 * CodeLens names it), the only one, or the one the user picks from a file that holds several.
 */
async function poolOfFile(ctx: Pick<CommandContext, 'language' | 'ui'>, file: PoolFileInput, title: string, index?: number): Promise<FilePool | undefined> {
  const pools = filePools(file, await ctx.language.lint(file));
  if (index !== undefined) return pools[index];
  if (pools.length === 1) return pools[0];
  return ctx.ui.pick(
    pools.map((p) => ({ label: p.linted.name ?? '(no metadata.name)', description: `${p.kind ?? 'not a pool'} · line ${p.line + 1}`, value: p })),
    { title, placeHolder: `${baseName(file.path)} holds ${pools.length} compute pools: which one?` },
  );
}

/** The effective pool's diagnostics: the file over the environment's computePoolDefaults, for the CMF's own version. */
async function lintEffective(
  ctx: CommandContext,
  file: PoolFileInput,
  index: number,
  env: Environment | undefined,
  source: string,
  cmfVersion: string | undefined,
): Promise<LintDiagnostic[]> {
  const clusterSpec = env?.computePoolDefaults?.clusterSpec;
  const known = isObject(clusterSpec) || cmfVersion !== undefined;
  const result = await ctx.language.lint(file, known ? { ...(isObject(clusterSpec) ? { clusterSpec } : {}), source, ...(cmfVersion !== undefined ? { cmfVersion } : {}) } : null);
  return (result.pools[index] ?? result.pool).diagnostics;
}

/** Deploy refuses a CFK manifest: CFK owns that pool and syncs it to CMF; a write from here would be undone. */
function cfkRefusal(file: PoolFileInput, name: string | undefined): string {
  return (
    `${name ? `'${name}' in ` : ''}${baseName(file.path)} is a Confluent for Kubernetes FlinkComputePool: CFK owns that pool and syncs it to CMF, ` +
    'so it is deployed with kubectl apply (or your GitOps tool), not from here. Compare with Deployed shows how CMF differs from it.'
  );
}

function summarizeErrors(file: PoolFileInput, errors: LintDiagnostic[]): string {
  const first = errors[0];
  const name = file.path.split(/[\\/]/).pop();
  return `${name} has ${errors.length} error${errors.length === 1 ? '' : 's'}; fix ${errors.length === 1 ? 'it' : 'them'} before deploying. Line ${first.range.start.line + 1}: ${first.message}`;
}

/** Keys of `value` in the order `template` has them (then the rest, sorted): a live pool laid out like the file. */
export function orderLike(value: unknown, template: unknown): unknown {
  if (Array.isArray(value)) return value.map((v, i) => orderLike(v, Array.isArray(template) ? template[i] : undefined));
  if (!isObject(value)) return value;
  const t = isObject(template) ? template : {};
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(t)) if (k in value) out[k] = orderLike(value[k], t[k]);
  for (const k of Object.keys(value).sort()) if (!(k in out)) out[k] = orderLike(value[k], undefined);
  return out;
}

/** The indentation a JSON text uses (for showing the live side the same way). */
export function indentOf(text: string): string | number {
  const m = /\n([ \t]+)"/.exec(text);
  return m ? (m[1].startsWith('\t') ? '\t' : m[1].length) : 2;
}

/**
 * The two sides of the review diff: live and file, server-owned fields and filled-in defaults left out, laid out
 * like the file (`fileValue`, the file's own value as the language server read it), in the file's format.
 */
async function diffSides(
  ctx: Pick<CommandContext, 'language'>,
  file: PoolFileInput,
  language: 'json' | 'yaml',
  fileValue: unknown,
  body: ComputePool,
  live: ComputePool,
  env?: Environment,
): Promise<{ live: string; file: string }> {
  const { live: l, file: f } = comparable(live, body, env?.computePoolDefaults);
  const write = (v: unknown) => (language === 'yaml' ? ctx.language.poolText(v, 'yaml') : Promise.resolve(JSON.stringify(v, null, indentOf(file.text)) + '\n'));
  const [liveText, fileText] = await Promise.all([write(orderLike(l, fileValue ?? f)), write(orderLike(f, fileValue ?? f))]);
  return { live: liveText, file: fileText };
}

export async function deployPool(ctx: CommandContext, file: PoolFileInput, target?: DeployTarget, index?: number): Promise<CommandOutcome> {
  // 1. The file alone: errors refuse it before any request.
  const chosen = await poolOfFile(ctx, file, 'Deploy Pool', index);
  if (!chosen) return 'cancelled';
  const { linted } = chosen;
  if (chosen.kind === CFK_KIND) {
    void ctx.ui.error(cfkRefusal(file, linted.name));
    return 'refused';
  }
  const where = target ?? selectedTarget(ctx);
  if (!where) {
    await askToSelect(ctx, 'Deploy Pool');
    return 'cancelled';
  }
  if (linted.errors.length || !linted.name) {
    const errors = linted.errors.length ? linted.errors : linted.diagnostics;
    if (await ctx.ui.error(summarizeErrors(file, errors), SHOW_PROBLEMS) === SHOW_PROBLEMS) await ctx.ui.run('workbench.actions.view.problems');
    return 'refused';
  }
  const t: PoolTarget = { ...where, pool: linted.name };
  return guarded(ctx, t, 'Deploy', () => deployGuarded(ctx, t, file, chosen));
}

async function deployGuarded(ctx: CommandContext, t: PoolTarget, file: PoolFileInput, chosen: FilePool): Promise<CommandOutcome> {
  const { linted } = chosen;
  ctx.rejections?.clear(file.path);
  let lc: PoolLifecycle;
  let env: Environment;
  let plan: Plan;
  try {
    const client = await ctx.registry.client(t.connection);
    lc = new PoolLifecycle(client, t.environment);
    const planned = await ctx.ui.withProgress(`Planning the deploy of '${t.pool}' to ${t.environment} (${t.connection})`, true, async (_p, signal) => {
      const [e, cmfVersion] = await Promise.all([client.getEnvironment(t.environment, { signal }), client.cmfVersion({ signal })]);
      // 1b. The effective pool on this CMF: errors that only the environment's defaults (or CMF's version) bring in refuse it too.
      const errors = (await lintEffective(ctx, file, chosen.index, e, `environment '${t.environment}' (connection '${t.connection}')`, cmfVersion)).filter(
        (d) => (d.severity ?? ERROR) === ERROR,
      );
      if (errors.length) return { env: e, errors };
      return { env: e, plan: await lc.plan(linted, { signal }) };
    });
    env = planned.env;
    if ('errors' in planned && planned.errors) {
      if (await ctx.ui.error(summarizeErrors(file, planned.errors), SHOW_PROBLEMS) === SHOW_PROBLEMS) await ctx.ui.run('workbench.actions.view.problems');
      return 'refused';
    }
    plan = planned.plan!;
  } catch (e) {
    await reportFailure(ctx, `Deploy of ${describePoolTarget(t)}`, e);
    return 'failed';
  }

  for (let round = 0; round < MAX_REPLANS; round++) {
    let result: ApplyResult;
    try {
      switch (plan.kind) {
        case 'refused':
          void ctx.ui.error(plan.message);
          return 'refused';
        case 'unchanged':
          void ctx.ui.info(`${sentence(describePoolTarget(t))} already matches ${baseName(file.path)}; nothing to deploy.`);
          return 'unchanged';
        case 'update': {
          if (plan.blockers?.length) {
            await showBlocked(ctx, t, `${sentence(describePoolTarget(t))} cannot be updated now: statements block it: ${describeStatements(plan.blockers)}. Delete them, or wait until they are COMPLETED or FAILED.`, plan.blockers);
            return 'refused';
          }
          if (!(await confirmUpdate(ctx, t, file, chosen, plan, env, round > 0))) return 'cancelled';
          result = await lc.apply(linted, { expectedLive: plan.live });
          break;
        }
        case 'create':
          // A new pool: nothing is replaced, so it is created directly (the progress names the target) —
          // unless the user reviewed an update and the pool was deleted elsewhere meanwhile: that is asked.
          if (round > 0 && !(await confirmRecreate(ctx, t, file))) return 'cancelled';
          result = await ctx.ui.withProgress(`Creating ${describePoolTarget(t)}`, false, () => lc.apply(linted, { expectedLive: null }));
          break;
      }
    } catch (e) {
      await rejected(ctx, t, file, chosen.line, e);
      return 'failed';
    }
    ctx.log.info(`Deploy of ${describePoolTarget(t)}: ${result.kind}`);
    switch (result.kind) {
      case 'created':
      case 'updated': {
        if (result.kind === 'updated' && result.overwritten) {
          // Read back after the PUT: someone else's update won (CMF has no conditional update).
          ctx.log.warn(`${result.overwritten.message}\n${result.overwritten.diff}`);
          void ctx.ui.warn(result.overwritten.message, SHOW_LOG).then((choice) => choice === SHOW_LOG && ctx.ui.showLog());
        }
        ctx.onPoolWritten?.(t.connection, t.environment, t.pool);
        ctx.explorer?.poolChanged(t.connection, t.environment);
        await followPhase(ctx, t, `${result.kind === 'created' ? 'Creating' : 'Updating'} compute pool '${t.pool}' (${t.environment}, ${t.connection})`, targetPhase(result.plan.body.spec));
        return 'done';
      }
      case 'unchanged':
        void ctx.ui.info(`${sentence(describePoolTarget(t))} already matches ${baseName(file.path)}; nothing to deploy.`);
        return 'unchanged';
      case 'refused':
      case 'blocked':
      case 'conflict':
        return showRefusal(ctx, t, result);
      case 'changed-elsewhere':
        // Someone changed (or created) the pool since the diff was shown: show the new one, never overwrite.
        ctx.log.warn(result.message);
        void ctx.ui.warn(result.message);
        plan = result.plan;
        continue;
    }
  }
  void ctx.ui.error(`${sentence(describePoolTarget(t))} keeps changing while you review it; deploy again later.`);
  return 'failed';
}

async function confirmUpdate(ctx: CommandContext, t: PoolTarget, file: PoolFileInput, chosen: FilePool, plan: UpdatePlan, env: Environment, again: boolean): Promise<boolean> {
  const sides = await diffSides(ctx, file, chosen.language, chosen.linted.value, plan.body, plan.live, env);
  await ctx.ui.diff(
    { title: `${t.pool} (live, ${t.environment} on ${t.connection})`, text: sides.live, language: chosen.language },
    { title: `${baseName(file.path)}`, text: sides.file, language: chosen.language },
    `${t.pool}: live ↔ ${baseName(file.path)} (${t.environment} on ${t.connection})`,
  );
  const changed = plan.changedPaths.slice(0, 8).join(', ') + (plan.changedPaths.length > 8 ? `, and ${plan.changedPaths.length - 8} more` : '');
  const type = plan.live.spec.type;
  const detail =
    `${again ? 'The pool changed since you last looked; this is the new difference. ' : ''}Changes: ${changed}.` +
    (type === 'SHARED' ? " CMF redeploys the shared pool's session cluster (phase PENDING until it is RUNNING again)." : ' Statements submitted from now on use the new cluster spec.') +
    ' The diff editor shows live (left) against the file (right).';
  const choice = await ctx.ui.confirm(`Update ${describePoolTarget(t)}?`, detail, 'Update');
  return choice === 'Update';
}

/** The pool the user reviewed an update of is gone (deleted elsewhere): creating it again is not what they confirmed. */
async function confirmRecreate(ctx: CommandContext, t: PoolTarget, file: PoolFileInput): Promise<boolean> {
  const choice = await ctx.ui.confirm(
    `Create ${describePoolTarget(t)}?`,
    `The pool was deleted since you reviewed the update (by someone else, or from another window). Deploying ${baseName(file.path)} now creates it again.`,
    'Create',
  );
  return choice === 'Create';
}

/** A failed write: the notification, and a diagnostic on each field CMF named. */
async function rejected(ctx: CommandContext, t: PoolTarget, file: PoolFileInput, line: number, e: unknown): Promise<void> {
  if (e instanceof CmfError && e.kind === 'http' && ctx.rejections) {
    const problems = await ctx.language.locateFields(file, e.cmfMessages.length ? e.cmfMessages : [e.message], line).catch(() => []);
    if (problems.length) ctx.rejections.set(file.path, problems);
  }
  await reportFailure(ctx, `Deploy of ${describePoolTarget(t)}`, e);
}

/**
 * Copy Deploy as curl: the request Deploy would make (POST to create, PUT to update; one read to know which),
 * with the file itself as the body when it is one JSON pool, or else the pool as inline JSON.
 */
export async function copyDeployAsCurl(ctx: CommandContext, file: PoolFileInput, relativePath: string, index?: number): Promise<string | undefined> {
  const chosen = await poolOfFile(ctx, file, 'Copy Deploy as curl', index);
  if (!chosen) return undefined;
  if (chosen.kind === CFK_KIND) {
    void ctx.ui.error(cfkRefusal(file, chosen.linted.name));
    return undefined;
  }
  const where = selectedTarget(ctx);
  if (!where) {
    await askToSelect(ctx, 'Copy Deploy as curl');
    return undefined;
  }
  const parsed = poolNameOf(chosen.linted);
  if ('problem' in parsed) {
    void ctx.ui.error(`${baseName(file.path)} has ${parsed.problem}: there is no pool to deploy.`);
    return undefined;
  }
  const t: PoolTarget = { ...where, pool: parsed.name };
  try {
    const { live } = await fetchDeployed(ctx, t);
    const whole = chosen.language === 'json' && chosen.count === 1;
    return await copyAsCurl(ctx, t, whole ? { path: relativePath, exists: !!live } : { body: JSON.stringify(withoutServerOwned(parsed.value)), exists: !!live });
  } catch (e) {
    await reportFailure(ctx, `Copy Deploy as curl for ${describePoolTarget(t)}`, e);
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------
// The CMF side of a file's pool

/**
 * What a pool of a file is in CMF: a ComputePool as it is, addressed in the selected environment; a CFK
 * FlinkComputePool as CFK syncs it (`cmfPoolOfCfk`), addressed in its `spec.flinkEnvironment` on the selected
 * connection. Undefined with the reason when there is nothing to address.
 */
function cmfSide(ctx: Pick<CommandContext, 'registry'>, chosen: FilePool, target?: DeployTarget): { target: PoolTarget; linted: LintedPool; cfk: boolean } | { problem: string; select?: boolean } {
  const parsed = poolNameOf(chosen.linted);
  if ('problem' in parsed) return parsed;
  if (chosen.kind === CFK_KIND) {
    const { environment, pool } = cmfPoolOfCfk(parsed.value);
    const connection = target?.connection ?? ctx.registry.selection()?.connection;
    if (!environment) return { problem: 'no spec.flinkEnvironment: CFK does not know where to sync it' };
    if (!connection) return { problem: 'no connection selected', select: true };
    return { target: { connection, environment, pool: parsed.name }, linted: { ...chosen.linted, value: pool }, cfk: true };
  }
  const where = target ?? (ctx.registry.selection()?.environment ? { connection: ctx.registry.selection()!.connection, environment: ctx.registry.selection()!.environment! } : undefined);
  if (!where) return { problem: 'no environment selected', select: true };
  return { target: { ...where, pool: parsed.name }, linted: chosen.linted, cfk: false };
}

/**
 * The live pool as a CFK manifest is held against it: its name and spec. What CFK writes into the CMF pool's
 * labels and annotations is not documented, so they are not compared.
 */
function cfkView(live: ComputePool): ComputePool {
  return { ...live, metadata: { name: live.metadata.name } };
}

// ---------------------------------------------------------------------------------------------------------
// Compare with Deployed

/**
 * Shows the live pool (left; laid out like the file, in its format) against the file (right): the file itself,
 * editable, when it is one ComputePool; otherwise the pool's text (one document of several, or a CFK manifest
 * as CFK syncs it to CMF), read-only.
 */
export async function compareWithDeployed(
  ctx: CommandContext,
  file: PoolFileInput,
  target?: DeployTarget,
  index?: number,
): Promise<'shown' | 'not-deployed' | 'failed' | 'cancelled'> {
  const chosen = await poolOfFile(ctx, file, 'Compare with Deployed', index);
  if (!chosen) return 'cancelled';
  const side = cmfSide(ctx, chosen, target);
  if ('problem' in side) {
    if (side.select) await askToSelect(ctx, 'Compare with Deployed');
    else void ctx.ui.error(`${baseName(file.path)} has ${side.problem}: there is nothing to compare it with.`);
    return side.select ? 'cancelled' : 'failed';
  }
  const { target: t, linted, cfk } = side;
  try {
    const lc = new PoolLifecycle(await ctx.registry.client(t.connection), t.environment);
    const [env, deployed] = await Promise.all([lc.client.getEnvironment(t.environment), lc.getLive(t.pool)]);
    const live = deployed && cfk ? cfkView(deployed) : deployed;
    if (!live) {
      void ctx.ui.info(`${sentence(describePoolTarget(t))} is not deployed${cfk ? ': CFK has not synced it to CMF (yet)' : ''}.`);
      return 'not-deployed';
    }
    const body = linted.value as unknown as ComputePool;
    const sides = await diffSides(ctx, file, chosen.language, linted.value, body, live, env);
    const whole = !cfk && chosen.count === 1;
    const title = cfk ? `${baseName(file.path)} · ${t.pool} as CFK syncs it` : whole ? baseName(file.path) : `${baseName(file.path)} · ${t.pool}`;
    await ctx.ui.diff(
      { title: `${t.pool} (live, ${t.environment} on ${t.connection})`, text: sides.live, language: chosen.language },
      whole ? { title, path: file.path } : { title, text: sides.file, language: chosen.language },
      `${t.pool}: live ↔ ${title} (${t.environment} on ${t.connection})`,
    );
    return 'shown';
  } catch (e) {
    await reportFailure(ctx, `Comparing ${baseName(file.path)} with ${describePoolTarget(t)}`, e);
    return 'failed';
  }
}

// ---------------------------------------------------------------------------------------------------------
// Deployment state (CodeLens)

export type DeploymentState =
  | { kind: 'no-target' }
  | { kind: 'invalid'; message: string }
  | { kind: 'not-deployed'; target: PoolTarget }
  | { kind: 'in-sync'; target: PoolTarget; phase?: string }
  | { kind: 'differs'; target: PoolTarget; phase?: string; changedPaths: string[] }
  | { kind: 'type-differs'; target: PoolTarget; message: string }
  | { kind: 'unknown'; target?: PoolTarget; message: string };

/** The deployment state of one pool of a file; `cfk` when CFK syncs it (the CodeLens offers no Deploy then). */
export interface PoolDeploymentState {
  index: number;
  line: number;
  cfk: boolean;
  state: DeploymentState;
}

/** What is deployed for a pool name on the selected target: the environment (its defaults) and the live pool, if any. */
export interface Deployed {
  target: PoolTarget;
  env: Environment;
  live: ComputePool | undefined;
}

/** The pool name a linted file declares, or why it has none. */
function poolNameOf(linted: LintedPool): { name: string; value: Record<string, unknown> } | { problem: string } {
  if (!linted.value) return { problem: linted.errors.some((d) => d.code === 'invalid-json' || d.code === 'invalid-yaml') ? 'not valid JSON or YAML' : 'not an object' };
  return linted.name ? { name: linted.name, value: linted.value } : { problem: 'no metadata.name' };
}

/** Reads only (GET environment, GET pool): never writes. */
export async function fetchDeployed(ctx: Pick<CommandContext, 'registry'>, target: PoolTarget, signal?: AbortSignal): Promise<Deployed> {
  const lc = new PoolLifecycle(await ctx.registry.client(target.connection), target.environment);
  const [env, live] = await Promise.all([lc.client.getEnvironment(target.environment, { signal }), lc.getLive(target.pool, { signal })]);
  return { target, env, live };
}

/** The file against what is deployed, with the plan's comparison (without its lint: the editor shows those problems). */
function compareDeployed(linted: LintedPool, deployed: Deployed): DeploymentState {
  const parsed = poolNameOf(linted);
  if ('problem' in parsed) return { kind: 'invalid', message: parsed.problem };
  const { target, env, live } = deployed;
  const plan = planPool({ label: linted.label, value: parsed.value, name: parsed.name, diagnostics: [], errors: [] }, live, {
    environment: target.environment,
    computePoolDefaults: env.computePoolDefaults,
  });
  switch (plan.kind) {
    case 'create':
      return { kind: 'not-deployed', target };
    case 'unchanged':
      return { kind: 'in-sync', target, phase: plan.live.status?.phase };
    case 'update':
      return { kind: 'differs', target, phase: plan.live.status?.phase, changedPaths: plan.changedPaths };
    case 'refused':
      return { kind: 'type-differs', target, message: plan.message };
  }
}

/**
 * The deployment state of every pool of a file on the selected connection (and environment, for a
 * ComputePool). A CFK manifest counts only when the connection has the pool: CFK may sync it elsewhere, or not
 * yet. Reads only; `fetch` may answer from a cache.
 */
export async function deploymentStates(
  ctx: Pick<CommandContext, 'registry' | 'language'>,
  file: PoolFileInput,
  fetch: (target: PoolTarget, signal?: AbortSignal) => Promise<Deployed> = (t, signal) => fetchDeployed(ctx, t, signal),
  signal?: AbortSignal,
): Promise<PoolDeploymentState[]> {
  const result = await ctx.language.lint(file);
  if (!result.isPool) return [];
  return Promise.all(
    filePools(file, result).map(async (chosen): Promise<PoolDeploymentState | undefined> => {
      const cfk = chosen.kind === CFK_KIND;
      const at = { index: chosen.index, line: chosen.line, cfk };
      const side = cmfSide(ctx, chosen);
      if ('problem' in side) return cfk && !side.select ? undefined : { ...at, state: side.select ? { kind: 'no-target' } : { kind: 'invalid', message: side.problem } };
      try {
        const deployed = await fetch(side.target, signal);
        const state = compareDeployed(side.linted, cfk && deployed.live ? { ...deployed, live: cfkView(deployed.live) } : deployed);
        return cfk && state.kind === 'not-deployed' ? undefined : { ...at, state };
      } catch (e) {
        if (cfk && e instanceof CmfError && e.status === 404) return undefined; // the connection has no such environment
        return { ...at, state: { kind: 'unknown', target: side.target, message: e instanceof CmfError ? shortReason(e) : e instanceof Error ? e.message : String(e) } };
      }
    }),
  ).then((states) => states.filter((s): s is PoolDeploymentState => s !== undefined));
}

function baseName(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

