/** `cmf-pools apply -f FILE`: lint, plan (create / update with a diff / unchanged / refused), confirm, write, wait. */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { CFK_KIND } from '../../cmf-model/src/facts';
import { ResolvedSettings, lint, poolText } from '../../language-service/src/index';
import { targetPhase, type ApplyResult, type LintedPool, type Plan } from '../../cmf-client/src/lifecycle';
import { parse, UsageError } from './args';
import { CONNECTION_HELP, CONNECTION_OPTIONS, withCmf, type CmfSession } from './connect';
import { loadSettings, withoutByteOrderMark } from './lint';
import { confirm, diagnosticLines, isInteractive } from './output';
import { describeBlockers, waitFor } from './pool-state';
import { defaultsFromCmf } from './environment';
import type { CliIo } from './main';

const APPLY_HELP = `Usage: cmf-pools apply -f FILE [--dry-run] [--yes] [--wait] [connection options]

Creates or updates the compute pool in FILE (a ComputePool in JSON or YAML; "-" reads standard input) in
an environment. A Confluent for Kubernetes FlinkComputePool is refused: CFK owns that pool (kubectl apply it).

The file is first checked with the same rules as "cmf-pools lint" (and .vscode/settings.json, or
--settings); any error refuses it before CMF is contacted. Then it is checked as CMF would deploy it:
over the environment's computePoolDefaults, for CMF's own version (read from CMF); an error there
refuses it too. Then the plan is printed:
  create      the pool does not exist: it is created (POST) without asking
  update      a unified diff of the live pool (---) against the file (+++), both without the fields
              CMF owns (status, uid, timestamps) and without live values CMF filled in from the
              environment's computePoolDefaults; on a terminal you are asked before the full body is
              sent (PUT); with no terminal, only --yes updates
  unchanged   nothing is written
  refused     lint errors, or spec.type differs from the live pool's (CMF does not allow changing it)
Before an update the pool's statements are read: a statement in a phase that blocks the update
(shared pools: PENDING, RUNNING, STOPPED, FAILING; dedicated: PENDING, RUNNING, FAILING, FAILED;
nothing on a FAILED shared pool) refuses it, naming the statement and its phase. The live pool is read
again right before the update: if it changed since the plan was shown, nothing is written.

Options:
  -f, --file FILE      the compute-pool file (required)
  --dry-run            print the plan and stop
  -y, --yes            update without asking
  --wait               then follow the pool's phase until it settles (RUNNING, SUSPENDED, DEDICATED or
                       FAILED; at most 10 minutes), printing its status messages and warnings
  --settings FILE      lint settings (cmfPools.rules, cmfPools.allowedImages, cmfPools.cmfVersion), as
                       for "cmf-pools lint"
  --cmf-version VER    the CMF version to check the pool for when CMF does not say its own (before 2.2)
  --no-settings        ignore .vscode/settings.json
  -h, --help           show this help

${CONNECTION_HELP}
Exit status: 0 created, updated or unchanged (a dry run: the plan can be applied); 1 refused,
blocked, not confirmed, failed, or (with --wait) the pool FAILED or did not settle; 2 usage errors.
`;

