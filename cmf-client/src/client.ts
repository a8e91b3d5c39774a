/**
 * The CMF REST client, shared by the VS Code client and the CLI. No `vscode` import, no UI: it returns
 * typed resources or throws `CmfError` (see errors.ts), and reports what it does through hooks
 * (`requestLog`, `onWarning`).
 *
 * Policies (all overridable through `CmfClientOptions`):
 * - Timeout: every call has one (connection `timeoutMs`, default 30 s; `CallOptions.timeoutMs` per
 *   call). It bounds the whole call, retries and back-off included; for a list it applies per page.
 * - Retries: only idempotent reads (GET) are retried, at most `retries` (3) times, on connection errors
 *   that are likely transient (ECONNRESET, socket closed, EPIPE, ETIMEDOUT, connect timeout, EAI_AGAIN)
 *   and on HTTP 429/502/503/504. Back-off is exponential (250 ms, 500 ms, 1 s … capped at 4 s) with
 *   jitter (each delay drawn from [d/2, d]); a Retry-After header (seconds or HTTP date) is honoured
 *   when it is at most 10 s, and a longer one ends the retries. A retry is only made if its delay fits
 *   in the call's remaining time. Not retried: connection refused (nothing listening — a wrong URL or a
 *   stopped CMF, which waiting rarely fixes, and the user should hear it at once), DNS not found, TLS
 *   errors, timeouts of the call itself, and any other status.
 * - Writes (POST, PUT, DELETE) are never retried on their own. The one exception for every method is
 *   a 401 with a token provider: the provider is asked again once, and the request repeated once if the
 *   token changed — CMF refused it before acting on it.
 * - Redirects are not followed (they could carry the token to another host); a 3xx is an error.
 * - Response bodies are read into memory up to `maxResponseBytes` (64 MiB). CMF's largest answers are
 *   pages of resources (100 per page here), far below that; the cap only stops a broken server or proxy
 *   from exhausting memory. A larger body fails with kind 'invalid-response'.
 * - Lists follow `page`/`size` (size 100) until an empty page, or until the total in `metadata.size`
 *   is reached, and fail after `maxPages` (1000) pages, once the pages read pass `maxListBytes` (128 MiB) in all,
 *   or if the server repeats a page.
 */
import type { Dispatcher } from 'undici';
import type { ComputePool, Environment, Statement, SystemInformation } from '../../cmf-model/src/types';
import { SHAPES, shapeProblem, type ShapeName } from '../../cmf-model/src/shapes';
import { terminalSafe } from './safe-text';
import {
  CmfError,
  cmfMessagesOf,
  describeStatus,
  excerpt,
  redactJson,
  redactText,
  redactUrl,
  transportError,
  type CmfErrorContext,
} from './errors';
import {
  DEFAULT_TIMEOUT_MS,
  createDispatcher,
  isConnectPhaseError,
  isLoopbackHost,
  proxyPhaseOf,
  userAgent,
  type CmfConnection,
  type CmfWarningSink,
  type DispatcherOptions,
} from './connection';

export const API_BASE = '/cmf/api/v1';
/** Largest response body read into memory. */
const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
export const DEFAULT_PAGE_SIZE = 100;
const DEFAULT_MAX_PAGES = 1000;
/** Largest list (all its pages together) read into memory. */
const DEFAULT_MAX_LIST_BYTES = 128 * 1024 * 1024;

export interface RetryPolicy {
  /** Retries after the first attempt (reads only). */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this ends the retries instead of being waited for. */
  maxRetryAfterMs: number;
}
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = { retries: 3, baseDelayMs: 250, maxDelayMs: 4000, maxRetryAfterMs: 10_000 };

/** One HTTP attempt, for an output channel. Never carries headers or bodies. */
export interface CmfRequestLogEntry {
  method: string;
  /** Request URL without user info; secret-looking query values replaced. */
  url: string;
  /** HTTP status, when a response arrived. */
  status?: number;
  /** Duration of this attempt in milliseconds. */
  ms: number;
  /** 1 for the first attempt, 2 for the first retry, … */
  attempt: number;
  /** Error kind and code when no usable response arrived, e.g. `connection ECONNRESET`. */
  error?: string;
}

export interface CmfClientOptions extends DispatcherOptions {
  requestLog?: (entry: CmfRequestLogEntry) => void;
  onWarning?: CmfWarningSink;
  retry?: Partial<RetryPolicy>;
  maxResponseBytes?: number;
  pageSize?: number;
  maxPages?: number;
  /** The most a list may take, all its pages together (each page also under `maxResponseBytes`). */
  maxListBytes?: number;
  /** Use this dispatcher instead of building one from the connection (tests, custom transports). */
  dispatcher?: Dispatcher;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides the connection's timeout for this call. */
  timeoutMs?: number;
}

