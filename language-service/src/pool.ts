/**
 * The facts of a compute pool that rules ask about, read once from the parsed document: type,
 * Flink version, the pod templates, and flinkConfiguration flattened to Flink's dotted keys.
 */
import { type JsonPath, type ParsedDocument, isObject } from './document';
import type { PoolType } from '../../cmf-model/src/facts';
import { optionSetFor, type FlinkOptionSet } from './flink/options';

export const CLUSTER_SPEC: JsonPath = ['spec', 'clusterSpec'];
/** Where pod templates may stand in a clusterSpec. */
export const POD_TEMPLATE_PATHS: readonly JsonPath[] = [
  [...CLUSTER_SPEC, 'podTemplate'],
  [...CLUSTER_SPEC, 'jobManager', 'podTemplate'],
  [...CLUSTER_SPEC, 'taskManager', 'podTemplate'],
];

export const FLINK_CONFIGURATION: JsonPath = [...CLUSTER_SPEC, 'flinkConfiguration'];

export interface FlinkConfigEntry {
  /** the flattened Flink key: {"taskmanager": {"numberOfTaskSlots": 4}} gives taskmanager.numberOfTaskSlots */
  key: string;
  /** the value as Flink reads it (non-string scalars in their string form); undefined for null or arrays */
  text: string | undefined;
  /** where the entry stands in the document */
  path: JsonPath;
}

export interface PoolModel {
  readonly doc: ParsedDocument;
  readonly value: Record<string, unknown>;
  readonly type: PoolType | undefined;
  readonly clusterSpec: Record<string, unknown> | undefined;
  readonly flinkVersion: unknown;
  readonly flinkOptions: FlinkOptionSet;
  readonly flinkConfig: readonly FlinkConfigEntry[];
  /** flinkConfiguration is an object */
  readonly hasFlinkConfig: boolean;
  at(path: JsonPath): unknown;
  /**
   * Is the value at `path` one the file does not set but the environment's `computePoolDefaults` supply?
   * Always false without defaults.
   */
  inherited(path: JsonPath): boolean;
}

/**
 * The environment's `computePoolDefaults` that CMF merges under a pool's own fields (the pool wins), as
 * the editor learns them from the selected CMF connection and environment. Only `clusterSpec` is merged.
 */
export interface PoolDefaults {
  clusterSpec?: Record<string, unknown>;
  /** Who supplies them, for messages: e.g. "environment 'development' (connection 'local')". */
  source?: string;
}

export function readPool(doc: ParsedDocument, defaults?: PoolDefaults): PoolModel | undefined {
  if (!isObject(doc.value)) return undefined;
  const file = doc.value;
  const inheritedSpec = defaults && isObject(defaults.clusterSpec) ? defaults.clusterSpec : undefined;
  const fileClusterSpec = valueAt(file, CLUSTER_SPEC);
  // The effective pool: the defaults' clusterSpec under the file's (only where the file has an object there).
  const value = inheritedSpec && isObject(fileClusterSpec) ? withPath(file, CLUSTER_SPEC, mergeUnder(inheritedSpec, fileClusterSpec)) : file;
  const at = (path: JsonPath): unknown => valueAt(value, path);
  const t = at(['spec', 'type']);
  const clusterSpec = at(CLUSTER_SPEC);
  const flinkVersion = isObject(clusterSpec) ? clusterSpec.flinkVersion : undefined;
  const fileConfig = valueAt(file, FLINK_CONFIGURATION);
  const inheritedConfig = inheritedSpec && isObject(fileClusterSpec) ? inheritedSpec.flinkConfiguration : undefined;
  // Flattened separately: a nested key in the file and a flat one in the defaults are the same Flink option.
  const flinkConfig = isObject(fileConfig) ? flattenFlinkConfig(fileConfig, FLINK_CONFIGURATION) : [];
  if (isObject(inheritedConfig)) {
    const own = new Set(flinkConfig.map((e) => e.key));
    for (const e of flattenFlinkConfig(inheritedConfig, FLINK_CONFIGURATION)) {
      if (!own.has(e.key)) flinkConfig.push({ ...e, path: [...FLINK_CONFIGURATION, e.key] });
    }
  }
  return {
    doc,
    value,
    type: t === 'DEDICATED' || t === 'SHARED' ? t : undefined,
    clusterSpec: isObject(clusterSpec) ? clusterSpec : undefined,
    flinkVersion,
    flinkOptions: optionSetFor(flinkVersion),
    flinkConfig,
    hasFlinkConfig: isObject(fileConfig) || isObject(inheritedConfig),
    at,
    inherited: (path) => value !== file && valueAt(file, path) === undefined && at(path) !== undefined,
  };
}

function valueAt(root: unknown, path: JsonPath): unknown {
  let v: unknown = root;
  for (const seg of path) {
    if (typeof seg === 'number') v = Array.isArray(v) ? v[seg] : undefined;
    else v = isObject(v) ? v[seg] : undefined;
  }
  return v;
}

/** `over` deep-merged onto `base` (objects merge; anything else in `over` wins), as CMF applies defaults. */
function mergeUnder(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = mergeUnder(base[k], v);
  return out;
}

/** A copy of `root` with the value at `path` (an object path that exists) replaced. */
function withPath(root: Record<string, unknown>, path: JsonPath, v: unknown): Record<string, unknown> {
  if (path.length === 0) return v as Record<string, unknown>;
  const [head, ...rest] = path;
  const child = root[head as string];
  return { ...root, [head as string]: rest.length ? withPath(isObject(child) ? child : {}, rest, v) : v };
}

/** Flattens nested flinkConfiguration objects the way the operator does (iteratively: no recursion limit). */
export function flattenFlinkConfig(config: Record<string, unknown>, at: JsonPath): FlinkConfigEntry[] {
  const out: FlinkConfigEntry[] = [];
  const stack: { obj: Record<string, unknown>; prefix: string; path: JsonPath }[] = [{ obj: config, prefix: '', path: at }];
  while (stack.length) {
    const { obj, prefix, path } = stack.pop()!;
    for (const [k, v] of Object.entries(obj)) {
      const key = prefix + k;
      if (isObject(v)) stack.push({ obj: v, prefix: key + '.', path: [...path, k] });
      else out.push({ key, text: typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined, path: [...path, k] });
    }
  }
  return out;
}

/** Each pod template of the pool that is an object, with its path. */
export function podTemplates(pool: PoolModel): { path: JsonPath; value: Record<string, unknown> }[] {
  const out: { path: JsonPath; value: Record<string, unknown> }[] = [];
  for (const path of POD_TEMPLATE_PATHS) {
    const v = pool.at(path);
    if (isObject(v)) out.push({ path, value: v });
  }
  return out;
}

