/**
 * The facts of a compute pool that rules ask about, read once from a document: type, Flink version, the pod
 * templates, and flinkConfiguration flattened to Flink's dotted keys. With the environment's
 * computePoolDefaults it is the *effective* pool, as CMF will deploy it (cmf-model's `withDefaults`).
 */
import { type JsonPath, isObject, valueAt } from '../../cmf-model/src/json';
import { KIND, type PoolKind, type PoolType, poolKindOf, withDefaults } from '../../cmf-model/src/facts';
import type { SourceDocument } from './document/model';
import { type FlinkOptionSet, type KeyLookup, lookupKey, optionSetFor } from './flink/options';

export const CLUSTER_SPEC: JsonPath = ['spec', 'clusterSpec'];
/** Where pod templates may stand in a clusterSpec: the pool's own, the JobManager's and the TaskManagers'. */
const POD_TEMPLATE_PATHS: readonly JsonPath[] = [
  [...CLUSTER_SPEC, 'podTemplate'],
  [...CLUSTER_SPEC, 'jobManager', 'podTemplate'],
  [...CLUSTER_SPEC, 'taskManager', 'podTemplate'],
];

export const FLINK_CONFIGURATION: JsonPath = [...CLUSTER_SPEC, 'flinkConfiguration'];

/**
 * How many unknown flinkConfiguration keys of a pool get a "did you mean" (the first ones, in the pool's order). A
 * pool people write has a few unknown keys; one with thousands was generated, and each search for close matches
 * costs tens of microseconds: the others are reported without one.
 */
export const SUGGESTION_LIMIT = 100;

export interface FlinkConfigEntry {
  /** the flattened Flink key: {"taskmanager": {"numberOfTaskSlots": 4}} gives taskmanager.numberOfTaskSlots */
  key: string;
  /** the value as Flink reads it (non-string scalars in their string form); undefined for null or arrays */
  text: string | undefined;
  /** where the entry stands in the document */
  path: JsonPath;
}

export interface PoolModel {
  readonly doc: SourceDocument;
  /** CMF's ComputePool, or Confluent for Kubernetes' FlinkComputePool (a file matched by cmfPools.files alone: CMF's). */
  readonly kind: PoolKind;
  /** The file's own value. */
  readonly file: Record<string, unknown>;
  /** The effective value: the file over the environment's defaults (the file's own value without them). */
  readonly value: Record<string, unknown>;
  readonly type: PoolType | undefined;
  readonly clusterSpec: Record<string, unknown> | undefined;
  readonly flinkVersion: unknown;
  readonly flinkOptions: FlinkOptionSet;
  readonly flinkConfig: readonly FlinkConfigEntry[];
  /** flinkConfiguration is an object */
  readonly hasFlinkConfig: boolean;
  /** Each flinkConfiguration entry with what the Flink option data says of its key (looked up once per pool). */
  flinkKeys(): readonly { entry: FlinkConfigEntry; found: KeyLookup }[];
  /**
   * The entry whose key means the Flink option `canonical`, written as that key or as a deprecated name of it
   * (e.g. high-availability for high-availability.type).
   */
  entryFor(canonical: string): FlinkConfigEntry | undefined;
  /** The effective value at `path`. */
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
  /**
   * The version of the CMF the pool deploys to, as that CMF reports it (`GET /cmf/api/v1/system-information`,
   * CMF 2.2 and later): it wins over cmfPools.cmfVersion.
   */
  cmfVersion?: string;
}

/**
 * The pool a document holds (with the environment's defaults under it, when given), read once per document and
 * defaults: validation, hover, completion and quick fixes of the same version share it (flattening a big
 * flinkConfiguration and looking up its keys is the costly part).
 */
export function readPool(doc: SourceDocument, defaults?: PoolDefaults): PoolModel | undefined {
  let models = poolModels.get(doc);
  if (!models) poolModels.set(doc, (models = new Map()));
  if (models.has(defaults)) return models.get(defaults);
  const model = readPoolOnce(doc, defaults);
  if (models.size >= 4) models.clear(); // defaults objects come and go (one per environment the user selects)
  models.set(defaults, model);
  return model;
}

const poolModels = new WeakMap<SourceDocument, Map<PoolDefaults | undefined, PoolModel | undefined>>();

