/**
 * flinkConfiguration entries: flink-config-unknown-key, flink-config-deprecated-key, flink-config-invalid-value.
 * Keys are the flattened ones (nested objects join with '.'); the Flink option data is the pool's version's.
 */
import type { DocumentEdit, JsonPath } from '../document/model';
import { versionNote } from '../flink/docs';
import type { FlinkOption } from '../flink/options';
import { checkValue } from '../flink/values';
import { FLINK_CONFIGURATION, SUGGESTION_LIMIT, type FlinkConfigEntry, type PoolModel, flatKey } from '../pool';
import { type Fix, type FixInput, type Reporter, defineRule, exists, str, strings } from './rule';
import { enumFixes } from './schema';

/** Entries checked between two yields (a few milliseconds' work): see Rule.check. */
const STEP = 500;

type FlinkKeyCode = 'flink-config-unknown-key' | 'flink-config-deprecated-key' | 'flink-config-invalid-value';

export const flinkKeysRule = defineRule<FlinkKeyCode>({
  codes: {
    'flink-config-unknown-key': {
      severity: 'warning',
      summary: "A flinkConfiguration key Flink does not know for the pool's Flink version.",
      docs: 'flink',
      perEntry: true,
    },
    'flink-config-deprecated-key': { severity: 'warning', summary: 'A deprecated flinkConfiguration key; use its replacement.', docs: 'flink', perEntry: true },
    'flink-config-invalid-value': {
      severity: 'error',
      summary: "A flinkConfiguration value that does not parse as the option's type.",
      docs: 'flink',
      perEntry: true,
    },
  },
  *check({ pool }, r) {
    if (!pool) return;
    const note = versionNote(pool.flinkOptions);
    const keys = pool.flinkKeys();
    let unknown = 0;
    let unsuggested = 0;
    for (const { found } of keys) {
      if (found.kind === 'unknown') {
        unknown++;
        if (found.unsuggested) unsuggested++;
      }
    }
    const capped =
      ` No close match was looked for: this pool has ${count(unknown)} unknown keys, "did you mean" is looked up for the first ` +
      `${SUGGESTION_LIMIT}, and ${count(unsuggested)} are left without a suggestion.`;
    let n = 0;
    for (const { entry, found } of keys) {
      if (++n % STEP === 0) yield;
      switch (found.kind) {
        case 'unknown': {
          const hint = found.unsuggested ? capped : found.suggestions.length ? ` Did you mean ${found.suggestions.map((s) => `"${s}"`).join(' or ')}?` : '';
          r.report('flink-config-unknown-key', r.keyAt(entry.path), `Unknown Flink option "${entry.key}" for ${note}.${hint}`, {
            key: entry.key,
            path: entry.path,
            suggestions: found.suggestions,
          });
          break;
        }
        case 'deprecated': {
          const use = found.replacement ? ` Use "${found.replacement}" instead.` : ' It has no replacement; remove it.';
          r.report('flink-config-deprecated-key', r.keyAt(entry.path), `"${entry.key}" is deprecated in ${note}.${use}`, {
            key: entry.key,
            path: entry.path,
            replacement: found.replacement,
            ...(found.replacements ? { replacements: found.replacements } : {}),
          });
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
    }
  },
  fixes: {
    'flink-config-unknown-key': (input) => (input.path && exists(input.pool, input.path) ? unknownKeyFixes(input, input.path) : []),
    'flink-config-deprecated-key': (input) => (input.path && exists(input.pool, input.path) ? deprecatedKeyFixes(input, input.path) : []),
    'flink-config-invalid-value': ({ pool, path, data }) => {
      if (!path || !exists(pool, path)) return [];
      const values = data.type === 'Boolean' ? ['true', 'false'] : data.type === 'Enum' ? strings(data.possibleValues) : [];
      return enumFixes(values, path, pool, flatKey(path));
    },
  },
});

/** 20000 as "20,000", whatever the locale. */
function count(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function checkEntryValue(entry: FlinkConfigEntry, option: FlinkOption, r: Reporter<FlinkKeyCode>): void {
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

/** Is the flattened key set anywhere in flinkConfiguration, other than at `except`? */
function configHas(pool: PoolModel, key: string, except: JsonPath): boolean {
  const exceptKey = JSON.stringify(except);
  return pool.flinkConfig.some((e) => e.key === key && JSON.stringify(e.path) !== exceptKey);
}

/**
 * Gives the entry at `path` the flattened key `to`: renames the key in place when the entry is flat or `to`
 * keeps its nested prefix; otherwise moves the value to a flat key of flinkConfiguration.
 */
function renameFlinkKey(fix: DocumentEdit, pool: PoolModel, path: JsonPath, to: string): void {
  const nested = path.slice(FLINK_CONFIGURATION.length, -1).join('.');
  if (nested === '') fix.renameKey(path, to);
  else if (to.startsWith(nested + '.')) fix.renameKey(path, to.slice(nested.length + 1));
  else fix.remove(path).set([...FLINK_CONFIGURATION, to], pool.at(path));
}

function unknownKeyFixes({ pool, data }: FixInput, path: JsonPath): Fix[] {
  const key = flatKey(path);
  const fixes: Fix[] = [];
  for (const s of strings(data.suggestions)) {
    if (s === key) continue;
    if (configHas(pool, s, path)) fixes.push({ title: `Remove "${key}" ("${s}" is already set)`, build: (e) => e.remove(path) });
    else fixes.push({ title: `Replace with "${s}"`, build: (e) => renameFlinkKey(e, pool, path, s), preferred: true });
  }
  return fixes;
}

function deprecatedKeyFixes({ pool, data }: FixInput, path: JsonPath): Fix[] {
  const key = flatKey(path);
  const replacements = strings(data.replacements).length ? strings(data.replacements) : strings([str(data.replacement)]);
  if (replacements.length === 0) return [{ title: `Remove the deprecated "${key}"`, build: (e) => e.remove(path), preferred: true }];
  return replacements.map((r, i) =>
    configHas(pool, r, path)
      ? { title: `Remove the deprecated "${key}" ("${r}" is already set)`, build: (e) => e.remove(path), preferred: i === 0 }
      : { title: `Rename to "${r}"`, build: (e) => renameFlinkKey(e, pool, path, r), preferred: i === 0 },
  );
}
