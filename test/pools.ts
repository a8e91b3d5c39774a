/** Test pools and a small vocabulary for asserting on diagnostics. */
import assert from 'node:assert/strict';
import { type PoolDiagnostic as Diagnostic, type SourceDocument, ResolvedSettings, normalizeSettings, poolText } from '../language-service/src/index';
import { parseText, validateText } from './engine';

export type Pool = Record<string, any>;

/** A SHARED pool with nothing to complain about (HA configured, cp7 image, checkpoints and savepoints kept). */
export function sharedPool(): Pool {
  return {
    apiVersion: 'cmf.confluent.io/v1',
    kind: 'ComputePool',
    metadata: { name: 'shared-pool' },
    spec: {
      type: 'SHARED',
      state: 'RUNNING',
      clusterSpec: {
        flinkVersion: 'v1_19',
        image: 'confluentinc/cp-flink-sql:1.19-cp7',
        flinkConfiguration: {
          'taskmanager.numberOfTaskSlots': '4',
          'execution.checkpointing.interval': '10s',
          'high-availability.type': 'kubernetes',
          'high-availability.storageDir': 's3://bucket/shared-pool/recovery',
          'state.checkpoints.dir': 's3://bucket/shared-pool/checkpoints',
          'state.savepoints.dir': 's3://bucket/shared-pool/savepoints',
        },
        taskManager: { resource: { cpu: 1.0, memory: '2048m' } },
        jobManager: { resource: { cpu: 1.0, memory: '1024m' } },
      },
    },
  };
}

/** A DEDICATED pool with nothing to complain about: CMF's documentation example, with checkpoints and savepoints kept. */
export function dedicatedPool(): Pool {
  return {
    apiVersion: 'cmf.confluent.io/v1',
    kind: 'ComputePool',
    metadata: { name: 'pool' },
    spec: {
      type: 'DEDICATED',
      clusterSpec: {
        flinkVersion: 'v1_19',
        image: 'confluentinc/cp-flink-sql:1.19-cp7',
        flinkConfiguration: { 'execution.checkpointing.interval': '10s', 'state.checkpoints.dir': 's3://bucket/pool/checkpoints', 'state.savepoints.dir': 's3://bucket/pool/savepoints' },
        taskManager: { resource: { cpu: 1.0, memory: '1024m' } },
        jobManager: { resource: { cpu: 0.5, memory: '1024m' } },
      },
    },
  };
}

/**
 * The diagnostics of a pool written as JSON. A pool given as a value is also written as YAML and linted again: the
 * YAML file must get the same diagnostics (code, severity, message) at the corresponding places (the same key or
 * value, on its line of the YAML file), so every rule test runs on both formats.
 */
export function lint(pool: Pool | string, settings: Record<string, unknown> = {}, opts: { path?: string; reportSyntaxErrors?: boolean } = {}): Diagnostic[] {
  const text = typeof pool === 'string' ? pool : JSON.stringify(pool, null, 2);
  const resolved = new ResolvedSettings(normalizeSettings(settings));
  const diags = validateText(text, { settings: resolved, ...opts });
  if (typeof pool !== 'string') {
    const yamlText = poolText(pool, 'yaml');
    const yamlPath = opts.path?.replace(/\.json$/, '.yaml');
    assertSameInYaml(text, diags, yamlText, validateText(yamlText, { settings: resolved, ...opts, path: yamlPath, languageId: 'yaml', uri: 'untitled:pool.yaml' }));
  }
  return diags;
}

/** The place of a JSON diagnostic (the key or value it starts on) in the YAML file: its line there. */
function yamlLineOf(json: SourceDocument, yaml: SourceDocument, d: Diagnostic): number | undefined {
  const at = json.nodeAt(json.file.offsetAt(d.range.start));
  if (!at) return undefined;
  const span = at.isKey ? yaml.keySpan(at.path) : yaml.valueSpan(at.path);
  return span ? yaml.file.positionAt(span.offset).line : undefined;
}

export function assertSameInYaml(jsonText: string, jsonDiags: Diagnostic[], yamlText: string, yamlDiags: Diagnostic[]): void {
  const brief = (d: Diagnostic) => `${d.code} ${d.severity} ${d.message}`;
  assert.deepEqual(yamlDiags.map(brief).sort(), jsonDiags.map(brief).sort(), `the YAML file gets the JSON file's diagnostics:\n${yamlText}`);
  const json = parseText(jsonText).documents[0]!;
  const yaml = parseText(yamlText, 'untitled:pool.yaml', 'yaml').documents[0]!;
  for (const d of jsonDiags) {
    const line = yamlLineOf(json, yaml, d);
    if (line === undefined) continue;
    const lines = yamlDiags.filter((y) => brief(y) === brief(d)).map((y) => y.range.start.line);
    assert.ok(lines.includes(line), `${d.code} (${d.message}) is on line ${line + 1} of the YAML file (found on ${lines.map((l) => l + 1).join(', ')}):\n${yamlText}`);
  }
}

export function codes(diags: Diagnostic[]): string[] {
  return diags.map((d) => String(d.code)).sort();
}

/** The text a diagnostic's range covers. */
export function covered(text: string, d: Diagnostic): string {
  const lines = text.split('\n');
  if (d.range.start.line !== d.range.end.line) return '<multi-line>';
  return lines[d.range.start.line].slice(d.range.start.character, d.range.end.character);
}

export function text(pool: Pool): string {
  return JSON.stringify(pool, null, 2);
}

/** A clean SHARED pool named `name` (HA, checkpointing and both state directories set), for tests that create and change pools on a CMF; `patch` edits it. */
export function namedSharedPool(name = 'web', patch: (p: any) => void = () => {}): any {
  const p = {
    apiVersion: 'cmf.confluent.io/v1',
    kind: 'ComputePool',
    metadata: { name },
    spec: {
      type: 'SHARED',
      state: 'RUNNING',
      clusterSpec: {
        flinkVersion: 'v1_19',
        image: 'confluentinc/cp-flink-sql:1.19-cp7',
        flinkConfiguration: {
          'taskmanager.numberOfTaskSlots': '4',
          'execution.checkpointing.interval': '10s',
          'high-availability.type': 'kubernetes',
          'high-availability.storageDir': `s3://bucket/${name}/recovery`,
          'state.checkpoints.dir': `s3://bucket/${name}/checkpoints`,
          'state.savepoints.dir': `s3://bucket/${name}/savepoints`,
        },
        taskManager: { resource: { cpu: 1, memory: '2048m' } },
        jobManager: { resource: { cpu: 1, memory: '1024m' } },
      },
    },
  };
  patch(p);
  return p;
}

/** The shared pool of Confluent's confluent-kubernetes-examples flink/sql/sql/computepool-shared.yaml, as JSON. */
export function cfkSharedPool(): Pool {
  return {
    apiVersion: 'platform.confluent.io/v1beta1',
    kind: 'FlinkComputePool',
    metadata: { name: 'shared-pool', namespace: 'operator' },
    spec: {
      type: 'SHARED',
      state: 'RUNNING',
      flinkEnvironment: 'flink-env1',
      clusterSpec: {
        flinkVersion: 'v1_19',
        image: 'confluentinc/cp-flink-sql:1.19-cp8',
        jobManager: { resource: { memory: '1024m', cpu: 0.5 } },
        taskManager: { resource: { memory: '1024m', cpu: 0.5 } },
      },
      cmfRestClassRef: { name: 'default', namespace: 'operator' },
    },
  };
}
