/** The documents every benchmark measures: CMF's documented shared pool, and a 300 KiB variant of it. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export function seedPool(): string {
  return readFileSync(path.resolve(__dirname, '../test/fixtures/docs/shared.pool.json'), 'utf8');
}

/** The seed pool with a TaskManager pod template of 400 containers: about 300 KiB. */
export function largePool(): string {
  const pool = JSON.parse(seedPool());
  const containers = [];
  for (let i = 0; i < 400; i++) {
    containers.push({
      name: `sidecar-${i}`,
      image: `registry.example.com/tools/sidecar:${i}.0`,
      env: [{ name: 'SIDE_ID', value: String(i) }],
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
      volumeMounts: [{ name: 'scratch', mountPath: `/scratch/${i}` }],
    });
  }
  pool.spec.clusterSpec.taskManager.podTemplate = { spec: { containers, volumes: [{ name: 'scratch', emptyDir: {} }] } };
  return JSON.stringify(pool, null, 2);
}
