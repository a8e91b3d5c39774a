/** The JobManager's and TaskManagers' resources: invalid-resource (what the operator cannot parse) and resource-memory-missing. */
import { isObject } from '../../../cmf-model/src/json';
import { parseKubernetesQuantity, parseResourceMemory } from '../../../cmf-model/src/quantities';
import { type JsonPath, pathLabel } from '../document/model';
import { CLUSTER_SPEC, type PoolModel } from '../pool';
import { type Reporter, defineRule } from './rule';

const COMPONENTS = { jobManager: 'JobManager', taskManager: 'TaskManager' } as const;
/** What the quick fix sets: the memory of CMF's documentation examples. */
const DEFAULT_MEMORY = '1024m';

type ResourceCode = 'invalid-resource' | 'resource-memory-missing';

export const resourcesRule = defineRule<ResourceCode>({
  codes: {
    'invalid-resource': { severity: 'error', summary: 'A cpu, memory or ephemeralStorage value that the operator cannot parse.', docs: 'cmf' },
    'resource-memory-missing': {
      severity: 'warning',
      summary: "jobManager.resource.memory or taskManager.resource.memory is not set (nor in the environment's computePoolDefaults): the Flink operator rejects the deployment.",
      docs: 'cmf',
      help:
        'The Flink Kubernetes Operator validates every deployment CMF makes from a pool: without `resource.memory` it refuses it ("JobManager resource memory must be defined using `spec.jobManager.resource.memory`"), so a dedicated pool fails each statement and a shared pool never starts. CMF does not fill it in, but an environment\'s `computePoolDefaults` may: select the environment in the CMF explorer, or give `cmf-pools lint` `--environment-defaults FILE` or `--environment NAME`, to check the pool with them.',
    },
  },
  check({ pool }, r) {
    if (!pool) return;
    for (const component of ['jobManager', 'taskManager'] as const) {
      const path = [...CLUSTER_SPEC, component, 'resource'];
      const resource = pool.at(path);
      // Missing, where the shape lets us tell (a component or resource of another type is the schema's to report).
      const holder = pool.at([...CLUSTER_SPEC, component]);
      const shaped = (holder === undefined || isObject(holder)) && (resource === undefined || isObject(resource));
      if (pool.clusterSpec && shaped && (!isObject(resource) || resource.memory === undefined)) reportMissingMemory(pool, component, r);
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
  fixes: {
    'resource-memory-missing': ({ pool, path }) => {
      if (!path || pool.at(path) !== undefined) return [];
      // Only where the file can take it: every object on the way there is an object (or absent).
      for (let n = CLUSTER_SPEC.length; n < path.length; n++) {
        const v = pool.at(path.slice(0, n));
        if (v !== undefined && !isObject(v)) return [];
      }
      return [{ title: `Set ${pathLabel(path.slice(CLUSTER_SPEC.length))} to "${DEFAULT_MEMORY}"`, build: (e) => e.set(path, DEFAULT_MEMORY), preferred: true }];
    },
  },
});

/** Reports a missing memory on the deepest key the file has on the way to it: resource, the component, or clusterSpec. */
function reportMissingMemory(pool: PoolModel, component: keyof typeof COMPONENTS, r: Reporter<ResourceCode>): void {
  const memory: JsonPath = [...CLUSTER_SPEC, component, 'resource', 'memory'];
  let at;
  for (let n = memory.length - 1; n >= CLUSTER_SPEC.length && !at; n--) at = r.doc.keySpan(memory.slice(0, n));
  const known = pool.value !== pool.file; // the environment's defaults are known (and lack it too)
  r.report(
    'resource-memory-missing',
    at,
    `${component}.resource.memory is not set${known ? ", in this file or in the environment's computePoolDefaults" : ''}: the Flink operator rejects a deployment without it ("${COMPONENTS[component]} resource memory must be defined using spec.${component}.resource.memory"), so ${
      pool.type === 'SHARED' ? "this pool's session cluster never starts" : 'every statement on this pool fails to deploy'
    }${known ? '' : ", unless the environment's computePoolDefaults supply it"}. Set it, e.g. "${DEFAULT_MEMORY}".`,
    { path: memory },
  );
}
