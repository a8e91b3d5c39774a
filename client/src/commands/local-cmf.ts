/**
 * Try with a local CMF: starts the local CMF (the same server the tests use) inside the extension host on
 * 127.0.0.1 with the demo data, and adds a connection to it for this session only — its port is random,
 * so it is not written to settings. Stopping it removes the connection. No vscode import.
 */
import { startLocalCmf, type LocalCmf } from '../../../local-cmf/src/server';
import { DEMO_ENVIRONMENTS } from '../../../local-cmf/src/seed';
import type { ConnectionConfig } from '../connections/config';
import { reportFailure, type CommandContext } from './context';

export class LocalCmfSession {
  private server?: LocalCmf;
  private connection?: string;
  private starting?: Promise<ConnectionConfig | undefined>;

  constructor(private readonly options: { phaseDelayMs?: number } = {}) {}

  get running(): boolean {
    return !!this.server;
  }

  get url(): string | undefined {
    return this.server?.url;
  }

  /** Starts it (once) and selects its connection with the demo's development environment. */
  start(ctx: CommandContext): Promise<ConnectionConfig | undefined> {
    if (this.server && this.connection) {
      const c = ctx.registry.get(this.connection);
      if (c) return ctx.registry.select(c.name, DEMO_ENVIRONMENTS.development).then(() => c);
    }
    this.starting ??= this.doStart(ctx).finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async doStart(ctx: CommandContext): Promise<ConnectionConfig | undefined> {
    try {
      const server = await startLocalCmf({
        port: 0,
        host: '127.0.0.1',
        seed: 'demo',
        phaseDelayMs: this.options.phaseDelayMs,
        log: (line) => ctx.log.info(`[local CMF] ${line}`),
      });
      this.server = server;
      const taken = new Set(ctx.registry.list().map((c) => c.name));
      let name = 'local CMF';
      for (let i = 2; taken.has(name); i++) name = `local CMF ${i}`;
      const config: ConnectionConfig = { name, url: server.url, auth: 'none', local: true, defaultEnvironment: DEMO_ENVIRONMENTS.development };
      await ctx.registry.save(config);
      this.connection = name;
      await ctx.registry.select(name, DEMO_ENVIRONMENTS.development);
      ctx.log.info(`Started the local CMF on ${server.url} (demo data, loopback only) as connection '${name}'.`);
      void ctx.ui.info(`The local CMF is running on ${server.url} with demo data. It stops when this window closes. Try expanding '${DEMO_ENVIRONMENTS.development}' in the CMF explorer.`);
      return config;
    } catch (e) {
      await reportFailure(ctx, 'Starting the local CMF', e);
      return undefined;
    }
  }

  async stop(ctx?: CommandContext): Promise<void> {
    const server = this.server;
    const name = this.connection;
    this.server = undefined;
    this.connection = undefined;
    if (name && ctx?.registry.get(name)) await ctx.registry.remove(name);
    await server?.close();
  }
}
