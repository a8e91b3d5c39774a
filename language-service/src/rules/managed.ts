/** Fields CMF owns: clusterSpec fields it manages (forbidden-field) and fields the server sets (server-managed-field). */
import { FORBIDDEN_CLUSTER_SPEC_FIELDS, SERVER_OWNED_PATHS } from '../../../cmf-model/src/facts';
import { pathLabel } from '../document';
import { CLUSTER_SPEC, type PoolModel } from '../pool';
import type { Reporter } from './context';

export function managedFields(pool: PoolModel, r: Reporter): void {
  if (pool.clusterSpec) {
    for (const [field, why] of Object.entries(FORBIDDEN_CLUSTER_SPEC_FIELDS)) {
      if (!(field in pool.clusterSpec)) continue;
      const path = [...CLUSTER_SPEC, field];
      r.report('forbidden-field', r.keyAt(path), `Remove clusterSpec.${field}: ${why}, and CMF rejects or overrides a pool that sets it.`, {
        path,
      });
    }
  }
  for (const path of SERVER_OWNED_PATHS) {
    const parent = pool.at(path.slice(0, -1));
    if (typeof parent !== 'object' || parent === null || !(path[path.length - 1] in parent)) continue;
    r.report(
      'server-managed-field',
      r.keyAt(path),
      `${pathLabel(path)} is set by CMF; remove it from the file (CMF ignores or replaces it, and it makes the file differ from what you wrote).`,
      { path },
    );
  }
}