export interface FlinkWebUiResponse {
  status: number;
  contentType?: string;
  /** The body decoded as UTF-8. */
  body: string;
  /** The raw body (for images and fonts). */
  bytes: Buffer;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

interface RequestSpec {
  method: Method;
  /** Path segments after /cmf/api/v1; each is URL-encoded. */
  segments: string[];
  /** Extra path (already encoded) appended after the segments. */
  rawPath?: string;
  query?: Record<string, string | number | boolean | undefined>;
  rawQuery?: string;
  body?: unknown;
  accept?: string;
  context: CmfErrorContext;
  call?: CallOptions;
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  method: Method;
  url: string; // redacted
  hadToken: boolean;
  attempts: number;
}

const kTimeout = Symbol('cmf.timeout');
const kUserAbort = Symbol('cmf.userAbort');

const RETRYABLE_CODES = new Set(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'UND_ERR_CONNECT_TIMEOUT', 'EAI_AGAIN']);
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
/** Content types whose bodies are text (a secret in them can be redacted without breaking them). */
const TEXT_TYPE = /^\s*(text\/|application\/(json|javascript|ecmascript|xml|x-www-form-urlencoded)\b|[^;]*\+(json|xml)\b)/i;

export class CmfClient {
  readonly connection: Readonly<CmfConnection>;
  private readonly options: CmfClientOptions;
  private readonly retryPolicy: RetryPolicy;
  private readonly baseUrl: URL;
  private dispatcher?: Promise<Dispatcher>;
  private readonly ownsDispatcher: boolean;
  private tokenPromise?: Promise<string | undefined>;
  private warnedTokenOverHttp = false;
  /** What CMF said of its version, once it said it (or that it does not tell). */
  private knownVersion?: { value: string | undefined };
  /** The last few tokens a provider returned, to scrub them from error text. */
  private lastTokens: string[] = [];

  constructor(connection: CmfConnection, options: CmfClientOptions = {}) {
    let base: URL;
    try {
      base = new URL(connection.url);
    } catch {
      throw new CmfError({ kind: 'connection', message: `Invalid CMF URL '${redactUrl(connection.url, { dropQuery: true })}': expected e.g. https://cmf.example.com:8080` });
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new CmfError({ kind: 'connection', message: `Invalid CMF URL '${redactUrl(connection.url, { dropQuery: true })}': the scheme must be http or https` });
    }
    base.username = '';
    base.password = '';
    base.search = '';
    base.hash = '';
    this.baseUrl = base;
    this.connection = connection;
    this.options = options;
    this.retryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.dispatcher = options.dispatcher && Promise.resolve(options.dispatcher);
    this.ownsDispatcher = !options.dispatcher;
  }

  /** Closes the connections this client opened. */
  async close(): Promise<void> {
    const d = this.dispatcher;
    this.dispatcher = undefined;
    if (d && this.ownsDispatcher) await (await d.catch(() => undefined))?.close();
  }

  // -------------------------------------------------------------------------------------------
  // CMF itself

  /** `GET /cmf/api/v1/system-information` (CMF 2.2 and later): CMF's version and revision. */
  getSystemInformation(call?: CallOptions): Promise<SystemInformation> {
    return this.object<SystemInformation>('SystemInformation', { method: 'GET', segments: ['system-information'], context: { operation: 'get', resource: 'system information' }, call });
  }

