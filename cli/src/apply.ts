/**
 * `cmf-pools apply -f FILE|DIR...`: lint, plan every pool (create / update with a diff / unchanged / refused /
 * blocked), print one plan, confirm once, then write in order, stopping at the first failure; `--wait` follows them.
 */
import { ResolvedSettings } from '../../language-service/src/index';
import { CmfError } from '../../cmf-client/src/errors';
import { targetPhase, type ApplyResult, type Plan } from '../../cmf-client/src/lifecycle';
import { terminalSafe } from '../../cmf-client/src/safe-text';
import { parse, UsageError } from './args';
import { CONNECTION_HELP, CONNECTION_OPTIONS, withCmf, type CmfSession } from './connect';
import { defaultsFromCmf } from './environment';
import { loadSettings } from './lint';
import { confirm, diagnosticLines, isInteractive, serialize } from './output';
import { type CollectedPools, type FilePool, collectPools, refuseEarly, withDefaults } from './pool-files';
import { describeBlockers, waitFor } from './pool-state';
import { reported } from './report';
import type { CliIo } from './main';

const APPLY_HELP = `Usage: cmf-pools apply -f FILE|DIR [-f ...] [--dry-run [-o json]] [--yes] [--wait] [connection options]

Creates or updates compute pools in an environment from files: ComputePools in JSON or YAML, several to a
file as YAML documents (---); "-" reads standard input. A folder is walked as "cmf-pools lint" walks it
(not node_modules or .git, nor what .gitignore ignores) for the files that hold pools. A Confluent for
Kubernetes FlinkComputePool is never sent to CMF: CFK owns that pool (kubectl apply it). Found in a folder
or beside other pools it is skipped with a note; a file named on its own that holds only such pools is
refused.

Every pool is first checked with the same rules as "cmf-pools lint" (and .vscode/settings.json, or
--settings); an error refuses it before CMF is contacted about it. Then each pool is checked as CMF
would deploy it: over the environment's computePoolDefaults, for CMF's own version (read from CMF); an
error there refuses it too. Then every pool is planned, and one plan is printed, a part per pool:
  create      the pool does not exist: it is created (POST) without asking
  update      a unified diff of the live pool (---) against the file (+++), both without the fields
              CMF owns (status, uid, timestamps) and without live values CMF filled in from the
              environment's computePoolDefaults; on a terminal you are asked before the full body is
              sent (PUT); with no terminal, only --yes updates
  unchanged   nothing is written
  refused     lint errors, or spec.type differs from the live pool's (CMF does not allow changing it)
  blocked     an update that statements block (below)
Before an update the pool's statements are read: a statement in a phase that blocks the update
(shared pools: PENDING, RUNNING, STOPPED, FAILING; dedicated: PENDING, RUNNING, FAILING, FAILED;
nothing on a FAILED shared pool) refuses it, naming the statement and its phase. The live pool is read
again right before the update: if it changed since the plan was shown, nothing is written. It is read
back right after it: CMF has no conditional update, so when another update landed meanwhile (the last
write wins), this is said, with what CMF has now, and the exit status is 1.

When any pool is refused or blocked, nothing is applied. Otherwise you are asked once (when the plan
updates a pool), then the pools are applied in order, stopping at the first that fails: what was and
was not applied is said. Two pools of the same name are refused before anything is planned.

Options:
  -f, --file FILE|DIR  a compute-pool file, or a folder of them (repeatable; more files may follow:
                       -f pools/*.yaml)
  --dry-run            print the plan and stop
  -o, --output json    with --dry-run: the plan as JSON, for scripts:
                       { "cmf", "environment", "applicable": true if nothing is refused or blocked,
                         "summary": { "create", "update", "unchanged", "refused", "blocked", "skipped" },
                         "pools": [{ "file", "line" (where its document starts), "name", "kind",
                           "action": "create" | "update" | "unchanged" | "refused" | "blocked" | "skipped",
                           "reason" (refused: "lint-errors" | "type-change"; skipped: "cfk"), "message",
                           "diff" (unified, live to file), "changedPaths", "defaultsIgnored",
                           "blockers": [{ "name", "phase", "detail" }],
                           "diagnostics" (as "cmf-pools lint --format json") }] }
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
blocked, not confirmed, failed, changed by someone else right after the update, or (with --wait) a
pool FAILED or did not settle; 2 usage errors, a file that cannot be read, or no compute-pool file found.
`;

/** The options of `cmf-pools apply` (shell completion reads them too). */
export const APPLY_OPTIONS = {
  ...CONNECTION_OPTIONS,
  file: { type: 'string', short: 'f', multiple: true },
  'dry-run': { type: 'boolean', default: false },
  output: { type: 'string', short: 'o' },
  yes: { type: 'boolean', short: 'y', default: false },
  wait: { type: 'boolean', default: false },
  settings: { type: 'string' },
  'no-settings': { type: 'boolean', default: false },
  'cmf-version': { type: 'string' },
} as const;

