/**
 * A recording HTTP proxy on 127.0.0.1 for the proxy tests: it tunnels `CONNECT host:port` and forwards requests in
 * absolute form (`GET http://host/path`), over plain HTTP or, with `tls`, as an `https://` proxy. It records
 * everything it could read: the CONNECT lines and their headers, forwarded requests with their headers and bodies,
 * and every byte a client sent through a tunnel (readable when the tunnelled protocol is plain HTTP). Host names
 * ending in `.test` (a reserved TLD) are resolved to 127.0.0.1 by the proxy itself, so a test can address a server
 * by a name that is not loopback to the client, and no lookup leaves the machine.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface RecordingHttpProxy {
  url: string;
  port: number;
  /** CONNECT targets in order, e.g. `127.0.0.1:7999`. */
  connects: string[];
  /** Requests forwarded in absolute form, e.g. `GET http://cmf.test:7999/cmf/api/v1/...`. */
  forwarded: string[];
  /** Everything the proxy could read, as text. */
  seen(): string;
  /** How many TCP connections clients opened to the proxy. */
  readonly connections: number;
  close(): Promise<void>;
}

export interface ProxyOptions {
  /** Serve as an `https://` proxy with this key and certificate. */
  tls?: https.ServerOptions;
  /** Answer CONNECT with this status instead of tunnelling (e.g. 407, 403). */
  refuse?: { status: number; message: string };
}

const resolve = (host: string) => (/\.test$/i.test(host) ? '127.0.0.1' : host);

export async function recordingHttpProxy(opts: ProxyOptions = {}): Promise<RecordingHttpProxy> {
  const connects: string[] = [];
  const forwarded: string[] = [];
  const seen: string[] = [];
  const sockets = new Set<net.Socket>();
  let connections = 0;

  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      forwarded.push(`${req.method} ${req.url}`);
      seen.push(`${req.method} ${req.url}\n${JSON.stringify(req.headers)}\n${body.toString('utf8')}`);
      let target: URL;
      try {
        target = new URL(req.url ?? '');
      } catch {
        res.writeHead(400);
        return void res.end();
      }
      const up = http.request({ host: resolve(target.hostname), port: target.port || 80, method: req.method, path: target.pathname + target.search, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      up.on('error', () => res.destroy());
      up.end(body);
    });
  };
  const server = opts.tls ? https.createServer(opts.tls, onRequest) : http.createServer(onRequest);
  server.on('connection', (s: net.Socket) => {
    connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => undefined);
  server.on('clientError', (_e, socket) => socket.destroy());
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const target = req.url ?? '';
    connects.push(target);
    seen.push(`CONNECT ${target}\n${JSON.stringify(req.headers)}`);
    client.on('error', () => undefined);
    if (opts.refuse) {
      client.end(`HTTP/1.1 ${opts.refuse.status} ${opts.refuse.message}\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    const m = /^(.*):(\d+)$/.exec(target);
    if (!m) return void client.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    const upstream = net.connect(Number(m[2]), resolve(m[1].replace(/^\[|\]$/g, '')), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) {
        seen.push(head.toString('latin1'));
        upstream.write(head);
      }
      client.on('data', (c: Buffer) => seen.push(c.toString('latin1')));
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    connects,
    forwarded,
    seen: () => seen.join('\n'),
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((done) => {
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
/** A port on 127.0.0.1 where nothing listens (it was listened on and closed). */
export async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((done) => s.listen(0, '127.0.0.1', done));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((done) => s.close(() => done()));
  return port;
}
