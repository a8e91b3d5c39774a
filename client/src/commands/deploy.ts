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
import { isObject } from '../../../cmf-model/src/json';
import {
  PoolLifecycle,
  comparable,
  planPool,
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
import type { PoolFileInput } from '../language/pool-language';
import { describePoolTarget, reportFailure, type CommandContext, type PoolTarget } from './context';
import { type CommandOutcome, guarded, showBlocked, showRefusal } from './outcome';
import { followPhase } from './pool-commands';
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
export function selectedTarget(ctx: CommandContext): DeployTarget | undefined {
  const s = ctx.registry.selection();
  return s?.environment ? { connection: s.connection, environment: s.environment } : undefined;
}

async function askToSelect(ctx: CommandContext, what: string): Promise<void> {
  const choice = await ctx.ui.warn(`${what}: select a CMF connection and environment first.`, SELECT);
  if (choice === SELECT) await ctx.ui.run('cmfPools.selectConnection');
}

const ERROR = 1;

/** The file linted alone, as the language server does it, named for the lifecycle's messages. */
async function lintFile(ctx: Pick<CommandContext, 'language'>, file: PoolFileInput): Promise<LintedPool> {
  return { label: file.path, ...(await ctx.language.lint(file)).pool };
}

/** The effective pool's diagnostics: the file over the environment's computePoolDefaults. */
async function lintEffective(ctx: CommandContext, file: PoolFileInput, env: Environment | undefined, source?: string): Promise<LintDiagnostic[]> {
  const clusterSpec = env?.computePoolDefaults?.clusterSpec;
  return (await ctx.language.lint(file, isObject(clusterSpec) ? { clusterSpec, source } : null)).pool.diagnostics;
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
 * like the file (`fileValue`, the file's own value as the language server read it).
 */
function diffSides(file: PoolFileInput, fileValue: unknown, body: ComputePool, live: ComputePool, env?: Environment): { live: string; file: string } {
  const { live: l, file: f } = comparable(live, body, env?.computePoolDefaults);
  const indent = indentOf(file.text);
  return { live: JSON.stringify(orderLike(l, fileValue ?? f), null, indent) + '\n', file: JSON.stringify(orderLike(f, fileValue ?? f), null, indent) + '\n' };
}

export async function deployPool(ctx: CommandContext, file: PoolFileInput, target?: DeployTarget): Promise<CommandOutcome> {
  const where = target ?? selectedTarget(ctx);
  if (!where) {
    await askToSelect(ctx, 'Deploy Pool');
    return 'cancelled';
  }
  // 1. The file alone: errors refuse it before any request.
  const linted = await lintFile(ctx, file);
  if (linted.errors.length || !linted.name) {
    const errors = linted.errors.length ? linted.errors : linted.diagnostics;
    if (await ctx.ui.error(summarizeErrors(file, errors), SHOW_PROBLEMS) === SHOW_PROBLEMS) await ctx.ui.run('workbench.actions.view.problems');
    return 'refused';
  }
  const t: PoolTarget = { ...where, pool: linted.name };
  return guardedDeploy(ctx, t, file, linted);
}

function guardedDeploy(ctx: CommandContext, t: PoolTarget, file: PoolFileInput, linted: LintedPool): Promise<CommandOutcome> {
  return guarded(ctx, t, 'Deploy', () => deployGuarded(ctx, t, file, linted));
}

async function deployGuarded(ctx: CommandContext, t: PoolTarget, file: PoolFileInput, linted: LintedPool): Promise<CommandOutcome> {
  ctx.rejections?.clear(file.path);
  let lc: PoolLifecycle;
  let env: Environment;
  let plan: Plan;
  try {
    const client = await ctx.registry.client(t.connection);
    lc = new PoolLifecycle(client, t.environment);
    const planned = await ctx.ui.withProgress(`Planning the deploy of '${t.pool}' to ${t.environment} (${t.connection})`, true, async (_p, signal) => {
      const e = await client.getEnvironment(t.environment, { signal });
      // 1b. The effective pool: errors that only the environment's defaults bring in refuse it too.
      const errors = (await lintEffective(ctx, file, e, `environment '${t.environment}' (connection '${t.connection}')`)).filter((d) => (d.severity ?? ERROR) === ERROR);
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
          if (!(await confirmUpdate(ctx, t, file, linted.value, plan, env, round > 0))) return 'cancelled';
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
      await rejected(ctx, t, file, e);
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

async function confirmUpdate(ctx: CommandContext, t: PoolTarget, file: PoolFileInput, fileValue: unknown, plan: UpdatePlan, env: Environment, again: boolean): Promise<boolean> {
  const sides = diffSides(file, fileValue, plan.body, plan.live, env);
  await ctx.ui.diff(
    { title: `${t.pool} (live, ${t.environment} on ${t.connection})`, text: sides.live, language: 'json' },
    { title: `${baseName(file.path)}`, text: sides.file, language: 'json' },
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
async function rejected(ctx: CommandContext, t: PoolTarget, file: PoolFileInput, e: unknown): Promise<void> {
  if (e instanceof CmfError && e.kind === 'http' && ctx.rejections) {
    const problems = await ctx.language.locateFields(file, e.cmfMessages.length ? e.cmfMessages : [e.message]).catch(() => []);
    if (problems.length) ctx.rejections.set(file.path, problems);
  }
  await reportFailure(ctx, `Deploy of ${describePoolTarget(t)}`, e);
}

// ---------------------------------------------------------------------------------------------------------
// Compare with Deployed

/** Shows the live pool (left; laid out like the file) against the file itself (right, editable). */
export async function compareWithDeployed(ctx: CommandContext, file: PoolFileInput, target?: DeployTarget): Promise<'shown' | 'not-deployed' | 'failed' | 'cancelled'> {
  const where = target ?? selectedTarget(ctx);
  if (!where) {
    await askToSelect(ctx, 'Compare with Deployed');
    return 'cancelled';
  }
  const linted = await lintFile(ctx, file);
  if (!linted.name || !linted.value) {
    void ctx.ui.error(`${baseName(file.path)} has no metadata.name: there is nothing to compare it with.`);
    return 'failed';
  }
  const t: PoolTarget = { ...where, pool: linted.name };
  try {
    const lc = new PoolLifecycle(await ctx.registry.client(t.connection), t.environment);
    const [env, live] = await Promise.all([lc.client.getEnvironment(t.environment), lc.getLive(t.pool)]);
    if (!live) {
      void ctx.ui.info(`${sentence(describePoolTarget(t))} is not deployed.`);
      return 'not-deployed';
    }
    const sides = diffSides(file, linted.value, linted.value as unknown as ComputePool, live, env);
    await ctx.ui.diff(
      { title: `${t.pool} (live, ${t.environment} on ${t.connection})`, text: sides.live, language: 'json' },
      { title: baseName(file.path), path: file.path },
      `${t.pool}: live ↔ ${baseName(file.path)} (${t.environment} on ${t.connection})`,
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

/** What is deployed for a pool name on the selected target: the environment (its defaults) and the live pool, if any. */
export interface Deployed {
  target: PoolTarget;
  env: Environment;
  live: ComputePool | undefined;
}

/** The pool name a linted file declares, or why it has none. */
export function poolNameOf(linted: LintedPool): { name: string; value: Record<string, unknown> } | { problem: string } {
  if (!linted.value) return { problem: linted.errors.some((d) => d.code === 'invalid-json') ? 'not valid JSON' : 'not a JSON object' };
  return linted.name ? { name: linted.name, value: linted.value } : { problem: 'no metadata.name' };
}

/** Reads only (GET environment, GET pool): never writes. */
export async function fetchDeployed(ctx: Pick<CommandContext, 'registry'>, target: PoolTarget, signal?: AbortSignal): Promise<Deployed> {
  const lc = new PoolLifecycle(await ctx.registry.client(target.connection), target.environment);
  const [env, live] = await Promise.all([lc.client.getEnvironment(target.environment, { signal }), lc.getLive(target.pool, { signal })]);
  return { target, env, live };
}

/** The file against what is deployed, with the plan's comparison (without its lint: the editor shows those problems). */
export function compareDeployed(linted: LintedPool, deployed: Deployed): DeploymentState {
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

/** The deployment state of a file on the selected connection and environment. Reads only. */
export async function deploymentState(ctx: Pick<CommandContext, 'registry' | 'language'>, file: PoolFileInput, signal?: AbortSignal): Promise<DeploymentState> {
  const s = ctx.registry.selection();
  if (!s?.environment) return { kind: 'no-target' };
  const linted = await lintFile(ctx, file);
  const parsed = poolNameOf(linted);
  if ('problem' in parsed) return { kind: 'invalid', message: parsed.problem };
  const target: PoolTarget = { connection: s.connection, environment: s.environment, pool: parsed.name };
  try {
    return compareDeployed(linted, await fetchDeployed(ctx, target, signal));
  } catch (e) {
    return { kind: 'unknown', target, message: e instanceof Error ? e.message : String(e) };
  }
}

function baseName(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

