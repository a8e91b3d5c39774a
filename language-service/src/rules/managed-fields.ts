/** Fields CMF owns: clusterSpec fields it manages (forbidden-field) and fields the server sets (server-managed-field). */
import { CFK_KIND, FORBIDDEN_CLUSTER_SPEC_FIELDS, KUBERNETES_OWNED_PATHS, SERVER_OWNED_PATHS } from '../../../cmf-model/src/facts';
import { isObject, valueAt } from '../../../cmf-model/src/json';
import { pathLabel } from '../document/model';
import { CLUSTER_SPEC } from '../pool';
import { defineRule, removeIfPresent } from './rule';

export const managedFieldsRule = defineRule<'forbidden-field' | 'server-managed-field'>({
  codes: {
    'forbidden-field': { severity: 'error', summary: 'clusterSpec.serviceAccount or clusterSpec.job is set; CMF manages them.', docs: 'cmf' },
    'server-managed-field': { severity: 'warning', summary: 'status, metadata.uid or a timestamp in a file; CMF (or, for a FlinkComputePool, CFK and Kubernetes) sets them.', docs: 'cmf' },
  },
  check({ pool }, r) {
    if (!pool) return;
    if (pool.clusterSpec) {
      for (const [field, why] of Object.entries(FORBIDDEN_CLUSTER_SPEC_FIELDS)) {
        if (!(field in pool.clusterSpec)) continue;
        const path = [...CLUSTER_SPEC, field];
        r.report('forbidden-field', r.keyAt(path), `Remove clusterSpec.${field}: ${why}, and CMF rejects or overrides a pool that sets it.`, { path });
      }
    }
    const cfk = pool.kind === CFK_KIND;
    for (const path of cfk ? KUBERNETES_OWNED_PATHS : SERVER_OWNED_PATHS) {
      const parent = valueAt(pool.value, path.slice(0, -1));
      if (!isObject(parent) || !(path[path.length - 1] in parent)) continue;
      const by = cfk ? (path[0] === 'status' ? 'CFK' : 'Kubernetes') : 'CMF';
      r.report(
        'server-managed-field',
        r.keyAt(path),
        `${pathLabel(path)} is set by ${by}; remove it from the file (${by} ignores or replaces it, and it makes the file differ from what you wrote).`,
        { path },
      );
    }
  },
  fixes: { 'forbidden-field': removeIfPresent, 'server-managed-field': removeIfPresent },
});
