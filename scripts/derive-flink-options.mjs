#!/usr/bin/env node
// Derives the language service's Flink option data, language-service/data/, from the reference dump of Flink's
// generated configuration docs:
//
//   node scripts/derive-flink-options.mjs [flink-config-options.json] [out-dir] [--check]
//
// Input: reference/flink-config-options.json by default (reference/README.md gives its source and commits).
// out-dir defaults to language-service/data. --check writes nothing and exits 1 naming each file that is not what
// this script would write (a stale, missing or left-over file); a failure to read the input exits 2.
//
// Output, minified JSON, read at run time by language-service/src/flink/options.ts (never bundled):
//
//   flink-options-<version>.json, one per data version (1.19, 1.20, 2.0), read the first time a pool needs that
//   version: everything validation and completion lists need.
//   {
//     format: 2, dataVersion: "1.19",
//     source: "apache/flink <ref> @ <commit, 12 digits> (generated configuration docs)",
//     ref, commit, commitDate,                     // the apache/flink commit the docs were read at
//     derivedFrom: "<input> by <this script>",
//     corrections: [ "<what this script changed relative to the reference, and why>" ],
//     descriptions: { file: "flink-option-descriptions.json", digest },   // where `s` points
//     options: [ { k: key, t: type, d: default|null, s: index into the descriptions,
//                  v?: possibleValues, dk?: deprecatedKeys, x?: true (option itself deprecated) } ],
//     deprecatedKeyIndex: { "<old key>": ["<new key>", ...] }
//   }
//
//   flink-option-descriptions.json, read only when a description is first shown (hover, completion documentation):
//   { format: 2, source, digest, descriptions: [ "<description>", ... ] }
//   One file for all versions: most descriptions are the same in every version, so a shared, de-duplicated list is
//   186 KiB where one list per version would be 150 + 155 + 172 KiB, and reading it takes about as long as reading
//   one of those (1.4 ms against 1.3 ms).
//   `digest` (SHA-256 of the list, 16 hex digits) is repeated in every version file: a descriptions file from another
//   run is refused at run time instead of showing the wrong text.
//
// Options are sorted by key. `d` is the default as rendered by Flink's docs, except that a String option's default
// written as one double-quoted token ("hashmap") is unquoted so it can be pasted as a value.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const check = args.includes('--check');
const positional = args.filter((a) => !a.startsWith('--'));
const input = resolve(positional[0] ?? resolve(ROOT, 'reference/flink-config-options.json'));
const outDir = resolve(positional[1] ?? resolve(ROOT, 'language-service/data'));
const VERSIONS = ['1.19', '1.20', '2.0'];
const DESCRIPTIONS_FILE = 'flink-option-descriptions.json';
const versionFile = (version) => `flink-options-${version}.json`;
/** Files in out-dir this script owns: any of them it would not write is left over (a version no longer derived). */
const OWNED = /^flink-options?(-.*)?\.json$/;
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

const shown = (path) => {
  const r = relative(ROOT, path);
  return r.startsWith('..') ? path : r;
};

function fail(message) {
  console.error(`derive-flink-options: ${message}`);
  process.exit(2);
}

const unquoteDefault = (type, d) => {
  if (d == null) return null;
  if (type === 'String') {
    const m = /^"([^"]*)"$/.exec(d);
    if (m) return m[1];
  }
  return d;
};

const uniq = (xs) => [...new Set(xs)];

/** The options and deprecated-key index of one version; descriptions go through `intern`. */
function deriveVersion(version, v, intern) {
  /** key -> list of raw entries (the same key may appear twice: merged below). */
  const byKey = new Map();
  for (const o of v.options) {
    let key = o.key;
    if ((o.docSections ?? []).includes(SQL_GATEWAY_REST_SECTION) && !key.includes('.')) key = SQL_GATEWAY_REST_PREFIX + key;
    if (!TYPES.has(o.type)) fail(`${version} ${key}: unexpected type ${o.type}`);
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
    if (!(index[oldKey] ??= []).includes(newKey)) index[oldKey].push(newKey);
  };
  for (const [oldKey, news] of Object.entries(v.deprecatedKeyIndex ?? {})) for (const n of news) addIndex(oldKey, n);
  for (const o of options) for (const dk of o.dk ?? []) addIndex(dk, o.k);
  const deprecatedKeyIndex = Object.fromEntries(Object.entries(index).sort(([a], [b]) => (a < b ? -1 : 1)));

  const counts =
    `${options.length} options (${options.filter((o) => /[<#]/.test(o.k)).length} templated, ` +
    `${options.filter((o) => o.x).length} deprecated), ${Object.keys(deprecatedKeyIndex).length} deprecated keys, ` +
    `${dupes} duplicate keys merged`;
  return { options, deprecatedKeyIndex, counts };
}

