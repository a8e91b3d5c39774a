/**
 * What keeps web pages away from the local CMF. It listens on loopback, but a browser on the same machine
 * can still reach it: a page at another origin can send "simple" cross-site requests (a form, or `fetch`
 * with `mode: 'no-cors'`: GET, or POST with a text/plain, form or multipart body), and a page at a DNS name
 * that resolves to 127.0.0.1 (DNS rebinding) is even same-origin with it and may read its answers. So:
 *
 * - the Host header must be a loopback name (127.0.0.1, localhost or [::1]) with the server's port or none:
 *   a rebound name (`attacker.example:8080`) is refused;
 * - a request with an Origin header is refused unless it is the server's own origin (a loopback name, its
 *   scheme and port): browsers send Origin on every cross-origin request but top-level GETs, and on every
 *   POST, PUT, PATCH and DELETE; the extension, the CLI and curl send none;
 * - writes (POST, PUT, PATCH) must say `Content-Type: application/json`, which a page can send to another
 *   origin only after a CORS preflight that the local CMF never grants.
 *
 * The web UI forward (client/src/commands/web-ui-forward.ts) guards its Host in the same spirit, and
 * forwards reads only. Each refusal is an error in CMF's shape, with a 4xx status, that names what was
 * refused. The checks come before the token's, so a refused request learns nothing else.
 */
import { CmfHttpError } from './errors';

/** The names the local CMF answers to, as they appear in a Host header or an origin. */
const LOOPBACK_NAMES: readonly string[] = ['127.0.0.1', 'localhost', '[::1]'];

const WRITE_METHODS = ['POST', 'PUT', 'PATCH'];
const MAX_SHOWN = 100;

/** A header value as it may be shown in a message: printable, and not too long. */
function shown(value: string): string {
  const clean = value.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > MAX_SHOWN ? `${clean.slice(0, MAX_SHOWN)}…` : clean;
}

/** `name[:port]` of a Host header, lower-cased; undefined when it is not of that form. */
function splitHost(host: string): { name: string; port?: string } | undefined {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(host.trim());
  return m ? { name: m[1].toLowerCase(), port: m[2] } : undefined;
}

/** 403 unless `host` (the Host header) is a loopback name with `port` or no port. */
export function refuseForeignHost(host: string | undefined, port: number): CmfHttpError | undefined {
  const names = `${LOOPBACK_NAMES.join(', ')} (with port ${port} or none)`;
  if (host === undefined || host.trim() === '') {
    return new CmfHttpError(403, `Refused: the request has no Host header. This local CMF answers only to ${names}.`);
  }
  const h = splitHost(host);
  if (h && LOOPBACK_NAMES.includes(h.name) && (h.port === undefined || Number(h.port) === port)) return undefined;
  return new CmfHttpError(
    403,
    `Refused: Host '${shown(host)}' is not this local CMF. It answers only to ${names}, so that a web page cannot reach it through another name (DNS rebinding).`,
  );
}

/** 403 when an Origin header is present and is not this server's own origin (`scheme`://loopback name:`port`). */
export function refuseForeignOrigin(origin: string | undefined, scheme: 'http' | 'https', port: number): CmfHttpError | undefined {
  if (origin === undefined) return undefined;
  let own: boolean;
  try {
    const u = new URL(origin);
    const effectivePort = u.port === '' ? (u.protocol === 'https:' ? 443 : 80) : Number(u.port);
    own = u.origin === origin.trim().toLowerCase() && u.protocol === `${scheme}:` && LOOPBACK_NAMES.includes(u.hostname) && effectivePort === port;
  } catch {
    own = false; // 'null', or not a URL
  }
  if (own) return undefined;
  return new CmfHttpError(
    403,
    `Refused: a cross-origin request from Origin '${shown(origin)}'. This local CMF accepts requests from web pages only from its own origin (${scheme}://127.0.0.1:${port}); the extension, the CLI and curl send no Origin header.`,
  );
}

/** 415 for a POST, PUT or PATCH whose Content-Type is not application/json (parameters such as charset allowed). */
export function refuseNonJsonWrite(method: string, contentType: string | undefined): CmfHttpError | undefined {
  if (!WRITE_METHODS.includes(method)) return undefined;
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/json') return undefined;
  return new CmfHttpError(
    415,
    `Refused: ${method} needs 'Content-Type: application/json'${contentType ? `, not '${shown(contentType)}'` : ' (the request has none)'}. This local CMF accepts writes only as JSON, which a web page at another origin cannot send it.`,
  );
}
