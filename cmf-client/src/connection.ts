/**
 * How to reach a CMF server, and the undici Dispatcher that does it.
 *
 * TLS: `caPath` replaces the default trust store for CMF (like `confluent --certificate-authority-path`
 * and kubectl's `certificate-authority`); a client certificate and key enable mTLS; verification is on
 * unless `insecureSkipVerify`, which is reported through `onWarning` every time a dispatcher is made.
 *
 * Proxy (`proxyFor`): HTTPS_PROXY / HTTP_PROXY / NO_PROXY (lower case wins, as in curl; an https URL falls back
 * to HTTP_PROXY when HTTPS_PROXY is not set, as undici does), or the caller's override (VS Code's `http.proxy`).
 * Two rules come first, whatever the variables say:
 * - loopback (`localhost`, 127.0.0.0/8, ::1) is never reached through a proxy: the local CMF and port forwards
 *   are on this machine, and a proxy would only see (and could keep) what is sent to them;
 * - a bearer token is never sent in clear text to a proxy: an http:// CMF that a proxy would carry is refused
 *   when a token is configured (https:// is tunnelled: the proxy sees only encrypted bytes).
 * The dispatcher is an undici `Agent` whose connector either connects directly or opens an HTTP CONNECT tunnel
 * through the proxy (an http:// or https:// proxy) and runs the TLS handshake with CMF inside it, with our TLS
 * options. Errors are tagged with the phase they happened in: talking to the proxy, or connecting to CMF.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { Socket } from 'node:net';
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
  proxy?: ProxySettings;
  /** Where the proxy variables are read (default: process.env). */
  env?: Readonly<Record<string, string | undefined>>;
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

/** Why a CA file's text is not a CA certificate (or a bundle of them), or undefined. Names what it holds, never its content. */
function caProblem(pem: string): string | undefined {
  if (pem.trim() === '') return 'the file is empty';
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) {
    if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(pem)) return 'it holds a private key, not a certificate';
    const other = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(pem)?.[1];
    return other ? `it holds a PEM "${other}" block, not a certificate` : 'no PEM "BEGIN CERTIFICATE" block';
  }
  for (const [i, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch (e) {
      return `certificate ${i + 1} of ${blocks.length} in it cannot be read (${(e as { code?: string }).code ?? 'invalid'})`;
    }
  }
  return undefined;
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
    // Node takes an empty file, or a key, as a CA without a word: every server would then be "not trusted".
    const problem = caProblem(out.ca);
    if (problem) {
      throw new CmfError({
        kind: 'tls',
        message: `caPath '${conn.caPath}' holds no certificate: ${problem}. It must hold the PEM certificate(s) of the CA that issued CMF's certificate ("-----BEGIN CERTIFICATE-----").`,
      });
    }
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
 * Builds the undici Dispatcher for `conn`: an Agent that connects directly, or through the proxy `proxyFor`
 * chooses, with our TLS options for CMF. Throws `CmfError` when a TLS file cannot be read or used, and (kind
 * 'connection') when a token would be sent in clear text through a proxy.
 */
export async function createDispatcher(conn: CmfConnection, opts: DispatcherOptions = {}): Promise<Dispatcher> {
  const { Agent, buildConnector } = await loadUndici();
  const target = new URL(conn.url);
  const proxy = proxyFor(target, opts);
  if (proxy && target.protocol === 'http:' && conn.token !== undefined && conn.token !== '') {
    throw new CmfError({
      kind: 'connection',
      message:
        `Not sending the bearer token to ${target.origin}: over http:// it would pass in clear text through the proxy ${proxy.shown} (${proxy.source}), ` +
        `which could read and keep it. Use https:// for CMF, or name its host in NO_PROXY if it is reached without the proxy.`,
    });
  }
  const tlsOptions = tlsOptionsFor(conn, opts);
  if (conn.insecureSkipVerify) {
    opts.onWarning?.({
      code: 'insecure-skip-verify',
      message: `TLS certificate verification is disabled for ${safeOrigin(conn.url)} (insecureSkipVerify): the connection can be intercepted and credentials stolen. Use caPath instead.`,
    });
  }
  const connectTimeout = opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const buildOptions = { ...tlsOptions, timeout: connectTimeout } as buildConnector.BuildOptions;
  const direct = taggingConnector(buildConnector, buildOptions);
  return new Agent({ connect: proxy ? tunnelConnector(proxy, direct, connectTimeout) : direct, allowH2: false });
}

// ---------------------------------------------------------------------------------------------------------
// Proxies

/** Proxy settings that override the environment's (VS Code's `http.proxy`, `http.noProxy`). */
export interface ProxySettings {
  httpProxy?: string;
  httpsProxy?: string;
  noProxy?: string;
  /** How messages name these settings, e.g. "VS Code's http.proxy setting" (default: "the proxy settings"). */
  source?: string;
}

/** The proxy a request goes through. */
export interface ProxyChoice {
  url: URL;
  /** The proxy's origin, without user info or path: safe to show. */
  shown: string;
  /** Where it was set: the variable (`HTTPS_PROXY`, `http_proxy`, ...) or the settings' `source`. */
  source: string;
}

/**
 * The proxy a request to `target` goes through, or undefined for a direct connection: never for loopback, not
 * for a host NO_PROXY names (a name, a domain suffix, with or without a port; `*` for every host); otherwise
 * HTTPS_PROXY for https (HTTP_PROXY when that is not set) and HTTP_PROXY for http, lower case first.
 */
export function proxyFor(target: URL, opts: Pick<DispatcherOptions, 'proxy' | 'env'> = {}): ProxyChoice | undefined {
  if (isLoopbackHost(target.hostname)) return undefined;
  const env = opts.env ?? process.env;
  const o = opts.proxy;
  const pick = (override: string | undefined, names: string[]): { value?: string; source: string } => {
    if (override !== undefined) return { value: override, source: o?.source ?? 'the proxy settings' };
    for (const n of names) if (env[n] !== undefined) return { value: env[n], source: n };
    return { source: names[names.length - 1] };
  };
  let chosen = pick(o?.httpProxy, ['http_proxy', 'HTTP_PROXY']);
  if (target.protocol === 'https:') {
    const secure = pick(o?.httpsProxy, ['https_proxy', 'HTTPS_PROXY']);
    if (secure.value) chosen = secure;
  }
  const value = chosen.value?.trim();
  if (!value) return undefined;
  const noProxy = o?.noProxy ?? env.no_proxy ?? env.NO_PROXY ?? '';
  if (noProxyMatches(noProxy, target)) return undefined;
  return { ...parseProxyUrl(value, chosen.source), source: chosen.source };
}

/** The proxy's URL (`host:port` means http://host:port, as in curl); a malformed one is a CmfError naming `source`. */
function parseProxyUrl(value: string, source: string): { url: URL; shown: string } {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    // Shown without what may be a password: anything before an '@' in the authority.
    const safe = value.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/?#]*@/i, '$1…@').slice(0, 120);
    throw new CmfError({ kind: 'connection', message: `${source} is not a valid proxy URL ('${safe}'): expected e.g. http://proxy.example.com:3128` });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CmfError({ kind: 'connection', message: `${source}: only http:// and https:// proxies are supported (it is a ${url.protocol.slice(0, -1)} proxy, ${url.protocol}//${url.host})` });
  }
  return { url, shown: url.origin };
}