  /**
   * The version CMF says it is (`2.4.1`), or undefined when it does not tell: CMF before 2.2 has no
   * system-information (404), and a failure to read it (a proxy, RBAC, a timeout) leaves it unknown too; the
   * callers then fall back to cmfPools.cmfVersion. An answer (a version, or a 404) is kept for the client's life: a
   * CMF upgrade restarts CMF, and the extension makes a new client when a connection changes.
   */
  async cmfVersion(call?: CallOptions): Promise<string | undefined> {
    if (this.knownVersion) return this.knownVersion.value;
    try {
      const version = (await this.getSystemInformation(call)).status?.version;
      const value = typeof version === 'string' && version.trim() !== '' ? version.trim() : undefined;
      this.knownVersion = { value };
      return value;
    } catch (e) {
      if (e instanceof CmfError && e.kind === 'http' && e.status === 404) this.knownVersion = { value: undefined };
      return undefined;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Environments

  listEnvironments(call?: CallOptions): Promise<Environment[]> {
    return this.paginate<Environment>('Environment', ['environments'], {}, { operation: 'list', resource: 'environment' }, call);
  }

  getEnvironment(env: string, call?: CallOptions): Promise<Environment> {
    return this.object<Environment>('Environment', { method: 'GET', segments: ['environments', env], context: { environment: env, operation: 'get', resource: 'environment' }, call });
  }

  // -------------------------------------------------------------------------------------------
  // Compute pools

  listComputePools(env: string, call?: CallOptions): Promise<ComputePool[]> {
    return this.paginate<ComputePool>('ComputePool', ['environments', env, 'compute-pools'], {}, { environment: env, operation: 'list', resource: 'compute pool' }, call);
  }

  getComputePool(env: string, name: string, call?: CallOptions): Promise<ComputePool> {
    return this.object<ComputePool>('ComputePool', {
      method: 'GET',
      segments: ['environments', env, 'compute-pools', name],
      context: { environment: env, pool: name, operation: 'get', resource: 'compute pool' },
      call,
    });
  }

  /** POST the pool. Never retried. */
  createComputePool(env: string, body: ComputePool, call?: CallOptions): Promise<ComputePool> {
    return this.object<ComputePool>('ComputePool', {
      method: 'POST',
      segments: ['environments', env, 'compute-pools'],
      body,
      context: { environment: env, pool: poolName(body), operation: 'create', resource: 'compute pool' },
      call,
    });
  }

  /** PUT the full pool body. Never retried. */
  updateComputePool(env: string, name: string, body: ComputePool, call?: CallOptions): Promise<ComputePool> {
    return this.object<ComputePool>('ComputePool', {
      method: 'PUT',
      segments: ['environments', env, 'compute-pools', name],
      body,
      context: { environment: env, pool: name, operation: 'update', resource: 'compute pool' },
      call,
    });
  }

  /** DELETE the pool; `force: true` sends `?force=true` (metadata-only deletion). Never retried. */
  async deleteComputePool(env: string, name: string, opts: { force?: boolean } & CallOptions = {}): Promise<void> {
    const { force, ...call } = opts;
    const res = await this.send({
      method: 'DELETE',
      segments: ['environments', env, 'compute-pools', name],
      query: force === true ? { force: 'true' } : undefined,
      context: { environment: env, pool: name, operation: 'delete', resource: 'compute pool' },
      call,
    });
    if (res.status < 200 || res.status >= 300) throw this.httpError(res, { environment: env, pool: name, operation: 'delete', resource: 'compute pool' });
  }

  // -------------------------------------------------------------------------------------------
  // Statements

  /**
   * All statements of `env`, or only those of one compute pool: CMF is asked to filter (the `compute-pool` query
   * parameter), and the answer is filtered here too, on `spec.computePoolName`, since a server may ignore the
   * parameter (Confluent's mock CMF does) and answer with every statement of the environment.
   */
  async listStatements(env: string, opts: { computePool?: string } & CallOptions = {}): Promise<Statement[]> {
    const { computePool, ...call } = opts;
    const all = await this.paginate<Statement>(
      'Statement',
      ['environments', env, 'statements'],
      { 'compute-pool': computePool },
      { environment: env, pool: computePool, operation: 'list', resource: 'statement' },
      call,
    );
    return computePool === undefined ? all : all.filter((s) => s.spec.computePoolName === computePool);
  }

  getStatement(env: string, name: string, call?: CallOptions): Promise<Statement> {
    return this.object<Statement>('Statement', {
      method: 'GET',
      segments: ['environments', env, 'statements', name],
      context: { environment: env, statement: name, operation: 'get', resource: 'statement' },
      call,
    });
  }

  // -------------------------------------------------------------------------------------------
  // Flink web UI

  /**
   * GET `/environments/{env}/compute-pools/{pool}/flink-web-ui/{path}` (shared pools in phase RUNNING;
   * needs the AccessWebUI permission). `path` may contain `/` and a `?query`; each segment is encoded,
   * `.` and `..` are refused. Returns whatever HTTP status came back (a passthrough: the caller decides
   * what a 404 from Flink means) — only transport failures throw, and an answer that is not text but carries this
   * connection's credentials (kind invalid-response): the caller passes it to a browser. A text answer (HTML,
   * JavaScript, JSON, ...) has them redacted. Reads are retried like other GETs.
   */
  async flinkWebUi(env: string, pool: string, path: string, call?: CallOptions): Promise<FlinkWebUiResponse> {
    const q = path.indexOf('?');
    const pathPart = q >= 0 ? path.slice(0, q) : path;
    const rawQuery = q >= 0 ? new URLSearchParams(path.slice(q + 1)).toString() : undefined;
    const trimmed = pathPart.replace(/^\/+/, '');
    // A trailing slash is kept (`jobs/` ≠ `jobs`); an empty path is the web UI's root page.
    const rawPath = trimmed === '' ? '' : trimmed.split('/').map((s, i, all) => (s === '' && i === all.length - 1 ? '' : encodeSegment(s))).join('/');
    const context: CmfErrorContext = { environment: env, pool, operation: 'get', resource: 'Flink web UI' };
    const res = await this.send({ method: 'GET', segments: ['environments', env, 'compute-pools', pool, 'flink-web-ui'], rawPath, rawQuery, accept: '*/*', context, call });
    const ct = res.headers['content-type'];
    const contentType = Array.isArray(ct) ? ct[0] : ct;
    // The page goes to a browser: a secret the server echoed is redacted from text, and binary that carries one is withheld.
    const secrets = this.secrets();
    if (TEXT_TYPE.test(contentType ?? '')) {
      const body = redactText(res.body.toString('utf8'), secrets);
      return { status: res.status, contentType, body, bytes: Buffer.from(body, 'utf8') };
    }
    const raw = res.body.toString('latin1');
    if (redactText(raw, secrets) !== raw) {
      throw new CmfError({
        kind: 'invalid-response',
        status: res.status,
        method: res.method,
        url: res.url,
        context,
        message: `Unexpected answer from CMF to ${res.method} ${res.url}: HTTP ${res.status}${contentType ? ` (${redactText(contentType, secrets)})` : ''}, a body that carries this connection's credentials; withheld`,
      });
    }
    return { status: res.status, contentType, body: res.body.toString('utf8'), bytes: res.body };
  }

  // -------------------------------------------------------------------------------------------
  // Plumbing

  private async object<T>(shape: ShapeName, spec: RequestSpec): Promise<T> {
    const res = await this.send(spec);
    if (res.status < 200 || res.status >= 300) throw this.httpError(res, spec.context);
    const value = this.parseJson(res, spec.context);
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      throw this.invalid(res, spec.context, `the body is not a JSON object`);
    }
    const problem = shapeProblem(value, SHAPES[shape]);
    if (problem) throw this.invalid(res, spec.context, `the body is not a ${shape} as CMF's OpenAPI describes it: ${problem}`);
    return value as T;
  }

  private async paginate<T>(
    shape: ShapeName,
    segments: string[],
    query: Record<string, string | number | boolean | undefined>,
    context: CmfErrorContext,
    call?: CallOptions,
  ): Promise<T[]> {
    const size = Math.max(1, Math.floor(this.options.pageSize ?? DEFAULT_PAGE_SIZE));
    const maxPages = Math.max(1, Math.floor(this.options.maxPages ?? DEFAULT_MAX_PAGES));
    const maxBytes = this.options.maxListBytes ?? DEFAULT_MAX_LIST_BYTES;
    const all: T[] = [];
    let bytes = 0;
    let previousKey: string | undefined;
    for (let page = 0; ; page++) {
      const spec: RequestSpec = { method: 'GET', segments, query: { ...query, page, size }, context, call };
      if (page >= maxPages) {
        throw new CmfError({
          kind: 'invalid-response',
          message: `CMF kept returning pages: stopped after ${maxPages} pages of ${size} (${all.length} items) [GET ${this.displayUrl(spec)}]`,
          method: 'GET',
          url: this.displayUrl(spec),
          context,
        });
      }
      const res = await this.send(spec);
      if (res.status < 200 || res.status >= 300) throw this.httpError(res, context);
      bytes += res.body.length;
      if (bytes > maxBytes) {
        const what = `${context.resource === 'compute pool' ? 'compute pools' : `${context.resource}s`}${context.environment !== undefined ? ` in environment '${terminalSafe(context.environment)}'` : ''}`;
        throw new CmfError({
          kind: 'invalid-response',
          status: res.status,
          method: 'GET',
          url: res.url,
          context,
          attempts: res.attempts,
          message: `CMF's answer is too large: the list of ${what} passed ${formatBytes(maxBytes)} at page ${page + 1} (${all.length} items before it); stopped reading [GET ${res.url}]`,
        });
      }
      const body = this.parseJson(res, context);
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw this.invalid(res, context, `the body is not a page object`);
      const items = (body as { items?: unknown }).items;
      if (items === undefined || items === null) break; // OpenAPI default: []
      if (!Array.isArray(items)) throw this.invalid(res, context, `the page's "items" is not an array`);
      if (items.length === 0) break;
      for (let i = 0; i < items.length; i++) {
        const problem = shapeProblem(items[i], SHAPES[shape]);
        if (problem) throw this.invalid(res, context, `page ${page}'s items[${i}]${describeItem(items[i])} is not a ${shape} as CMF's OpenAPI describes it: ${problem}`);
      }
      const key = JSON.stringify(items[0]) + '\u0000' + JSON.stringify(items[items.length - 1]) + '\u0000' + items.length;
      if (page > 0 && key === previousKey) {
        throw this.invalid(res, context, `page ${page} repeats page ${page - 1} (does the server ignore the "page" parameter?)`);
      }
      previousKey = key;
      all.push(...(items as T[]));
      // metadata.size: read as the total number of items. Where it equals this page's item count it
      // cannot be told from a per-page count, so it only ends the listing on a short first page.
      const total = (body as { metadata?: { size?: unknown } }).metadata?.size;
      if (typeof total === 'number' && Number.isFinite(total)) {
        if (total !== items.length && all.length >= total) break;
        if (page === 0 && total === items.length && items.length < size) break;
      }
    }
    return all;
  }

  /** The body as JSON, with every secret the server may have echoed (in any disguise) redacted from its strings. */
  private parseJson(res: RawResponse, context: CmfErrorContext): unknown {
    const text = res.body.toString('utf8');
    if (text.trim() === '') throw this.invalid(res, context, `the body is empty`);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw this.invalid(res, context, `the body is not valid JSON (${(err as Error).message})`);
    }
    return redactJson(value, this.secrets());
  }

