/**
 * Typed errors of the CMF REST client. Every failure of a CMF call surfaces as a `CmfError` whose
 * `message` says what went wrong *here* (which pool was not found, that a certificate expired, that
 * the environment's Kubernetes cluster is unavailable), followed by CMF's own `errors[].message` when
 * it sent any (each on one line, its control and bidi characters shown escaped: safe-text.ts; the
 * `cmfMessages` field keeps them as CMF wrote them).
 *
 * Secrets: no message, `cause` or field of a `CmfError` ever carries the bearer token, an
 * Authorization header, or key material. Low-level errors (undici, node:tls) are never attached as
 * they are — they can hold sockets and request options — but copied into a plain `Error` with a
 * redacted message and the Node error `code`.
 */
import { terminalSafe } from './safe-text';

export type CmfErrorKind = 'http' | 'tls' | 'connection' | 'timeout' | 'aborted' | 'invalid-response';

/** What a call was about, so a message can name it ("compute pool 'p' in environment 'e'"). */
export interface CmfErrorContext {
  environment?: string;
  pool?: string;
  statement?: string;
  /** What the call tried to do; refines 404/409/503 wording. */
  operation?: 'list' | 'get' | 'create' | 'update' | 'delete';
  /** The kind of resource the call addressed. */
  resource?: 'environment' | 'compute pool' | 'statement' | 'Flink web UI' | 'system information';
}

export interface CmfErrorInit {
  kind: CmfErrorKind;
  message: string;
  status?: number;
  cmfMessages?: string[];
  method?: string;
  url?: string;
  code?: string;
  context?: CmfErrorContext;
  attempts?: number;
  bodyExcerpt?: string;
  cause?: Error;
}

export class CmfError extends Error {
  override readonly name = 'CmfError';
  readonly kind: CmfErrorKind;
  /** HTTP status, for kind 'http' and 'invalid-response'. */
  readonly status?: number;
  /** CMF's `errors[].message`, verbatim, in order. Empty when the body had none. */
  readonly cmfMessages: string[];
  readonly method?: string;
  /** The request URL with credentials and secret-looking query values removed. */
  readonly url?: string;
  /** The underlying Node / undici / OpenSSL error code, if any (e.g. `CERT_HAS_EXPIRED`). */
  readonly code?: string;
  readonly context: CmfErrorContext;
  /** How many requests were made before giving up (1 unless a read was retried). */
  readonly attempts: number;
  /** A short, redacted excerpt of a body that was not CMF's error JSON. */
  readonly bodyExcerpt?: string;

  constructor(init: CmfErrorInit) {
    super(init.message, init.cause ? { cause: init.cause } : undefined);
    this.kind = init.kind;
    this.status = init.status;
    this.cmfMessages = init.cmfMessages ?? [];
    this.method = init.method;
    this.url = init.url;
    this.code = init.code;
    this.context = init.context ?? {};
    this.attempts = init.attempts ?? 1;
    this.bodyExcerpt = init.bodyExcerpt;
  }