/** Does a NO_PROXY list name `target` (as undici and curl read it)? */
function noProxyMatches(list: string, target: URL): boolean {
  const host = target.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = Number(target.port) || (target.protocol === 'https:' ? 443 : 80);
  for (const raw of list.split(/[,\s]+/)) {
    if (!raw) continue;
    if (raw === '*') return true;
    const m = /^(.+):(\d+)$/.exec(raw);
    if (m && Number(m[2]) !== port) continue;
    const entry = (m ? m[1] : raw).replace(/^\*?\./, '').replace(/^\[|\]$/g, '').toLowerCase();
    if (host === entry || host.endsWith(`.${entry}`)) return true;
  }
  return false;
}

/** Marks errors raised while talking to the proxy (before the tunnel to CMF was open). */
const kProxyPhase: unique symbol = Symbol('cmf.proxyPhase');

/** The proxy an error happened with, when it happened while talking to the proxy. */
export function proxyPhaseOf(err: unknown): ProxyChoice | undefined {
  let e: unknown = err;
  for (let i = 0; i < 5 && e && typeof e === 'object'; i++) {
    const p = (e as { [kProxyPhase]?: ProxyChoice })[kProxyPhase];
    if (p) return p;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function tagProxy<T>(err: T, proxy: ProxyChoice): T {
  if (err && typeof err === 'object') {
    try {
      (err as unknown as { [kProxyPhase]: ProxyChoice })[kProxyPhase] = proxy;
    } catch {
      /* frozen error: leave it */
    }
  }
  return err;
}

/**
 * A connector that opens an HTTP CONNECT tunnel through `proxy` (TLS to the proxy for an https:// proxy, with
 * Node's default trust store), then hands the tunnel to `direct` for the TLS handshake with CMF (https), or uses
 * it as it is (http). Errors before the tunnel is open are tagged as the proxy's.
 */
function tunnelConnector(proxy: ProxyChoice, direct: buildConnector.connector, timeoutMs: number): buildConnector.connector {
  return (opts, callback) => {
    let settled = false;
    const done = (err: Error | null, socket?: Socket) => {
      if (settled) return;
      settled = true;
      (callback as (e: Error | null, s?: Socket) => void)(err, socket);
    };
    const port = Number(opts.port) || (opts.protocol === 'https:' ? 443 : 80);
    const authority = `${opts.hostname.includes(':') ? `[${opts.hostname}]` : opts.hostname}:${port}`;
    const headers: Record<string, string> = { host: authority };
    const { username, password } = proxy.url;
    if (username || password) headers['proxy-authorization'] = `Basic ${Buffer.from(`${decodeURIComponent(username)}:${decodeURIComponent(password)}`).toString('base64')}`;
    const secure = proxy.url.protocol === 'https:';
    const req = (secure ? https : http).request({
      host: proxy.url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(proxy.url.port) || (secure ? 443 : 80),
      method: 'CONNECT',
      path: authority,
      headers,
      agent: false,
      timeout: timeoutMs,
    });
    req.once('connect', (res: http.IncomingMessage, socket: Socket, head: Buffer) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        const e = Object.assign(new Error(`Proxy response (${res.statusCode}${res.statusMessage ? ` ${res.statusMessage}` : ''}) to CONNECT ${authority}`), {
          code: 'UND_ERR_PRX_STATUS',
          status: res.statusCode,
          statusText: res.statusMessage,
        });
        return done(tagProxy(e, proxy));
      }
      if (head.length) socket.unshift(head);
      if (opts.protocol === 'https:') direct({ ...opts, httpSocket: socket } as Parameters<buildConnector.connector>[0], done as buildConnector.Callback);
      else done(null, socket);
    });
    req.once('timeout', () => req.destroy(Object.assign(new Error(`The proxy did not answer CONNECT ${authority} within ${timeoutMs} ms`), { code: 'UND_ERR_CONNECT_TIMEOUT' })));
    req.once('error', (err: Error) => done(tagProxy(err, proxy)));
    req.end();
  };
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
