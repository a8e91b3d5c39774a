/**
 * What the fuzzer starts from: real pools (the example files, the documentation fixtures, CMF's
 * OpenAPI examples and the pools of test/pools.ts) in the layouts editors produce, in JSON and in YAML,
 * and the hostile documents the issue names (very long lines, 10,000-deep nesting, 5 MB). Large texts
 * are built once.
 */
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { poolText } from '../../language-service/src/index';
import { dedicatedPool, sharedPool, type Pool } from '../pools';

const ROOT = path.resolve(__dirname, '../..');

function jsonFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => readFileSync(path.join(ROOT, dir, f), 'utf8'));
}

/** A pool as people write it: 2 or 4 spaces, tabs, minified, CRLF line ends. */
function layouts(pool: unknown): string[] {
  const two = JSON.stringify(pool, null, 2);
  return [two, JSON.stringify(pool, null, 4), JSON.stringify(pool, null, '\t'), JSON.stringify(pool), two.replace(/\n/g, '\r\n')];
}

let seeds: string[] | undefined;

/** Real compute-pool documents, each in several layouts. */
export function seedDocuments(): string[] {
  if (!seeds) {
    const files = [...jsonFiles('examples'), ...jsonFiles('examples/bad'), ...jsonFiles('test/fixtures/docs')];
    const openapi = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/openapi/compute-pool-examples.json'), 'utf8')) as { pool: Pool }[];
    const pools: unknown[] = [sharedPool(), dedicatedPool(), ...openapi.map((e) => e.pool), ...files.map((t) => JSON.parse(t))];
    seeds = [...new Set([...files, ...pools.flatMap(layouts)])];
  }
  return seeds;
}

let yamlSeeds: string[] | undefined;

/** A pool written in YAML by hand: comments, an anchor, an alias, a merge, quoting, a block scalar, flow collections. */
const HANDWRITTEN_YAML = `# the pool, by hand
apiVersion: cmf.confluent.io/v1
kind: ComputePool
metadata:
  name: 'hand-pool'   # quoted
  labels: {team: "data", tier: web}
spec:
  type: SHARED
  clusterSpec:
    flinkVersion: v1_19
    image: "confluentinc/cp-flink-sql:1.19-cp7"
    flinkConfiguration:
      taskmanager.numberOfTaskSlots: "4"
      execution.checkpointing.interval: 10s
    taskManager:
      resource: &res
        cpu: 1.0
        memory: 2048m
    jobManager:
      resource:
        <<: *res
        cpu: 0.5
    podTemplate:
      metadata:
        annotations:
          note: |
            two
            lines
      spec:
        containers:
        - name: flink-main-container
          args: ["--verbose", '--x']
`;

/** Real pools as YAML files: block (2 and 4 spaces) and flow style, CRLF, by hand, and multi-document manifests. */
export function yamlSeedDocuments(): string[] {
  if (!yamlSeeds) {
    const pools = [sharedPool(), dedicatedPool(), ...seedDocuments().slice(0, 12).map((t) => JSON.parse(t) as unknown)];
    const layouts = pools.flatMap((p) => {
      const block = poolText(p, 'yaml');
      return [block, stringify(p, { indent: 4 }), stringify(p, { collectionStyle: 'flow' }), block.replace(/\n/g, '\r\n')];
    });
    const other = 'apiVersion: v1\nkind: ConfigMap   # not a pool\ndata: {a: "1", b: two}\n';
    yamlSeeds = [...new Set([...layouts, HANDWRITTEN_YAML, `${other}---\n${HANDWRITTEN_YAML}---\n${poolText(dedicatedPool(), 'yaml')}`, `${poolText(sharedPool(), 'yaml')}...\n---\n${other}`])];
  }
  return yamlSeeds;
}

/** What is typed in YAML: its indicators, and the words of a pool as YAML writes them. */
export const YAML_TOKENS: readonly string[] = [
  '- ', ': ', ':', '#', ' # c', '---\n', '...', '&a ', '*a', '<<: ', '|', '>-', '? ', '!!str ', '%YAML 1.1\n', '  ', '\n', '\n  ', '\t', "'", '"', ',', '[', ']', '{', '}',
  'x', 'a', '1', '2', '0.5', '2048m', 'yes', 'null', '~', 'kind: ComputePool', 'cpu', 'memory', 'type: DEDICATED', 'replicas: 3', 'v1_19', 'image: apache/flink:1.19',
];

/** Words an editor session on a pool is made of: structure, keys, values, and things that break parsers. */
export const TOKENS: readonly string[] = [
  '{', '}', '[', ']', '"', ',', ':', '\\', '\n', '\r\n', '\r', '\t', ' ', '//', '/*', '*/', '\u00a0', '\ufeff',
  'null', 'true', 'false', '0', '-1', '1e999', '-0', '0.5', '1.0', '01', '"', '""', '"\\u0000"', '"\\ud800"', '\ud800', '\udc00', '😀', '\u2028',
  '"kind"', '"ComputePool"', '"apiVersion"', '"cmf.confluent.io/v1"', '"metadata"', '"name"', '"spec"', '"type"', '"SHARED"', '"DEDICATED"',
  '"state"', '"RUNNING"', '"SUSPENDED"', '"clusterSpec"', '"image"', '"confluentinc/cp-flink-sql:1.19-cp5"', '"apache/flink:1.19"',
  '"flinkVersion"', '"v1_19"', '"v2_3"', '"flinkConfiguration"', '"taskmanager.numberOfTaskSlots"', '"execution.checkpointing.interval"',
  '"10 seconds please"', '"high-availability.type"', '"kubernetes"', '"jobManager"', '"taskManager"', '"replicas"', '"resource"', '"cpu"',
  '"memory"', '"lots"', '"2Gi"', '"podTemplate"', '"containers"', '"volumes"', '"volumeMounts"', '"mountPath"', '"/opt/flink/statement"',
  '"statement-plan-volume"', '"serviceAccount"', '"job"', '"status"', '"uid"', '"mode"', '"standalone"',
  '"__proto__"', '"constructor"', '"toString"', '"hasOwnProperty"', '"a/b~0"', '"$ref"',
];

let big: Record<string, string> | undefined;

/** The named hostile documents: built once, a few MB in all. */
export function hostileDocuments(): Record<string, string> {
  if (!big) {
    const pool = sharedPool();
    const longLine = { ...pool, metadata: { ...pool.metadata, annotations: { note: 'x'.repeat(200_000) } } };
    const huge = sharedPool();
    huge.metadata.annotations = {};
    for (let i = 0; i < 60_000; i++) huge.metadata.annotations[`note-${i}`] = 'x'.repeat(60);
    const deepConfig = sharedPool();
    let cursor: Record<string, unknown> = deepConfig.spec.clusterSpec.flinkConfiguration;
    for (let i = 0; i < 250; i++) cursor = cursor[`k${i}`] = {} as Record<string, unknown>;
    cursor.leaf = 1;
    big = {
      'long line (200,000 characters)': JSON.stringify(longLine),
      'long line, formatted': JSON.stringify(longLine, null, 2),
      '10,000-deep arrays': '['.repeat(10_000) + ']'.repeat(10_000),
      '10,000-deep objects': '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000),
      '10,000-deep, unclosed': `{"kind": "ComputePool", "spec": ${'['.repeat(10_000)}`,
      '250-deep flinkConfiguration': JSON.stringify(deepConfig, null, 2),
      '5 MB pool': JSON.stringify(huge, null, 2),
      '5 MB without line breaks': JSON.stringify(huge),
    };
  }
  return big;
}