function readPoolOnce(doc: SourceDocument, defaults?: PoolDefaults): PoolModel | undefined {
  if (!isObject(doc.value)) return undefined;
  const file = doc.value;
  const inheritedSpec = defaults && isObject(defaults.clusterSpec) ? defaults.clusterSpec : undefined;
  const fileClusterSpec = valueAt(file, CLUSTER_SPEC);
  // The effective pool: the defaults' clusterSpec under the file's (only where the file has an object there).
  const value = inheritedSpec && isObject(fileClusterSpec) ? withPath(file, CLUSTER_SPEC, withDefaults(inheritedSpec, fileClusterSpec)) : file;
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
  let keys: { entry: FlinkConfigEntry; found: KeyLookup }[] | undefined;
  let canonical: Map<string, FlinkConfigEntry> | undefined;
  const flinkOptions = optionSetFor(flinkVersion);
  const flinkKeys = () => (keys ??= lookUpKeys(flinkOptions, flinkConfig));
  return {
    doc,
    kind: poolKindOf(file) ?? KIND,
    file,
    value,
    type: t === 'DEDICATED' || t === 'SHARED' ? t : undefined,
    clusterSpec: isObject(clusterSpec) ? clusterSpec : undefined,
    flinkVersion,
    flinkOptions,
    flinkConfig,
    hasFlinkConfig: isObject(fileConfig) || isObject(inheritedConfig),
    flinkKeys,
    entryFor(key) {
      if (!canonical) {
        canonical = new Map();
        for (const { entry, found } of flinkKeys()) canonical.set(found.kind === 'deprecated' && found.replacement ? found.replacement : entry.key, entry);
      }
      return canonical.get(key);
    },
    at,
    inherited: (path) => value !== file && valueAt(file, path) === undefined && at(path) !== undefined,
  };
}

/** What the option data says of each entry's key; close matches only for the first SUGGESTION_LIMIT unknown keys. */
function lookUpKeys(set: FlinkOptionSet, entries: readonly FlinkConfigEntry[]): { entry: FlinkConfigEntry; found: KeyLookup }[] {
  let unknown = 0;
  return entries.map((entry) => {
    const found = lookupKey(set, entry.key, { suggest: unknown < SUGGESTION_LIMIT });
    if (found.kind === 'unknown') unknown++;
    return { entry, found };
  });
}

/** A copy of `root` with the value at `path` (an object path that exists) replaced. */
function withPath(root: Record<string, unknown>, path: JsonPath, v: unknown): Record<string, unknown> {
  if (path.length === 0) return v as Record<string, unknown>;
  const [head, ...rest] = path;
  const child = root[head as string];
  return { ...root, [head as string]: rest.length ? withPath(isObject(child) ? child : {}, rest, v) : v };
}

/** Flattens nested flinkConfiguration objects the way the operator does (iteratively: no recursion limit). */
function flattenFlinkConfig(config: Record<string, unknown>, at: JsonPath): FlinkConfigEntry[] {
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

/** The flattened Flink key of the entry at `path` (nested objects joined with dots). */
export function flatKey(path: JsonPath): string {
  return path.slice(FLINK_CONFIGURATION.length).join('.');
}

/** Is `path` below flinkConfiguration (or flinkConfiguration itself)? */
export function underFlinkConfiguration(path: JsonPath): boolean {
  return path.length >= FLINK_CONFIGURATION.length && FLINK_CONFIGURATION.every((s, i) => path[i] === s);
}

export interface PodTemplate {
  path: JsonPath;
  value: Record<string, unknown>;
}

/** Each pod template of the pool that is an object, with its path. */
export function podTemplates(pool: PoolModel): PodTemplate[] {
  const out: PodTemplate[] = [];
  for (const path of POD_TEMPLATE_PATHS) {
    const v = pool.at(path);
    if (isObject(v)) out.push({ path, value: v });
  }
  return out;
}

/** The lists of containers a pod spec may have. */
export const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/** Calls `f` for each object in the array at `list`, with its path. */
export function eachObject(list: unknown, path: JsonPath, f: (item: Record<string, unknown>, path: JsonPath) => void): void {
  if (!Array.isArray(list)) return;
  list.forEach((item, i) => {
    if (isObject(item)) f(item, [...path, i]);
  });
}

/** Is `path` where a pod template stands? */
export function isPodTemplatePath(path: JsonPath): boolean {
  return POD_TEMPLATE_PATHS.some((p) => samePath(p, path));
}

export function samePath(a: JsonPath, b: JsonPath): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}
