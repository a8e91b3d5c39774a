/**
 * What a pool decides for the statements that run on it (FIELD-NOTES "Rejections and failures" 2 and "What a pool
 * decides for its statements"):
 * - insert-needs-checkpointing: CMF refuses an INSERT INTO statement unless the statement or its pool sets
 *   execution.checkpointing.interval. SELECT still runs, so a pool without it looks healthy until the first write.
 *   Confluent's own CFK example sets it on the statement instead: a pool without it is legitimate, hence an info.
 * - stateless-stop-resume: a statement's default upgrade mode is `savepoint` only when its pool has both
 *   state.checkpoints.dir and state.savepoints.dir (on the pool or through the environment's computePoolDefaults;
 *   on the statement they have no effect), `stateless` otherwise; `last-state` is not supported on shared pools.
 *   From the CMF SDK's StatementSpec documentation of versions after 2.3.1.
 */
import { CHECKPOINTING_INTERVAL, INSERT_WITHOUT_CHECKPOINTING } from '../../../cmf-model/src/facts';
import { isObject, valueAt } from '../../../cmf-model/src/json';
import { placeholderDirectory } from '../flink/common';
import { lookupKey } from '../flink/options';
import { CLUSTER_SPEC, FLINK_CONFIGURATION, type PoolModel } from '../pool';
import { type Fix, defineRule, strings } from './rule';

const INTERVAL = CHECKPOINTING_INTERVAL;
/** The interval the quick fix sets: CMF's documentation examples use ten seconds. */
const INTERVAL_VALUE = '10 s';
/** CMF's answer to an INSERT INTO without an interval, in its words. */
const CMF_REFUSAL = INSERT_WITHOUT_CHECKPOINTING;

/** Each directory under its Flink 1.x name and its Flink 2.x name (the 2.x data marks the 1.x one deprecated). */
const CHECKPOINTS = { legacy: 'state.checkpoints.dir', current: 'execution.checkpointing.dir', what: 'checkpoints' } as const;
const SAVEPOINTS = { legacy: 'state.savepoints.dir', current: 'execution.checkpointing.savepoint-dir', what: 'savepoints' } as const;
type Directory = typeof CHECKPOINTS | typeof SAVEPOINTS;

type StatementsCode = 'insert-needs-checkpointing' | 'stateless-stop-resume';

export const statementsRule = defineRule<StatementsCode>({
  codes: {
    'insert-needs-checkpointing': {
      severity: 'info',
      summary: 'No execution.checkpointing.interval on the pool: CMF refuses INSERT INTO statements on it unless each statement sets one.',
      docs: 'cmf',
      help:
        `CMF answers an \`INSERT INTO\` on such a pool with "${CMF_REFUSAL}" SELECT statements run, so the pool looks healthy until the first write. ` +
        "Setting the interval on every statement instead is legitimate (Confluent's CFK example does), which is why this is only an info; turn it off in `cmfPools.rules` if that is your way.",
    },
    'stateless-stop-resume': {
      severity: 'info',
      summary: 'The pool lacks state.checkpoints.dir or state.savepoints.dir: its statements restart without state when stopped and resumed.',
      docs: 'cmf',
      help:
        "A statement's upgrade mode defaults to `savepoint` only when its compute pool has both `state.checkpoints.dir` and `state.savepoints.dir` (Flink 2: `execution.checkpointing.dir` and `execution.checkpointing.savepoint-dir`), in the pool or in the environment's `computePoolDefaults`; otherwise it is `stateless`. Setting them on a statement has no effect. `last-state` needs `state.checkpoints.dir` and is not supported on shared pools. (CMF SDK, StatementSpec, versions after 2.3.1.)",
    },
  },
  check({ pool }, r) {
    if (!pool?.clusterSpec) return;
    const where = r.keyAt(pool.hasFlinkConfig && r.doc.keySpan(FLINK_CONFIGURATION) ? FLINK_CONFIGURATION : CLUSTER_SPEC);
    const defaults = pool.value !== pool.file ? " (nor do the environment's computePoolDefaults)" : '';
    if (!pool.entryFor(INTERVAL)) {
      r.report(
        'insert-needs-checkpointing',
        where,
        `This pool sets no ${INTERVAL}${defaults}, so CMF refuses every INSERT INTO statement on it that does not set its own ("${CMF_REFUSAL}"); SELECT still runs. Set it here (e.g. "${INTERVAL_VALUE}") for every statement of the pool.`,
      );
    }
    const missing = [CHECKPOINTS, SAVEPOINTS].filter((d) => !hasDirectory(pool, d));
    if (missing.length) {
      const names = missing.map((d) => keyFor(pool, d));
      r.report(
        'stateless-stop-resume',
        where,
        `This pool has no ${names.join(' and no ')}${defaults}, so its statements restart without state when they are stopped and resumed: their upgrade mode defaults to "stateless" (it is "savepoint" only on a pool with both state.checkpoints.dir and state.savepoints.dir; on a statement they have no effect).${
          pool.type === 'SHARED' ? ' On a SHARED pool, the "last-state" upgrade mode is not supported either.' : ''
        } Set ${names.join(' and ')} to a durable location.`,
        { missing: names },
      );
    }
  },
  fixes: {
    'insert-needs-checkpointing': ({ pool }) => (pool.entryFor(INTERVAL) ? [] : addOptions(pool, [[INTERVAL, INTERVAL_VALUE]], `Set ${INTERVAL} to "${INTERVAL_VALUE}"`)),
    'stateless-stop-resume': ({ pool, data }) => {
      const name = typeof pool.at(['metadata', 'name']) === 'string' ? (pool.at(['metadata', 'name']) as string) : undefined;
      const adds = [CHECKPOINTS, SAVEPOINTS]
        .filter((d) => !hasDirectory(pool, d) && (strings(data.missing).length === 0 || strings(data.missing).includes(keyFor(pool, d))))
        .map((d): [string, string] => [keyFor(pool, d), placeholderDirectory(name, d.what)]);
      return adds.length ? addOptions(pool, adds, `Add ${adds.map((a) => a[0]).join(' and ')} (placeholder locations to fill in)`) : [];
    },
  },
});

function hasDirectory(pool: PoolModel, d: Directory): boolean {
  return pool.entryFor(d.legacy) !== undefined || pool.entryFor(d.current) !== undefined;
}

/** The key the pool's Flink version spells a directory with: the 1.x name where it is not deprecated. */
function keyFor(pool: PoolModel, d: Directory): string {
  return lookupKey(pool.flinkOptions, d.legacy).kind === 'known' ? d.legacy : d.current;
}

/** One fix adding flat flinkConfiguration entries (creating the file's flinkConfiguration when it has none). */
function addOptions(pool: PoolModel, adds: [string, string][], title: string): Fix[] {
  const own = valueAt(pool.file, FLINK_CONFIGURATION);
  if (!isObject(valueAt(pool.file, CLUSTER_SPEC)) || (own !== undefined && !isObject(own))) return [];
  return [
    {
      title,
      build: (e) => {
        if (isObject(own)) for (const [key, value] of adds) e.set([...FLINK_CONFIGURATION, key], value);
        else e.set(FLINK_CONFIGURATION, Object.fromEntries(adds));
      },
      preferred: true,
    },
  ];
}
