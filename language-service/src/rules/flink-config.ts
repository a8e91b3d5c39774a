/**
 * flinkConfiguration: flink-config-unknown-key, flink-config-deprecated-key, flink-config-invalid-value,
 * ha-incomplete and ha-recommended. Keys are the flattened ones (nested objects join with '.').
 */
import { lookupKey } from '../flink/options';
import { checkValue } from '../flink/values';
import { CLUSTER_SPEC, FLINK_CONFIGURATION, type FlinkConfigEntry, type PoolModel } from '../pool';
import type { Reporter } from './context';

export const HA_TYPE = 'high-availability.type';
export const HA_STORAGE_DIR = 'high-availability.storageDir';
/** Values of high-availability.type that mean Kubernetes HA. */
const KUBERNETES_HA = new Set(['kubernetes', 'org.apache.flink.kubernetes.highavailability.kuberneteshaservicesfactory']);

export function flinkConfigRules(pool: PoolModel, r: Reporter): void {
  const set = pool.flinkOptions;
  const versionNote = set.exact
    ? `Flink ${set.dataVersion}`
    : set.requested
      ? `Flink ${set.dataVersion} (the nearest version we have data for; the pool runs ${set.requested})`
      : `Flink ${set.dataVersion} (flinkVersion is not set)`;
  /** Flattened config with deprecated keys read as their replacements. */
  const effective = new Map<string, FlinkConfigEntry>();
  for (const entry of pool.flinkConfig) {
    const found = lookupKey(set, entry.key);
    let canonical = entry.key;
    switch (found.kind) {
      case 'unknown': {
        const hint = found.suggestions.length ? ` Did you mean ${found.suggestions.map((s) => `"${s}"`).join(' or ')}?` : '';
        r.report('flink-config-unknown-key', r.keyAt(entry.path), `Unknown Flink option "${entry.key}" for ${versionNote}.${hint}`, {
          key: entry.key,
          path: entry.path,
          suggestions: found.suggestions,
        });
        break;
      }
      case 'deprecated': {
        const use = found.replacement ? ` Use "${found.replacement}" instead.` : ' It has no replacement; remove it.';
        r.report('flink-config-deprecated-key', r.keyAt(entry.path), `"${entry.key}" is deprecated in ${versionNote}.${use}`, {
          key: entry.key,
          path: entry.path,
          replacement: found.replacement,
          ...(found.replacements ? { replacements: found.replacements } : {}),
        });
        if (found.replacement) canonical = found.replacement;
        if (found.option) checkEntryValue(entry, found.option, r);
        break;
      }
      case 'known':
        checkEntryValue(entry, found.option, r);
        break;
      case 'templated':
        if (found.option) checkEntryValue(entry, found.option, r);
        break;
    }
    effective.set(canonical, entry);
  }

  const haType = effective.get(HA_TYPE);
  const haValue = haType?.text?.trim().toLowerCase();
  const haOn = haType !== undefined && haValue !== undefined && haValue !== 'none';
  if (haOn && !effective.has(HA_STORAGE_DIR)) {
    r.report(
      'ha-incomplete',
      r.keyAt(haType.path),
      `${HA_TYPE} is set but ${HA_STORAGE_DIR} is not: Flink keeps job metadata for recovery there (e.g. "s3://your-bucket/${poolNameForPath(pool)}/recovery") and fails to start without it.`,
      { missing: [HA_STORAGE_DIR] },
    );
  }
  if (pool.type === 'SHARED' && pool.clusterSpec && !(haValue && KUBERNETES_HA.has(haValue))) {
    const missing = effective.has(HA_STORAGE_DIR) ? [HA_TYPE] : [HA_TYPE, HA_STORAGE_DIR];
    r.report(
      'ha-recommended',
      r.keyAt(pool.hasFlinkConfig ? FLINK_CONFIGURATION : CLUSTER_SPEC),
      `This SHARED pool has no Kubernetes high availability: if its session cluster fails, every statement on it loses its state. Set "${HA_TYPE}": "kubernetes" and "${HA_STORAGE_DIR}" (and state.checkpoints.dir) in flinkConfiguration.`,
      { missing },
    );
  }
}

function checkEntryValue(entry: FlinkConfigEntry, option: Parameters<typeof checkValue>[0], r: Reporter): void {
  if (entry.text === undefined) return;
  const problem = checkValue(option, entry.text);
  if (problem) {
    r.report('flink-config-invalid-value', r.valueAt(entry.path), `"${entry.text}" is not a valid value for ${entry.key} (${option.type}): ${problem}.`, {
      key: entry.key,
      path: entry.path,
      type: option.type,
      possibleValues: option.possibleValues,
    });
  }
}

/**
 * metadata.name for an example path, or "pool". Only a string: the name may be any JSON value mid-edit, and
 * String() throws on an object without a usable toString (jsonc-parser builds null-prototype objects, and
 * JSON.parse gives `{"toString": 1}` an own toString).
 */
function poolNameForPath(pool: PoolModel): string {
  const name = pool.at(['metadata', 'name']);
  return typeof name === 'string' && name !== '' ? name : 'pool';
}
