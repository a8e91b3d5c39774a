/**
 * How to reach a CMF server, and the undici Dispatcher that does it.
 *
 * TLS: `caPath` replaces the default trust store for CMF (like `confluent --certificate-authority-path`
 * and kubectl's `certificate-authority`); a client certificate and key enable mTLS; verification is on
 * unless `insecureSkipVerify`, which is reported through `onWarning` every time a dispatcher is made.
 *
 * Proxy: the dispatcher is always an undici `EnvHttpProxyAgent`, which reads HTTPS_PROXY / HTTP_PROXY /
 * NO_PROXY (lower case wins, as in curl) — undici applies them only this way, never globally. Our TLS
 * options are given twice because of how it builds its agents (undici 7.x, lib/dispatcher/env-http-proxy-agent.js
 * and proxy-agent.js): `connect` is used by the direct (NO_PROXY) agent, while a proxied request opens
 * a CONNECT tunnel with `proxyTls` (TLS to the proxy itself; left at the defaults) and then runs the TLS
 * handshake with CMF through the tunnel with `requestTls`. So both `connect` and `requestTls` carry the CA,
 * client certificate and verification setting.
 */
import { readFileSync } from 'node:fs';
import * as tls from 'node:tls';
import type { Dispatcher, buildConnector } from 'undici';
import { loadUndici } from './undici';
import { CmfError, redactText } from './errors';
import { version as packageVersion } from '../../package.json';

