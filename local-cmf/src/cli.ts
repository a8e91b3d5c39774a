/**
 * The local CMF's command line, shared by the product's `dist/local-cmf.js` (main.ts) and the test build
 * `dist/test/local-cmf.js` (test-main.ts, which adds `--test-controls`): runs the local CMF until Ctrl+C,
 * SIGTERM, or, when it was started with an IPC channel (Node's `fork`, as the extension does), until that
 * channel closes, so a parent that dies leaves no server behind. Prints its URL on stdout (one line, so
 * scripts can read it) and everything else on stderr.
 */
import { readFileSync } from 'node:fs';
import { startLocalCmf, type LocalCmf, type LocalCmfOptions } from './server';
import { DEMO_ENVIRONMENTS, SEEDS, type Seed } from './seed';

/** What a build adds to the command line (the test build: `--test-controls`). */
export interface LocalCmfCliVariant {
  /** More lines for the options in the usage text. */
  usage?: string;
  /** Takes a flag (without a value) the common options do not know; false when it does not know it either. */
  flag?: (flag: string) => boolean;
  /** Starts the server (default: startLocalCmf). */
  start?: (options: LocalCmfOptions) => Promise<LocalCmf>;
  /** More lines for the banner on stderr. */
  banner?: () => string[];
}

const usage = (variant: LocalCmfCliVariant) => `Usage: local-cmf [options]

A local stand-in for Confluent Manager for Apache Flink (CMF 2.3.1 REST API) on loopback,
with compute pools, statements and environments kept in memory. No Kubernetes cluster needed.

Options:
  --port N                 port to listen on (default 8080, CMF's own default; 0 picks a free one)
  --host H                 127.0.0.1 (default), ::1 or localhost
  --seed demo|empty        start with demo data (default) or with nothing
  --phase-delay-ms N       how long pools and statements stay PENDING (default 1500)
  --token-env NAME         require 'Authorization: Bearer <token>', the token read from env variable NAME
  --tls-key FILE           serve HTTPS with this private key (PEM) ...
  --tls-cert FILE          ... and this certificate (PEM)
  --tls-ca FILE            CA (PEM) that signs client certificates
  --require-client-cert    refuse clients without a certificate signed by --tls-ca (mTLS)
${variant.usage ?? ''}  --quiet                  do not log requests
  -h, --help               show this help
`;

class UsageError extends Error {}

function parseArgs(argv: string[], variant: LocalCmfCliVariant): { options: LocalCmfOptions; quiet: boolean } {
  const options: LocalCmfOptions = { port: 8080, seed: 'demo' };
  let quiet = false;
  let tlsKey: string | undefined;
  let tlsCert: string | undefined;
  let tlsCa: string | undefined;
  let requireClientCert = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new UsageError(`${flag} needs a value.`);
      return v;
    };
    const int = (): number => {
      const v = value();
      if (!/^\d+$/.test(v)) throw new UsageError(`${flag} needs a whole number, not '${v}'.`);
      return Number(v);
    };
    switch (flag) {
      case '--port':
        options.port = int();
        if (options.port > 65535) throw new UsageError(`--port ${options.port} is not a port number.`);
        break;
      case '--host':
        options.host = value();
        break;
      case '--seed': {
        const s = value();
        if (!SEEDS.includes(s as Seed)) throw new UsageError(`--seed must be ${SEEDS.join(' or ')}, not '${s}'.`);
        options.seed = s as Seed;
        break;
      }
      case '--phase-delay-ms':
        options.phaseDelayMs = int();
        break;
      case '--token-env': {
        const name = value();
        const token = process.env[name];
        if (!token) throw new UsageError(`--token-env ${name}: the environment variable ${name} is not set.`);
        options.token = token;
        break;
      }
      case '--tls-key':
        tlsKey = value();
        break;
      case '--tls-cert':
        tlsCert = value();
        break;
      case '--tls-ca':
        tlsCa = value();
        break;
      case '--require-client-cert':
        requireClientCert = true;
        break;
      case '--quiet':
        quiet = true;
        break;
      case '-h':
      case '--help':
        process.stdout.write(usage(variant));
        process.exit(0);
      // eslint-disable-next-line no-fallthrough
      default:
        if (inline === undefined && variant.flag?.(flag)) break;
        throw new UsageError(`Unknown option '${arg}'.`);
    }
  }
  if (!!tlsKey !== !!tlsCert) throw new UsageError('--tls-key and --tls-cert go together.');
  if ((tlsCa || requireClientCert) && !tlsKey) throw new UsageError('--tls-ca and --require-client-cert need --tls-key and --tls-cert.');
  if (requireClientCert && !tlsCa) throw new UsageError('--require-client-cert needs --tls-ca (the CA that signs client certificates).');
  if (tlsKey && tlsCert) {
    const read = (f: string) => {
      try {
        return readFileSync(f);
      } catch (e) {
        throw new UsageError(`Cannot read ${f}: ${(e as Error).message}`);
      }
    };
    options.tls = { key: read(tlsKey), cert: read(tlsCert), ...(tlsCa ? { ca: read(tlsCa) } : {}), requestClientCert: requireClientCert };
  }
  if (!quiet) options.log = (line) => process.stderr.write(`${line}\n`);
  return { options, quiet };
}

/** Runs the local CMF with the options in `argv` (the arguments after the script). */
export async function runLocalCmfCli(argv: string[], variant: LocalCmfCliVariant = {}): Promise<void> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(argv, variant);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`local-cmf: ${e.message}\n\n${usage(variant)}`);
      process.exit(2);
    }
    throw e;
  }
  const { options } = parsed;
  let cmf: LocalCmf;
  try {
    cmf = await (variant.start ?? startLocalCmf)(options);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') {
      process.stderr.write(`local-cmf: port ${options.port} is already in use. Pick another with --port N, or --port 0 for any free port.\n`);
      process.exit(1);
    }
    process.stderr.write(`local-cmf: ${err.message}\n`);
    process.exit(1);
  }
  process.stdout.write(`${cmf.url}\n`);
  const lines = [
    `Local CMF (CMF 2.3.1 API, ${options.seed === 'demo' ? 'demo data' : 'no data'}) listening on ${cmf.url}`,
    options.seed === 'demo' ? `  environments: ${Object.values(DEMO_ENVIRONMENTS).join(', ')}` : '  create an environment first: POST /cmf/api/v1/environments',
    `  try:      curl ${options.tls ? '-k ' : ''}${cmf.url}/cmf/api/v1/environments`,
    `  connect:  CONFLUENT_CMF_URL=${cmf.url}`,
    options.token ? '  requests need the bearer token (not shown)' : '',
    ...(variant.banner?.() ?? []),
    process.channel ? 'It stops with the process that started it.' : 'Press Ctrl+C to stop.',
  ].filter(Boolean);
  process.stderr.write(lines.join('\n') + '\n');
  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(1);
    stopping = true;
    void cmf.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // Forked with an IPC channel (the extension's "Try with a local CMF"): stop when the parent goes away.
  if (process.channel) process.on('disconnect', () => stopping || stop());
}
