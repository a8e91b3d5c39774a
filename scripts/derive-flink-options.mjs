#!/usr/bin/env node
// Derives language-service/src/flink/flink-options.json (the language service's Flink option catalogue) from the
// reference dump of Flink's generated configuration docs.
//
//   node scripts/derive-flink-options.mjs [path/to/flink-config-options.json] [output.json]
//
// Input: reference/flink-config-options.json by default (reference/README.md gives its source and commits).
// Output (minified JSON):
//   {
//     format: 1,
//     source: "<one-line provenance note>",
//     corrections: [ "<what this script changed relative to the reference, and why>" ],
//     strings: [ "<description>", ... ],            // descriptions, shared by all versions
//     versions: {
//       "1.19": {
//         commit, ref,                                // apache/flink commit the docs were read at
//         options: [ { k: key, t: type, d: default|null, s: index into strings,
//                      v?: possibleValues, dk?: deprecatedKeys, x?: true (option itself deprecated) } ],
//         deprecatedKeyIndex: { "<old key>": ["<new key>", ...] }
//       }, "1.20": {...}, "2.0": {...}
//     }
//   }
// Options are sorted by key. `d` is the default as rendered by Flink's docs, except that a String option's default
// written as one double-quoted token ("hashmap") is unquoted so it can be pasted as a value.
import { readFileSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const input = resolve(process.argv[2] ?? resolve(here, '../reference/flink-config-options.json'));
const output = resolve(process.argv[3] ?? resolve(here, '../language-service/src/flink/flink-options.json'));
const VERSIONS = ['1.19', '1.20', '2.0'];
const TYPES = new Set([
  'String', 'Boolean', 'Integer', 'Long', 'Double', 'Float', 'Duration', 'MemorySize',
  'Enum', 'List<String>', 'List<Enum>', 'Map', 'List<Map>',
]);

/**
 * The SQL Gateway's REST endpoint table lists its options without the prefix the gateway reads them under
 * (SqlGatewayRestOptions are looked up below `sql-gateway.endpoint.rest.`); a bare `port` or `address` is not a
 * Flink option, so they are renamed.
 */
const SQL_GATEWAY_REST_PREFIX = 'sql-gateway.endpoint.rest.';
const SQL_GATEWAY_REST_SECTION = 'sql_gateway_rest_configuration';

/**
 * Deprecated keys the reference parser could not see because the option's Java definition was not matched (the
 * entry has no javaFields). Added for every version where the new key exists.
 *  - `restart-strategy` -> `restart-strategy.type`: RestartStrategyOptions.RESTART_STRATEGY is declared
 *    `key("restart-strategy.type")...withDeprecatedKeys("restart-strategy")` since Flink 1.17.
 */
const EXTRA_DEPRECATED_KEYS = { 'restart-strategy.type': ['restart-strategy'] };

const corrections = [
  `SQL Gateway REST endpoint options (docs table ${SQL_GATEWAY_REST_SECTION}) are keyed under '${SQL_GATEWAY_REST_PREFIX}' (the table lists them unprefixed).`,
  "Deprecated keys equal to the option's own key (taskmanager.network.retries) are dropped.",
  "An option is marked deprecated only if it has a Java definition outside ConfigConstants: the reference marks restart-strategy.fixed-delay.delay (1.19, 1.20) deprecated because it matched only the deprecated ConfigConstants.RESTART_STRATEGY_FIXED_DELAY_DELAY constant, while RestartStrategyOptions still documents the key.",
  "Added deprecated key 'restart-strategy' for 'restart-strategy.type' (RestartStrategyOptions, withDeprecatedKeys; the reference parser found no Java definition for it).",
];

const ref = JSON.parse(readFileSync(input, 'utf8'));
if (!ref.versions) throw new Error(`${input}: no "versions"`);

const strings = [];
const stringIndex = new Map();
const intern = (s) => {
  let i = stringIndex.get(s);
  if (i === undefined) {
    i = strings.length;
    strings.push(s);
    stringIndex.set(s, i);
  }
  return i;
};

const unquoteDefault = (type, d) => {
  if (d == null) return null;
  if (type === 'String') {
    const m = /^"([^"]*)"$/.exec(d);
    if (m) return m[1];
  }
  return d;
};

const uniq = (xs) => [...new Set(xs)];

const out = {
  format: 1,
  source: '',
  corrections,
  strings,
  versions: {},
};
const sourceNotes = [];
const counts = {};

