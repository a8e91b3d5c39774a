/** invalid-name: the name becomes the name of Kubernetes resources CMF creates for the pool. */
import { POOL_NAME_PATTERN, SHARED_POOL_NAME_MAX } from '../../../cmf-model/src/facts';
import { defineRule, exists, str } from './rule';

const NAME = ['metadata', 'name'];

export const nameRule = defineRule<'invalid-name'>({
  codes: {
    'invalid-name': {
      severity: 'error',
      summary: 'metadata.name is not a valid cluster name (or too long for a SHARED pool).',
      docs: 'cmf',
    },
  },
  check({ pool }, r) {
    const name = pool?.at(NAME);
    if (!pool || typeof name !== 'string') return;
    const node = r.valueAt(NAME);
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
  },
  fixes: {
    'invalid-name': ({ pool, data }) => {
      const suggested = str(data.suggested);
      if (!suggested || !exists(pool, NAME)) return [];
      return [{ title: `Rename the pool to "${suggested}"`, build: (e) => e.set(NAME, suggested), preferred: true }];
    },
  },
});

function suggestName(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '');
  return s || 'my-pool';
}
