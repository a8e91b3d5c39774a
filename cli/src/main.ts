/**
 * `cmf-pools`: the command line. It imports the language service (and, for the CMF verbs, the CMF
 * client), never VS Code. Exit status: 0 fine, 1 problems found or an operation failed, 2 usage or I/O.
 */
import { lintCommand, LINT_HELP } from './lint';
import { UsageError } from './args';
import { applyCommand } from './apply';
import { deleteCommand } from './delete';
import { getCommand, listCommand } from './get';
import { stateCommand } from './pool-state';
import { statementsCommand } from './statements';
import { diffCommand } from './diff';
import { completionCommand } from './completion';
import { COMMANDS as COMMAND_TABLE } from './commands';
import { TOKEN_VARIABLE } from './connect';
import { CMF_POOLS_VERSION } from '../../cmf-client/src/connection';
import { readCapped } from './input';
import { terminalSafe } from '../../cmf-client/src/safe-text';
import { redactText } from '../../cmf-client/src/errors';

const VERSION = CMF_POOLS_VERSION;

const HELP = `cmf-pools ${VERSION}: compute pools for Confluent Manager for Apache Flink (CMF)

Usage: cmf-pools <command> [options]

Commands:
${COMMAND_TABLE.map((c) => `  ${c.name.padEnd(12)} ${c.summary}`).join('\n')}

Run "cmf-pools <command> --help" for a command's options.

Connecting to CMF (every command but lint and completion), with the confluent CLI's flags and variables:
  --url / CONFLUENT_CMF_URL, --environment NAME,
  --certificate-authority-path / CONFLUENT_CMF_CERTIFICATE_AUTHORITY_PATH,
  --client-cert-path / CONFLUENT_CMF_CLIENT_CERT_PATH, --client-key-path / CONFLUENT_CMF_CLIENT_KEY_PATH;
  a flag wins over its variable. A bearer token is read from ${TOKEN_VARIABLE} only (no flag).
  Try the local CMF: npm start, then cmf-pools list --url http://127.0.0.1:8080 --environment development

Options:
  -h, --help      Show this help
  -v, --version   Print the version

Exit status: 0 success (including "unchanged"), 1 a problem found, or an operation refused or failed
(diff: the files differ from CMF), 2 a usage error (diff: any error).
`;

const COMMANDS = COMMAND_TABLE.map((c) => c.name);

export async function main(argv: string[], raw: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  // Everything printed passes here: the token, in any disguise, is redacted (the client already redacts what CMF
  // echoes; this also covers a file that holds it), and control, bidi and invisible characters are shown escaped
  // (single values are escaped where they are put into a line: output.ts, get.ts, the lifecycle's messages).
  const secrets = [(raw.env ?? process.env)[TOKEN_VARIABLE]?.trim()];
  const shown = (t: string) => terminalSafe(redactText(t, secrets), { multiline: true });
  const io: CliIo = {
    ...raw,
    out: (t) => raw.out(shown(t)),
    err: (t) => raw.err(shown(t)),
    confirm: raw.confirm && ((q) => raw.confirm!(terminalSafe(redactText(q, secrets)))),
  };
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
      case 'apply':
        return await applyCommand(rest, io);
      case 'diff':
        return await diffCommand(rest, io);
      case 'completion':
        return await completionCommand(rest, io);
      case 'get':
        return await getCommand(rest, io);
      case 'list':
        return await listCommand(rest, io);
      case 'statements':
        return await statementsCommand(rest, io);
      case 'suspend':
      case 'resume':
        return await stateCommand(command, rest, io);
      case 'delete':
        return await deleteCommand(rest, io);
      default:
        io.err(`cmf-pools: unknown command "${command}". Commands: ${COMMANDS.join(', ')}. See "cmf-pools --help".\n`);
        return 2;
    }
  } catch (e) {
    if (e instanceof UsageError) {
      let message = e.message;
      // There is deliberately no token flag: say where the token goes instead of "unknown option".
      if (/'--(token|bearer-token|access-token)'/.test(message)) message = `there is no token flag (it would land in shell history): set the variable ${TOKEN_VARIABLE} instead.`;
      io.err(`cmf-pools ${command}: ${message}\n`);
      if (COMMANDS.includes(command)) io.err(`See "cmf-pools ${command} --help".\n`);
      return 2;
    }
    throw e;
  }
}

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Reads standard input to its end; past `maxBytes` it may stop and throw (input.ts checks the length anyway). */
  readStdin(maxBytes?: number): Promise<string>;
  cwd: string;
  /** Environment variables (default: process.env). */
  env?: Record<string, string | undefined>;
  /** Can the user be asked? (Default: standard input and standard error are terminals.) */
  interactive?: boolean;
  /** Asks a yes/no question (default: on the terminal with node:readline). */
  confirm?(question: string): Promise<boolean>;
}

export { LINT_HELP };

if (require.main === module) {
  const io: CliIo = {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    readStdin: (maxBytes = Infinity) => readCapped(process.stdin, maxBytes),
    cwd: process.cwd(),
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`cmf-pools: unexpected failure: ${terminalSafe(e instanceof Error ? e.message : String(e))}\n`);
      process.exitCode = 2;
    },
  );
}
