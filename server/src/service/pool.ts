/**
 * The facts of a compute pool that rules ask about, read once from the parsed document: type,
 * Flink version, the pod templates, and flinkConfiguration flattened to Flink's dotted keys.
 */
import type { Node } from 'jsonc-parser';
import { type JsonPath, type ParsedDocument, isObject, nodeAt, property } from './document';
import type { PoolType } from './cmf-facts';
import { optionSetFor, type FlinkOptionSet } from './flink/options';

export const CLUSTER_SPEC: JsonPath = ['spec', 'clusterSpec'];
/** Where pod templates may stand in a clusterSpec. */
export const POD_TEMPLATE_PATHS: readonly JsonPath[] = [
  [...CLUSTER_SPEC, 'podTemplate'],
  [...CLUSTER_SPEC, 'jobManager', 'podTemplate'],
  [...CLUSTER_SPEC, 'taskManager', 'podTemplate'],
];

export interface FlinkConfigEntry {
  /** the flattened Flink key: {"taskmanager": {"numberOfTaskSlots": 4}} gives taskmanager.numberOfTaskSlots */
  key: string;
  /** the value as Flink reads it (non-string scalars in their string form); undefined for null or arrays */
  text: string | undefined;
  keyNode: Node;
  valueNode: Node | undefined;
}

export interface PoolModel {
  readonly doc: ParsedDocument;
  readonly value: Record<string, unknown>;
  readonly type: PoolType | undefined;
  readonly clusterSpec: Record<string, unknown> | undefined;
  readonly flinkVersion: unknown;
  readonly flinkOptions: FlinkOptionSet;
  readonly flinkConfig: readonly FlinkConfigEntry[];
  /** the flinkConfiguration object node, when there is one */
  readonly flinkConfigNode: Node | undefined;
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
  const flinkConfigNode = nodeAt(doc.root, [...CLUSTER_SPEC, 'flinkConfiguration']);
  return {
    doc,
    value,
    type: t === 'DEDICATED' || t === 'SHARED' ? t : undefined,
    clusterSpec: isObject(clusterSpec) ? clusterSpec : undefined,
    flinkVersion,
    flinkOptions: optionSetFor(flinkVersion),
    flinkConfig: flinkConfigNode?.type === 'object' ? flattenFlinkConfig(flinkConfigNode) : [],
    flinkConfigNode: flinkConfigNode?.type === 'object' ? flinkConfigNode : undefined,
    at,
  };
}

/** Flattens nested flinkConfiguration objects the way the operator does (iteratively: no recursion limit). */
export function flattenFlinkConfig(node: Node): FlinkConfigEntry[] {
  const out: FlinkConfigEntry[] = [];
  const stack: { node: Node; prefix: string }[] = [{ node, prefix: '' }];
  while (stack.length) {
    const { node: obj, prefix } = stack.pop()!;
    const props = obj.children ?? [];
    // Push in reverse so entries come out in document order.
    for (let i = props.length - 1; i >= 0; i--) {
      const keyNode = props[i].children?.[0];
      const valueNode = props[i].children?.[1];
      if (!keyNode || typeof keyNode.value !== 'string') continue;
      const key = prefix + keyNode.value;
      if (valueNode?.type === 'object') {
        stack.push({ node: valueNode, prefix: key + '.' });
        continue;
      }
      let text: string | undefined;
      if (valueNode && (valueNode.type === 'string' || valueNode.type === 'number' || valueNode.type === 'boolean')) {
        text = String(valueNode.value);
      }
      out.push({ key, text, keyNode, valueNode });
    }
  }
  out.sort((a, b) => a.keyNode.offset - b.keyNode.offset);
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

export { property };
