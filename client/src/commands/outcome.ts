/**
 * One mapping from what the lifecycle answered to what the user sees, for Deploy and the pool commands alike:
 * the per-pool guard's "still in progress", statements that block (with Reveal Statements), refusals and
 * conflicts. No vscode import.
 */
import type { BlockingStatement } from '../../../cmf-client/src/lifecycle';
import type { CommandContext, PoolTarget } from './context';
import { OperationGuard } from './guard';

export type CommandOutcome = 'done' | 'cancelled' | 'refused' | 'busy' | 'failed' | 'unchanged';

const REVEAL = 'Reveal Statements';

/** Runs `task` unless another change of the same pool is under way in this window (then says so). */
export async function guarded(ctx: CommandContext, t: PoolTarget, what: string, task: () => Promise<CommandOutcome>): Promise<CommandOutcome> {
  const r = await ctx.guard.run(OperationGuard.key(t.connection, t.environment, t.pool), what, task);
  if ('busy' in r) {
    void ctx.ui.warn(`${r.busy} of compute pool '${t.pool}' (${t.environment}, ${t.connection}) is still in progress; wait for it to finish.`);
    return 'busy';
  }
  return r.value;
}

/** Statements block the operation: the message, and Reveal Statements when the explorer can show them. */
export async function showBlocked(ctx: CommandContext, t: PoolTarget, message: string, blockers: readonly BlockingStatement[]): Promise<void> {
  ctx.log.warn(message);
  const choice = await ctx.ui.error(message, ...(ctx.explorer?.revealStatements && blockers.length ? [REVEAL] : []));
  if (choice === REVEAL) await ctx.explorer!.revealStatements!(t.connection, t.environment, t.pool, blockers.map((b) => b.name));
}

/** The answers every lifecycle operation can give, besides having done it. */
export type RefusalResult =
  | { kind: 'refused'; message: string }
  | { kind: 'blocked'; message: string; blockers: BlockingStatement[] }
  | { kind: 'conflict'; message: string; statements: BlockingStatement[] };

/** Shows a refusal, a block or a conflict (CMF said 409: someone started a statement meanwhile) and names the outcome. */
export async function showRefusal(ctx: CommandContext, t: PoolTarget, r: RefusalResult): Promise<CommandOutcome> {
  switch (r.kind) {
    case 'refused':
      void ctx.ui.error(r.message);
      return 'refused';
    case 'blocked':
      await showBlocked(ctx, t, r.message, r.blockers);
      return 'refused';
    case 'conflict':
      await showBlocked(ctx, t, r.message, r.statements);
      return 'failed';
  }
}
