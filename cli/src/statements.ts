/** `cmf-pools statements [--pool NAME]`: the statements of an environment, or of one compute pool. */
import { parse, UsageError } from './args';
import { CONNECTION_HELP, CONNECTION_OPTIONS, withCmf } from './connect';
import { age, oneLine, outputFormat, serialize, table } from './output';
import type { CliIo } from './main';

const STATEMENTS_HELP = `Usage: cmf-pools statements [--pool NAME] [-o json|yaml|table] [connection options]

Lists the SQL statements of an environment (all pages), or only those on one compute pool, with
their phase, whether they are stopped (spec.stopped) and the start of their SQL: statements in some
phases block updating, suspending or deleting their pool.

Options:
  --pool NAME           only the statements on this compute pool (CMF is asked to filter, and the
                        answer is filtered here too, on spec.computePoolName)
  -o, --output FORMAT   table (default), json or yaml: for scripts, the list of CMF's Statement
                        resources as CMF returns them, every page read: [{ "apiVersion", "kind",
                        "metadata": { "name", "creationTimestamp", ... }, "spec": { "statement",
                        "computePoolName", "stopped", ... }, "status": { "phase", "detail", ... } }]
                        (the count goes to standard error)
  -h, --help            show this help

${CONNECTION_HELP}
Exit status: 0 listed; 1 failed; 2 usage errors.
`;

/** The options of `cmf-pools statements` (shell completion reads them too). */
export const STATEMENTS_OPTIONS = {
  ...CONNECTION_OPTIONS,
  pool: { type: 'string' },
  output: { type: 'string', short: 'o' },
} as const;

export async function statementsCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, STATEMENTS_OPTIONS);
  if (values.help) {
    io.out(STATEMENTS_HELP);
    return 0;
  }
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}" (for one pool's statements: --pool NAME).`);
  const format = outputFormat(values.output);
  const pool = values.pool;
  return withCmf('statements', values, io, async (s) => {
    const statements = await s.client.listStatements(s.environment, { computePool: pool });
    const where = `${pool ? `on compute pool '${pool}' ` : ''}in environment '${s.environment}' (CMF ${s.url})`;
    if (format !== 'table') {
      io.err(`# ${statements.length} statement${statements.length === 1 ? '' : 's'} ${where}\n`);
      io.out(serialize(statements, format));
      return 0;
    }
    if (statements.length === 0) {
      io.out(`No statements ${where}.\n`);
      return 0;
    }
    io.out(`Statements ${where}:\n`);
    const now = Date.now();
    io.out(
      table(
        ['NAME', 'POOL', 'PHASE', 'STOPPED', 'AGE', 'SQL', 'DETAIL'],
        statements.map((st) => [
          st.metadata.name,
          st.spec.computePoolName,
          st.status?.phase ?? '-',
          st.spec.stopped ? 'yes' : 'no',
          age(st.metadata.creationTimestamp, now),
          oneLine(st.spec.statement, 60),
          oneLine(st.status?.warning ? `warning: ${st.status.warning}` : st.status?.detail, 100),
        ]),
      ),
    );
    return 0;
  });
}
