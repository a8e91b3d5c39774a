/** invalid-resource: cpu, memory and ephemeralStorage as the operator parses them. */
import { isObject } from '../../../cmf-model/src/json';
import { parseKubernetesQuantity, parseResourceMemory } from '../../../cmf-model/src/quantities';
import { CLUSTER_SPEC } from '../pool';
import { defineRule } from './rule';

export const resourcesRule = defineRule<'invalid-resource'>({
  codes: {
    'invalid-resource': { severity: 'error', summary: 'A cpu, memory or ephemeralStorage value that the operator cannot parse.', docs: 'cmf' },
  },
  check({ pool }, r) {
    if (!pool) return;
    for (const component of ['jobManager', 'taskManager'] as const) {
      const path = [...CLUSTER_SPEC, component, 'resource'];
      const resource = pool.at(path);
      if (!isObject(resource)) continue;
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
  },
});
