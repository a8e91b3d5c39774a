/**
 * The connections the extension knows, the selected connection and environment, and one CmfClient per
 * connection. It reads and writes through small ports (settings, secrets, state) so that it runs under
 * plain Node in tests; the extension passes VS Code's configuration, SecretStorage and workspaceState.
 *
 * Where each thing lives:
 * - non-secret settings: `cmfPools.connections` (machine scope: a workspace cannot set them);
 * - tokens and key passphrases: SecretStorage only (see `secretKey`);
 * - the selection: workspaceState, so two windows can target different environments, and a window never
 *   switches to another environment because another window did;
 * - "Try with a local CMF" connections: memory only (their port changes every time).
 */
import { CmfClient, type CmfRequestLogEntry } from '../../../cmf-client/src/client';
import type { CmfConnection, CmfWarning } from '../../../cmf-client/src/connection';
import { proxyOverride, type VsCodeProxySettings } from './proxy';
import { readConnections, secretKey, writeConnections, type ConnectionConfig, type SecretKind } from './config';
import { runTokenCommand } from './token-command';

export interface SettingsPort {
  /** The raw `cmfPools.connections` from user/machine settings (never from a workspace). */
  readConnections(): unknown;
  writeConnections(value: Record<string, unknown>[]): Promise<void>;
  /** VS Code's `http.proxy`, `http.noProxy`, `http.proxySupport`. */
  proxy(): VsCodeProxySettings;
}

export interface SecretPort {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

/** A Memento (workspaceState). */
export interface StatePort {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface Selection {
  connection: string;
  environment?: string;
}

/** Secrets to set with a connection: a string stores it, `null` deletes it, undefined leaves it. */
export interface ConnectionSecrets {
  token?: string | null;
  keyPassphrase?: string | null;
}

export interface RegistryOptions {
  settings: SettingsPort;
  secrets: SecretPort;
  state: StatePort;
  log: Logger;
  /** Runs a connection's token command (tests replace it). */
  runTokenCommand?: (command: string) => Promise<string>;
  /** Extra client options (tests: shorter timeouts, no retries). */
  clientOptions?: { retry?: { retries?: number }; pageSize?: number };
}

const SELECTION_KEY = 'cmfPools.selection';

type Listener = () => void;

export class ConnectionRegistry {
  private readonly clients = new Map<string, Promise<CmfClient>>();
  private readonly listeners = new Set<Listener>();
  private readonly session = new Map<string, ConnectionConfig>();
  private cached?: { raw: string; list: ConnectionConfig[]; problems: string[] };

  constructor(private readonly opts: RegistryOptions) {}

  /** Calls `listener` after any change of connections, secrets or selection. */
  onDidChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private fire(): void {
    for (const l of [...this.listeners]) {
      try {
        l();
      } catch (e) {
        this.opts.log.error(`A connection listener failed: ${(e as Error).message}`);
      }
    }
  }

  /** Connections from settings, then the session's local ones. */
  list(): ConnectionConfig[] {
    return [...this.read().list, ...this.session.values()];
  }

  /** Why entries of `cmfPools.connections` were ignored. */
  problems(): string[] {
    return this.read().problems;
  }

  get(name: string): ConnectionConfig | undefined {
    return this.list().find((c) => c.name === name);
  }

  private read(): { list: ConnectionConfig[]; problems: string[] } {
    const raw = this.opts.settings.readConnections();
    const key = JSON.stringify(raw ?? null);
    if (this.cached?.raw !== key) {
      const { connections, problems } = readConnections(raw);
      // A session connection's name must not be shadowed; settings entries come first and win.
      this.cached = { raw: key, list: connections, problems };
    }
    return this.cached;
  }

  /** Settings changed outside (the user edited settings.json, or the proxy changed): drop clients, tell listeners. */
  async settingsChanged(): Promise<void> {
    this.cached = undefined;
    await this.closeClients();
    this.fire();
  }

  /**
   * Adds or replaces a connection. `previousName` renames: its secrets move to the new name. Local
   * (session) connections are kept in memory only.
   */
  async save(config: ConnectionConfig, secrets: ConnectionSecrets = {}, previousName?: string): Promise<void> {
    const old = previousName ?? config.name;
    if (config.local) {
      this.session.delete(old);
      this.session.set(config.name, config);
    } else {
      const list = this.read().list.filter((c) => c.name !== old && c.name !== config.name);
      const index = this.read().list.findIndex((c) => c.name === old);
      list.splice(index >= 0 ? index : list.length, 0, config);
      await this.opts.settings.writeConnections(writeConnections(list));
      this.cached = undefined;
    }
    if (previousName && previousName !== config.name) {
      for (const kind of ['token', 'keyPassphrase'] as SecretKind[]) {
        const v = await this.opts.secrets.get(secretKey(previousName, kind));
        if (v !== undefined && secrets[kind] === undefined) await this.opts.secrets.store(secretKey(config.name, kind), v);
        await this.opts.secrets.delete(secretKey(previousName, kind));
      }
      const sel = this.selection();
      if (sel?.connection === previousName) await this.opts.state.update(SELECTION_KEY, { ...sel, connection: config.name });
    }
    for (const kind of ['token', 'keyPassphrase'] as SecretKind[]) {
      const v = secrets[kind];
      if (v === null) await this.opts.secrets.delete(secretKey(config.name, kind));
      else if (v !== undefined) await this.opts.secrets.store(secretKey(config.name, kind), v);
    }
    if (config.auth !== 'token') await this.opts.secrets.delete(secretKey(config.name, 'token'));
    if (!config.clientKeyPath) await this.opts.secrets.delete(secretKey(config.name, 'keyPassphrase'));
    await this.closeClient(old);
    await this.closeClient(config.name);
    this.fire();
  }