  private invalid(res: RawResponse, context: CmfErrorContext, why: string): CmfError {
    const ct = res.headers['content-type'];
    const secrets = this.secrets();
    const text = redactText(res.body.toString('utf8'), secrets);
    const ex = excerpt(text);
    return new CmfError({
      kind: 'invalid-response',
      status: res.status,
      method: res.method,
      url: res.url,
      context,
      attempts: res.attempts,
      bodyExcerpt: ex || undefined,
      // Redacted as a whole: a header (the content type) and JSON.parse's quote of the body come from the server too.
      message: redactText(`Unexpected answer from CMF to ${res.method} ${res.url}: HTTP ${res.status}${ct ? ` (${Array.isArray(ct) ? ct[0] : ct})` : ''}, ${why}${ex ? `. Body starts: ${ex}` : ''}`, secrets),
    });
  }

  private httpError(res: RawResponse, context: CmfErrorContext): CmfError {
    const secrets = this.secrets();
    const text = res.body.toString('utf8');
    let parsed: unknown;
    try {
      parsed = text.trim() ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    const cmfMessages = cmfMessagesOf(parsed).map((m) => redactText(m, secrets));
    const ex = cmfMessages.length ? '' : excerpt(redactText(text, secrets), 300);
    let meaning = describeStatus(res.status, context, { hadToken: res.hadToken });
    if (res.status >= 300 && res.status < 400) {
      const loc = res.headers.location;
      if (loc) {
        let where: string;
        try {
          // A server can put anything in a Location, the token included (in the path, or a query parameter of any name).
          where = redactText(redactUrl(new URL(String(Array.isArray(loc) ? loc[0] : loc), this.baseUrl)), secrets);
        } catch {
          where = '<invalid Location>';
        }
        meaning += ` (Location: ${where})`;
      }
    }
    // CMF's messages in ours: one line each, shown safely (the `cmfMessages` field keeps them as CMF wrote them).
    const said = cmfMessages.length ? `: ${cmfMessages.map((m) => excerpt(m, 2000)).join('; ')}` : ex ? `: ${ex}` : '';
    const error = new CmfError({
      kind: 'http',
      status: res.status,
      cmfMessages,
      method: res.method,
      url: res.url,
      context,
      bodyExcerpt: ex || undefined,
      message: `${meaning}${said} [${res.method} ${res.url}]`,
    });
    return error.withAttempts(res.attempts);
  }

  private secrets(): string[] {
    const out: string[] = [];
    if (typeof this.connection.token === 'string') out.push(this.connection.token, this.connection.token.trim());
    if (this.connection.clientKeyPassphrase) out.push(this.connection.clientKeyPassphrase);
    out.push(...this.lastTokens);
    return out;
  }

  private buildUrl(spec: RequestSpec): URL {
    const basePath = this.baseUrl.pathname.replace(/\/+$/, '');
    let path = `${basePath}${API_BASE}/${spec.segments.map(encodeSegment).join('/')}`;
    if (spec.rawPath !== undefined) path += `/${spec.rawPath}`;
    const u = new URL(this.baseUrl.origin);
    u.pathname = path;
    const params = new URLSearchParams(spec.rawQuery ?? '');
    for (const [k, v] of Object.entries(spec.query ?? {})) if (v !== undefined) params.append(k, String(v));
    const qs = params.toString();
    u.search = qs ? `?${qs}` : '';
    return u;
  }

  private displayUrl(spec: RequestSpec): string {
    return redactUrl(this.buildUrl(spec));
  }

  private getDispatcher(): Promise<Dispatcher> {
    if (!this.dispatcher) {
      const d = (this.dispatcher = createDispatcher(this.connection, this.options));
      // A dispatcher that could not be made (a TLS file that cannot be read) is made again next time.
      d.catch(() => {
        if (this.dispatcher === d) this.dispatcher = undefined;
      });
    }
    return this.dispatcher;
  }

  private async currentToken(): Promise<string | undefined> {
    const t = this.connection.token;
    if (t === undefined) return undefined;
    if (typeof t === 'string') return normalizeToken(t);
    if (!this.tokenPromise) {
      const p = Promise.resolve().then(() => t()).then(normalizeToken);
      this.tokenPromise = p;
      p.catch(() => {
        if (this.tokenPromise === p) this.tokenPromise = undefined;
      });
    }
    return this.tokenPromise;
  }

  /** Asks the provider again, unless another call already replaced `stale`. */
  private async refreshToken(stale: string | undefined): Promise<string | undefined> {
    const t = this.connection.token;
    if (typeof t !== 'function') return stale;
    const current = await this.tokenPromise?.catch(() => undefined);
    if (current !== undefined && current !== stale) return current;
    const p = Promise.resolve().then(() => t()).then(normalizeToken);
    this.tokenPromise = p;
    p.catch(() => {
      if (this.tokenPromise === p) this.tokenPromise = undefined;
    });
    return p;
  }

  /** Sends a request: timeouts, abort, retries for reads, 401 token refresh. Returns any HTTP status. */
  private async send(spec: RequestSpec): Promise<RawResponse> {
    const url = this.buildUrl(spec);
    const shownUrl = redactUrl(url);
    const timeoutMs = spec.call?.timeoutMs ?? this.connection.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const deadline = Date.now() + timeoutMs;
    const userSignal = spec.call?.signal;
    const idempotent = spec.method === 'GET';
    const bodyText = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    const policy = this.retryPolicy;
    // Builds the dispatcher on first use: a bad CA/cert/key path fails here, before any attempt.
    const dispatcher = await this.getDispatcher();

    let attempt = 0;
    let retries = 0;
    let refreshed = false;
    for (;;) {
      attempt++;
      if (userSignal?.aborted) throw this.abortedError(spec, shownUrl, attempt - 1);
      const token = await this.bounded(this.currentToken(), spec, shownUrl, deadline, timeoutMs, userSignal, attempt);
      if (token && !this.lastTokens.includes(token)) this.lastTokens = [...this.lastTokens.slice(-3), token];
      if (token && url.protocol === 'http:' && !isLoopbackHost(url.hostname) && !this.warnedTokenOverHttp) {
        this.warnedTokenOverHttp = true;
        this.options.onWarning?.({
          code: 'token-over-http',
          message: `The bearer token is sent to ${url.origin} over unencrypted http; use https.`,
        });
      }
      const headers: Record<string, string> = {
        'user-agent': userAgent(),
        accept: spec.accept ?? 'application/json',
      };
      if (token) headers.authorization = `Bearer ${token}`;
      if (bodyText !== undefined) headers['content-type'] = 'application/json';

      let res: RawResponse;
      const started = Date.now();
      try {
        res = await this.attempt(dispatcher, spec, url, shownUrl, headers, bodyText, deadline, timeoutMs, userSignal, attempt, !!token);
        this.log({ method: spec.method, url: shownUrl, status: res.status, ms: Date.now() - started, attempt });
      } catch (err) {
        const e = err instanceof CmfError ? err : this.transport(err, spec, url, shownUrl);
        this.log({ method: spec.method, url: shownUrl, ms: Date.now() - started, attempt, error: `${e.kind}${e.code ? ` ${e.code}` : ''}` });
        if (idempotent && retries < policy.retries && (e.kind === 'connection' || e.kind === 'timeout') && e.code && RETRYABLE_CODES.has(e.code)) {
          const delay = backoff(policy, retries);
          if (Date.now() + delay < deadline) {
            retries++;
            await sleep(delay, userSignal).catch(() => {
              throw this.abortedError(spec, shownUrl, attempt);
            });
            continue;
          }
        }
        throw e.withAttempts(attempt);
      }

      if (res.status === 401 && typeof this.connection.token === 'function' && !refreshed) {
        refreshed = true;
        const fresh = await this.bounded(this.refreshToken(token), spec, shownUrl, deadline, timeoutMs, userSignal, attempt);
        if (fresh && fresh !== token) continue;
      }
      if (idempotent && RETRYABLE_STATUS.has(res.status) && retries < policy.retries) {
        const ra = retryAfterMs(res.headers['retry-after']);
        const delay = ra !== undefined ? ra : backoff(policy, retries);
        if ((ra === undefined || ra <= policy.maxRetryAfterMs) && Date.now() + delay < deadline) {
          retries++;
          await sleep(delay, userSignal).catch(() => {
            throw this.abortedError(spec, shownUrl, attempt);
          });
          continue;
        }
      }
      return res;
    }
  }

  /** Waits for `p` (the token provider) within the call's deadline and abort signal. */
  private bounded<T>(p: Promise<T>, spec: RequestSpec, shownUrl: string, deadline: number, timeoutMs: number, signal: AbortSignal | undefined, attempt: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        const e = this.timeoutError(spec, shownUrl, timeoutMs);
        reject(new CmfError({ kind: 'timeout', method: e.method, url: e.url, context: e.context, message: `The token provider did not return a token within ${formatMs(timeoutMs)} [${spec.method} ${shownUrl}]` }));
      }, Math.max(0, deadline - Date.now()));
      const onAbort = () => {
        cleanup();
        reject(this.abortedError(spec, shownUrl, attempt));
      };
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      p.then(
        (v) => {
          cleanup();
          resolve(v);
        },
        (err: unknown) => {
          cleanup();
          reject(err);
        },
      );
    });
  }

  private async attempt(
    dispatcher: Dispatcher,
    spec: RequestSpec,
    url: URL,
    shownUrl: string,
    headers: Record<string, string>,
    bodyText: string | undefined,
    deadline: number,
    timeoutMs: number,
    userSignal: AbortSignal | undefined,
    attempt: number,
    hadToken: boolean,
  ): Promise<RawResponse> {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw this.timeoutError(spec, shownUrl, timeoutMs);
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(kTimeout), remaining);
    const onUserAbort = () => ac.abort(kUserAbort);
    userSignal?.addEventListener('abort', onUserAbort, { once: true });
    const cap = this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    let responseBody: Dispatcher.ResponseData['body'] | undefined;
    try {
      const r = await dispatcher.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: spec.method,
        headers,
        body: bodyText,
        signal: ac.signal,
        headersTimeout: remaining + 1000,
        bodyTimeout: remaining + 1000,
      });
      responseBody = r.body;
      // Destroying the body (cap exceeded, abort) emits an error nobody else listens to any more.
      r.body.on('error', () => undefined);
      const res: RawResponse = {
        status: r.statusCode,
        headers: r.headers,
        body: Buffer.alloc(0),
        method: spec.method,
        url: shownUrl,
        hadToken,
        attempts: attempt,
      };
      const declared = Number(r.headers['content-length']);
      if (Number.isFinite(declared) && declared > cap) {
        r.body.destroy();
        throw this.tooLarge(res, spec.context, cap);
      }
      const chunks: Buffer[] = [];
      let total = 0;
      for await (const chunk of r.body) {
        const buf = chunk as Buffer;
        total += buf.length;
        if (total > cap) {
          r.body.destroy();
          throw this.tooLarge(res, spec.context, cap);
        }
        chunks.push(buf);
      }
      res.body = Buffer.concat(chunks, total);
      return res;
    } catch (err) {
      responseBody?.destroy();
      if (err instanceof CmfError) throw err;
      if (ac.signal.aborted) {
        if (ac.signal.reason === kUserAbort) throw this.abortedError(spec, shownUrl, attempt);
        throw this.timeoutError(spec, shownUrl, timeoutMs);
      }
      throw err;
    } finally {
      clearTimeout(timer);
      userSignal?.removeEventListener('abort', onUserAbort);
    }
  }

  private transport(err: unknown, spec: RequestSpec, url: URL, shownUrl: string): CmfError {
    if (err instanceof CmfError) return err;
    return transportError(err, {
      method: spec.method,
      url: shownUrl,
      host: url.host,
      hostname: url.hostname,
      https: url.protocol === 'https:',
      duringConnect: isConnectPhaseError(err),
      clientCertConfigured: !!this.connection.clientCertPath,
      context: spec.context,
      secrets: this.secrets(),
      proxy: proxyPhaseOf(err),
    });
  }

  private tooLarge(res: RawResponse, context: CmfErrorContext, cap: number): CmfError {
    return new CmfError({
      kind: 'invalid-response',
      status: res.status,
      method: res.method,
      url: res.url,
      context,
      message: `Unexpected answer from CMF to ${res.method} ${res.url}: HTTP ${res.status} with a body larger than ${Math.round(cap / 1024 / 1024)} MiB; not read`,
    });
  }

  private timeoutError(spec: RequestSpec, shownUrl: string, timeoutMs: number): CmfError {
    return new CmfError({
      kind: 'timeout',
      method: spec.method,
      url: shownUrl,
      context: spec.context,
      message: `CMF did not answer within ${formatMs(timeoutMs)} [${spec.method} ${shownUrl}]` +
        (spec.method === 'GET' ? '' : ' — the request may still have been carried out; check before repeating it'),
    });
  }

  private abortedError(spec: RequestSpec, shownUrl: string, attempts: number): CmfError {
    return new CmfError({ kind: 'aborted', method: spec.method, url: shownUrl, context: spec.context, attempts: Math.max(1, attempts), message: `Cancelled: ${spec.method} ${shownUrl}` });
  }

  private log(entry: CmfRequestLogEntry): void {
    try {
      this.options.requestLog?.(entry);
    } catch {
      /* a logging hook must not break a call */
    }
  }
}

