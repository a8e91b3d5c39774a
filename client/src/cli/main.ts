/**
 * `cmf-pools`: the command line. It imports the language service (and, for the CMF verbs, the CMF
 * client), never VS Code. Exit status: 0 fine, 1 problems found or an operation failed, 2 usage or I/O.
 */
import { lintCommand, LINT_HELP } from './lint';
import { UsageError } from './args';

const VERSION = process.env.CMF_POOLS_VERSION ?? '0.1.0';

const HELP = `cmf-pools ${VERSION}: compute pools for Confluent Manager for Apache Flink (CMF)

Usage: cmf-pools <command> [options]

Commands:
  lint     Check compute-pool files against CMF's rules (the same checks as the editor)

Run "cmf-pools <command> --help" for a command's options.

Options:
  -h, --help      Show this help
  -v, --version   Print the version
`;

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.out(HELP);
        return command === undefined ? 2 : 0;
      case '-v':
      case '--version':
        io.out(VERSION + '\n');
        return 0;
      case 'lint':
        return await lintCommand(rest, io);
      default:
        io.err(`cmf-pools: unknown command "${command}". Commands: lint. See "cmf-pools --help".\n`);
        return 2;
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`cmf-pools ${command}: ${e.message}\n`);
      if (command === 'lint') io.err(`See "cmf-pools lint --help".\n`);
      return 2;
    }
    throw e;
  }
}

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readStdin(): Promise<string>;
  cwd: string;
}

export { LINT_HELP };

if (require.main === module) {
  const io: CliIo = {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    cwd: process.cwd(),
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`cmf-pools: unexpected failure: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
