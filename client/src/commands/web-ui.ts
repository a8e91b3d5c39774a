/**
 * Open Flink Web UI for a SHARED pool in RUNNING: one loopback forward per pool (reused while it runs),
 * opened in the browser. No vscode import.
 */
import { sentence } from '../../../cmf-client/src/errors';
import { describePoolTarget, reportFailure, type CommandContext, type PoolTarget } from './context';
import { startWebUiForward, type WebUiForward } from './web-ui-forward';

export class WebUiForwards {
  private readonly forwards = new Map<string, WebUiForward>();

  constructor(private readonly checkIntervalMs?: number) {}

  get size(): number {
    return this.forwards.size;
  }

  async open(ctx: CommandContext, t: PoolTarget): Promise<WebUiForward | undefined> {
    const key = JSON.stringify([t.connection, t.environment, t.pool]);
    try {
      let fwd = this.forwards.get(key);
      if (!fwd || fwd.stopped) {
        const client = await ctx.registry.client(t.connection);
        const pool = await client.getComputePool(t.environment, t.pool);
        if (pool.spec.type !== 'SHARED' || pool.status?.phase !== 'RUNNING') {
          void ctx.ui.error(
            `${sentence(describePoolTarget(t))} has no cluster web UI now: it exists only for SHARED pools in phase RUNNING (this one is ${pool.spec.type}${pool.spec.type === 'SHARED' ? `, ${pool.status?.phase ?? 'unknown phase'}` : ''}).`,
          );
          return undefined;
        }
        fwd = await startWebUiForward({
          client,
          environment: t.environment,
          pool: t.pool,
          checkIntervalMs: this.checkIntervalMs,
          log: (l) => ctx.log.info(`[${t.connection}] ${l}`),
          onStop: (reason) => {
            if (this.forwards.get(key) === fwd) this.forwards.delete(key);
            if (!reason.startsWith('window')) void ctx.ui.info(`The Flink web UI forward of compute pool '${t.pool}' stopped: ${reason}.`);
          },
        });
        this.forwards.set(key, fwd);
        ctx.log.info(`Flink web UI of ${describePoolTarget(t)} forwarded on 127.0.0.1:${fwd.port} (random path).`);
      }
      await ctx.ui.openExternal(fwd.url);
      return fwd;
    } catch (e) {
      await reportFailure(ctx, `Opening the Flink web UI of ${describePoolTarget(t)}`, e);
      return undefined;
    }
  }

  async dispose(reason = 'window closed'): Promise<void> {
    const all = [...this.forwards.values()];
    this.forwards.clear();
    await Promise.all(all.map((f) => f.stop(reason)));
  }
}

