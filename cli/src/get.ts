/** `cmf-pools get NAME` and `cmf-pools list`: compute pools as a table, JSON or YAML. */
import type { ComputePool } from '../../cmf-model/src/types';
import { terminalSafe } from '../../cmf-client/src/safe-text';
import { parse, UsageError } from './args';
import { CONNECTION_HELP, CONNECTION_OPTIONS, withCmf, type CmfSession } from './connect';
import { age, oneLine, outputFormat, serialize, table } from './output';
import { onePoolName } from './pool-state';
import type { CliIo } from './main';

const OUTPUT_HELP = `  -o, --output FORMAT   table (default), json or yaml (the resource as CMF returns it)`;

const GET_HELP = `Usage: cmf-pools get NAME [-o json|yaml|table] [connection options]

Shows one compute pool: type, state, phase, CMF's status message and warning, image, resources.

Options:
${OUTPUT_HELP}
  -h, --help            show this help

${CONNECTION_HELP}
Exit status: 0 found; 1 not found or failed; 2 usage errors.
`;

const LIST_HELP = `Usage: cmf-pools list [-o json|yaml|table] [connection options]

Lists the compute pools of an environment: name, type, phase, age and CMF's warning (set when the
environment's Kubernetes cluster is away and the status may be stale). Every page is read.

Options:
  -o, --output FORMAT   table (default), json or yaml: for scripts, the list of CMF's ComputePool
                        resources as CMF returns them, every page read: [{ "apiVersion", "kind",
                        "metadata": { "name", "creationTimestamp", "uid", "labels", ... },
                        "spec": { "type", "state", "clusterSpec" },
                        "status": { "phase", "message", "warning", ... } }] (the count goes to
                        standard error)
  -h, --help            show this help

${CONNECTION_HELP}
Exit status: 0 listed; 1 failed; 2 usage errors.
`;

/** The options of `cmf-pools get` and `list` (shell completion reads them too). */
export const GET_OPTIONS = { ...CONNECTION_OPTIONS, output: { type: 'string', short: 'o' } } as const;

export async function getCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, GET_OPTIONS);
  if (values.help) {
    io.out(GET_HELP);
    return 0;
  }
  const format = outputFormat(values.output);
  const name = onePoolName(positionals);
  return withCmf('get', values, io, async (s) => {
    const pool = await s.client.getComputePool(s.environment, name);
    if (format !== 'table') {
      io.err(`# ${s.pool(name)}\n`);
      io.out(serialize(pool, format));
      return 0;
    }
    io.out(describePool(pool, s));
    return 0;
  });
}

export async function listCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, GET_OPTIONS);
  if (values.help) {
    io.out(LIST_HELP);
    return 0;
  }
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}" (to show one pool: cmf-pools get NAME).`);
  const format = outputFormat(values.output);
  return withCmf('list', values, io, async (s) => {
    const pools = await s.client.listComputePools(s.environment);
    if (format !== 'table') {
      io.err(`# ${pools.length} compute pool${pools.length === 1 ? '' : 's'} ${s.at}\n`);
      io.out(serialize(pools, format));
      return 0;
    }
    if (pools.length === 0) {
      io.out(`No compute pools in environment '${s.environment}' (CMF ${s.url}).\n`);
      return 0;
    }
    io.out(`Compute pools in environment '${s.environment}' (CMF ${s.url}):\n`);
    const now = Date.now();
    io.out(
      table(
        ['NAME', 'TYPE', 'PHASE', 'AGE', 'WARNING'],
        pools.map((p) => [p.metadata.name, p.spec?.type ?? '-', p.status?.phase ?? '-', age(p.metadata.creationTimestamp, now), oneLine(p.status?.warning, 120)]),
      ),
    );
    return 0;
  });
}

function describePool(p: ComputePool, s: CmfSession): string {
  // The clusterSpec is free-form in CMF's OpenAPI (checked to be an object only): show what is there as it is.
  const cs = p.spec?.clusterSpec ?? {};
  const res = (r: { cpu?: unknown; memory?: unknown } | undefined, replicas?: unknown) =>
    r ? `${show(r.cpu ?? '?')} CPU, ${show(r.memory ?? '?')} memory${replicas !== undefined ? `, ${show(replicas)} replica${replicas === 1 ? '' : 's'}` : ''}` : '(from defaults)';
  const rows: [string, string | undefined][] = [
    ['Type', p.spec?.type],
    ['State', p.spec?.type === 'SHARED' ? (p.spec.state ?? 'RUNNING (default)') : undefined],
    ['Phase', p.status?.phase],
    ['Message', p.status?.message],
    ['Warning', p.status?.warning],
    ['Created', p.metadata.creationTimestamp ? `${p.metadata.creationTimestamp} (${age(p.metadata.creationTimestamp)} ago)` : undefined],
    ['Updated', p.metadata.updateTimestamp],
    ['Labels', p.metadata.labels && Object.keys(p.metadata.labels).length ? Object.entries(p.metadata.labels).map(([k, v]) => `${k}=${v}`).join(', ') : undefined],
    ['Image', cs.image !== undefined ? show(cs.image) : '(from the environment\'s defaults)'],
    ['Flink version', cs.flinkVersion !== undefined ? show(cs.flinkVersion) : '(from the environment\'s defaults)'],
    ['Mode', p.spec?.type === 'SHARED' ? (cs.mode !== undefined ? show(cs.mode) : 'native (default)') : undefined],
    ['JobManager', res(object(cs.jobManager)?.resource as object | undefined, object(cs.jobManager)?.replicas)],
    ['TaskManager', res(object(cs.taskManager)?.resource as object | undefined, object(cs.taskManager)?.replicas)],
  ];
  const shown = rows.filter((r): r is [string, string] => r[1] !== undefined && r[1] !== '');
  const width = Math.max(...shown.map(([k]) => k.length)) + 1;
  return `${s.Pool(p.metadata.name)}\n` + shown.map(([k, v]) => `  ${(k + ':').padEnd(width)} ${terminalSafe(v)}\n`).join('');
}

/** A value of the free-form clusterSpec as text: strings as they are, anything else as JSON. */
function show(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
}

function object(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
