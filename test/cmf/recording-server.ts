/**
 * A purpose-built HTTP(S) server on 127.0.0.1 (a random port) for the CMF client's tests: it records
 * every request that reached it (method, URL, headers, body) and lets the test decide the answer —
 * including not answering, resetting, or answering slowly. It counts the requests in flight (received,
 * not yet answered) and the most there ever were at once. `recordingProxy` puts the same recording in
 * front of another server (the local CMF), with a hook that runs before each request is passed on.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}
export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string, n: number) => void;

export interface TestServer {
  url: string;
  port: number;
  requests: Recorded[];
  /** Requests received and not yet answered (or closed). */
  readonly inFlight: number;
  /** The most requests that were ever in flight at once. */
  readonly maxInFlight: number;
  close(): Promise<void>;
}

/** Serves `handler` over http, or over https with `tls`. The handler runs once the request body is read. */
export async function serve(handler: Handler, tls?: https.ServerOptions): Promise<TestServer> {
  const requests: Recorded[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let done = false;
    const finish = () => {
      if (!done) inFlight--;
      done = true;
    };
    res.on('finish', finish);
    res.on('close', finish);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body, requests.length);
    });
  };
  const server = tls ? https.createServer(tls, onRequest) : http.createServer(onRequest);
  // Failed handshakes (the TLS cases) are the point of some tests, not errors of the server.
  server.on('tlsClientError', () => undefined);
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export interface RecordingProxy extends TestServer {
  /** "METHOD /path?query" of every request, in order. */
  lines(): string[];
  /** The lines of requests other than GET. */
  writes(): string[];
}

/**
 * A recording server that passes every request on to `target` (an http URL, e.g. the local CMF) and its
 * answer back. `before` runs first and may change the target's state (another user's change landing at a
 * chosen moment); `delayMs` holds a request before it is passed on (a slow CMF).
 */
export async function recordingProxy(target: string, opts: { before?: (r: Recorded, n: number) => void | Promise<void>; delayMs?: (r: Recorded) => number } = {}): Promise<RecordingProxy> {
  const to = new URL(target);
  const server = await serve((req, res, body, n) => {
    const r = server.requests[n - 1];
    void (async () => {
      try {
        await opts.before?.(r, n);
        const ms = opts.delayMs?.(r) ?? 0;
        if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
        const headers = { ...req.headers, host: to.host };
        const up = http.request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        up.on('error', () => res.destroy());
        up.end(body);
      } catch {
        res.destroy();
      }
    })();
  });
  const lines = () => server.requests.map((r) => `${r.method} ${r.url}`);
  return Object.assign(server, { lines, writes: () => lines().filter((l) => !l.startsWith('GET ')) });
}
