/** `cmf-pools delete NAME [--force] [--yes]`. */
import { parse } from './args';
import { CONNECTION_HELP, CONNECTION_OPTIONS, withCmf } from './connect';
import { confirm, isInteractive } from './output';
import { describeBlockers, onePoolName } from './pool-state';
import type { CliIo } from './main';

const DELETE_HELP = `Usage: cmf-pools delete NAME [--force] [--yes] [connection options]

Deletes a compute pool: CMF removes its metadata and its Kubernetes resources (a shared pool's
session cluster). The pool's statements are read first: statements in PENDING, RUNNING, STOPPED or
FAILING block the delete (nothing blocks on a FAILED shared pool), and are named with their phase.
On a terminal you are asked first; with no terminal, only --yes deletes.

Options:
  --force       send CMF's force=true: remove the pool from CMF's metadata only, without cleaning up
                its Kubernetes resources — for when the environment's Kubernetes cluster is
                DISCONNECTED or the cleanup fails. A shared pool's session cluster may be left running
                on Kubernetes. Statements still block the delete.
                Careful: this is not the confluent CLI's --force ("confluent flink compute-pool delete
                --force" only skips its prompt and never sends force=true). Here --yes skips the prompt.
  -y, --yes     delete without asking
  -h, --help    show this help

${CONNECTION_HELP}
Exit status: 0 deleted; 1 blocked, not confirmed or failed; 2 usage errors.
`;

/** The options of `cmf-pools delete` (shell completion reads them too). */
export const DELETE_OPTIONS = {
  ...CONNECTION_OPTIONS,
  force: { type: 'boolean', default: false },
  yes: { type: 'boolean', short: 'y', default: false },
} as const;

export async function deleteCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, DELETE_OPTIONS);
  if (values.help) {
    io.out(DELETE_HELP);
    return 0;
  }
  const name = onePoolName(positionals);
  const force = values.force;
  return withCmf('delete', values, io, async (s) => {
    const { live, blockers } = await s.lifecycle.inspectDelete(name);
    const type = live.spec?.type ?? 'unknown type';
    if (blockers.length) {
      io.err(
        `cmf-pools delete: ${s.pool(name)} cannot be deleted${force ? ' (not even with --force: force=true does not skip the in-use check)' : ''}: ` +
          `these statements use it: ${describeBlockers(blockers)}. Delete them, or wait until they are COMPLETED or FAILED.\n`,
      );
      return 1;
    }
    const consequence = force
      ? `Force-delete ${type} compute pool '${name}' from environment '${s.environment}' at ${s.url}? CMF sends nothing to Kubernetes (force=true): ` +
        `the pool leaves CMF's metadata only${type === 'SHARED' ? ' and its session cluster may be left running' : ''}.`
      : `Delete ${type} compute pool '${name}' from environment '${s.environment}' at ${s.url}?${type === 'SHARED' && live.status?.phase !== 'SUSPENDED' ? ' Its session cluster is removed.' : ''}`;
    if (!values.yes) {
      if (!isInteractive(io)) {
        io.err(`cmf-pools delete: not deleting ${s.pool(name)}: there is no terminal to confirm on. Re-run with --yes to delete${force ? ' with force=true' : ''}.\n`);
        return 1;
      }
      if (!(await confirm(io, consequence))) {
        io.err(`Not deleted: ${s.pool(name)}.\n`);
        return 1;
      }
    }
    const result = force ? await s.lifecycle.forceDelete(name) : await s.lifecycle.delete(name);
    if (result.kind === 'deleted') {
      io.out(`${result.message} ${s.cmf}\n`);
      return 0;
    }
    io.err(`cmf-pools delete: ${result.message}\n  ${s.cmf}\n`);
    return 1;
  });
}