export async function applyCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    ...CONNECTION_OPTIONS,
    file: { type: 'string', short: 'f' },
    'dry-run': { type: 'boolean', default: false },
    yes: { type: 'boolean', short: 'y', default: false },
    wait: { type: 'boolean', default: false },
    settings: { type: 'string' },
    'no-settings': { type: 'boolean', default: false },
    'cmf-version': { type: 'string' },
  });
  if (values.help) {
    io.out(APPLY_HELP);
    return 0;
  }
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}": name the file with -f FILE.`);
  const file = values.file;
  if (!file) throw new UsageError('-f FILE is required: the compute-pool file to apply ("-" for standard input).');
  let text: string;
  try {
    text = withoutByteOrderMark(file === '-' ? await io.readStdin() : await readFile(path.resolve(io.cwd, file), 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (e as Error).message}.`);
  }
  const settings = new ResolvedSettings(await loadSettings(values, io));
  const label = file === '-' ? '<stdin>' : file;
  const result = lint(text, { path: file === '-' ? undefined : path.resolve(io.cwd, file), settings });
  if (result.pools.length > 1) {
    io.err(`cmf-pools apply: ${label} holds ${result.pools.length} compute pools; apply applies one per file: split them.\n`);
    return 1;
  }
  if (result.pool.kind === CFK_KIND) {
    io.err(
      `cmf-pools apply: ${label} is a FlinkComputePool (${result.pool.name ?? 'unnamed'}): Confluent for Kubernetes owns that pool and syncs it to CMF, ` +
        `so it is applied with kubectl (kubectl apply -f ${file === '-' ? '<file>' : file}), not through CMF's API. "cmf-pools lint" checks it.\n`,
    );
    return 1;
  }
  const render = result.language === 'yaml' ? (v: unknown) => poolText(v, 'yaml') : undefined;
  let linted: LintedPool = { label, ...result.pool, render };

  return withCmf('apply', values, io, async (s) => {
    if (linted.errors.length === 0) {
      // The effective pool: the environment's defaults under the file, checked for the CMF it goes to.
      const defaults = await defaultsFromCmf(s);
      linted = { label, ...lint(text, { path: file === '-' ? undefined : path.resolve(io.cwd, file), settings, defaults }).pool, render };
    }
    const plan = await s.lifecycle.plan(linted);
    printPlan(plan, label, s, io);
    if (plan.kind === 'refused') return 1;
    if (plan.kind === 'update' && plan.blockers?.length) return 1;
    if (values['dry-run']) {
      io.out(`Dry run: nothing was written.\n`);
      return 0;
    }
    if (plan.kind === 'unchanged') return 0;
    if (plan.kind === 'update' && !values.yes) {
      if (!isInteractive(io)) {
        io.err(`cmf-pools apply: not updating ${s.pool(plan.name)}: there is no terminal to confirm on. Review the plan above and re-run with --yes to update.\n`);
        return 1;
      }
      if (!(await confirm(io, `Update compute pool '${plan.name}' in environment '${s.environment}' at ${s.url}?`))) {
        io.err(`Not updated: ${s.pool(plan.name)} is unchanged.\n`);
        return 1;
      }
    }
    const result = await s.lifecycle.apply(linted, { expectedLive: plan.live ?? null });
    const code = printResult(result, label, s, io);
    if (code !== 0 || !values.wait) return code;
    if (result.kind !== 'created' && result.kind !== 'updated') return code;
    return waitFor(s, io, result.plan.name, targetPhase(result.plan.body.spec));
  });
}

function printPlan(plan: Plan, label: string, s: CmfSession, io: CliIo): void {
  const name = plan.name ?? '(unnamed)';
  const what =
    plan.kind === 'create'
      ? 'create'
      : plan.kind === 'update'
        ? 'update'
        : plan.kind === 'unchanged'
          ? 'unchanged'
          : plan.reason === 'type-change'
            ? 'refused (spec.type differs)'
            : 'refused (lint errors)';
  io.out(`Plan for compute pool '${name}' in environment '${s.environment}' (CMF ${s.url}): ${what}\n`);
  if (plan.diagnostics.length) io.out(diagnosticLines(label, plan.diagnostics));
  const warning = plan.live?.status?.warning;
  if (warning) io.out(`Warning from CMF: ${warning}\n`);
  switch (plan.kind) {
    case 'refused':
      io.out(`${plan.message}\n`);
      return;
    case 'create':
      io.out(plan.diff);
      return;
    case 'unchanged':
      io.out(`No changes: the live pool matches ${label}.\n`);
      if (plan.defaultsIgnored.length) io.out(`(Live values from the environment's defaults, not in the file: ${plan.defaultsIgnored.join(', ')}.)\n`);
      return;
    case 'update':
      io.out(plan.diff);
      if (plan.defaultsIgnored.length) io.out(`Left out of the diff, filled in by CMF from defaults: ${plan.defaultsIgnored.join(', ')}.\n`);
      if (plan.blockers?.length) {
        io.out(`Blocked: CMF refuses to update ${s.pool(name)} while these statements use it: ${describeBlockers(plan.blockers)}.\n`);
      }
  }
}

function printResult(result: ApplyResult, label: string, s: CmfSession, io: CliIo): number {
  switch (result.kind) {
    case 'created':
    case 'updated':
      io.out(
        `${result.kind === 'created' ? 'Created' : 'Updated'} compute pool '${result.plan.name}' in environment '${s.environment}' (CMF ${s.url}); phase ${result.pool.status?.phase ?? 'unknown'}.\n`,
      );
      return 0;
    case 'unchanged':
      io.out(`No changes: ${s.pool(result.plan.name)} matches ${label}.\n`);
      return 0;
    case 'changed-elsewhere':
      io.err(`cmf-pools apply: ${result.message} ${s.cmf}\n`);
      printPlan(result.plan, label, s, io);
      return 1;
    case 'conflict':
      io.err(`cmf-pools apply: ${result.message}\n  ${s.cmf}\n`);
      return 1;
    case 'blocked':
    case 'refused':
      io.err(`cmf-pools apply: ${result.message} ${s.cmf}\n`);
      return 1;
  }
}
