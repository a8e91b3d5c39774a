/**
 * How the CMF verbs connect: flags and environment variables spelled as the `confluent` CLI spells them
 * for CMF (a flag wins over its variable), the bearer token from CMF_POOLS_TOKEN only (never a flag, so it
 * does not land in shell history), and one runner that builds the client, maps failures to exit statuses
 * and closes the connections.
 */
import * as path from 'node:path';
import { CmfClient, tokenProblem } from '../../cmf-client/src/client';
import { proxyFor, tlsOptionsFor, type CmfConnection } from '../../cmf-client/src/connection';
import { CmfError, redactUrl } from '../../cmf-client/src/errors';
import { PoolLifecycle } from '../../cmf-client/src/lifecycle';
import { UsageError } from './args';
import { terminalSafe } from '../../cmf-client/src/safe-text';
import type { CliIo } from './main';

export const TOKEN_VARIABLE = 'CMF_POOLS_TOKEN';

/** parseArgs options every CMF verb takes. */
export const CONNECTION_OPTIONS = {
  url: { type: 'string' },
  environment: { type: 'string' },
  'client-cert-path': { type: 'string' },
  'client-key-path': { type: 'string' },
  'certificate-authority-path': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export const CONNECTION_HELP = `Connection (a flag wins over its environment variable):
  --url URL                           CMF's URL, e.g. https://cmf.example.com:8080   [CONFLUENT_CMF_URL]
  --environment NAME                  the CMF environment of the compute pools
  --certificate-authority-path FILE   PEM CA certificate(s) that signed CMF's certificate (replaces
                                      the system CAs for CMF)          [CONFLUENT_CMF_CERTIFICATE_AUTHORITY_PATH]
  --client-cert-path FILE             PEM client certificate for mTLS  [CONFLUENT_CMF_CLIENT_CERT_PATH]
  --client-key-path FILE              PEM private key of that certificate
                                                                       [CONFLUENT_CMF_CLIENT_KEY_PATH]
  ${TOKEN_VARIABLE} (variable only)     a bearer token (OAuth, or from MDS), sent as
                                      "Authorization: Bearer ..."; there is no flag for it, so it never
                                      lands in shell history, and it is never printed
  HTTPS_PROXY, HTTP_PROXY, NO_PROXY   a proxy, as curl reads them (http:// or https:// proxies); never
                                      for localhost, 127.0.0.0/8 or ::1, and never to carry a token over
                                      an http:// CMF URL (refused: use https://)
`;

interface ConnectionValues {
  url?: string;
  environment?: string;
  'client-cert-path'?: string;
  'client-key-path'?: string;
  'certificate-authority-path'?: string;
}

interface CliTarget {
  connection: CmfConnection;
  /** The URL as shown to the user (no user info). */
  url: string;
  environment: string;
}

const FLAG_OF_SETTING: Record<string, string> = {
  caPath: '--certificate-authority-path',
  clientCertPath: '--client-cert-path',
  clientKeyPath: '--client-key-path',
};

/** Rewords the client's connection-setting names as this CLI's flags. */
function cliWords(message: string): string {
  return message.replace(/\b(caPath|clientCertPath|clientKeyPath)\b/g, (m) => FLAG_OF_SETTING[m]);
}

/** Resolves flags and variables into a connection; missing or inconsistent settings are usage errors. */
function resolveTarget(values: ConnectionValues, io: CliIo, opts: { needEnvironment?: boolean } = {}): CliTarget {
  const env = io.env ?? process.env;
  const pick = (flag: keyof ConnectionValues, variable?: string): { value?: string; from: string } => {
    const v = values[flag];
    if (v !== undefined && v !== '') return { value: v, from: `--${flag}` };
    const e = variable ? env[variable] : undefined;
    if (e !== undefined && e.trim() !== '') return { value: e.trim(), from: variable! };
    return { from: `--${flag}` };
  };
  const url = pick('url', 'CONFLUENT_CMF_URL');
  if (!url.value) throw new UsageError('the CMF URL is required: specify it with --url or set the variable CONFLUENT_CMF_URL (e.g. --url http://127.0.0.1:8080).');
  let parsed: URL;
  try {
    parsed = new URL(url.value);
  } catch {
    throw new UsageError(`${url.from} '${redactUrl(url.value, { dropQuery: true })}' is not a URL: expected e.g. https://cmf.example.com:8080.`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`${url.from}: the URL must start with http:// or https:// (got '${redactUrl(url.value, { dropQuery: true })}').`);
  try {
    // A malformed proxy variable is a usage error too, named, before any request.
    proxyFor(parsed, { env });
  } catch (e) {
    if (e instanceof CmfError) throw new UsageError(e.message);
    throw e;
  }
  const environment = values.environment;
  if (opts.needEnvironment !== false && (environment === undefined || environment === '')) {
    throw new UsageError('--environment is required: the CMF environment whose compute pools to use.');
  }
  if (environment === '.' || environment === '..') throw new UsageError(`--environment '${environment}' is not an environment name.`);
  const ca = pick('certificate-authority-path', 'CONFLUENT_CMF_CERTIFICATE_AUTHORITY_PATH');
  const cert = pick('client-cert-path', 'CONFLUENT_CMF_CLIENT_CERT_PATH');
  const key = pick('client-key-path', 'CONFLUENT_CMF_CLIENT_KEY_PATH');
  if (cert.value && !key.value) {
    throw new UsageError(`a client certificate is set (${cert.from}) but no client key: mTLS needs both. Set --client-key-path or CONFLUENT_CMF_CLIENT_KEY_PATH.`);
  }
  if (key.value && !cert.value) {
    throw new UsageError(`a client key is set (${key.from}) but no client certificate: mTLS needs both. Set --client-cert-path or CONFLUENT_CMF_CLIENT_CERT_PATH.`);
  }
  const abs = (p: string | undefined) => (p === undefined ? undefined : path.resolve(io.cwd, p));
  const tokenText = env[TOKEN_VARIABLE];
  const tokenIssue = tokenText === undefined ? undefined : tokenProblem(tokenText);
  // Named by its variable, never printed.
  if (tokenIssue) throw new UsageError(`${TOKEN_VARIABLE} ${tokenIssue.replace(/^it /, '')}: set it to the token alone.`);
  const connection: CmfConnection = {
    url: url.value,
    caPath: abs(ca.value),
    clientCertPath: abs(cert.value),
    clientKeyPath: abs(key.value),
    token: tokenText !== undefined && tokenText.trim() !== '' ? tokenText : undefined,
  };
  if (connection.caPath || connection.clientCertPath) {
    // Read the TLS files now, so a missing or unusable file is reported as such (naming the flag), before any request.
    try {
      tlsOptionsFor(connection);
    } catch (e) {
      if (e instanceof CmfError) throw new UsageError(cliWords(e.message));
      throw e;
    }
  }
  // Shown in every message: without user info, query or fragment (the client never sends them either).
  return { connection, url: redactUrl(url.value, { dropQuery: true }).replace(/\/$/, ''), environment: environment ?? '' };
}

export interface CmfSession extends CliTarget {
  client: CmfClient;
  lifecycle: PoolLifecycle;
  /** "(CMF http://..., environment 'dev')". */
  at: string;
  /** "(CMF http://...)", after a message that names the environment. */
  cmf: string;
  /** "compute pool 'p' in environment 'dev' (CMF http://...)". */
  pool(name: string): string;
  /** The same, capitalised. */
  Pool(name: string): string;
}

/**
 * Runs a verb against CMF: builds the client, turns a CmfError into a message on stderr and exit status 1 (or `failureCode`),
 * and closes the connections. Usage errors propagate (main prints them, exit 2).
 */
export async function withCmf(
  verb: string,
  values: ConnectionValues,
  io: CliIo,
  run: (s: CmfSession) => Promise<number>,
  opts: { needEnvironment?: boolean; /** The exit status when CMF fails (default 1; `diff` says 1 for "differs"). */ failureCode?: number } = {},
): Promise<number> {
  const target = resolveTarget(values, io, opts);
  const client = new CmfClient(target.connection, {
    env: io.env ?? process.env,
    onWarning: (w) => io.err(`cmf-pools ${verb}: warning: ${cliWords(w.message)}\n`),
  });
  const session: CmfSession = {
    ...target,
    client,
    lifecycle: new PoolLifecycle(client, target.environment),
    at: `(CMF ${target.url}, environment '${target.environment}')`,
    cmf: `(CMF ${target.url})`,
    pool: (name) => `compute pool '${terminalSafe(name)}' in environment '${terminalSafe(target.environment)}' (CMF ${target.url})`,
    Pool: (name) => `Compute pool '${terminalSafe(name)}' in environment '${terminalSafe(target.environment)}' (CMF ${target.url})`,
  };
  try {
    return await run(session);
  } catch (e) {
    if (e instanceof CmfError) {
      io.err(`cmf-pools ${verb}: ${cliWords(e.message)}\n`);
      if (!e.url) io.err(`  ${session.at}\n`);
      return opts.failureCode ?? 1;
    }
    throw e;
  } finally {
    await client.close();
  }
}
