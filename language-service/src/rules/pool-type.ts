/** Differences between SHARED and DEDICATED pools: state-on-dedicated, mode-on-dedicated, replicas-ignored-native. */
import { isObject } from '../document';
import { CLUSTER_SPEC, type PoolModel } from '../pool';
import type { Reporter } from './context';

export function poolTypeRules(pool: PoolModel, r: Reporter): void {
  const spec = pool.value.spec;
  if (pool.type === 'DEDICATED') {
    if (isObject(spec) && 'state' in spec) {
      r.report(
        'state-on-dedicated',
        r.keyAt(['spec', 'state']),
        'spec.state applies only to SHARED pools (a dedicated pool starts a cluster per statement and has nothing to suspend). Remove it.',
        { path: ['spec', 'state'] },
      );
    }
    if (pool.clusterSpec && 'mode' in pool.clusterSpec) {
      r.report(
        'mode-on-dedicated',
        r.keyAt([...CLUSTER_SPEC, 'mode']),
        'clusterSpec.mode applies to SHARED pools (their session cluster); a DEDICATED pool runs each statement in application mode. Remove it.',
        { path: [...CLUSTER_SPEC, 'mode'] },
      );
    }
  }
  if (pool.type === 'SHARED' && pool.clusterSpec) {
    const mode = pool.clusterSpec.mode ?? 'native';
    const tm = pool.clusterSpec.taskManager;
    if (mode === 'native' && isObject(tm) && 'replicas' in tm) {
      r.report(
        'replicas-ignored-native',
        r.keyAt([...CLUSTER_SPEC, 'taskManager', 'replicas']),
        'taskManager.replicas is ignored in native mode (the default): Flink starts and stops TaskManagers as statements need them. Set "mode": "standalone" for a fixed TaskManager count, or remove replicas.',
        { path: [...CLUSTER_SPEC, 'taskManager', 'replicas'] },
      );
    }
  }
}
