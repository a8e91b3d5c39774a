/**
 * A purpose-built HTTP(S) server on 127.0.0.1 (a random port) for the CMF client's tests: it records
 * every request that reached it (method, URL, headers, body) and lets the test decide the answer —
 * including not answering, resetting, or answering slowly.
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
  close(): Promise<void>;
}

/** Serves `handler` over http, or over https with `tls`. The handler runs once the request body is read. */
export async function serve(handler: Handler, tls?: https.ServerOptions): Promise<TestServer> {
  const requests: Recorded[] = [];
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
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