  /** A copy of this error that records how many attempts were made. */
  withAttempts(attempts: number): CmfError {
    if (attempts <= 1) return this;
    return new CmfError({
      kind: this.kind,
      message: `${this.message} (gave up after ${attempts} attempts)`,
      status: this.status,
      cmfMessages: this.cmfMessages,
      method: this.method,
      url: this.url,
      code: this.code,
      context: this.context,
      attempts,
      bodyExcerpt: this.bodyExcerpt,
      cause: this.cause instanceof Error ? this.cause : undefined,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Redaction

const SECRET_QUERY = /^(access[_-]?token|id[_-]?token|refresh[_-]?token|token|password|passwd|pwd|secret|client[_-]?secret|api[_-]?key|apikey|key|sig|signature|auth|authorization|code)$/i;

/**
 * `url` without user info, fragment, and with the values of secret-looking query parameters replaced; with
 * `dropQuery`, without any query (a connection's base URL: the client never sends its query, and a parameter of
 * any name may hold a secret).
 */
export function redactUrl(url: string | URL, opts: { dropQuery?: boolean } = {}): string {
  let u: URL;
  try {
    u = new URL(String(url));
  } catch {
    return '<invalid URL>';
  }
  u.username = '';
  u.password = '';
  u.hash = '';
  if (opts.dropQuery) u.search = '';
  if (u.search) {
    const params = new URLSearchParams(u.search);
    const out = new URLSearchParams();
    for (const [k, v] of params) out.append(k, SECRET_QUERY.test(k) ? 'REDACTED' : v);
    u.search = out.toString();
  }
  return u.toString();
}

/**
 * Removes secrets from free text: the given secret strings (tokens, passphrases) as they are and as a server that
 * echoes them may disguise them — in another case, split by invisible characters (zero-width, soft hyphen, bidi
 * controls), percent-encoded character by character, or base64-encoded (standard or URL-safe, at any alignment, so
 * also inside a longer encoded text such as "Bearer <token>" or "user:<token>"); anything that looks like a bearer
 * credential or an Authorization header; and PEM private-key blocks.
 */
export function redactText(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const s of secrets) {
    if (s && s.length >= 4) out = out.replace(secretPattern(s), '[REDACTED]');
  }
  out = out.replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, '[REDACTED PRIVATE KEY]');
  out = out.replace(/\b(authorization|proxy-authorization)(["']?\s*[:=]\s*["']?)[^\r\n"',}]*/gi, '$1$2[REDACTED]');
  out = out.replace(/\bBearer\s+[A-Za-z0-9\-._~+/]+=*/g, 'Bearer [REDACTED]');
  return out;
}

/**
 * `redactText` over every string of a parsed JSON value (object keys too), in place: what a server answered can be
 * shown anywhere (a table, -o yaml, a tree tooltip) and must not carry a secret it echoed. Returns the value.
 */
export function redactJson<T>(value: T, secrets: readonly (string | undefined)[]): T {
  if (!secrets.some((s) => s && s.length >= 4)) return value;
  const stack: unknown[] = [value];
  while (stack.length) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        if (typeof node[i] === 'string') node[i] = redactText(node[i] as string, secrets);
        else if (node[i] && typeof node[i] === 'object') stack.push(node[i]);
      }
    } else if (node && typeof node === 'object') {
      const obj = node as Record<string, unknown>;
      for (const key of Object.keys(obj)) {
        let v = obj[key];
        if (typeof v === 'string') v = obj[key] = redactText(v, secrets);
        else if (v && typeof v === 'object') stack.push(v);
        const k = redactText(key, secrets);
        if (k !== key) {
          delete obj[key];
          obj[k] = v;
        }
      }
    }
  }
  return value;
}

/** Invisible characters a server can put between a secret's characters: zero-width, soft hyphen, joiners, bidi controls. */
const INVISIBLE = '[\\u00AD\\u034F\\u061C\\u115F\\u1160\\u17B4\\u17B5\\u180B-\\u180E\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u206F\\uFEFF]*';
const patterns = new Map<string, RegExp>();