  /** Removes a connection, its secrets, and the selection if it pointed there. */
  async remove(name: string): Promise<void> {
    if (this.session.has(name)) this.session.delete(name);
    else {
      await this.opts.settings.writeConnections(writeConnections(this.read().list.filter((c) => c.name !== name)));
      this.cached = undefined;
    }
    for (const kind of ['token', 'keyPassphrase'] as SecretKind[]) await this.opts.secrets.delete(secretKey(name, kind));
    if (this.opts.state.get<Selection>(SELECTION_KEY)?.connection === name) await this.opts.state.update(SELECTION_KEY, undefined);
    await this.closeClient(name);
    this.fire();
  }

  /** VS Code's proxy settings (for curl lines and the Web UI forward). */
  proxySettings(): VsCodeProxySettings {
    return this.opts.settings.proxy();
  }

  /** A stored secret of a connection (the wizard tries a connection with it before saving). */
  async secret(name: string, kind: SecretKind): Promise<string | undefined> {
    return (await this.opts.secrets.get(secretKey(name, kind))) || undefined;
  }

  hasSecret(name: string, kind: SecretKind): PromiseLike<boolean> {
    return this.opts.secrets.get(secretKey(name, kind)).then((v) => v !== undefined && v !== '');
  }

  /**
   * The selected connection and environment. Without an explicit choice: the only connection there is,
   * with its default environment. A selection naming a connection that no longer exists is no selection.
   */
  selection(): Selection | undefined {
    const list = this.list();
    const stored = this.opts.state.get<Selection>(SELECTION_KEY);
    if (stored && typeof stored.connection === 'string') {
      const c = list.find((x) => x.name === stored.connection);
      if (c) return { connection: c.name, environment: typeof stored.environment === 'string' ? stored.environment : c.defaultEnvironment };
    }
    if (list.length === 1) return { connection: list[0].name, environment: list[0].defaultEnvironment };
    return undefined;
  }

  async select(connection: string, environment?: string): Promise<void> {
    const c = this.get(connection);
    if (!c) throw new Error(`There is no connection named "${connection}".`);
    await this.opts.state.update(SELECTION_KEY, { connection, environment: environment ?? c.defaultEnvironment });
    this.fire();
  }

  /** The client for a connection (made once, until its settings or secrets change). */
  client(name: string): Promise<CmfClient> {
    let p = this.clients.get(name);
    if (!p) {
      p = this.makeClient(name);
      this.clients.set(name, p);
      p.catch(() => {
        if (this.clients.get(name) === p) this.clients.delete(name);
      });
    }
    return p;
  }

  private async makeClient(name: string): Promise<CmfClient> {
    const c = this.get(name);
    if (!c) throw new Error(`There is no connection named "${name}".`);
    const conn: CmfConnection = {
      url: c.url,
      caPath: c.caPath,
      clientCertPath: c.clientCertPath,
      clientKeyPath: c.clientKeyPath,
      insecureSkipVerify: c.insecureSkipVerify,
      timeoutMs: c.timeoutSeconds ? c.timeoutSeconds * 1000 : undefined,
    };
    if (c.clientKeyPath) {
      const passphrase = await this.opts.secrets.get(secretKey(name, 'keyPassphrase'));
      if (passphrase) conn.clientKeyPassphrase = passphrase;
    }
    if (c.auth === 'token') {
      // Read on every call of the provider, so a token changed in the secret store is used on the next 401.
      conn.token = async () => (await this.opts.secrets.get(secretKey(name, 'token'))) ?? '';
    } else if (c.auth === 'command' && c.tokenCommand) {
      const command = c.tokenCommand;
      const run = this.opts.runTokenCommand ?? ((cmd: string) => runTokenCommand(cmd));
      conn.token = () => run(command);
    }
    const log = this.opts.log;
    return new CmfClient(conn, {
      proxy: proxyOverride(this.opts.settings.proxy()),
      useSystemCa: true,
      ...this.opts.clientOptions,
      requestLog: (e: CmfRequestLogEntry) => log.info(formatRequest(name, e)),
      onWarning: (w: CmfWarning) => log.warn(`[${name}] ${w.message}`),
    });
  }

  private async closeClient(name: string): Promise<void> {
    const p = this.clients.get(name);
    this.clients.delete(name);
    if (p) await p.then((c) => c.close()).catch(() => undefined);
  }

  async closeClients(): Promise<void> {
    await Promise.all([...this.clients.keys()].map((n) => this.closeClient(n)));
  }

  async dispose(): Promise<void> {
    this.listeners.clear();
    await this.closeClients();
  }
}

/** One line per HTTP attempt: connection, method, URL (redacted by the client), status or error, time. */
function formatRequest(connection: string, e: CmfRequestLogEntry): string {
  const result = e.status !== undefined ? String(e.status) : `failed (${e.error ?? 'error'})`;
  return `[${connection}] ${e.method} ${e.url} → ${result} in ${e.ms} ms${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}`;
}
