/**
 * The local CMF: a real HTTP(S) server on loopback that speaks CMF's REST API (CMF 2.3.1 OpenAPI) for
 * environments, compute pools, statements and Kubernetes clusters, with CMF's documented rules. Tests use
 * it as a faithful stand-in; `npm start` runs it with demo data so a new user can try the extension with no
 * cluster. See store.ts for the rules and seed.ts for the demo data.
 *
 * Optional: TLS (with client-certificate authentication when `requestClientCert`) and a bearer token.
 *
 * Web pages cannot use it (request-guard.ts): it answers only to a loopback Host (no DNS rebinding), refuses
 * requests whose Origin is not its own, and takes writes only as `Content-Type: application/json`.
 *
 * `extend` plugs more into the server: routes beside CMF's API and a look at each request before it is
 * routed. The test controls (test-controls.ts: cluster state, phase overrides, injected faults) use it; they
 * are not imported here, so the product's `dist/local-cmf.js` (main.ts) holds none of them.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { SystemInformation } from '../../cmf-model/src/types';
import { CmfHttpError } from './errors';
import { booleanParam } from './query';
import { refuseForeignHost, refuseForeignOrigin, refuseNonJsonWrite } from './request-guard';
import { applySeed, SEEDS, type Seed } from './seed';
import { LocalCmfStore, LOCAL_CMF_VERSION } from './store';
import { flinkWebUi } from './web-ui';

interface LocalCmfTlsOptions {
  key: string | Buffer;
  cert: string | Buffer;
  /** CA(s) that sign client certificates (required with `requestClientCert`). */
  ca?: string | Buffer | (string | Buffer)[];
  /** Ask clients for a certificate and refuse those without one signed by `ca` (mTLS). */
  requestClientCert?: boolean;
}

export interface LocalCmfOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** A loopback address: 127.0.0.1 (default), ::1 or localhost. */
  host?: string;
  tls?: LocalCmfTlsOptions;
  /** When set, every request must carry `Authorization: Bearer <token>`. */
  token?: string;
  seed?: Seed;
  /** How long pools and statements stay PENDING (and shared pools DELETING) before settling. Default 1500. */
  phaseDelayMs?: number;
  /** Request log sink, one line per request (method, path, status, duration; never headers or bodies). */
  log?: (line: string) => void;
  /** Adds routes and a per-request hook (see `LocalCmfExtension`); called once, before the server listens. */
  extend?: (cmf: { store: LocalCmfStore; seed: Seed }) => LocalCmfExtension;
}

/** An answer: a JSON `body` (sent as application/json), or a `raw` one with its content type. */
export interface LocalCmfReply {
  status: number;
  body?: unknown;
  /** Raw body (already serialised) with its content type. */
  raw?: { contentType: string; text: string };
  headers?: Record<string, string>;
}

/** What a route's handler gets. */
interface LocalCmfRequest {
  method: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body (POST/PUT only); throws a 400 when there is none. */
  body: () => unknown;
}

export interface LocalCmfRoute {
  method: string;
  /** Segments, `:name` for a parameter, and a trailing `/*` for any rest of the path (as params['*']). */
  path: string;
  handler: (request: LocalCmfRequest) => LocalCmfReply;
}

/**
 * What `extend` adds to a local CMF. Its routes are matched like CMF's own and sit behind the same checks
 * (loopback Host, Origin, the bearer token, JSON bodies).
 */
export interface LocalCmfExtension {
  routes?: LocalCmfRoute[];
  /**
   * Runs for each request that passed the Host and Origin checks, before the token is checked and the
   * request routed: undefined goes on,
   * a reply is sent instead, 'drop' closes the connection without an answer. It may wait before it returns.
   */
  intercept?: (request: { method: string; pathname: string }) => LocalCmfInterception | Promise<LocalCmfInterception>;
}
type LocalCmfInterception = undefined | 'drop' | LocalCmfReply;

export interface LocalCmf {
  /** Base URL, e.g. `http://127.0.0.1:39123` (CMF paths start with /cmf/api/v1). */
  url: string;
  port: number;
  close(): Promise<void>;
  /** The in-memory model (for tests). */
  store: LocalCmfStore;
}

const LOOPBACK_HOSTS = ['127.0.0.1', '::1', 'localhost'];
const MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_PHASE_DELAY_MS = 1500;

type Reply = LocalCmfReply;
type Handler = (request: LocalCmfRequest) => Reply;
interface Route {
  method: string;
  segments: string[];
  /** The route takes any remaining path after its segments (as params['*']). */
  rest?: boolean;
  handler: Handler;
}

const ok = (body: unknown): Reply => ({ status: 200, body });
const noContent = (): Reply => ({ status: 204 });

