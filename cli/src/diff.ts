/**
 * `cmf-pools diff -f FILE|DIR...`: the files against the live pools, as `kubectl diff` compares manifests with a
 * cluster, for a scheduled drift check. The comparison is `apply`'s plan (the lifecycle's `planPool`): the fields CMF
 * owns and the values it filled in from the environment's computePoolDefaults are left out. It writes nothing, reads
 * no statements, and does not lint beyond what it needs: a file CMF would refuse (a lint error) is still compared;
 * only a pool that cannot be read as one (a syntax error, no metadata.name) is an error.
 */
import { ResolvedSettings } from '../../language-service/src/index';
import { planPool, type Plan } from '../../cmf-client/src/lifecycle';
import type { Environment } from '../../cmf-model/src/types';
import { parse, UsageError } from './args';
import { CONNECTION_HELP, CONNECTION_OPTIONS, withCmf } from './connect';
import { loadSettings } from './lint';
import { serialize } from './output';
import { type FilePool, collectPools, refuseEarly } from './pool-files';
import type { CliIo } from './main';

const DIFF_HELP = `Usage: cmf-pools diff -f FILE|DIR [-f ...] [-o json] [connection options]

Compares compute-pool files with the live pools of an environment, like kubectl diff, for a drift check
in CI: prints a unified diff (the live pool ---, the file +++) for each pool that differs, and one that
adds the whole file for a pool CMF does not have. Files, folders and FlinkComputePools are taken as
"cmf-pools apply" takes them (a FlinkComputePool is skipped: CFK owns it). What "apply" leaves out is
left out here: the fields CMF owns (status, uid, timestamps) and live values CMF filled in from the
environment's computePoolDefaults. Nothing is written. Lint errors do not stop the comparison (run
"cmf-pools lint" for them); a pool that cannot be read (a syntax error, no metadata.name) is an error.
The summary, and notes on what was left out, go to standard error.

Options:
  -f, --file FILE|DIR  a compute-pool file, or a folder of them (repeatable; more files may follow)
  -o, --output json    the comparison as JSON, for scripts:
                       { "cmf", "environment", "differs": true if any pool differs or is missing,
                         "summary": { "same", "changed", "missing", "skipped", "error" },
                         "pools": [{ "file", "line" (where its document starts), "name", "kind",
                           "status": "same" | "changed" | "missing" | "skipped" | "error",
                           "diff" (unified, live to file), "changedPaths", "defaultsIgnored",
                           "message" }] }
  --settings FILE      lint settings (cmfPools.files, to find pool files by name), as for "cmf-pools lint"
  --no-settings        ignore .vscode/settings.json
  -h, --help           show this help

${CONNECTION_HELP}
Exit status: 0 no differences; 1 some pool differs from the file or is not in CMF; 2 errors (usage, a
file that cannot be read or holds no readable pool, no compute-pool file found, CMF failing).
`;

/** The options of `cmf-pools diff` (shell completion reads them too). */
export const DIFF_OPTIONS = {
  ...CONNECTION_OPTIONS,
  file: { type: 'string', short: 'f', multiple: true },
  output: { type: 'string', short: 'o' },
  settings: { type: 'string' },
  'no-settings': { type: 'boolean', default: false },
} as const;

type Status = 'same' | 'changed' | 'missing' | 'skipped' | 'error';

interface Compared {
  pool: FilePool;
  status: Exclude<Status, 'skipped'>;
  plan?: Plan;
  message?: string;
}

const SYNTAX_CODES = new Set(['invalid-json', 'invalid-yaml', 'too-deep']);

