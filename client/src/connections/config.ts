/**
 * Named CMF connections as they are stored: the non-secret part in the `cmfPools.connections` setting
 * (scope `machine`: user or remote-machine settings, never a workspace), the secrets (bearer token, client
 * key passphrase) in VS Code's SecretStorage under keys derived from the connection's name. No vscode
 * import: the extension and the tests use this module as it is.
 */
import { redactUrl } from '../../../cmf-client/src/errors';

export type AuthKind = 'none' | 'token' | 'command';
const AUTH_KINDS: readonly AuthKind[] = ['none', 'token', 'command'];

/** One entry of `cmfPools.connections`. Nothing in it is secret. */
export interface ConnectionConfig {
  /** Unique, shown in the explorer and in every confirmation. */
  name: string;
  /** CMF's base URL, e.g. `https://cmf.example.com:8080`. */
  url: string;
  /** PEM file of the CA that issued CMF's certificate (replaces the default trust store for this connection). */
  caPath?: string;
  /** PEM client certificate for mTLS (with `clientKeyPath`). */
  clientCertPath?: string;
  /** PEM private key for mTLS; its passphrase, if any, is in SecretStorage. */
  clientKeyPath?: string;
  /** `none`; `token`: a bearer token kept in SecretStorage; `command`: `tokenCommand` prints a fresh token. */
  auth: AuthKind;
  /**
   * A command line (run by the shell) that prints a bearer token on stdout: the raw token, or JSON with
   * `status.token` (a kubectl ExecCredential), `access_token` or `token`. Run on first use and again when
   * CMF answers 401, like kubectl credential plugins.
   */
  tokenCommand?: string;
  /** Skip TLS certificate verification for this connection only. Needs a confirmation; shows a warning badge. */
  insecureSkipVerify?: boolean;
  /** Environment selected when this connection is selected. */
  defaultEnvironment?: string;
  /** Per-call timeout in seconds (default 30). */
  timeoutSeconds?: number;
  /** Set on the connection that "Try with a local CMF" adds; it points at a server this window started. */
  local?: boolean;
}

export type SecretKind = 'token' | 'keyPassphrase';

/** The SecretStorage key of a connection's secret. Names are JSON-encoded so no name can collide with another's key. */
export function secretKey(connection: string, kind: SecretKind): string {
  return `cmfPools.connection.${kind}:${JSON.stringify(connection)}`;
}

/** The connection names allowed: readable in a tree and a status bar, no control characters. */
export function checkConnectionName(name: string, others: readonly string[]): string | undefined {
  const n = name.trim();
  if (!n) return 'Give the connection a name, e.g. "prod" or "staging-eu".';
  if (n.length > 64) return 'Use at most 64 characters.';
  // eslint-disable-next-line no-control-regex -- control characters are what this looks for
  if (/[\u0000-\u001f\u007f]/.test(n)) return 'The name cannot contain control characters.';
  if (others.some((o) => o === n)) return `There is already a connection named "${n}".`;
  return undefined;
}