function sha256(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

export async function startLocalCmf(options: LocalCmfOptions = {}): Promise<LocalCmf> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.includes(host)) {
    throw new Error(`The local CMF listens on loopback only (${LOOPBACK_HOSTS.join(', ')}), not on '${host}'.`);
  }
  const seed = options.seed ?? 'demo';
  if (!SEEDS.includes(seed)) throw new Error(`Unknown seed '${String(seed)}': use ${SEEDS.join(' or ')}.`);
  if (options.tls?.requestClientCert && !options.tls.ca) throw new Error('tls.requestClientCert needs tls.ca: the CA that signs the client certificates.');
  if (options.token !== undefined && options.token.trim() === '') throw new Error('The bearer token must not be empty.');
  const tokenDigest = options.token !== undefined ? sha256(options.token) : undefined;
  const log = options.log ?? (() => {});
  const scheme = options.tls ? 'https' : 'http';
  /** The port it listens on (set once it does; requests come after). */
  let boundPort = 0;

  const store = new LocalCmfStore({ phaseDelayMs: options.phaseDelayMs ?? DEFAULT_PHASE_DELAY_MS });
  applySeed(store, seed);

  // ---- routes ---------------------------------------------------------------------------------------------

  const routes: Route[] = [];
  const route = (method: string, path: string, handler: Handler) => {
    const rest = path.endsWith('/*');
    routes.push({ method, segments: (rest ? path.slice(0, -2) : path).split('/').filter(Boolean), rest, handler });
  };
  const include = (q: URLSearchParams) => booleanParam(q, 'include-resource-information');
  const force = (q: URLSearchParams) => booleanParam(q, 'force');
  const V1 = '/cmf/api/v1';

  route('GET', `${V1}/environments`, ({ query }) => ok(store.listEnvironments(query, include(query))));
  route('POST', `${V1}/environments`, ({ body }) => ok(store.upsertEnvironment(body()).environment));
  route('GET', `${V1}/environments/:env`, ({ params, query }) => ok(store.getEnvironment(params.env, include(query))));
  route('DELETE', `${V1}/environments/:env`, ({ params, query }) => (store.deleteEnvironment(params.env, force(query)), noContent()));

  route('GET', `${V1}/environments/:env/compute-pools`, ({ params, query }) => ok(store.listPools(params.env, query, include(query))));
  route('POST', `${V1}/environments/:env/compute-pools`, ({ params, body }) => ok(store.createPool(params.env, body())));
  route('GET', `${V1}/environments/:env/compute-pools/:pool`, ({ params, query }) => ok(store.getPool(params.env, params.pool, include(query))));
  route('PUT', `${V1}/environments/:env/compute-pools/:pool`, ({ params, body }) => ok(store.updatePool(params.env, params.pool, body())));
  route('DELETE', `${V1}/environments/:env/compute-pools/:pool`, ({ params, query }) => (store.deletePool(params.env, params.pool, force(query)), noContent()));
  route('GET', `${V1}/environments/:env/compute-pools/:pool/flink-web-ui/*`, ({ params }) => {
    const r = flinkWebUi(store, params.env, params.pool, params['*']);
    return { status: r.status, raw: { contentType: r.contentType, text: r.body } };
  });

  route('GET', `${V1}/environments/:env/statements`, ({ params, query }) => ok(store.listStatements(params.env, query, include(query))));
  route('POST', `${V1}/environments/:env/statements`, ({ params, body }) => ok(store.createStatement(params.env, body())));
  route('GET', `${V1}/environments/:env/statements/:stmt`, ({ params, query }) => ok(store.getStatement(params.env, params.stmt, include(query))));
  route('PUT', `${V1}/environments/:env/statements/:stmt`, ({ params, body }) => ok(store.updateStatement(params.env, params.stmt, body())));
  route('DELETE', `${V1}/environments/:env/statements/:stmt`, ({ params, query }) => (store.deleteStatement(params.env, params.stmt, force(query)), noContent()));
  route('GET', `${V1}/environments/:env/statements/:stmt/results`, ({ params }) => ok(store.statementResult(params.env, params.stmt)));
  route('GET', `${V1}/environments/:env/statements/:stmt/exceptions`, ({ params }) => ok(store.statementExceptions(params.env, params.stmt)));

  route('GET', `${V1}/kubernetes-clusters`, ({ query }) => ok(store.listClusters(query)));
  route('GET', `${V1}/kubernetes-clusters/:cluster`, ({ params }) => ok(store.clusterView(store.cluster(params.cluster))));
  route('PUT', `${V1}/kubernetes-clusters/:cluster`, ({ params, body }) => ok(store.updateCluster(params.cluster, body())));

  route('GET', `${V1}/system-information`, () => ok({ status: { version: LOCAL_CMF_VERSION, revision: 'local-cmf' } } satisfies SystemInformation));

  const extension = options.extend?.({ store, seed });
  for (const r of extension?.routes ?? []) route(r.method, r.path, r.handler);

  /** The route for `method` on `pathname`: 404 when no route has that path, 405 (with Allow) when none has that method. */
  function findRoute(method: string, pathname: string): { route: Route; params: Record<string, string> } {
    let segs: string[];
    try {
      segs = pathname.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
    } catch {
      throw new CmfHttpError(400, `The path '${pathname}' is not correctly URL-encoded.`);
    }
    const allowed = new Set<string>();
    for (const r of routes) {
      if (r.rest ? segs.length < r.segments.length : segs.length !== r.segments.length) continue;
      const params: Record<string, string> = {};
      const hit = r.segments.every((s, i) => (s.startsWith(':') ? ((params[s.slice(1)] = segs[i]), true) : s === segs[i]));
      if (!hit) continue;
      if (r.method !== method) {
        allowed.add(r.method);
        continue;
      }
      if (r.rest) params['*'] = segs.slice(r.segments.length).join('/');
      return { route: r, params };
    }
    if (allowed.size === 0) {
      throw new CmfHttpError(404, `No such endpoint: ${method} ${pathname}. CMF's API is under /cmf/api/v1 (for example GET /cmf/api/v1/environments).`);
    }
    const list = [...allowed].join(', ');
    throw new CmfHttpError(405, `${method} is not supported on ${pathname}; use ${list}.`, { Allow: list });
  }

  // ---- HTTP plumbing --------------------------------------------------------------------------------------

  function send(res: http.ServerResponse, reply: Reply): void {
    const headers: Record<string, string> = { ...(reply.headers ?? {}) };
    let payload = '';
    if (reply.raw) {
      headers['Content-Type'] = reply.raw.contentType;
      payload = reply.raw.text;
    } else if (reply.body !== undefined && reply.status !== 204) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(reply.body);
    }
    headers['Content-Length'] = String(Buffer.byteLength(payload));
    res.writeHead(reply.status, headers);
    res.end(payload);
  }

  function errorReply(e: unknown): Reply {
    if (e instanceof CmfHttpError) return { status: e.status, body: e.body(), headers: e.headers };
    const message = e instanceof Error ? e.message : String(e);
    return { status: 500, body: { errors: [{ message: `Internal error in the local CMF: ${message}` }] } };
  }

  async function readBody(req: http.IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) throw new CmfHttpError(413, `The request body is larger than ${MAX_BODY_BYTES} bytes.`);
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  function authorized(req: http.IncomingMessage): CmfHttpError | undefined {
    if (!tokenDigest) return undefined;
    const header = req.headers.authorization;
    const challenge = { 'WWW-Authenticate': 'Bearer realm="cmf"' };
    if (!header) return new CmfHttpError(401, "Authentication required: send the header 'Authorization: Bearer <token>'.", challenge);
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) return new CmfHttpError(401, "Authentication required: the Authorization header must be 'Bearer <token>'.", challenge);
    if (!timingSafeEqual(sha256(m[1]), tokenDigest)) {
      return new CmfHttpError(401, 'The bearer token was not accepted: it is wrong or has expired. Log in again for a new token.', {
        'WWW-Authenticate': 'Bearer realm="cmf", error="invalid_token"',
      });
    }
    return undefined;
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = Date.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://local-cmf');
    const pathname = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    const done = (status: number) => log(`${method} ${url.pathname}${url.search} ${status} ${Date.now() - started}ms`);

    // Web pages: a rebound DNS name, or a request from another origin, gets nothing (not even a fault).
    const refused = refuseForeignHost(req.headers.host, boundPort) ?? refuseForeignOrigin(req.headers.origin, scheme, boundPort);
    if (refused) {
      req.resume();
      send(res, errorReply(refused));
      return done(refused.status);
    }

    const intercepted = await extension?.intercept?.({ method, pathname });
    if (intercepted === 'drop') {
      done(0);
      req.socket.destroy();
      return;
    }
    if (intercepted) {
      send(res, intercepted);
      return done(intercepted.status);
    }

    let reply: Reply;
    try {
      const denied = authorized(req);
      if (denied) throw denied;
      const { route: r, params } = findRoute(method, pathname);
      const notJson = refuseNonJsonWrite(method, req.headers['content-type']);
      if (notJson) throw notJson;
      let parsed: unknown;
      if (method === 'POST' || method === 'PUT') {
        const text = await readBody(req);
        if (text.trim() === '') {
          parsed = undefined;
        } else {
          try {
            parsed = JSON.parse(text);
          } catch (e) {
            throw new CmfHttpError(400, `The request body is not valid JSON: ${(e as Error).message}. Send JSON with 'Content-Type: application/json'.`);
          }
        }
      } else {
        req.resume();
      }
      store.advance();
      reply = r.handler({
        method,
        params,
        query: url.searchParams,
        body: () => {
          if (parsed === undefined) throw new CmfHttpError(400, `${method} ${pathname} needs a JSON request body.`);
          return parsed;
        },
      });
    } catch (e) {
      reply = errorReply(e);
    }
    send(res, reply);
    done(reply.status);
  }

  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) send(res, errorReply(e));
      else res.destroy();
    });
  };
  const server: http.Server = options.tls
    ? https.createServer(
        {
          key: options.tls.key,
          cert: options.tls.cert,
          ca: options.tls.ca,
          requestCert: !!options.tls.requestClientCert,
          rejectUnauthorized: !!options.tls.requestClientCert,
        },
        listener,
      )
    : http.createServer(listener);
  server.keepAliveTimeout = 2000;

  await new Promise<void>((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    server.once('error', onError);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  boundPort = port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closed: Promise<void> | undefined;
  return {
    url: `${scheme}://${urlHost}:${port}`,
    port,
    store,
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