export async function applyCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, APPLY_OPTIONS);
  if (values.help) {
    io.out(APPLY_HELP);
    return 0;
  }
  const files = values.file ?? [];
  if (files.length === 0) {
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}": name the files with -f FILE (or -f DIR).`);
    throw new UsageError('-f FILE is required: the compute-pool file or folder to apply ("-" for standard input).');
  }
  if (values.output !== undefined && values.output !== 'json') throw new UsageError(`-o/--output must be json (got "${values.output}").`);
  const json = values.output === 'json';
  if (json && !values['dry-run']) throw new UsageError('-o json prints the plan of a dry run: add --dry-run.');

  const settings = new ResolvedSettings(await loadSettings(values, io));
  const found = await collectPools([...files, ...positionals], io, settings);
  const early = refuseEarly('apply', found, io);
  if (early !== undefined) return early;

  return withCmf('apply', values, io, async (s) => {
    // The effective pools: the environment's defaults under each file's pool, checked for the CMF it goes to.
    const defaults = await defaultsFromCmf(s);
    found.pools = found.pools.map((p) => (p.linted.errors.length ? p : withDefaults(p, settings, defaults)));
    const plans = await s.lifecycle.planAll(found.pools.map((p) => p.linted));
    const parts = found.pools.map((pool, i) => ({ pool, plan: plans[i]! }));
    const stuck = parts.filter(({ plan }) => plan.kind === 'refused' || (plan.kind === 'update' && plan.blockers?.length));
    if (json) {
      io.out(serialize(planJson(parts, found, s, stuck.length === 0), 'json'));
      return stuck.length ? 1 : 0;
    }
    for (const { pool, plan } of parts) printPlan(plan, pool, s, io);
    for (const k of found.skipped) io.out(`${k.message}\n`);
    const many = parts.length + found.skipped.length > 1;
    if (many) io.out(`${planSummary(parts, found.skipped.length)}\n`);
    if (stuck.length) {
      if (many) io.err(`cmf-pools apply: nothing was applied: ${stuck.map(({ plan, pool }) => `'${plan.name ?? pool.label}'`).join(', ')} cannot be applied as planned (refused or blocked, above).\n`);
      return 1;
    }
    if (values['dry-run']) {
      io.out(`Dry run: nothing was written.\n`);
      return 0;
    }
    const changes = parts.filter(({ plan }) => plan.kind === 'create' || plan.kind === 'update');
    if (changes.length === 0) return 0;
    const updates = changes.filter(({ plan }) => plan.kind === 'update');
    if (updates.length && !values.yes) {
      const names = updates.map(({ plan }) => `'${plan.name}'`).join(', ');
      if (!isInteractive(io)) {
        io.err(
          updates.length === 1 && changes.length === 1
            ? `cmf-pools apply: not updating ${s.pool(updates[0]!.plan.name!)}: there is no terminal to confirm on. Review the plan above and re-run with --yes to update.\n`
            : `cmf-pools apply: not applying the plan: it updates compute pool${updates.length === 1 ? '' : 's'} ${names} in environment '${s.environment}' (CMF ${s.url}) and there is no terminal to confirm on. Nothing was written. Review the plan above and re-run with --yes to apply it.\n`,
        );
        return 1;
      }
      const question =
        updates.length === 1 && changes.length === 1
          ? `Update compute pool '${updates[0]!.plan.name}' in environment '${s.environment}' at ${s.url}?`
          : `Apply the plan to environment '${s.environment}' at ${s.url}: ${changeList(changes.map((c) => c.plan))}?`;
      if (!(await confirm(io, question))) {
        io.err(updates.length === 1 && changes.length === 1 ? `Not updated: ${s.pool(updates[0]!.plan.name!)} is unchanged.\n` : `Not applied: nothing was written to environment '${s.environment}' (CMF ${s.url}).\n`);
        return 1;
      }
    }
    const applied: { name: string; kind: 'created' | 'updated'; target: ReturnType<typeof targetPhase> }[] = [];
    for (const [i, { pool, plan }] of changes.entries()) {
      let result: ApplyResult | undefined;
      let code: number;
      try {
        result = await s.lifecycle.apply(pool.linted, { expectedLive: plan.live ?? null });
        code = printResult(result, pool, s, io);
      } catch (e) {
        if (!(e instanceof CmfError)) throw e;
        io.err(`cmf-pools apply: ${e.message}\n`);
        code = 1;
      }
      if (result && (result.kind === 'created' || result.kind === 'updated')) applied.push({ name: result.plan.name, kind: result.kind, target: targetPhase(result.plan.body.spec) });
      if (code !== 0) {
        if (changes.length > 1) {
          // An update read back as overwritten was written all the same: it is among the applied.
          const wrote = result?.kind === 'created' || result?.kind === 'updated';
          const notApplied = changes.slice(wrote ? i + 1 : i).map((c) => `'${c.plan.name}'`);
          io.err(
            `cmf-pools apply: stopped at compute pool '${terminalSafe(plan.name ?? pool.label)}' (${pool.label}). ` +
              `Applied: ${applied.length ? applied.map((a) => `'${a.name}' (${a.kind})`).join(', ') : 'nothing'}. ` +
              `Not applied: ${notApplied.length ? notApplied.join(', ') : 'nothing'}.\n`,
          );
        }
        return 1;
      }
    }
    if (changes.length > 1) io.out(`Applied ${changes.length} changes to environment '${s.environment}' (CMF ${s.url}): ${changeList(changes.map((c) => c.plan))}.\n`);
    if (!values.wait) return 0;
    let code = 0;
    for (const a of applied) code = Math.max(code, await waitFor(s, io, a.name, a.target));
    return code;
  });
}