for (const version of VERSIONS) {
  const v = ref.versions[version];
  if (!v) throw new Error(`${input}: version ${version} missing`);
  const src = v.source ?? {};
  sourceNotes.push(`${version}: apache/flink ${src.ref ?? '?'} @ ${String(src.commit ?? '?').slice(0, 12)}`);

  /** key -> list of raw entries (the same key may appear twice: merged below). */
  const byKey = new Map();
  for (const o of v.options) {
    let key = o.key;
    if ((o.docSections ?? []).includes(SQL_GATEWAY_REST_SECTION) && !key.includes('.')) key = SQL_GATEWAY_REST_PREFIX + key;
    if (!TYPES.has(o.type)) throw new Error(`${version} ${key}: unexpected type ${o.type}`);
    const list = byKey.get(key) ?? [];
    list.push(o);
    byKey.set(key, list);
  }

  const options = [];
  let dupes = 0;
  for (const [key, entries] of [...byKey].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (entries.length > 1) dupes++;
    const first = entries[0];
    // Merge: first non-null wins for scalar fields; lists are unioned.
    const pick = (f) => entries.map((e) => e[f]).find((x) => x !== undefined && x !== null) ?? null;
    const type = first.type;
    const description = entries.map((e) => e.description).filter(Boolean).sort((a, b) => b.length - a.length)[0] ?? '';
    const possibleValues = uniq(entries.flatMap((e) => e.possibleValues ?? []));
    const deprecatedKeys = uniq([
      ...entries.flatMap((e) => e.deprecatedKeys ?? []),
      ...(EXTRA_DEPRECATED_KEYS[key] ?? []),
    ]).filter((k) => k !== key);
    const deprecatedEntry = (e) =>
      e.deprecated === true && (e.javaFields ?? []).some((f) => !f.startsWith('ConfigConstants.'));
    const deprecated = entries.every(deprecatedEntry);

    const rec = { k: key, t: type, d: unquoteDefault(type, pick('default')), s: intern(description) };
    if (possibleValues.length) rec.v = possibleValues;
    if (deprecatedKeys.length) rec.dk = deprecatedKeys;
    if (deprecated) rec.x = true;
    options.push(rec);
  }

  const keys = new Set(options.map((o) => o.k));
  const index = {};
  const addIndex = (oldKey, newKey) => {
    if (oldKey === newKey || keys.has(oldKey)) return; // a live key is never "deprecated" by another
    (index[oldKey] ??= []).includes(newKey) || index[oldKey].push(newKey);
  };
  for (const [oldKey, news] of Object.entries(v.deprecatedKeyIndex ?? {})) for (const n of news) addIndex(oldKey, n);
  for (const o of options) for (const dk of o.dk ?? []) addIndex(dk, o.k);
  const sortedIndex = Object.fromEntries(Object.entries(index).sort(([a], [b]) => (a < b ? -1 : 1)));

  out.versions[version] = {
    commit: src.commit ?? null,
    ref: src.ref ?? null,
    options,
    deprecatedKeyIndex: sortedIndex,
  };
  counts[version] = {
    options: options.length,
    templated: options.filter((o) => /[<#]/.test(o.k)).length,
    deprecatedOptions: options.filter((o) => o.x).length,
    deprecatedKeys: Object.keys(sortedIndex).length,
    mergedDuplicates: dupes,
  };
}

out.source =
  'Apache Flink configuration options from the generated configuration docs (docs/layouts/shortcodes/generated/*.html) ' +
  'and ConfigOption definitions of apache/flink, read from fork snapshots of upstream commits: ' +
  sourceNotes.join('; ') +
  '. Flink 2.1+ is not covered (2.0 is used for v2_x). No connector/format options.';

mkdirSync(dirname(output), { recursive: true });
const text = JSON.stringify(out);
writeFileSync(output, text + '\n');

for (const [version, c] of Object.entries(counts)) {
  console.log(
    `${version}: ${c.options} options (${c.templated} templated, ${c.deprecatedOptions} deprecated), ` +
      `${c.deprecatedKeys} deprecated keys, ${c.mergedDuplicates} duplicate keys merged`,
  );
}
console.log(`${strings.length} distinct descriptions`);
console.log(`wrote ${output}: ${statSync(output).size} bytes (${(statSync(output).size / 1024).toFixed(1)} KiB)`);