/** Encodes one path segment; refuses empty, `.` and `..` (URL parsers would resolve them). */
export function encodeSegment(segment: string): string {
  if (typeof segment !== 'string' || segment === '' || segment === '.' || segment === '..') {
    throw new TypeError(`Invalid name or path segment for a CMF URL: ${JSON.stringify(segment)}`);
  }
  return encodeURIComponent(segment);
}

/** The token as it is sent: trimmed, without a leading "Bearer ". */
function tokenValue(t: string): string {
  return t.trim().replace(/^Bearer\s+/i, '');
}

/** Why `token` cannot be sent as a bearer token, or undefined (the CLI checks its variable with this before any request). */
export function tokenProblem(token: string): string | undefined {
  return /[^\x21-\x7e]/.test(tokenValue(token)) ? 'it holds a character that cannot be sent in an HTTP header (a space, a line break, a control or non-ASCII character)' : undefined;
}

function normalizeToken(t: unknown): string | undefined {
  if (t === undefined || t === null) return undefined;
  if (typeof t !== 'string') throw new TypeError('The token provider must return a string');
  const s = tokenValue(t);
  if (!s) return undefined;
  const problem = tokenProblem(s);
  if (problem) throw new TypeError(`The token cannot be used: ${problem}`);
  return s;
}