export async function diffCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, DIFF_OPTIONS);
  if (values.help) {
    io.out(DIFF_HELP);
    return 0;
  }
  const files = values.file ?? [];
  if (files.length === 0) {
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}": name the files with -f FILE (or -f DIR).`);
    throw new UsageError('-f FILE is required: the compute-pool files or folders to compare ("-" for standard input).');
  }
  if (values.output !== undefined && values.output !== 'json') throw new UsageError(`-o/--output must be json (got "${values.output}").`);
  const json = values.output === 'json';
  const settings = new ResolvedSettings(await loadSettings(values, io));
  const found = await collectPools([...files, ...positionals], io, settings);
  const early = refuseEarly('diff', found, io);
  if (early !== undefined) return early;

  return withCmf(
    'diff',
    values,
    io,
    async (s) => {
      let environment: Environment | undefined;
      const compared: Compared[] = [];
      for (const pool of found.pools) {
        const { linted } = pool;
        const syntax = linted.errors.filter((d) => SYNTAX_CODES.has(d.code));
        if (syntax.length || !linted.value || !linted.name) {
          const why = syntax.length ? `${syntax.length} syntax error${syntax.length === 1 ? '' : 's'} (first: line ${syntax[0]!.range.start.line + 1}: ${syntax[0]!.message})` : !linted.value ? 'it is not a compute-pool object' : 'it has no metadata.name';
          compared.push({ pool, status: 'error', message: `cannot compare ${pool.label}: ${why}` });
          continue;
        }
        environment ??= await s.client.getEnvironment(s.environment);
        const live = await s.lifecycle.getLive(linted.name);
        // Lint errors do not refuse a comparison: the lifecycle's plan, as if the file were clean.
        const plan = planPool({ ...linted, errors: [] }, live, { environment: s.environment, computePoolDefaults: environment.computePoolDefaults });
        const status: Compared['status'] = plan.kind === 'create' ? 'missing' : plan.kind === 'unchanged' ? 'same' : 'changed';
        compared.push({ pool, status, plan, ...(plan.kind === 'refused' ? { message: plan.message } : {}) });
      }
      const differs = compared.some((c) => c.status === 'changed' || c.status === 'missing');
      const errors = compared.filter((c) => c.status === 'error');
      const code = errors.length ? 2 : differs ? 1 : 0;
      if (json) {
        io.out(serialize(diffJson(compared, found.skipped, s.url, s.environment, differs), 'json'));
        return code;
      }
      for (const c of compared) {
        if (c.status === 'error') io.err(`cmf-pools diff: ${c.message}.\n`);
        if (!c.plan) continue;
        if (c.status !== 'same') {
          if (c.message) io.err(`${c.message}\n`);
          if ('diff' in c.plan && c.plan.diff) io.out(c.plan.diff);
        }
        if ('defaultsIgnored' in c.plan && c.plan.defaultsIgnored.length) io.err(`${c.pool.label}: left out, filled in by CMF from defaults: ${c.plan.defaultsIgnored.join(', ')}.\n`);
      }
      for (const k of found.skipped) io.err(`${k.message}\n`);
      const n = (st: Status) => compared.filter((c) => c.status === st);
      const listed = (st: Status, what: string) => n(st).map((c) => `'${c.plan?.name ?? c.pool.label}' (${what})`);
      const total = compared.length;
      if (differs) {
        const which = [...listed('changed', 'changed'), ...listed('missing', 'not in CMF')];
        io.err(`${which.length} of ${total} compute pool${total === 1 ? '' : 's'} differ${which.length === 1 ? 's' : ''} from environment '${s.environment}' (CMF ${s.url}): ${which.join(', ')}.\n`);
      } else if (!errors.length) {
        io.err(`No differences: ${total === 1 ? 'the compute pool matches' : `all ${total} compute pools match`} environment '${s.environment}' (CMF ${s.url}).\n`);
      }
      return code;
    },
    { failureCode: 2 },
  );
}

function diffJson(compared: readonly Compared[], skipped: readonly { file: string; line: number; name: string | undefined; message: string }[], cmf: string, environment: string, differs: boolean) {
  const pools = [
    ...compared.map((c) => ({
      file: c.pool.file,
      line: c.pool.line,
      name: c.pool.linted.name ?? null,
      kind: 'ComputePool',
      status: c.status as Status,
      ...(c.plan && c.status !== 'same' && 'diff' in c.plan && c.plan.diff !== undefined ? { diff: c.plan.diff } : {}),
      ...(c.plan && 'changedPaths' in c.plan && c.plan.changedPaths ? { changedPaths: c.plan.changedPaths } : {}),
      ...(c.plan && 'defaultsIgnored' in c.plan ? { defaultsIgnored: c.plan.defaultsIgnored } : {}),
      ...(c.message ? { message: c.message } : {}),
    })),
    ...skipped.map((k) => ({ file: k.file, line: k.line, name: k.name ?? null, kind: 'FlinkComputePool', status: 'skipped' as Status, message: k.message })),
  ];
  const count = (st: Status) => pools.filter((p) => p.status === st).length;
  return { cmf, environment, differs, summary: { same: count('same'), changed: count('changed'), missing: count('missing'), skipped: count('skipped'), error: count('error') }, pools };
}
