/**
 * What a pool author reaches for first in flinkConfiguration, and typical values per option: the order
 * completion ranks option keys in, and the values it proposes after a key. Curated from CMF's examples
 * (task slots, checkpointing, Kubernetes high availability) and Flink's "Configuration" page sections on
 * checkpointing, state backends, restart strategies and memory. Keys missing from a data version are
 * simply not proposed for it (a test checks that each one exists in at least one version).
 */
import type { FlinkDataVersion, FlinkOption } from './options';

/** Option keys in the order completion offers them, before every other option. */
export const COMMON_OPTIONS: readonly string[] = [
  // Slots and parallelism
  'taskmanager.numberOfTaskSlots',
  'parallelism.default',
  // Checkpointing
  'execution.checkpointing.interval',
  'execution.checkpointing.mode',
  'execution.checkpointing.timeout',
  'execution.checkpointing.min-pause',
  'execution.checkpointing.max-concurrent-checkpoints',
  'execution.checkpointing.tolerable-failed-checkpoints',
  'execution.checkpointing.externalized-checkpoint-retention',
  'execution.checkpointing.unaligned.enabled',
  'execution.checkpointing.dir', // 2.0
  'execution.checkpointing.savepoint-dir', // 2.0
  'execution.checkpointing.incremental', // 2.0
  // State backend
  'state.backend.type',
  'state.checkpoints.dir', // 1.x
  'state.savepoints.dir', // 1.x
  'state.backend.incremental', // 1.x
  // High availability
  'high-availability.type',
  'high-availability.storageDir',
  // Restart strategy
  'restart-strategy.type',
  'restart-strategy.fixed-delay.attempts',
  'restart-strategy.fixed-delay.delay',
  'restart-strategy.exponential-delay.initial-backoff',
  'restart-strategy.exponential-delay.max-backoff',
  // Memory
  'taskmanager.memory.process.size',
  'jobmanager.memory.process.size',
  'taskmanager.memory.managed.fraction',
  // SQL state
  'table.exec.state.ttl',
];

const COMMON_RANK: ReadonlyMap<string, number> = new Map(COMMON_OPTIONS.map((k, i) => [k, i]));

/** Position of `key` among the common options, or undefined when it is not one. */
export function commonRank(key: string): number | undefined {
  return COMMON_RANK.get(key);
}

/**
 * Values Flink accepts for String options whose documentation names a fixed vocabulary (the type in the data is
 * String because Flink also takes a factory class name). First is the usual choice for a pool.
 */
const KNOWN_STRING_VALUES: Readonly<Record<string, readonly { value: string; description: string; versions?: readonly FlinkDataVersion[] }[]>> = {
  'high-availability.type': [
    { value: 'kubernetes', description: 'Kubernetes high availability: the operator can recover the cluster and its statements after a failure.' },
    { value: 'NONE', description: 'No high availability (Flink\'s default).' },
    { value: 'zookeeper', description: 'ZooKeeper high availability (needs a ZooKeeper quorum).' },
  ],
  'state.backend.type': [
    { value: 'rocksdb', description: 'RocksDB: state on local disk, incremental checkpoints; for large state.' },
    { value: 'hashmap', description: 'Heap state (Flink\'s default): fastest, limited by TaskManager memory.' },
    { value: 'forst', description: 'ForSt: disaggregated state on remote storage (Flink 2.0).', versions: ['2.0'] },
  ],
  'restart-strategy.type': [
    { value: 'exponential-delay', description: 'Restart with a growing delay between attempts (the default when checkpointing is on).' },
    { value: 'fixed-delay', description: 'Restart a fixed number of times with a fixed delay.' },
    { value: 'failure-rate', description: 'Restart until too many failures happen within an interval.' },
    { value: 'none', description: 'Do not restart: a failure fails the job.' },
  ],
};

/** Example values per option type, shown after the option's default. */
const EXAMPLES_BY_TYPE: Readonly<Record<string, readonly string[]>> = {
  Duration: ['10 s', '30 s', '1 min', '10 min'],
  MemorySize: ['512 mb', '1 gb', '2 gb', '4 gb'],
  Boolean: ['true', 'false'],
};

/** Placeholder paths for the directory options, filled in with the pool's name. */
const DIRECTORY_EXAMPLES: Readonly<Record<string, string>> = {
  'high-availability.storageDir': 'recovery',
  'state.checkpoints.dir': 'checkpoints',
  'execution.checkpointing.dir': 'checkpoints',
  'state.savepoints.dir': 'savepoints',
  'execution.checkpointing.savepoint-dir': 'savepoints',
};

export interface ValueSuggestion {
  value: string;
  description?: string;
  isDefault?: boolean;
}

/** A placeholder object-store location for one of the pool's directories: s3://your-bucket/<pool>/<what>. */
export function placeholderDirectory(poolName: string | undefined, what: string): string {
  return `s3://your-bucket/${poolName && poolName.length > 0 ? poolName : 'pool'}/${what}`;
}

/** Values that fit `option`, best first: its default, its enum constants or known vocabulary, then examples of its type. */
export function valueSuggestions(option: FlinkOption, dataVersion: FlinkDataVersion, poolName?: string): ValueSuggestion[] {
  const out: ValueSuggestion[] = [];
  const seen = new Set<string>();
  const add = (s: ValueSuggestion) => {
    const id = s.value.toLowerCase();
    if (seen.has(id)) return;
    seen.add(id);
    out.push(s);
  };
  const known = KNOWN_STRING_VALUES[option.key];
  if (known) for (const k of known) if (!k.versions || k.versions.includes(dataVersion)) add({ value: k.value, description: k.description });
  if (option.possibleValues) for (const v of option.possibleValues) add({ value: v });
  const dir = DIRECTORY_EXAMPLES[option.key];
  if (dir) add({ value: placeholderDirectory(poolName, dir), description: 'A placeholder: use your own bucket or file system.' });
  for (const v of EXAMPLES_BY_TYPE[option.type] ?? []) add({ value: v });
  if (option.default !== null && option.default !== '' && option.default !== 'none') {
    const isDefault = { value: option.default, isDefault: true, description: 'Flink\'s default' };
    const at = out.findIndex((s) => s.value.toLowerCase() === option.default!.toLowerCase());
    const marked = at >= 0 ? { ...out.splice(at, 1)[0]!, isDefault: true } : isDefault;
    // The default leads, except where a curated vocabulary puts the usual choice for a pool first.
    if (known && at >= 0) out.splice(at, 0, marked);
    else out.unshift(marked);
  }
  return out;
}
