/** Differences between SHARED and DEDICATED pools: state-on-dedicated, mode-on-dedicated, replicas-ignored-native. */
import { CFK_KIND, SHARED_ONLY_PATHS } from '../../../cmf-model/src/facts';
import { isObject } from '../../../cmf-model/src/json';
import { CLUSTER_SPEC } from '../pool';
import { type Fix, type FixInput, defineRule, exists, removeFix, removeIfPresent } from './rule';

const [STATE, MODE] = SHARED_ONLY_PATHS;
const REPLICAS = [...CLUSTER_SPEC, 'taskManager', 'replicas'];

export const poolTypeRule = defineRule<'state-on-dedicated' | 'mode-on-dedicated' | 'replicas-ignored-native'>({
  codes: {
    'state-on-dedicated': { severity: 'error', summary: 'spec.state is set on a DEDICATED pool; only shared pools have a state.', docs: 'cmf' },
    'mode-on-dedicated': { severity: 'warning', summary: 'clusterSpec.mode is set on a DEDICATED pool; modes apply to shared pools.', docs: 'cmf' },
    'replicas-ignored-native': {
      severity: 'warning',
      summary: 'taskManager.replicas on a SHARED pool in native mode does not set the TaskManager count.',
      docs: 'cmf',
    },
  },
  check({ pool }, r) {
    if (!pool) return;
    if (pool.type === 'DEDICATED') {
      const spec = pool.value.spec;
      if (isObject(spec) && 'state' in spec) {
        r.report(
          'state-on-dedicated',
          r.keyAt(STATE),
          `spec.state applies only to SHARED pools (a dedicated pool starts a cluster per statement and has nothing to suspend)${pool.kind === CFK_KIND ? ", and CFK's FlinkComputePool CRD rejects it on a DEDICATED pool (a CEL validation rule)" : ''}. Remove it.`,
          { path: STATE },
        );
      }
      if (pool.clusterSpec && 'mode' in pool.clusterSpec) {
        r.report(
          'mode-on-dedicated',
          r.keyAt(MODE),
          'clusterSpec.mode applies to SHARED pools (their session cluster); a DEDICATED pool runs each statement in application mode. Remove it.',
          { path: MODE },
        );
      }
    }
    if (pool.type === 'SHARED' && pool.clusterSpec) {
      const mode = pool.clusterSpec.mode ?? 'native';
      const tm = pool.clusterSpec.taskManager;
      if (mode === 'native' && isObject(tm) && 'replicas' in tm) {
        r.report(
          'replicas-ignored-native',
          r.keyAt(REPLICAS),
          'taskManager.replicas is ignored in native mode (the default): Flink starts and stops TaskManagers as statements need them. Set "mode": "standalone" for a fixed TaskManager count, or remove replicas.',
          { path: REPLICAS },
        );
      }
    }
  },
  fixes: {
    'state-on-dedicated': removeIfPresent,
    'mode-on-dedicated': removeIfPresent,
    'replicas-ignored-native': ({ pool, path }: FixInput): Fix[] => {
      if (!path || !exists(pool, path)) return [];
      return [{ title: 'Set clusterSpec.mode to "standalone" (a fixed TaskManager count)', build: (e) => e.set(MODE, 'standalone'), preferred: true }, removeFix(path, false)];
    },
  },
});