/** Checks a CMF URL as a user types it. */
export function checkConnectionUrl(url: string): string | undefined {
  const u = url.trim();
  if (!u) return 'Enter the URL of CMF, e.g. https://cmf.example.com:8080';
  let parsed: URL;
  try {
    parsed = new URL(u);
  } catch {
    return `"${u}" is not a URL; expected e.g. https://cmf.example.com:8080`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'The URL must start with http:// or https://';
  if (parsed.username || parsed.password) return 'Do not put credentials in the URL: choose "Bearer token" authentication instead, which keeps the token in the secret store.';
  if (parsed.search || parsed.hash) return 'The URL cannot have a query or fragment.';
  return undefined;
}

/** What VS Code's `WorkspaceConfiguration.inspect('connections')` gives, as far as it matters here. */
export interface InspectedConnections {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/**
 * `cmfPools.connections` from user (or remote-machine) settings only. A workspace or folder value — which
 * VS Code does not apply to a machine-scoped setting anyway, and ignores in an untrusted workspace — is
 * never used, trusted workspace or not: a folder someone else wrote must not point the extension at another
 * server, CA or token command.
 */
export function userConnections(inspected: InspectedConnections | undefined): unknown {
  return inspected?.globalValue ?? [];
}

/**
 * Reads `cmfPools.connections` as it comes from settings (anything): keeps well-formed entries, drops the
 * rest, and reports why, so that a hand-edited setting never breaks the explorer.
 */
export function readConnections(raw: unknown): { connections: ConnectionConfig[]; problems: string[] } {
  const connections: ConnectionConfig[] = [];
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { connections, problems };
  if (!Array.isArray(raw)) return { connections, problems: ['cmfPools.connections must be an array of connections.'] };
  raw.forEach((entry, i) => {
    const where = `cmfPools.connections[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push(`${where} is not an object.`);
      return;
    }
    const e = entry as Record<string, unknown>;
    const str = (k: string): string | undefined => (typeof e[k] === 'string' && (e[k] as string).trim() ? (e[k] as string).trim() : undefined);
    const name = str('name');
    const url = str('url');
    if (!name) return void problems.push(`${where} has no name.`);
    const nameProblem = checkConnectionName(name, connections.map((c) => c.name));
    if (nameProblem) return void problems.push(`${where}: ${nameProblem}`);
    if (!url) return void problems.push(`${where} ("${name}") has no url.`);
    const urlProblem = checkConnectionUrl(url);
    if (urlProblem) return void problems.push(`${where} ("${name}"): ${urlProblem}`);
    const auth = AUTH_KINDS.includes(e.auth as AuthKind) ? (e.auth as AuthKind) : 'none';
    if (e.auth !== undefined && auth !== e.auth) problems.push(`${where} ("${name}"): auth must be none, token or command; using none.`);
    const c: ConnectionConfig = { name, url: url.replace(/\/+$/, ''), auth };
    for (const k of ['caPath', 'clientCertPath', 'clientKeyPath', 'tokenCommand', 'defaultEnvironment'] as const) {
      const v = str(k);
      if (v !== undefined) c[k] = v;
    }
    if (c.auth === 'command' && !c.tokenCommand) problems.push(`${where} ("${name}"): auth is "command" but tokenCommand is not set.`);
    if (e.insecureSkipVerify === true) c.insecureSkipVerify = true;
    if (e.local === true) c.local = true;
    if (typeof e.timeoutSeconds === 'number' && Number.isFinite(e.timeoutSeconds) && e.timeoutSeconds > 0) c.timeoutSeconds = e.timeoutSeconds;
    connections.push(c);
  });
  return { connections, problems };
}

/** The setting's value for a list of connections: only the fields that are set, in a stable order. */
export function writeConnections(list: readonly ConnectionConfig[]): Record<string, unknown>[] {
  return list.map((c) => {
    const out: Record<string, unknown> = { name: c.name, url: c.url, auth: c.auth };
    for (const k of ['tokenCommand', 'caPath', 'clientCertPath', 'clientKeyPath', 'defaultEnvironment', 'timeoutSeconds'] as const) {
      if (c[k] !== undefined && c[k] !== '') out[k] = c[k];
    }
    if (c.insecureSkipVerify) out.insecureSkipVerify = true;
    if (c.local) out.local = true;
    return out;
  });
}

/** A one-line summary for pickers and tooltips: URL, TLS and authentication, never a secret. */
export function describeConnection(c: ConnectionConfig): string {
  const tls = c.url.startsWith('https:')
    ? c.insecureSkipVerify
      ? 'TLS verification OFF'
      : [c.caPath ? 'custom CA' : 'system CAs', c.clientCertPath ? 'client certificate' : undefined].filter(Boolean).join(', ')
    : 'plain http';
  const auth = c.auth === 'token' ? 'bearer token' : c.auth === 'command' ? 'token command' : 'no authentication';
  return `${redactUrl(c.url, { dropQuery: true })} · ${tls} · ${auth}`;
}
