/** invalid-resource: cpu, memory and ephemeralStorage as the operator parses them. */
import { isObject } from '../document';
import { parseKubernetesQuantity, parseResourceMemory } from '../flink/values';
import { CLUSTER_SPEC, type PoolModel } from '../pool';
import type { Reporter } from './context';

export function resourceRules(pool: PoolModel, r: Reporter): void {
  for (const component of ['jobManager', 'taskManager'] as const) {
    const resource = pool.at([...CLUSTER_SPEC, component, 'resource']);
    if (!isObject(resource)) continue;
    const path = [...CLUSTER_SPEC, component, 'resource'];
    const { cpu, memory, ephemeralStorage } = resource;
    if (typeof cpu === 'number' && !(cpu > 0 && Number.isFinite(cpu))) {
      r.report('invalid-resource', r.valueAt([...path, 'cpu']), `${component}.resource.cpu must be a positive number of cores, such as 0.5 or 2 (got ${cpu}).`, {
        path: [...path, 'cpu'],
      });
    }
    if (typeof memory === 'string' && parseResourceMemory(memory) === undefined) {
      r.report(
        'invalid-resource',
        r.valueAt([...path, 'memory']),
        `${component}.resource.memory "${memory}" is not a memory size: use a whole number with a unit, such as "1024m", "2g" or "2048mb" (Flink sizes are binary: 1g = 1024m), or a Kubernetes quantity such as "2Gi".`,
        { path: [...path, 'memory'] },
      );
    }
    if (typeof ephemeralStorage === 'string' && parseKubernetesQuantity(ephemeralStorage) === undefined) {
      r.report(
        'invalid-resource',
        r.valueAt([...path, 'ephemeralStorage']),
        `${component}.resource.ephemeralStorage "${ephemeralStorage}" is not a Kubernetes quantity: use a number with a suffix such as "10Gi" or "500Mi".`,
        { path: [...path, 'ephemeralStorage'] },
      );
    }
  }
}
