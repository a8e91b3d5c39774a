/** invalid-name: the name becomes the name of Kubernetes resources CMF creates for the pool. */
import { POOL_NAME_PATTERN, SHARED_POOL_NAME_MAX } from '../../../cmf-model/src/facts';
import type { PoolModel } from '../pool';
import type { Reporter } from './context';

export function nameRules(pool: PoolModel, r: Reporter): void {
  const name = pool.at(['metadata', 'name']);
  if (typeof name !== 'string') return;
  const node = r.valueAt(['metadata', 'name']);
  if (!POOL_NAME_PATTERN.test(name)) {
    r.report(
      'invalid-name',
      node,
      `metadata.name "${name}" is not a valid pool name: use lowercase letters, digits and "-", starting with a letter and ending with a letter or digit (the Flink operator's rule for the clusters CMF creates), e.g. "${suggestName(name)}".`,
      { suggested: suggestName(name) },
    );
  } else if (pool.type === 'SHARED' && name.length > SHARED_POOL_NAME_MAX) {
    r.report(
      'invalid-name',
      node,
      `metadata.name is ${name.length} characters; a SHARED pool's name may have at most ${SHARED_POOL_NAME_MAX}, the limit for the name of its session cluster's FlinkDeployment.`,
      { suggested: name.slice(0, SHARED_POOL_NAME_MAX).replace(/-+$/, '') },
    );
  }
}

function suggestName(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '');
  return s || 'my-pool';
}
