/**
 * "Copy as curl": the request as a curl command line someone can run or paste into a ticket, with the
 * connection's TLS files and proxy, and never a secret — the token and key passphrase are read from
 * environment variables the command names, and a token command is shown as the way to fill them.
 */
import { API_BASE, encodeSegment } from '../../../cmf-client/src/client';
import { isLoopbackHost } from '../../../cmf-client/src/connection';
import { redactUrl } from '../../../cmf-client/src/errors';
import type { ConnectionConfig } from '../connections/config';

export interface CurlRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path segments after /cmf/api/v1. */
  segments: string[];
  query?: Record<string, string>;
  /** A file to send as the body (`-d @file`). */
  bodyFile?: string;
  /** A JSON body given inline (`--data-raw '…'`), for a pool that is not a JSON file of its own (YAML, one document of several). */
  body?: string;
}

const TOKEN_VARIABLE = 'CMF_TOKEN';
const PASSPHRASE_VARIABLE = 'CMF_CLIENT_KEY_PASSPHRASE';

/** POSIX shell single-quoting. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function curlCommand(c: ConnectionConfig, req: CurlRequest, opts: { proxy?: string; keyHasPassphrase?: boolean } = {}): string {
  const base = new URL(c.url);
  const prefix = base.pathname.replace(/\/+$/, '');
  const url = new URL(base.origin);
  url.pathname = `${prefix}${API_BASE}/${req.segments.map(encodeSegment).join('/')}`;
  if (req.query) url.search = new URLSearchParams(req.query).toString();
  const lines: string[] = [];
  if (c.auth === 'command' && c.tokenCommand) lines.push(`${TOKEN_VARIABLE}="$(${c.tokenCommand})"`);
  const args: string[] = ['curl', '-sS'];
  if (req.method !== 'GET') args.push('-X', req.method);
  args.push(shellQuote(redactUrl(url)));
  const more: string[] = [];
  if (c.caPath) more.push(`--cacert ${shellQuote(c.caPath)}`);
  if (c.clientCertPath) more.push(`--cert ${shellQuote(c.clientCertPath)}`);
  if (c.clientKeyPath) more.push(`--key ${shellQuote(c.clientKeyPath)}`);
  if (c.clientKeyPath && opts.keyHasPassphrase) more.push(`--pass "$${PASSPHRASE_VARIABLE}"`);
  if (c.insecureSkipVerify) more.push('--insecure');
  // Loopback is never reached through a proxy (as the client itself does: cmf-client `proxyFor`).
  if (opts.proxy && !isLoopbackHost(base.hostname)) more.push(`--proxy ${shellQuote(redactUrl(opts.proxy).replace(/\/$/, ''))}`);
  if (c.auth === 'token' || c.auth === 'command') more.push(`-H "Authorization: Bearer $${TOKEN_VARIABLE}"`);
  more.push(`-H 'Accept: application/json'`);
  if (req.bodyFile !== undefined) more.push(`-H 'Content-Type: application/json'`, `-d @${shellQuote(req.bodyFile)}`);
  else if (req.body !== undefined) more.push(`-H 'Content-Type: application/json'`, `--data-raw ${shellQuote(req.body)}`);
  lines.push([args.join(' '), ...more].join(' \\\n  '));
  const notes: string[] = [];
  if (c.auth === 'token') notes.push(`# Set ${TOKEN_VARIABLE} to the connection's bearer token first (it is kept in VS Code's secret storage, not copied here).`);
  if (c.clientKeyPath && opts.keyHasPassphrase) notes.push(`# Set ${PASSPHRASE_VARIABLE} to the client key's passphrase first.`);
  return [...notes, ...lines].join('\n') + '\n';
}
