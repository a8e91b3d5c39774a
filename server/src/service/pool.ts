/**
 * The facts of a compute pool that rules ask about, read once from the parsed document: type,
 * Flink version, the pod templates, and flinkConfiguration flattened to Flink's dotted keys.
 */
import { type JsonPath, type ParsedDocument, isObject } from './document';
import type { PoolType } from './cmf-facts';
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
}

export function readPool(doc: ParsedDocument): PoolModel | undefined {
  if (!isObject(doc.value)) return undefined;
  const value = doc.value;
  const at = (path: JsonPath): unknown => {
    let v: unknown = value;
    for (const seg of path) {
      if (typeof seg === 'number') v = Array.isArray(v) ? v[seg] : undefined;
      else v = isObject(v) ? v[seg] : undefined;
    }
    return v;
  };
  const t = at(['spec', 'type']);
  const clusterSpec = at(CLUSTER_SPEC);
  const flinkVersion = isObject(clusterSpec) ? clusterSpec.flinkVersion : undefined;
  const flinkConfig = at(FLINK_CONFIGURATION);
  return {
    doc,
    value,
    type: t === 'DEDICATED' || t === 'SHARED' ? t : undefined,
    clusterSpec: isObject(clusterSpec) ? clusterSpec : undefined,
    flinkVersion,
    flinkOptions: optionSetFor(flinkVersion),
    flinkConfig: isObject(flinkConfig) ? flattenFlinkConfig(flinkConfig, FLINK_CONFIGURATION) : [],
    hasFlinkConfig: isObject(flinkConfig),
    at,
  };
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

