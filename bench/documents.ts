/**
 * The documents every benchmark measures: CMF's documented shared pool, a 300 KiB variant of it, and the big
 * documents of issue 14 (a pool with 20,000 unknown Flink keys, a 50 MB pool, the 300 KiB pool mid-edit), each
 * in JSON or YAML. Generated, so nothing big is committed.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { stringify as stringifyYaml } from 'yaml';

export type Format = 'json' | 'yaml';

export function seedPool(): string {
  return readFileSync(path.resolve(__dirname, '../test/fixtures/docs/shared.pool.json'), 'utf8');
}

function sidecar(i: number): Record<string, unknown> {
  return {
    name: `sidecar-${i}`,
    image: `registry.example.com/tools/sidecar:${i}.0`,
    env: [{ name: 'SIDE_ID', value: String(i) }],
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
    volumeMounts: [{ name: 'scratch', mountPath: `/scratch/${i}` }],
  };
}

/** The seed pool with a TaskManager pod template of 400 containers: about 300 KiB. */
export function largePool(): string {
  const pool = JSON.parse(seedPool());
  const containers = [];
  for (let i = 0; i < 400; i++) containers.push(sidecar(i));
  pool.spec.clusterSpec.taskManager.podTemplate = { spec: { containers, volumes: [{ name: 'scratch', emptyDir: {} }] } };
  return JSON.stringify(pool, null, 2);
}

/** A pool's text in a format: JSON as `JSON.stringify(_, null, 2)` writes it, YAML in block style. */
function written(pool: unknown, format: Format): string {
  return format === 'yaml' ? stringifyYaml(pool, { lineWidth: 0 }) : JSON.stringify(pool, null, 2);
}

/**
 * First segments of real Flink options: the unknown keys below look like Flink's (so a "did you mean" search has to
 * compare them with every option), and none falls under a prefix Flink reads as open (s3., fs.azure., ...).
 */
const KEY_FAMILIES = ['state', 'taskmanager', 'table', 'metrics', 'execution', 'jobmanager', 'rest', 'pipeline', 'web', 'restart-strategy'];

/**
 * The seed pool with `count` flinkConfiguration keys that Flink does not know (`taskmanager.setting-123`, ...), as a
 * generator gone wrong writes them: 20,000 of them make a 780 KB JSON pool, the document of issue 14 that kept the
 * language server from answering for 25 s.
 */
export function unknownKeysPool(format: Format = 'json', count = 20_000): string {
  const pool = JSON.parse(seedPool());
  const config = pool.spec.clusterSpec.flinkConfiguration as Record<string, string>;
  for (let i = 0; i < count; i++) config[`${KEY_FAMILIES[i % KEY_FAMILIES.length]}.setting-${i}`] = String(i % 97);
  return written(pool, format);
}

/**
 * A pool of at least `bytes` characters (default 50 MB): the seed pool with a TaskManager pod template of as many
 * containers as it takes. Written by hand, container by container (the yaml package would take minutes and GBs).
 */
export function hugePool(format: Format = 'json', bytes = 50_000_000): string {
  const pool = JSON.parse(seedPool());
  pool.spec.clusterSpec.taskManager.podTemplate = { spec: { containers: ['@CONTAINERS@'], volumes: [{ name: 'scratch', emptyDir: {} }] } };
  const shell = written(pool, format);
  const marker = format === 'yaml' ? /^( *)- "?@CONTAINERS@"?\n/m : /^( *)"@CONTAINERS@"/m;
  const m = marker.exec(shell)!;
  const indent = m[1]!;
  const parts: string[] = [];
  let size = shell.length;
  for (let i = 0; size < bytes; i++) {
    const c = sidecar(i);
    let text: string;
    if (format === 'json') {
      text = (i > 0 ? ',\n' : '') + indent + JSON.stringify(c, null, 2).replace(/\n/g, '\n' + indent);
    } else {
      // What the yaml package writes for sidecar(i), by hand: it would take seconds per MB.
      text = [
        `- name: sidecar-${i}`,
        `  image: registry.example.com/tools/sidecar:${i}.0`,
        '  env:',
        '    - name: SIDE_ID',
        `      value: "${i}"`,
        '  resources:',
        '    requests:',
        '      cpu: 100m',
        '      memory: 128Mi',
        '    limits:',
        '      cpu: 200m',
        '      memory: 256Mi',
        '  volumeMounts:',
        '    - name: scratch',
        `      mountPath: /scratch/${i}`,
      ].map((line) => indent + line + '\n').join('');
    }
    parts.push(text);
    size += text.length;
  }
  return shell.slice(0, m.index) + parts.join('') + shell.slice(m.index + m[0].length);
}

/** A document that does not parse, and where the cursor is in it. */
export interface MidEdit {
  text: string;
  /** the cursor, at the end of the key being typed */
  offset: number;
}

/**
 * The 300 KiB pool mid-edit: a Flink option key half typed at the end of flinkConfiguration, so the text is not JSON
 * (`"taskm` with no closing quote or colon) or not YAML (a key with no colon in a block mapping). It also has a
 * misspelled key (`taskmanager.numberOfTaskSlot`), so there is a diagnostic with a quick fix to ask code actions for.
 */
export function largePoolMidEdit(format: Format = 'json'): MidEdit {
  const pool = JSON.parse(largePool());
  pool.spec.clusterSpec.flinkConfiguration = { 'taskmanager.numberOfTaskSlot': '4', ...pool.spec.clusterSpec.flinkConfiguration };
  const text = written(pool, format);
  const last = format === 'yaml' ? /^( *)execution\.checkpointing\.interval: 10s$/m : /^( *)"execution\.checkpointing\.interval": "10s"$/m;
  const m = last.exec(text)!;
  const at = m.index + m[0].length;
  const insert = format === 'yaml' ? `\n${m[1]}taskm` : `,\n${m[1]}"taskm`;
  return { text: text.slice(0, at) + insert + text.slice(at), offset: at + insert.length };
}
