/**
 * Suspend, Resume, Delete, Force Delete, Open Pool as File and Copy as curl, over the lifecycle module
 * (cmf-client/src/lifecycle.ts, shared with the CLI): this file adds only confirmation, progress and
 * messages (outcome.ts maps what the lifecycle answered). No vscode import.
 */
import { PoolLifecycle, describeStatements, withoutServerOwned, type WaitResult } from '../../../cmf-client/src/lifecycle';
import { sentence } from '../../../cmf-client/src/errors';
import type { PoolPhase } from '../../../cmf-model/src/types';
import { curlCommand } from './curl';
import { describePoolTarget, reportFailure, type CommandContext, type PoolTarget } from './context';
import { type CommandOutcome, guarded, showBlocked, showRefusal } from './outcome';
import { proxyOverride } from '../connections/proxy';

async function lifecycleFor(ctx: CommandContext, t: PoolTarget): Promise<PoolLifecycle> {
  return new PoolLifecycle(await ctx.registry.client(t.connection), t.environment);
}

/**
 * Follows the pool's phase with a cancellable progress notification until it settles in `until` (or
 * FAILED, or disappears). Cancelling stops following, not the change: CMF carries on.
 */
export async function followPhase(ctx: CommandContext, t: PoolTarget, title: string, until?: PoolPhase | readonly PoolPhase[]): Promise<WaitResult | undefined> {
  const lc = await lifecycleFor(ctx, t);
  try {
    const result = await ctx.ui.withProgress(title, true, (progress, signal) =>
      lc.wait(t.pool, {
        signal,
        until,
        intervalMs: ctx.followIntervalMs ?? 1000,
        onProgress: (p) => progress.report(`${p.phase ?? 'unknown phase'}${p.message ? ` — ${p.message}` : ''}${p.warning ? ` (may be stale: ${p.warning})` : ''}`),
      }),
    );
    ctx.explorer?.poolChanged(t.connection, t.environment);
    ctx.onPoolWritten?.(t.connection, t.environment, t.pool); // settled: the CodeLens shows the new phase
    if (result.kind === 'settled') {
      if (result.phase === 'FAILED') {
        await reportFailure(ctx, `${sentence(describePoolTarget(t))}`, new Error(`the pool is FAILED${result.pool.status?.message ? `: ${result.pool.status.message}` : ''}`));
      } else void ctx.ui.info(`Compute pool '${t.pool}' (${t.environment}, ${t.connection}) is ${result.phase}.`);
    } else if (result.kind === 'gone') {
      void ctx.ui.info(`Compute pool '${t.pool}' (${t.environment}, ${t.connection}) is gone.`);
    } else {
      void ctx.ui.warn(`Compute pool '${t.pool}' has not settled after ${Math.round(result.elapsedMs / 1000)} s (phase ${result.phase ?? 'unknown'}); the explorer keeps watching it.`);
    }
    return result;
  } catch (e) {
    ctx.explorer?.poolChanged(t.connection, t.environment);
    if ((e as { kind?: string }).kind === 'aborted') {
      void ctx.ui.info(`Stopped following compute pool '${t.pool}'; CMF carries on, and the explorer keeps watching it.`);
      return undefined;
    }
    await reportFailure(ctx, `Following ${describePoolTarget(t)}`, e);
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Suspend / resume

export function suspendPool(ctx: CommandContext, t: PoolTarget): Promise<CommandOutcome> {
  return setState(ctx, t, 'suspend');
}

export function resumePool(ctx: CommandContext, t: PoolTarget): Promise<CommandOutcome> {
  return setState(ctx, t, 'resume');
}

async function setState(ctx: CommandContext, t: PoolTarget, op: 'suspend' | 'resume'): Promise<CommandOutcome> {
  const verb = op === 'suspend' ? 'Suspend' : 'Resume';
  return guarded(ctx, t, verb, async () => {
    const detail =
      op === 'suspend'
        ? "CMF removes the pool's session cluster from Kubernetes; the pool's metadata stays. Statements cannot be submitted until it is resumed. Statements that are PENDING, RUNNING, STOPPED or FAILING block suspending."
        : 'CMF deploys the session cluster again; the pool goes through PENDING to RUNNING.';
    try {
      const lc = await lifecycleFor(ctx, t);
      // Look first (reads only), so a suspend that cannot happen is explained instead of offered. The
      // lifecycle checks again right before it writes.
      const live = await lc.client.getComputePool(t.environment, t.pool);
      if (live.spec?.type !== 'SHARED') {
        void ctx.ui.error(`${sentence(describePoolTarget(t))} is DEDICATED: only SHARED pools can be ${op === 'suspend' ? 'suspended' : 'resumed'}.`);
        return 'refused';
      }
      if ((live.spec.state ?? 'RUNNING') === (op === 'suspend' ? 'SUSPENDED' : 'RUNNING')) {
        void ctx.ui.info(`${sentence(describePoolTarget(t))} is already ${op === 'suspend' ? 'suspended' : 'running'}.`);
        return 'unchanged';
      }
      if (op === 'suspend') {
        const { blocking } = await lc.statementsOn(live, 'update');
        if (blocking.length) {
          await showBlocked(ctx, t, `${sentence(describePoolTarget(t))} cannot be suspended: statements use it: ${describeStatements(blocking)}. Delete them, or wait until they are COMPLETED or FAILED (a STOPPED statement blocks too).`, blocking);
          return 'refused';
        }
      }
      const choice = await ctx.ui.confirm(`${verb} ${describePoolTarget(t)}?`, detail, verb);
      if (choice !== verb) return 'cancelled';
      const r = op === 'suspend' ? await lc.suspend(t.pool) : await lc.resume(t.pool);
      ctx.log.info(r.message);
      switch (r.kind) {
        case 'done':
          ctx.onPoolWritten?.(t.connection, t.environment, t.pool);
          ctx.explorer?.poolChanged(t.connection, t.environment);
          await followPhase(ctx, t, `${op === 'suspend' ? 'Suspending' : 'Resuming'} compute pool '${t.pool}' (${t.environment}, ${t.connection})`, op === 'suspend' ? 'SUSPENDED' : 'RUNNING');
          return 'done';
        case 'unchanged':
          void ctx.ui.info(r.message);
          return 'unchanged';
        default:
          return showRefusal(ctx, t, r);
      }
    } catch (e) {
      await reportFailure(ctx, `${verb} of ${describePoolTarget(t)}`, e);
      return 'failed';
    }
  });
}

// ---------------------------------------------------------------------------------------------------------
// Delete / force delete

export function deletePool(ctx: CommandContext, t: PoolTarget): Promise<CommandOutcome> {
  return remove(ctx, t, false);
}

export function forceDeletePool(ctx: CommandContext, t: PoolTarget): Promise<CommandOutcome> {
  return remove(ctx, t, true);
}

async function remove(ctx: CommandContext, t: PoolTarget, force: boolean): Promise<CommandOutcome> {
  const verb = force ? 'Force Delete' : 'Delete';
  return guarded(ctx, t, verb, async () => {
    try {
      const lc = await lifecycleFor(ctx, t);
      // Look first: a delete that statements block is explained instead of offered.
      const { live, blockers } = await lc.inspectDelete(t.pool);
      if (blockers.length) {
        await showBlocked(
          ctx,
          t,
          `${sentence(describePoolTarget(t))} cannot be deleted${force ? ' (force does not skip this check)' : ''}: statements use it: ${describeStatements(blockers)}. Delete those statements, or wait until they are COMPLETED or FAILED.`,
          blockers,
        );
        return 'refused';
      }
      const shared = live.spec?.type === 'SHARED';
      const detail = force
        ? 'Force delete removes the pool from CMF\'s metadata only (force=true). It skips the Kubernetes cleanup: ' +
          (shared ? "the pool's session cluster (its FlinkDeployment) may be left running on Kubernetes and must be removed by hand. " : 'a dedicated pool has no cluster of its own, so little is left behind. ') +
          'Use it when the environment\'s Kubernetes cluster is unreachable or cleanup fails. It does not bypass the in-use check. This cannot be undone.'
        : `CMF deletes the pool and its Kubernetes resources${shared ? ' (the session cluster)' : ''}. This cannot be undone.`;
      const choice = await ctx.ui.confirm(`${verb} ${describePoolTarget(t)}?`, detail, verb);
      if (choice !== verb) return 'cancelled';
      const r = force ? await lc.forceDelete(t.pool) : await lc.delete(t.pool);
      ctx.log.info(r.message);
      if (r.kind !== 'deleted') return showRefusal(ctx, t, r);
      ctx.onPoolWritten?.(t.connection, t.environment, t.pool);
      ctx.explorer?.poolChanged(t.connection, t.environment);
      if (force) void ctx.ui.info(r.message);
      else await followPhase(ctx, t, `Deleting compute pool '${t.pool}' (${t.environment}, ${t.connection})`, []);
      return 'done';
    } catch (e) {
      await reportFailure(ctx, `${verb} of ${describePoolTarget(t)}`, e);
      return 'failed';
    }
  });
}

// ---------------------------------------------------------------------------------------------------------
// Open as file / copy as curl

/** Where the format last chosen for Open Pool as File is remembered (the extension's global state). */
export const POOL_FILE_FORMAT_KEY = 'cmfPools.openPoolAsFile.format';

type PoolFileFormat = 'json' | 'yaml';

/** Asks JSON or YAML, the last choice first (Enter takes it again), and remembers the answer. */
async function askPoolFileFormat(ctx: CommandContext, t: PoolTarget): Promise<PoolFileFormat | undefined> {
  const last = ctx.memory?.get<PoolFileFormat>(POOL_FILE_FORMAT_KEY) === 'yaml' ? 'yaml' : 'json';
  const items = [
    { label: 'JSON', value: 'json' as const, description: 'the REST API\'s format; cmf-pools apply and curl read it' },
    { label: 'YAML', value: 'yaml' as const, description: 'cmf-pools apply and the confluent CLI read it too' },
  ].map((i) => (i.value === last ? { ...i, description: `${i.description} · last used`, picked: true } : i));
  if (last === 'yaml') items.reverse();
  const format = await ctx.ui.pick(items, { title: `Open compute pool '${t.pool}' as a file`, placeHolder: 'The format of the new file' });
  if (format) await ctx.memory?.update(POOL_FILE_FORMAT_KEY, format);
  return format;
}

/** The live pool without server-owned fields, in JSON or YAML as the user picks: a file ready to edit and deploy. */
export async function openPoolAsFile(ctx: CommandContext, t: PoolTarget): Promise<string | undefined> {
  const format = await askPoolFileFormat(ctx, t);
  if (!format) return undefined;
  try {
    const client = await ctx.registry.client(t.connection);
    const live = await client.getComputePool(t.environment, t.pool);
    const text = await ctx.language.poolText(withoutServerOwned(live), format);
    await ctx.ui.openUntitled(text, format);
    return text;
  } catch (e) {
    await reportFailure(ctx, `Opening ${describePoolTarget(t)}`, e);
    return undefined;
  }
}

/**
 * curl for reading a pool (from the tree), or for deploying a file (create or update): the file itself as the
 * body (`path`), or the pool as inline JSON (`body`) when the file is YAML or holds several documents (CMF's
 * compute-pool API takes JSON only).
 */
export async function copyAsCurl(ctx: CommandContext, t: PoolTarget, file?: { path?: string; body?: string; exists: boolean }): Promise<string | undefined> {
  const c = ctx.registry.get(t.connection);
  if (!c) return undefined;
  const keyHasPassphrase = c.clientKeyPath ? await ctx.registry.hasSecret(c.name, 'keyPassphrase') : false;
  const proxy = proxyOverride(ctx.registry.proxySettings());
  const body = { bodyFile: file?.path, body: file?.body };
  const text = curlCommand(
    c,
    file
      ? file.exists
        ? { method: 'PUT', segments: ['environments', t.environment, 'compute-pools', t.pool], ...body }
        : { method: 'POST', segments: ['environments', t.environment, 'compute-pools'], ...body }
      : { method: 'GET', segments: ['environments', t.environment, 'compute-pools', t.pool] },
    { proxy: proxy?.httpsProxy || undefined, keyHasPassphrase },
  );
  await ctx.ui.copy(text);
  void ctx.ui.info(`Copied a curl command for ${describePoolTarget(t)} (no secrets: it reads the token from $CMF_TOKEN).`);
  return text;
}