/** "create 'a', 'b'; update 'c'". */
function changeList(plans: readonly Plan[]): string {
  const of = (kind: string) => plans.filter((p) => p.kind === kind).map((p) => `'${p.name}'`);
  return [['create', of('create')], ['update', of('update')]]
    .filter(([, names]) => names.length)
    .map(([verb, names]) => `${verb} ${(names as string[]).join(', ')}`)
    .join('; ');
}

type Action = 'create' | 'update' | 'unchanged' | 'refused' | 'blocked';
function actionOf(plan: Plan): Action {
  return plan.kind === 'update' && plan.blockers?.length ? 'blocked' : plan.kind;
}

/** "Plan: 1 to create, 2 to update, 3 unchanged, 1 refused; 1 skipped (a FlinkComputePool: CFK owns it)." */
function planSummary(parts: readonly { plan: Plan }[], skipped: number): string {
  const n = (a: Action) => parts.filter(({ plan }) => actionOf(plan) === a).length;
  const items = [
    n('create') && `${n('create')} to create`,
    n('update') && `${n('update')} to update`,
    n('unchanged') && `${n('unchanged')} unchanged`,
    n('refused') && `${n('refused')} refused`,
    n('blocked') && `${n('blocked')} blocked`,
  ].filter(Boolean);
  const skip = skipped ? `${items.length ? '; ' : ''}${skipped} skipped (FlinkComputePool${skipped === 1 ? '' : 's'}: CFK owns ${skipped === 1 ? 'it' : 'them'})` : '';
  return `Plan for ${parts.length} compute pool${parts.length === 1 ? '' : 's'}: ${items.join(', ')}${skip}.`;
}

function planJson(parts: readonly { pool: FilePool; plan: Plan }[], found: CollectedPools, s: CmfSession, applicable: boolean) {
  const pools = [
    ...parts.map(({ pool, plan }) => {
      const action = actionOf(plan);
      return {
        file: pool.file,
        line: pool.line,
        name: plan.name ?? null,
        kind: 'ComputePool',
        action,
        ...(plan.kind === 'refused' ? { reason: plan.reason, message: plan.message } : {}),
        ...(action === 'blocked' && plan.kind === 'update' ? { message: `Blocked: CMF refuses to update ${s.pool(plan.name)} while these statements use it: ${describeBlockers(plan.blockers ?? [])}.`, blockers: plan.blockers } : {}),
        ...('diff' in plan && plan.diff !== undefined ? { diff: plan.diff } : {}),
        ...('changedPaths' in plan && plan.changedPaths ? { changedPaths: plan.changedPaths } : {}),
        ...('defaultsIgnored' in plan ? { defaultsIgnored: plan.defaultsIgnored } : {}),
        diagnostics: reported(plan.diagnostics),
      };
    }),
    ...found.skipped.map((k) => ({ file: k.file, line: k.line, name: k.name ?? null, kind: 'FlinkComputePool', action: 'skipped', reason: 'cfk', message: k.message, diagnostics: [] })),
  ];
  const count = (a: string) => pools.filter((p) => p.action === a).length;
  return {
    cmf: s.url,
    environment: s.environment,
    applicable,
    summary: { create: count('create'), update: count('update'), unchanged: count('unchanged'), refused: count('refused'), blocked: count('blocked'), skipped: count('skipped') },
    pools,
  };
}

function printPlan(plan: Plan, pool: FilePool, s: CmfSession, io: CliIo): void {
  const label = pool.label;
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
  if (plan.diagnostics.length) io.out(diagnosticLines(pool.file === '-' ? '<stdin>' : pool.file, plan.diagnostics));
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

function printResult(result: ApplyResult, pool: FilePool, s: CmfSession, io: CliIo): number {
  switch (result.kind) {
    case 'created':
    case 'updated':
      io.out(
        `${result.kind === 'created' ? 'Created' : 'Updated'} compute pool '${result.plan.name}' in environment '${s.environment}' (CMF ${s.url}); phase ${result.pool.status?.phase ?? 'unknown'}.\n`,
      );
      // Read back after the PUT: someone else's update won (CMF has no conditional update).
      if (result.kind === 'updated' && result.overwritten) {
        io.err(`cmf-pools apply: ${result.overwritten.message} ${s.cmf}\n${result.overwritten.diff}`);
        return 1;
      }
      return 0;
    case 'unchanged':
      io.out(`No changes: ${s.pool(result.plan.name)} matches ${pool.label}.\n`);
      return 0;
    case 'changed-elsewhere':
      io.err(`cmf-pools apply: ${result.message} ${s.cmf}\n`);
      printPlan(result.plan, pool, s, io);
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