export interface CmfConnection {
  /** Base URL of CMF, e.g. `https://cmf.example.com:8080`. A path prefix (behind an ingress) is kept. */
  url: string;
  /** PEM file with the CA certificate(s) that issued CMF's certificate. Replaces the default trust store. */
  caPath?: string;
  /** PEM client certificate for mTLS (needs `clientKeyPath`). */
  clientCertPath?: string;
  /** PEM private key for mTLS. */
  clientKeyPath?: string;
  /** Passphrase of an encrypted `clientKeyPath`. */
  clientKeyPassphrase?: string;
  /** Do not verify CMF's certificate. Emits a warning; never the default. */
  insecureSkipVerify?: boolean;
  /**
   * Bearer token, or a provider of one. A provider is called on the first request, its result reused,
   * and called again once when CMF answers 401 (like kubectl credential plugins); the request is then
   * repeated once with the new token if it differs.
   */
  token?: string | (() => Promise<string>);
  /** Timeout of each call in milliseconds (including its retries). Default 30 000. */
  timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
/** TCP + TLS connect timeout cap; a call's own timeout is shorter when it has less time left. */
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

type CmfWarningCode = 'insecure-skip-verify' | 'token-over-http';
export interface CmfWarning {
  code: CmfWarningCode;
  message: string;
}
export type CmfWarningSink = (warning: CmfWarning) => void;

export interface DispatcherOptions {
  /** Receives warnings about unsafe settings (disabled verification, a token over plain http). */
  onWarning?: CmfWarningSink;
  /**
   * Overrides of the proxy environment variables (e.g. VS Code's `http.proxy` setting). An empty string
   * means "no proxy"; undefined falls back to HTTPS_PROXY / HTTP_PROXY / NO_PROXY.
   */
  proxy?: { httpProxy?: string; httpsProxy?: string; noProxy?: string };
  /** Also trust the operating system's CA store when no `caPath` is set (Node ≥ 22.15 / 23.5; ignored on older Node). */
  useSystemCa?: boolean;
  connectTimeoutMs?: number;
}

declare const __CMF_POOLS_VERSION__: string | undefined;

/** The extension/CLI version: a build-time constant (`define: { __CMF_POOLS_VERSION__: '"x.y.z"' }`) or package.json's. */
export const CMF_POOLS_VERSION: string =
  typeof __CMF_POOLS_VERSION__ === 'string' && __CMF_POOLS_VERSION__ ? __CMF_POOLS_VERSION__ : packageVersion;

/** `cmf-pools/<version> (node <version>)`. */
export function userAgent(): string {
  return `cmf-pools/${CMF_POOLS_VERSION} (node ${process.versions.node})`;
}

/** Marks errors raised while connecting (TCP connect + TLS handshake), i.e. before a request was sent. */
const kConnectPhase: unique symbol = Symbol('cmf.connectPhase');

export function isConnectPhaseError(err: unknown): boolean {
  let e: unknown = err;
  for (let i = 0; i < 5 && e && typeof e === 'object'; i++) {
    if ((e as { [kConnectPhase]?: boolean })[kConnectPhase]) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

function readPem(path: string, what: string, setting: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CmfError({
      kind: 'tls',
      code,
      message: `Cannot read the ${what} file '${path}' (${setting}): ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (code ?? 'read error')}`,
    });
  }
}

/**
 * The TLS options for a connection: CA, client certificate/key, verification. Reads the files now and
 * checks that Node can use them, so that a bad path, key or passphrase fails here with a clear message
 * (naming paths, never their content).
 */
export function tlsOptionsFor(conn: CmfConnection, opts: Pick<DispatcherOptions, 'useSystemCa'> = {}): tls.ConnectionOptions {
  const out: tls.ConnectionOptions = { rejectUnauthorized: !conn.insecureSkipVerify };
  if (conn.caPath) {
    out.ca = readPem(conn.caPath, 'CA certificate', 'caPath');
  } else if (opts.useSystemCa) {
    const get = (tls as unknown as { getCACertificates?: (type: string) => string[] }).getCACertificates;
    if (typeof get === 'function') {
      try {
        out.ca = [...new Set([...get('default'), ...get('system')])];
      } catch {
        /* fall back to Node's defaults */
      }
    }
  }
  if (conn.clientCertPath && !conn.clientKeyPath) {
    throw new CmfError({ kind: 'tls', message: `clientCertPath is set but clientKeyPath is not: mTLS needs both the client certificate and its private key` });
  }
  if (conn.clientKeyPath && !conn.clientCertPath) {
    throw new CmfError({ kind: 'tls', message: `clientKeyPath is set but clientCertPath is not: mTLS needs both the client certificate and its private key` });
  }
  if (conn.clientCertPath && conn.clientKeyPath) {
    out.cert = readPem(conn.clientCertPath, 'client certificate', 'clientCertPath');
    out.key = readPem(conn.clientKeyPath, 'client key', 'clientKeyPath');
    if (conn.clientKeyPassphrase) out.passphrase = conn.clientKeyPassphrase;
  }
  try {
    tls.createSecureContext({ ca: out.ca, cert: out.cert, key: out.key, passphrase: out.passphrase });
  } catch (err) {
    const code = (err as { code?: string }).code;
    const raw = redactText(String((err as Error)?.message ?? err), [conn.clientKeyPassphrase]);
    const which = /decrypt|passphrase|PEM_read_bio_PrivateKey|bad password/i.test(raw)
      ? `the client key '${conn.clientKeyPath}' could not be decrypted — check clientKeyPassphrase`
      : /key values mismatch|KEY_VALUES_MISMATCH/i.test(raw)
        ? `the client key '${conn.clientKeyPath}' does not belong to the client certificate '${conn.clientCertPath}'`
        : `the TLS files could not be used (caPath '${conn.caPath ?? '-'}', clientCertPath '${conn.clientCertPath ?? '-'}', clientKeyPath '${conn.clientKeyPath ?? '-'}')`;
    throw new CmfError({ kind: 'tls', code, message: `TLS configuration error: ${which}: ${raw}` });
  }
  return out;
}

/** Wraps undici's connector so errors raised while connecting are tagged with `kConnectPhase`. */
function taggingConnector(build: typeof buildConnector, options: buildConnector.BuildOptions): buildConnector.connector {
  const inner = build(options);
  return (opts, callback) => {
    inner(opts, (...args: Parameters<buildConnector.Callback>) => {
      const err = args[0];
      if (err && typeof err === 'object') {
        try {
          (err as unknown as { [kConnectPhase]: boolean })[kConnectPhase] = true;
        } catch {
          /* frozen error: leave it */
        }
      }
      const socket = args[1];
      if (!err && socket && opts.protocol === 'https:') surfaceTlsAlerts(socket);
      (callback as (...a: unknown[]) => void)(...args);
    });
  };
}

/**
 * A fatal TLS alert that arrives after the handshake — in TLS 1.3 a server that requires a client
 * certificate checks it only then and answers `certificate required` — is emitted on the socket, but
 * undici then sees the socket end and reports a generic "other side closed", losing the reason. This
 * listener destroys the socket with the alert error itself, so undici fails the request with it.
 */
function surfaceTlsAlerts(socket: NodeJS.EventEmitter & { destroy(err?: Error): unknown; destroyed?: boolean }): void {
  socket.on('error', (err: { code?: unknown }) => {
    if (typeof err?.code === 'string' && err.code.startsWith('ERR_SSL_') && !socket.destroyed) socket.destroy(err as Error);
  });
}

/**
 * Builds the undici Dispatcher for `conn`: EnvHttpProxyAgent (proxy from the environment or `opts.proxy`)
 * with our TLS options on both the direct and the tunnelled path. Throws `CmfError` (kind 'tls') when a
 * TLS file cannot be read or used.
 */
export async function createDispatcher(conn: CmfConnection, opts: DispatcherOptions = {}): Promise<Dispatcher> {
  const { EnvHttpProxyAgent, buildConnector } = await loadUndici();
  const tlsOptions = tlsOptionsFor(conn, opts);
  if (conn.insecureSkipVerify) {
    opts.onWarning?.({
      code: 'insecure-skip-verify',
      message: `TLS certificate verification is disabled for ${safeOrigin(conn.url)} (insecureSkipVerify): the connection can be intercepted and credentials stolen. Use caPath instead.`,
    });
  }
  const connectTimeout = opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const buildOptions = { ...tlsOptions, timeout: connectTimeout } as buildConnector.BuildOptions;
  return new EnvHttpProxyAgent({
    connect: taggingConnector(buildConnector, buildOptions),
    requestTls: buildOptions,
    httpProxy: opts.proxy?.httpProxy,
    httpsProxy: opts.proxy?.httpsProxy,
    noProxy: opts.proxy?.noProxy,
    allowH2: false,
  });
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '<invalid URL>';
  }
}

/** Is `hostname` a loopback address (where plain http does not expose a token to the network)? */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}
