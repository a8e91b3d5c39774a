/** High availability of the pool's cluster: ha-incomplete and ha-recommended. */
import { isObject } from '../../../cmf-model/src/json';
import type { JsonPath } from '../document/model';
import { placeholderDirectory } from '../flink/common';
import { lookupKey } from '../flink/options';
import { CLUSTER_SPEC, FLINK_CONFIGURATION, type PoolModel } from '../pool';
import { type Fix, defineRule, strings } from './rule';

const HA_TYPE = 'high-availability.type';
const HA_STORAGE_DIR = 'high-availability.storageDir';
/** Values of high-availability.type that mean Kubernetes HA. */
const KUBERNETES_HA = new Set(['kubernetes', 'org.apache.flink.kubernetes.highavailability.kuberneteshaservicesfactory']);

type HaCode = 'ha-incomplete' | 'ha-recommended';

export const highAvailabilityRule = defineRule<HaCode>({
  codes: {
    'ha-incomplete': { severity: 'warning', summary: 'high-availability.type is set without high-availability.storageDir.', docs: 'cmf' },
    'ha-recommended': {
      severity: 'info',
      summary: 'A SHARED pool without Kubernetes high availability loses statement state if its cluster fails.',
      docs: 'cmf',
    },
  },
  check({ pool }, r) {
    if (!pool) return;
    const haType = pool.entryFor(HA_TYPE);
    const haValue = haType?.text?.trim().toLowerCase();
    const haOn = haType !== undefined && haValue !== undefined && haValue !== 'none';
    const hasStorageDir = pool.entryFor(HA_STORAGE_DIR) !== undefined;
    if (haOn && !hasStorageDir) {
      r.report(
        'ha-incomplete',
        r.keyAt(haType.path),
        `${HA_TYPE} is set but ${HA_STORAGE_DIR} is not: Flink keeps job metadata for recovery there (e.g. "s3://your-bucket/${poolNameForPath(pool)}/recovery") and fails to start without it.`,
        { missing: [HA_STORAGE_DIR] },
      );
    }
    if (pool.type === 'SHARED' && pool.clusterSpec && !(haValue && KUBERNETES_HA.has(haValue))) {
      const missing = hasStorageDir ? [HA_TYPE] : [HA_TYPE, HA_STORAGE_DIR];
      r.report(
        'ha-recommended',
        r.keyAt(pool.hasFlinkConfig ? FLINK_CONFIGURATION : CLUSTER_SPEC),
        `This SHARED pool has no Kubernetes high availability: if its session cluster fails, every statement on it loses its state. Set "${HA_TYPE}": "kubernetes" and "${HA_STORAGE_DIR}" (and state.checkpoints.dir) in flinkConfiguration.`,
        { missing },
      );
    }
  },
  fixes: {
    'ha-incomplete': ({ pool, data }) => haFixes('ha-incomplete', strings(data.missing), pool),
    'ha-recommended': ({ pool, data }) => haFixes('ha-recommended', strings(data.missing), pool),
  },
});

/**
 * metadata.name for an example path, or "pool". Only a string: the name may be any JSON value mid-edit, and
 * String() throws on an object without a usable toString (jsonc-parser builds null-prototype objects, and
 * JSON.parse gives `{"toString": 1}` an own toString).
 */
function poolNameForPath(pool: PoolModel): string {
  const name = pool.at(['metadata', 'name']);
  return typeof name === 'string' && name !== '' ? name : 'pool';
}

function haFixes(code: HaCode, missing: string[], pool: PoolModel): Fix[] {
  if (!pool.clusterSpec) return [];
  const name = typeof pool.at(['metadata', 'name']) === 'string' ? (pool.at(['metadata', 'name']) as string) : undefined;
  const adds: { path: JsonPath; value: string; key: string }[] = [];
  const want = missing.length ? missing : code === 'ha-incomplete' ? [HA_STORAGE_DIR] : [HA_TYPE, HA_STORAGE_DIR];
  if (want.includes(HA_TYPE)) {
    adds.push({ key: HA_TYPE, path: pool.entryFor(HA_TYPE)?.path ?? [...FLINK_CONFIGURATION, HA_TYPE], value: 'kubernetes' });
  }
  if (want.includes(HA_STORAGE_DIR) && !pool.entryFor(HA_STORAGE_DIR)) {
    adds.push({ key: HA_STORAGE_DIR, path: [...FLINK_CONFIGURATION, HA_STORAGE_DIR], value: placeholderDirectory(name, 'recovery') });
  }
  if (code === 'ha-recommended') {
    // Recovery restarts statements from their latest checkpoint, so checkpoints need a durable place too.
    const legacy = 'state.checkpoints.dir';
    const checkpointKey = lookupKey(pool.flinkOptions, legacy).kind === 'known' ? legacy : 'execution.checkpointing.dir';
    if (!pool.entryFor(legacy) && !pool.entryFor('execution.checkpointing.dir')) {
      adds.push({ key: checkpointKey, path: [...FLINK_CONFIGURATION, checkpointKey], value: placeholderDirectory(name, 'checkpoints') });
    }
  }
  if (adds.length === 0) return [];
  const title =
    code === 'ha-incomplete'
      ? `Add ${adds.map((a) => a.key).join(', ')} (a placeholder location to fill in)`
      : `Set up Kubernetes high availability (${adds.map((a) => a.key).join(', ')})`;
  return [
    {
      title,
      build: (e) => {
        if (!isObject(pool.at(FLINK_CONFIGURATION))) e.set(FLINK_CONFIGURATION, Object.fromEntries(adds.map((a) => [a.key, a.value])));
        else for (const a of adds) e.set(a.path, a.value);
      },
      preferred: true,
    },
  ];
}
