/** `cmf-pools suspend NAME` and `cmf-pools resume NAME` (shared pools), and following a pool until it settles. */
import type { PoolPhase } from '../../cmf-model/src/facts';
import { describeStatements, type BlockingStatement, type StateChangeResult } from '../../cmf-client/src/lifecycle';
import { parse, UsageError } from './args';
import { CONNECTION_HELP, CONNECTION_OPTIONS, withCmf, type CmfSession } from './connect';
import { oneLine, seconds } from './output';
import { terminalSafe } from '../../cmf-client/src/safe-text';
import type { CliIo } from './main';

const stateHelp = (verb: 'suspend' | 'resume') => `Usage: cmf-pools ${verb} NAME [--wait] [connection options]

${
  verb === 'suspend'
    ? `Suspends a SHARED compute pool: CMF removes its session cluster from Kubernetes and keeps the
pool's metadata. It is a PUT of the pool's live body with spec.state SUSPENDED.`
    : `Resumes a suspended SHARED compute pool: CMF deploys its session cluster again (PENDING, then
RUNNING). It is a PUT of the pool's live body with spec.state RUNNING.`
}
Dedicated pools have no session cluster and are refused before anything is sent. CMF treats this as
an update: a statement on the pool in PENDING, RUNNING, STOPPED or FAILING blocks it (nothing blocks
on a FAILED pool); the statements are read first and any that block are named with their phase.

Options:
  --wait        then follow the pool's phase until it is ${verb === 'suspend' ? 'SUSPENDED' : 'RUNNING'} (or FAILED; at most 10 minutes)
  -h, --help    show this help

${CONNECTION_HELP}
Exit status: 0 done or already ${verb === 'suspend' ? 'suspended' : 'running'}; 1 refused, blocked or failed; 2 usage errors.
`;

/** The options of `cmf-pools suspend` and `resume` (shell completion reads them too). */
export const STATE_OPTIONS = { ...CONNECTION_OPTIONS, wait: { type: 'boolean', default: false } } as const;

export async function stateCommand(verb: 'suspend' | 'resume', args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, STATE_OPTIONS);
  if (values.help) {
    io.out(stateHelp(verb));
    return 0;
  }
  const name = onePoolName(positionals);
  return withCmf(verb, values, io, async (s) => {
    const result = verb === 'suspend' ? await s.lifecycle.suspend(name) : await s.lifecycle.resume(name);
    const code = printStateResult(verb, result, s, io);
    if (code !== 0 || result.kind !== 'done' || !values.wait) return code;
    return waitFor(s, io, name, verb === 'suspend' ? 'SUSPENDED' : 'RUNNING');
  });
}

function printStateResult(verb: string, result: StateChangeResult, s: CmfSession, io: CliIo): number {
  switch (result.kind) {
    case 'done':
    case 'unchanged':
      io.out(`${result.message} ${s.cmf}\n`);
      return 0;
    case 'conflict':
      io.err(`cmf-pools ${verb}: ${result.message}\n  ${s.cmf}\n`);
      return 1;
    default:
      io.err(`cmf-pools ${verb}: ${result.message} ${s.cmf}\n`);
      return 1;
  }
}

export function onePoolName(positionals: string[]): string {
  if (positionals.length === 0) throw new UsageError('name the compute pool.');
  if (positionals.length > 1) throw new UsageError(`name one compute pool (got ${positionals.length}: ${positionals.join(', ')}).`);
  // A URL would resolve them to another resource (the client refuses them too).
  if (positionals[0] === '' || positionals[0] === '.' || positionals[0] === '..') throw new UsageError(`'${positionals[0]}' is not a compute pool name.`);
  return positionals[0];
}

export function describeBlockers(list: readonly BlockingStatement[]): string {
  return describeStatements(list);
}

/** Follows the pool until `until` (or FAILED), printing each status change on stderr. Exit status 0 only at `until`. */
export async function waitFor(s: CmfSession, io: CliIo, name: string, until: PoolPhase): Promise<number> {
  io.err(`Waiting for ${s.pool(name)} to be ${until} ...\n`);
  const result = await s.lifecycle.wait(name, {
    until,
    onProgress: (p) => {
      io.err(`  ${seconds(p.elapsedMs)}: ${p.phase !== undefined ? terminalSafe(p.phase) : 'no phase'}${p.message ? ` — ${oneLine(p.message, 200)}` : ''}\n`);
      if (p.warning) io.err(`  warning: ${oneLine(p.warning, 300)}\n`);
    },
  });
  switch (result.kind) {
    case 'settled':
      if (result.phase === until) {
        io.out(`${s.Pool(name)} is ${result.phase} (after ${seconds(result.elapsedMs)}).\n`);
        return 0;
      }
      io.err(`cmf-pools: ${s.pool(name)} is ${result.phase}${result.pool.status?.message ? `: ${oneLine(result.pool.status.message, 300)}` : ''}.\n`);
      return 1;
    case 'gone':
      io.err(`cmf-pools: ${s.pool(name)} no longer exists.\n`);
      return 1;
    case 'timeout':
      io.err(`cmf-pools: ${s.pool(name)} is still ${result.phase !== undefined ? terminalSafe(result.phase) : 'without a phase'} after ${seconds(result.elapsedMs)}; stopped waiting.\n`);
      return 1;
  }
}