/** " ('name')" for a list item that has a name, to find it among the others. */
function describeItem(item: unknown): string {
  const o = item as { metadata?: { name?: unknown }; name?: unknown } | null;
  const name = o && typeof o === 'object' ? (typeof o.metadata?.name === 'string' ? o.metadata.name : typeof o.name === 'string' ? o.name : undefined) : undefined;
  return name === undefined ? '' : ` (${JSON.stringify(name.slice(0, 80))})`;
}

function poolName(body: unknown): string | undefined {
  const name = (body as { metadata?: { name?: unknown } } | undefined)?.metadata?.name;
  return typeof name === 'string' ? name : undefined;
}

/** Exponential back-off with jitter: the n-th retry waits a random time in [d/2, d], d = base·2ⁿ ≤ max. */
export function backoff(policy: RetryPolicy, retryIndex: number): number {
  const d = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex);
  return Math.round(d / 2 + Math.random() * (d / 2));
}

/** Retry-After in ms (delta-seconds or HTTP date), or undefined when absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('aborted'));
    const onAbort = () => {
      clearTimeout(t);
      reject(new Error('aborted'));
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function formatBytes(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / 1024 / 1024} MiB` : `${Math.round((n / 1024 / 1024) * 10) / 10} MiB`;
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms} ms`;
}
