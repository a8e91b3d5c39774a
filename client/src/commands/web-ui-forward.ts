/**
 * Open Flink Web UI: a browser opened on CMF's URL would carry neither the token nor the client
 * certificate, so — like `kubectl port-forward` and the `confluent` CLI's web-ui-forward — a small HTTP
 * server on 127.0.0.1 forwards to `.../compute-pools/{pool}/flink-web-ui/{path}` through the connection's
 * CmfClient, which adds TLS, the client certificate and the token.
 *
 * Who can use it: it listens on 127.0.0.1 only, on a random port, and answers only under a random
 * 192-bit path prefix; anything else is 404. The Host header must be the loopback address it listens on
 * (no DNS rebinding). Responses carry `Referrer-Policy: no-referrer` so the prefix does not leak to other
 * sites, and `Cache-Control: no-store`. Only GET and HEAD are forwarded (the client's web UI call is a
 * read); the dashboard's job submission and cancel buttons do not work through it.
 *
 * It stops when the pool leaves RUNNING (checked every `checkIntervalMs`), when asked, or when the window
 * closes (the extension disposes it).
 */
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CmfClient } from '../../../cmf-client/src/client';
import { CmfError } from '../../../cmf-client/src/errors';

export interface WebUiForwardOptions {
  client: CmfClient;
  environment: string;
  pool: string;
  /** How often to check that the pool is still RUNNING (default 15 s). */
  checkIntervalMs?: number;
  log?: (line: string) => void;
  /** Called once when the forward stops, with the reason. */
  onStop?: (reason: string) => void;
}

export interface WebUiForward {
  /** The URL to open: `http://127.0.0.1:<port>/<secret>/`. */
  url: string;
  port: number;
  stopped: boolean;
  stop(reason?: string): Promise<void>;
}

export async function startWebUiForward(opts: WebUiForwardOptions): Promise<WebUiForward> {
  const secret = randomBytes(24).toString('base64url');
  const prefix = `/${secret}/`;
  const log = opts.log ?? (() => undefined);
  let port = 0;
  const server = http.createServer((req, res) => void handle(req, res));

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const send = (status: number, body: string, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'x-content-type-options': 'nosniff' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const host = (req.headers.host ?? '').toLowerCase();
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return send(403, 'Forbidden: this forward answers only on its loopback address.');
    const url = req.url ?? '/';
    if (url === prefix.slice(0, -1)) {
      res.writeHead(308, { location: prefix, 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' });
      return void res.end();
    }
    if (!url.startsWith(prefix)) return send(404, 'Not found.');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'Only GET and HEAD are forwarded to the Flink web UI.');
    const path = url.slice(prefix.length);
    const ac = new AbortController();
    res.on('close', () => ac.abort());
    try {
      const r = await opts.client.flinkWebUi(opts.environment, opts.pool, path, { signal: ac.signal });
      log(`web UI ${opts.environment}/${opts.pool}: GET /${path.split('?')[0]} → ${r.status}`);
      const headers: Record<string, string> = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'x-content-type-options': 'nosniff' };
      // Only the content type is passed on: no cookies, no caching or framing headers from upstream.
      if (r.contentType) headers['content-type'] = r.contentType;
      res.writeHead(r.status, headers);
      res.end(req.method === 'HEAD' ? undefined : r.bytes);
    } catch (e) {
      if (e instanceof CmfError && e.kind === 'aborted') return;
      const message = e instanceof Error ? e.message : String(e);
      log(`web UI ${opts.environment}/${opts.pool}: GET /${path.split('?')[0]} failed: ${message}`);
      if (!res.headersSent) send(502, `Could not reach the Flink web UI through CMF: ${message}`);
      else res.destroy();
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  let timer: NodeJS.Timeout | undefined;
  const forward: WebUiForward = {
    url: `http://127.0.0.1:${port}${prefix}`,
    port,
    stopped: false,
    async stop(reason = 'stopped') {
      if (forward.stopped) return;
      forward.stopped = true;
      if (timer) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      log(`web UI forward for ${opts.environment}/${opts.pool} stopped: ${reason}`);
      opts.onStop?.(reason);
    },
  };

  // Stop when the pool leaves RUNNING. One check at a time (a chain of timeouts).
  const check = async () => {
    if (forward.stopped) return;
    try {
      const p = await opts.client.getComputePool(opts.environment, opts.pool);
      if (p.status?.phase !== 'RUNNING') return void forward.stop(`compute pool '${opts.pool}' is ${p.status?.phase ?? 'not RUNNING'}`);
    } catch (e) {
      if (e instanceof CmfError && e.status === 404) return void forward.stop(`compute pool '${opts.pool}' no longer exists`);
      // A transient failure: keep the forward, check again later.
    }
    if (!forward.stopped) timer = setTimeout(() => void check(), opts.checkIntervalMs ?? 15_000);
  };
  timer = setTimeout(() => void check(), opts.checkIntervalMs ?? 15_000);
  return forward;
}