/** One case-insensitive pattern for a secret and its disguises (see `redactText`), made once per secret. */
function secretPattern(secret: string): RegExp {
  let re = patterns.get(secret);
  if (re) return re;
  const char = (c: string) => {
    const escaped = c.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
    const code = c.charCodeAt(0);
    return code < 0x80 ? `(?:${escaped}|%${code.toString(16).padStart(2, '0')})` : escaped;
  };
  const alternatives = [[...secret].map(char).join(INVISIBLE)];
  const bytes = Buffer.from(secret, 'utf8');
  for (const k of [0, 1, 2]) {
    // The characters of base64(k unknown bytes + secret) that depend on the secret's bytes alone.
    const encoded = Buffer.concat([Buffer.alloc(k), bytes]).toString('base64');
    const core = encoded.slice(Math.ceil((8 * k) / 6), Math.floor((8 * (k + bytes.length)) / 6));
    if (core.length >= 6) for (const form of new Set([core, core.replace(/\+/g, '-').replace(/\//g, '_')])) alternatives.push(form.replace(/[+/]/g, '\\$&'));
  }
  re = new RegExp(alternatives.join('|'), 'gi');
  if (patterns.size > 32) patterns.clear();
  patterns.set(secret, re);
  return re;
}

/** A plain Error standing in for a low-level error: its name, code and a redacted message only. */
function safeCause(err: unknown, secrets: readonly (string | undefined)[] = []): Error | undefined {
  if (err === undefined || err === null) return undefined;
  const src = err as { name?: unknown; message?: unknown; code?: unknown };
  const message = typeof src.message === 'string' ? src.message : String(err);
  const e = new Error(redactText(message, secrets));
  if (typeof src.name === 'string') e.name = src.name;
  if (typeof src.code === 'string') (e as Error & { code?: string }).code = src.code;
  return e;
}

/** The error code of a low-level error, looking through `cause` (undici wraps some errors). */
function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 5 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_PRX_TLS') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// HTTP status → message

/** "compute pool 'p' in environment 'e'", "environment 'e'", "statement 's' in environment 'e'". */
function describeTarget(ctx: CmfErrorContext): string {
  const env = ctx.environment !== undefined ? `environment '${terminalSafe(ctx.environment)}'` : undefined;
  if (ctx.statement !== undefined) return `statement '${terminalSafe(ctx.statement)}'${env ? ` in ${env}` : ''}`;
  if (ctx.pool !== undefined) {
    const what = ctx.resource === 'Flink web UI' ? `the Flink web UI of compute pool '${terminalSafe(ctx.pool)}'` : `compute pool '${terminalSafe(ctx.pool)}'`;
    return `${what}${env ? ` in ${env}` : ''}`;
  }
  if (env) return env;
  return 'the requested resource';
}

/** What an HTTP error status means for this call, in a sentence (without CMF's own messages). */
export function describeStatus(status: number, ctx: CmfErrorContext, opts: { hadToken?: boolean } = {}): string {
  const target = describeTarget(ctx);
  const op = ctx.operation;
  switch (status) {
    case 400:
      return `CMF rejected the request as invalid (HTTP 400)`;
    case 401:
      return opts.hadToken === false
        ? `CMF requires authentication (HTTP 401): no token is configured — log in or set a token for this connection`
        : `CMF did not accept the credentials (HTTP 401): the token is missing, expired or invalid`;
    case 403:
      return `CMF refused the operation (HTTP 403): the credentials are valid but lack permission for ${target}`;
    case 404: {
      if (ctx.resource === 'Flink web UI' && ctx.pool !== undefined) {
        return `Not found (HTTP 404): ${target}; the pool, its environment or the web UI path does not exist (the cluster web UI exists only for SHARED pools in phase RUNNING)`;
      }
      if (op === 'list' && ctx.environment !== undefined) {
        return `Not found (HTTP 404): environment '${terminalSafe(ctx.environment)}' does not exist`;
      }
      const parent = (ctx.pool !== undefined || ctx.statement !== undefined) && ctx.environment !== undefined
        ? ` (or environment '${terminalSafe(ctx.environment)}' does not exist)`
        : '';
      return `Not found (HTTP 404): ${target} does not exist${parent}`;
    }
    case 409:
      if (op === 'create') return `Conflict (HTTP 409): ${target} already exists`;
      if (op === 'delete') return `Conflict (HTTP 409): ${target} is in use and cannot be deleted (statements that are PENDING, RUNNING, STOPPED or FAILING still reference it; force=true does not bypass this)`;
      if (op === 'update') return `Conflict (HTTP 409): ${target} cannot be updated now (statements in a blocking phase run on it)`;
      return `Conflict (HTTP 409): ${target} is in use or already exists`;
    case 410:
      return `Gone (HTTP 410): ${target} no longer exists`;
    case 422:
      return `CMF rejected the content of ${target} (HTTP 422): the request is well-formed but the resource is not valid`;
    case 429:
      return `CMF is rate-limiting requests (HTTP 429)`;
    case 502:
    case 504:
      return `A gateway or proxy in front of CMF could not get an answer from it (HTTP ${status})`;
    case 503:
      return op === 'create' || op === 'update' || op === 'delete'
        ? `CMF is unavailable for this write (HTTP 503): CMF rejects writes while the environment's Kubernetes cluster is DISCONNECTED or DECOMMISSIONED` +
            (op === 'delete' && ctx.pool !== undefined ? `; deleting with force=true removes the pool from CMF's metadata without contacting the cluster` : '')
        : `CMF is unavailable (HTTP 503): CMF or the environment's Kubernetes cluster is unavailable (a DISCONNECTED or DECOMMISSIONED cluster rejects writes)`;
    default:
      if (status >= 500) return `CMF failed with a server error (HTTP ${status})`;
      if (status >= 300 && status < 400) return `CMF answered with a redirect (HTTP ${status}), which this client does not follow; check the URL (http vs https, path prefix)`;
      return `CMF answered HTTP ${status}`;
  }
}

/** Extracts CMF's `errors[].message` from an error body. */
export function cmfMessagesOf(body: unknown): string[] {
  if (!body || typeof body !== 'object') return [];
  const errors = (body as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return [];
  const out: string[] = [];
  for (const e of errors) {
    if (e && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string') out.push((e as { message: string }).message);
    else if (typeof e === 'string') out.push(e);
  }
  return out;
}

/** A short single-line excerpt of a body (or of one of CMF's messages) for messages, its characters shown safely. */
export function excerpt(text: string, max = 200): string {
  const oneLine = terminalSafe(text.replace(/\s+/g, ' ').trim());
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}

// ---------------------------------------------------------------------------------------------
// Transport errors → CmfError

const TLS_UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
]);
const TLS_CLIENT_CERT = new Set([
  'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
  'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
  'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
  'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN',
  'ERR_SSL_TLSV1_ALERT_ACCESS_DENIED',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED',
  'ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR',
]);

export interface TransportErrorInfo {
  method: string;
  url: string; // already redacted
  /** host:port, for messages about the server. */
  host: string;
  /** The host name alone, for DNS messages. */
  hostname?: string;
  https: boolean;
  /** True when the error happened while connecting (TCP + TLS handshake), before the request was sent. */
  duringConnect: boolean;
  clientCertConfigured: boolean;
  context?: CmfErrorContext;
  secrets?: readonly (string | undefined)[];
  /** Set when the error happened while talking to this proxy (before the tunnel to CMF was open). */
  proxy?: { shown: string; source: string };
}

/** Maps a low-level (Node/undici/OpenSSL) error to a `CmfError` of kind tls, connection or timeout. */
export function transportError(err: unknown, info: TransportErrorInfo): CmfError {
  const code = errorCode(err) ?? '';
  const rawMessage = (err as { message?: unknown })?.message;
  const detail = redactText(typeof rawMessage === 'string' ? rawMessage : String(err), info.secrets);
  const base = { method: info.method, url: info.url, code: code || undefined, context: info.context, cause: safeCause(err, info.secrets) };
  const at = `${info.method} ${info.url}`;
  if (info.proxy) return proxyError(err, code, detail, base, at, info, info.proxy);

  if (TLS_UNTRUSTED.has(code)) {
    const self = code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'SELF_SIGNED_CERT_IN_CHAIN';
    return new CmfError({
      ...base,
      kind: 'tls',
      message: `TLS error: the certificate of ${info.host} is not trusted (${self ? 'self-signed or signed by an unknown CA' : 'signed by an unknown CA'}; ${code}). ` +
        `Set the connection's CA certificate (caPath) to the CA that issued CMF's certificate. [${at}]`,
    });
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return new CmfError({
      ...base,
      kind: 'tls',
      message: `TLS error: the certificate presented by ${info.host} ${code === 'CERT_HAS_EXPIRED' ? 'has expired' : 'is not yet valid'} (${code}); renew CMF's certificate or check this machine's clock. [${at}]`,
    });
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const reason = typeof (err as { reason?: unknown }).reason === 'string' ? String((err as { reason: string }).reason) : detail;
    return new CmfError({
      ...base,
      kind: 'tls',
      message: `TLS error: hostname mismatch — the certificate of the server does not name ${info.host} (${reason}). Connect with a host name the certificate lists. [${at}]`,
    });
  }
  if (TLS_CLIENT_CERT.has(code)) {
    const missing = !info.clientCertConfigured;
    return new CmfError({
      ...base,
      kind: 'tls',
      message: missing
        ? `TLS error: the server requires a client certificate (mTLS) and none is configured (${code}); set clientCertPath and clientKeyPath` +
          (code === 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE' ? ' (or the server accepts no TLS version or cipher this client offers)' : '') + `. [${at}]`
        : `TLS error: the server rejected the client certificate (${code}); check that it is issued by a CA the server trusts and has not expired. [${at}]`,
    });
  }
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code.startsWith('ERR_OSSL_') || /^(CERT_|UNABLE_TO_|X509_|HOSTNAME_)/.test(code)) {
    return new CmfError({ ...base, kind: 'tls', message: `TLS error talking to ${info.host}: ${detail} (${code}). [${at}]` });
  }
  if ((code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') && info.https && info.duringConnect) {
    return new CmfError({
      ...base,
      kind: 'tls',
      message: `TLS error: ${info.host} closed the connection during the TLS handshake (${code})` +
        (info.clientCertConfigured ? '; it may not accept this client certificate or TLS settings.' : '; it may require a client certificate (mTLS): set clientCertPath and clientKeyPath.') +
        ` [${at}]`,
    });
  }
  if (code === 'ECONNREFUSED') {
    return new CmfError({ ...base, kind: 'connection', message: `Connection refused by ${info.url.replace(/(^[a-z]+:\/\/[^/]+).*$/i, '$1')}: nothing is listening there — is CMF running and the URL (host, port, http vs https) right? [${at}]` });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_FAIL') {
    return new CmfError({ ...base, kind: 'connection', message: `DNS lookup failed for host '${info.hostname ?? info.host}' (${code}): check the CMF URL${code === 'EAI_AGAIN' ? ' (temporary DNS failure)' : ''}. [${at}]` });
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') {
    return new CmfError({ ...base, kind: 'timeout', message: `Timed out connecting to ${info.host} (${code}). [${at}]` });
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new CmfError({ ...base, kind: 'timeout', message: `CMF did not answer in time (${code}). [${at}]` });
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EHOSTDOWN' || code === 'ENETDOWN') {
    return new CmfError({ ...base, kind: 'connection', message: `Cannot reach ${info.host} (${code}): check the network or VPN. [${at}]` });
  }
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE' || code === 'ECONNABORTED') {
    const hint = info.https
      ? info.clientCertConfigured
        ? ' If the server requires client certificates, it may have rejected this one.'
        : ' If the server requires a client certificate (mTLS), set clientCertPath and clientKeyPath.'
      : '';
    return new CmfError({ ...base, kind: 'connection', message: `The connection to ${info.host} was closed unexpectedly (${detail}; ${code}).${hint} [${at}]` });
  }
  return new CmfError({ ...base, kind: 'connection', message: `Request to ${info.host} failed: ${detail}${code ? ` (${code})` : ''}. [${at}]` });
}

/** A failure talking to the proxy: it is named (origin and where it was set), not CMF. */
function proxyError(
  err: unknown,
  code: string,
  detail: string,
  base: Pick<CmfErrorInit, 'method' | 'url' | 'code' | 'context' | 'cause'>,
  at: string,
  info: TransportErrorInfo,
  proxy: { shown: string; source: string },
): CmfError {
  const it = `the proxy ${proxy.shown} (${proxy.source})`;
  const It = sentence(it);
  const fix = `Check ${proxy.source}, or name CMF's host in NO_PROXY if it is reached without a proxy.`;
  if (code === 'UND_ERR_PRX_STATUS') {
    const e = err as { status?: unknown; statusText?: unknown };
    const status = typeof e.status === 'number' ? e.status : 0;
    const text = typeof e.statusText === 'string' && e.statusText ? ` ${e.statusText}` : '';
    const why =
      status === 407
        ? `it wants credentials: give them in the proxy URL (http://user:password@host:port) in ${proxy.source}`
        : status === 403
          ? `it does not allow tunnels to this host or port`
          : status === 502 || status === 503 || status === 504
            ? `it could not reach CMF from where it is: check the CMF URL, or whether CMF is reached without the proxy (NO_PROXY)`
            : fix;
    return new CmfError({ ...base, kind: 'connection', message: `${It} refused to open a tunnel to ${info.host}: HTTP ${status}${text}; ${why}. [${at}]` });
  }
  if (TLS_UNTRUSTED.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code.startsWith('ERR_OSSL_') || /^(CERT_|UNABLE_TO_|X509_|HOSTNAME_|DEPTH_ZERO|SELF_SIGNED)/.test(code)) {
    return new CmfError({
      ...base,
      kind: 'tls',
      message: `TLS error talking to ${it}: ${detail} (${code}). The proxy's certificate is checked against the system's CAs (NODE_EXTRA_CA_CERTS adds one); an http:// proxy URL needs no TLS to the proxy. [${at}]`,
    });
  }
  if (code === 'ECONNREFUSED') return new CmfError({ ...base, kind: 'connection', message: `${It} refused the connection: nothing is listening there. ${fix} [${at}]` });
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_FAIL') {
    return new CmfError({ ...base, kind: 'connection', message: `DNS lookup failed for ${it} (${code}). ${fix} [${at}]` });
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') return new CmfError({ ...base, kind: 'timeout', message: `Timed out connecting to ${it} (${code}). ${fix} [${at}]` });
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EHOSTDOWN' || code === 'ENETDOWN') {
    return new CmfError({ ...base, kind: 'connection', message: `Cannot reach ${it} (${code}): check the network or VPN. ${fix} [${at}]` });
  }
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE' || code === 'ECONNABORTED') {
    return new CmfError({ ...base, kind: 'connection', message: `${It} closed the connection unexpectedly (${detail}; ${code}). ${fix} [${at}]` });
  }
  return new CmfError({ ...base, kind: 'connection', message: `${It} failed: ${detail}${code ? ` (${code})` : ''}. ${fix} [${at}]` });
}

/** `s` with its first letter upper-cased, to start a sentence with a phrase ("compute pool 'x' ..."). */
export function sentence(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
