/**
 * What every command's logic gets: the UI seam, the connections, a log, the explorer (to refresh what
 * changed), the language server (which lints pool files: the extension has no validator of its own), the
 * per-pool guard. No vscode import.
 */
import { CmfError } from '../../../cmf-client/src/errors';
import { terminalSafe } from '../../../cmf-client/src/safe-text';
import type { ConnectionRegistry, Logger, StatePort } from '../connections/registry';
import type { FieldProblem, PoolLanguage } from '../language/pool-language';
import { OperationGuard } from './guard';
import { SHOW_LOG, type Ui } from './ui';

export interface ExplorerHooks {
  /** A pool of this environment changed: re-list it (and poll what is unsettled). */
  poolChanged(connection: string, environment: string): void;
  refresh(): void;
  /** Reveals statements in the tree (after a blocked delete). */
  revealStatements?(connection: string, environment: string, pool: string, statements: string[]): Promise<void>;
}

export interface CommandContext {
  ui: Ui;
  registry: ConnectionRegistry;
  log: Logger;
  explorer?: ExplorerHooks;
  /** The language server's answers about pool files (lint with the file's settings, rejections' places). */
  language: PoolLanguage;
  guard: OperationGuard;
  /** Diagnostics for a file from CMF's rejection of it (set) or none (clear). */
  rejections?: { set(path: string, problems: FieldProblem[]): void; clear(path: string): void };
  /** Phase-following interval (tests shorten it). */
  followIntervalMs?: number;
  /** What the extension remembers across windows (VS Code's globalState): choices such as Open Pool as File's format. */
  memory?: StatePort;
  /** Called when a pool was written, and again when it settled (the CodeLens re-reads it). */
  onPoolWritten?(connection: string, environment: string, pool: string): void;
}

/** A compute pool addressed by connection and environment. */
export interface PoolTarget {
  connection: string;
  environment: string;
  pool: string;
}

/** "compute pool 'p' in environment 'e' on connection 'c'" — every confirmation names all three. */
export function describePoolTarget(t: PoolTarget): string {
  return `compute pool '${terminalSafe(t.pool)}' in environment '${terminalSafe(t.environment)}' on connection '${terminalSafe(t.connection)}'`;
}

/**
 * A failure as a notification: what failed, and why in CMF's words (the CmfError message carries CMF's
 * `errors[].message` verbatim), with Show Log. Cancellations are not failures and are not shown.
 */
export async function reportFailure(ctx: CommandContext, what: string, e: unknown): Promise<void> {
  if (e instanceof CmfError && e.kind === 'aborted') {
    ctx.log.info(`${what}: cancelled.`);
    return;
  }
  const message = e instanceof Error ? e.message : String(e);
  ctx.log.error(`${what} failed: ${message}`);
  const choice = await ctx.ui.error(`${what} failed: ${message}`, SHOW_LOG);
  if (choice === SHOW_LOG) ctx.ui.showLog();
}