function main() {
  let ref;
  try {
    ref = JSON.parse(readFileSync(input, 'utf8'));
  } catch (e) {
    fail(`cannot read ${input}: ${e.message}`);
  }
  if (!ref.versions) fail(`${input}: no "versions"`);

  const descriptions = [];
  const descriptionIndex = new Map();
  const intern = (s) => {
    let i = descriptionIndex.get(s);
    if (i === undefined) {
      i = descriptions.length;
      descriptions.push(s);
      descriptionIndex.set(s, i);
    }
    return i;
  };

  const derivedFrom = `${shown(input)} by scripts/derive-flink-options.mjs`;
  const derived = [];
  for (const version of VERSIONS) {
    const v = ref.versions[version];
    if (!v) fail(`${input}: version ${version} missing`);
    const src = v.source ?? {};
    const { options, deprecatedKeyIndex, counts } = deriveVersion(version, v, intern);
    derived.push({
      version,
      counts,
      data: {
        format: 2,
        dataVersion: version,
        source: `apache/flink ${src.ref ?? '?'} @ ${String(src.commit ?? '?').slice(0, 12)} (generated configuration docs)`,
        ref: src.ref ?? null,
        commit: src.commit ?? null,
        commitDate: src.commitDate ?? null,
        derivedFrom,
        corrections,
        descriptions: { file: DESCRIPTIONS_FILE, digest: '' },
        options,
        deprecatedKeyIndex,
      },
    });
  }

  const digest = createHash('sha256').update(JSON.stringify(descriptions)).digest('hex').slice(0, 16);
  for (const d of derived) d.data.descriptions.digest = digest;
  const files = [
    ...derived.map((d) => [versionFile(d.version), d.data]),
    [
      DESCRIPTIONS_FILE,
      {
        format: 2,
        source:
          `Descriptions of the Flink options in ${VERSIONS.map(versionFile).join(', ')} (their "s" indexes this list), ` +
          `from the generated configuration docs of apache/flink; derived from ${derivedFrom}.`,
        digest,
        descriptions,
      },
    ],
  ];

  let stale = false;
  for (const [file, value] of files) {
    const path = resolve(outDir, file);
    const next = JSON.stringify(value) + '\n';
    let current = null;
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      // not written yet
    }
    const size = `${(Buffer.byteLength(next) / 1024).toFixed(1)} KiB`;
    if (next === current) {
      console.log(`derive-flink-options: ${shown(path)} up to date (${size})`);
    } else if (check) {
      console.error(`derive-flink-options: ${shown(path)} is ${current === null ? 'missing' : 'out of date'}; run node scripts/derive-flink-options.mjs`);
      stale = true;
    } else {
      mkdirSync(outDir, { recursive: true });
      writeFileSync(path, next);
      console.log(`derive-flink-options: wrote ${shown(path)} (${size})`);
    }
  }
  const written = new Set(files.map(([file]) => file));
  let present = [];
  try {
    present = readdirSync(outDir);
  } catch {
    // no folder yet
  }
  for (const file of present.filter((f) => OWNED.test(f) && !written.has(f)).sort()) {
    const path = resolve(outDir, file);
    if (check) {
      console.error(`derive-flink-options: ${shown(path)} is not derived any more; run node scripts/derive-flink-options.mjs to remove it`);
      stale = true;
    } else {
      rmSync(path);
      console.log(`derive-flink-options: removed ${shown(path)} (not derived any more)`);
    }
  }

  for (const d of derived) console.log(`derive-flink-options: ${d.version}: ${d.counts}`);
  console.log(`derive-flink-options: ${descriptions.length} distinct descriptions`);
  if (stale) process.exit(1);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
