/**
 * Quick fixes: code actions of kind `quickfix`, one or more per diagnostic, built from the diagnostic's
 * `code` and `data` (what each rule put there) and the document as it is now. Every fix is a single
 * TextEdit that keeps the document's indentation; a fix whose target is gone (the document changed since
 * the diagnostic) is simply not offered.
 */
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver-types';
import { type JsonPath, type ParsedDocument, isObject, pathLabel } from './document';
import { JsonEdit } from './json-edit';
import { CLUSTER_SPEC, FLINK_CONFIGURATION, type PoolModel, podTemplates, readPool } from './pool';
import { NEWEST_BUILDS, flinkLine, flinkVersionFor, newestImageFor, parseCpFlinkSqlTag, parseImageRef } from './images';
import { RESERVED_VOLUMES, reservedMountPath } from '../../cmf-model/src/facts';
import { HA_STORAGE_DIR, HA_TYPE } from './rules/flink-config';
import { lookupKey } from './flink/options';
import { placeholderDirectory } from './flink/common';
import { SOURCE } from './rules/context';
import { editDistance } from './text';

const IMAGE: JsonPath = [...CLUSTER_SPEC, 'image'];
const FLINK_VERSION: JsonPath = [...CLUSTER_SPEC, 'flinkVersion'];
const MODE: JsonPath = [...CLUSTER_SPEC, 'mode'];
/** Where a moved mount path goes instead of CMF's reserved one (the rule's message names it too). */
const FREE_MOUNT_ROOT = '/opt/flink/user-data';
/** The name a user's volume gets when it used one of CMF's reserved names. */
const FREE_VOLUME_NAME = 'user-statement-volume';

interface Fix {
  title: string;
  build: (e: JsonEdit) => void;
  preferred?: boolean;
}

/** Quick fixes for the diagnostics the client sent (those of other sources are ignored). */
export function codeActions(parsed: ParsedDocument, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const pool = readPool(parsed);
  if (!pool) return [];
  const actions: CodeAction[] = [];
  for (const d of diagnostics) {
    if (d.source !== undefined && d.source !== SOURCE) continue;
    const code = typeof d.code === 'string' ? d.code : undefined;
    const data = isObject(d.data) ? d.data : {};
    if (!code) continue;
    const fixes = fixesFor(code, data, pool);
    let preferredTaken = false;
    for (const f of fixes) {
      const e = new JsonEdit(parsed.text.getText());
      f.build(e);
      if (parsed.syntaxErrors.length === 0 && !parses(e.current)) continue; // never turn valid JSON into invalid JSON
      const edit = e.toTextEdit(parsed.text);
      if (!edit) continue;
      const action: CodeAction = {
        title: f.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        edit: { changes: { [parsed.text.uri]: [edit] } },
      };
      if (f.preferred && !preferredTaken) {
        action.isPreferred = true;
        preferredTaken = true;
      }
      actions.push(action);
    }
  }
  return actions;
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function isPath(v: unknown): v is JsonPath {
  return Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string' || typeof s === 'number');
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && s.length > 0) : [];
}

function exists(pool: PoolModel, path: JsonPath): boolean {
  const parent = pool.at(path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (typeof last === 'number') return Array.isArray(parent) && last < parent.length;
  return isObject(parent) && Object.prototype.hasOwnProperty.call(parent, last);
}

function remove(path: JsonPath, preferred = true): Fix {
  return { title: `Remove ${pathLabel(path)}`, build: (e) => e.remove(path), preferred };
}

function fixesFor(code: string, data: Record<string, unknown>, pool: PoolModel): Fix[] {
  const path = isPath(data.path) ? data.path : undefined;
  switch (code) {
    case 'forbidden-field':
    case 'server-managed-field':
    case 'state-on-dedicated':
    case 'mode-on-dedicated':
      return path && exists(pool, path) ? [remove(path)] : [];
    case 'replicas-ignored-native':
      if (!path || !exists(pool, path)) return [];
      return [
        { title: 'Set clusterSpec.mode to "standalone" (a fixed TaskManager count)', build: (e) => e.set(MODE, 'standalone'), preferred: true },
        remove(path, false),
      ];
    case 'image-missing':
    case 'image-not-cp-flink-sql':
    case 'shared-image-too-old':
    case 'image-flink-version-mismatch':
      return imageFixes(code, data, pool);
    case 'reserved-volume':
      return path && exists(pool, path) ? volumeFixes(data, path, pool) : [];
    case 'flink-config-unknown-key':
      return path && exists(pool, path) ? unknownKeyFixes(data, path, pool) : [];
    case 'flink-config-deprecated-key':
      return path && exists(pool, path) ? deprecatedKeyFixes(data, path, pool) : [];
    case 'ha-incomplete':
    case 'ha-recommended':
      return haFixes(code, strings(data.missing), pool);
    case 'schema/additionalProperties':
      return path && exists(pool, path) ? unknownPropertyFixes(data, path, pool) : [];
    case 'invalid-name': {
      const suggested = str(data.suggested);
      if (!suggested || !exists(pool, ['metadata', 'name'])) return [];
      return [{ title: `Rename the pool to "${suggested}"`, build: (e) => e.set(['metadata', 'name'], suggested), preferred: true }];
    }
    case 'schema/enum':
      return path && exists(pool, path) ? enumFixes(list(data.allowedValues), path, pool) : [];
    case 'flink-config-invalid-value': {
      if (!path || !exists(pool, path)) return [];
      const values = data.type === 'Boolean' ? ['true', 'false'] : data.type === 'Enum' ? strings(data.possibleValues) : [];
      return enumFixes(values, path, pool, flatKey(path));
    }
    default:
      return [];
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Images

function imageFixes(code: string, data: Record<string, unknown>, pool: PoolModel): Fix[] {
  // The file's image; undefined when the file has none (a rule may report one the environment's defaults supply:
  // setting it in the file overrides that).
  const image = typeof pool.clusterSpec?.image === 'string' ? pool.clusterSpec.image : undefined;
  const line = flinkLine(pool.flinkVersion);
  const fixes: Fix[] = [];
  const suggested = str(data.suggested) ?? newestImageFor(line, image);
  if (suggested && suggested !== image) {
    fixes.push({ title: `${image === undefined ? 'Set image to' : 'Use'} ${suggested}`, build: (e) => e.set(IMAGE, suggested), preferred: true });
  } else if (!suggested) {
    // No cp-flink-sql build is known for the pool's Flink version (or it has none): move to a line that has one.
    for (const other of Object.keys(NEWEST_BUILDS)) {
      const newest = newestImageFor(other, image)!;
      const version = flinkVersionFor(other);
      fixes.push({
        title: `Set flinkVersion to ${version} and image to ${newest}`,
        build: (e) => e.set(FLINK_VERSION, version).set(IMAGE, newest),
        preferred: fixes.length === 0,
      });
    }
  }
  if (code === 'image-flink-version-mismatch' && image !== undefined) {
    const imageLine = str(data.imageFlinkLine) ?? parseCpFlinkSqlTag(parseImageRef(image).tag)?.flink;
    if (imageLine && imageLine !== line) {
      const version = flinkVersionFor(imageLine);
      fixes.push({ title: `Set flinkVersion to ${version} (the image's Flink version)`, build: (e) => e.set(FLINK_VERSION, version), preferred: fixes.length === 0 });
    }
  }
  return fixes;
}

// ---------------------------------------------------------------------------------------------------------------
// Reserved volumes

interface VolumeUse {
  /** path of the `name` (volumes[i].name or ...volumeMounts[j].name) */
  path: JsonPath;
  name: string;
  kind: 'volume' | 'mount';
}

/** Every volume name and volume mount name in the pool's pod templates. */
function volumeUses(pool: PoolModel): VolumeUse[] {
  const out: VolumeUse[] = [];
  for (const t of podTemplates(pool)) {
    const spec = t.value.spec;
    if (!isObject(spec)) continue;
    const specPath = [...t.path, 'spec'];
    if (Array.isArray(spec.volumes)) {
      spec.volumes.forEach((v, i) => {
        if (isObject(v) && typeof v.name === 'string') out.push({ path: [...specPath, 'volumes', i, 'name'], name: v.name, kind: 'volume' });
      });
    }
    for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
      const containers = spec[list];
      if (!Array.isArray(containers)) continue;
      containers.forEach((c, ci) => {
        if (!isObject(c) || !Array.isArray(c.volumeMounts)) return;
        c.volumeMounts.forEach((m, mi) => {
          if (isObject(m) && typeof m.name === 'string') {
            out.push({ path: [...specPath, list, ci, 'volumeMounts', mi, 'name'], name: m.name, kind: 'mount' });
          }
        });
      });
    }
  }
  return out;
}

function freeName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

function volumeFixes(data: Record<string, unknown>, path: JsonPath, pool: PoolModel): Fix[] {
  const kind = data.kind;
  const reserved = str(data.reserved);
  if (kind === 'mount-path') {
    const current = pool.at(path);
    if (typeof current !== 'string') return [];
    const root = reservedMountPath(current) ?? reserved;
    if (!root) return [];
    // Paths already mounted in the same container.
    const mountsPath = path.slice(0, -2);
    const mounts = pool.at(mountsPath);
    const taken = new Set<string>();
    if (Array.isArray(mounts)) for (const m of mounts) if (isObject(m) && typeof m.mountPath === 'string') taken.add(m.mountPath.replace(/\/+$/, ''));
    const rest = current.replace(/\/+$/, '').slice(root.length);
    let target = FREE_MOUNT_ROOT + rest;
    for (let i = 2; taken.has(target) || reservedMountPath(target); i++) target = `${FREE_MOUNT_ROOT}-${i}${rest}`;
    return [{ title: `Mount at ${target} instead`, build: (e) => e.set(path, target), preferred: true }];
  }
  const name = pool.at(path);
  if (typeof name !== 'string' || !RESERVED_VOLUMES.some((v) => v.name === name)) return [];
  const uses = volumeUses(pool);
  const hasVolume = uses.some((u) => u.kind === 'volume' && u.name === name);
  if (kind === 'mount-name' && !hasVolume) {
    // A mount of CMF's own volume: there is nothing of the user's to rename, so the mount goes.
    const mount = path.slice(0, -1);
    return [{ title: `Remove the mount of CMF's ${name}`, build: (e) => e.remove(mount), preferred: true }];
  }
  const target = freeName(FREE_VOLUME_NAME, new Set(uses.map((u) => u.name)));
  const renamed = uses.filter((u) => u.name === name);
  const mounts = renamed.filter((u) => u.kind === 'mount').length;
  const also = mounts > 0 ? ` (and its ${mounts === 1 ? 'mount' : `${mounts} mounts`})` : '';
  return [
    {
      title: `Rename volume "${name}" to "${target}"${also}`,
      build: (e) => {
        for (const u of renamed) e.set(u.path, target);
      },
      preferred: true,
    },
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// flinkConfiguration keys

/** The flattened key of the entry at `path` (nested objects joined with dots). */
function flatKey(path: JsonPath): string {
  return path.slice(FLINK_CONFIGURATION.length).join('.');
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
function renameFlinkKey(e: JsonEdit, pool: PoolModel, path: JsonPath, to: string): void {
  const nested = path.slice(FLINK_CONFIGURATION.length, -1).join('.');
  if (nested === '') {
    e.renameKey(path, to);
  } else if (to.startsWith(nested + '.')) {
    e.renameKey(path, to.slice(nested.length + 1));
  } else {
    const value = pool.at(path);
    e.remove(path).set([...FLINK_CONFIGURATION, to], value);
  }
}

function unknownKeyFixes(data: Record<string, unknown>, path: JsonPath, pool: PoolModel): Fix[] {
  const key = flatKey(path);
  const fixes: Fix[] = [];
  for (const s of strings(data.suggestions)) {
    if (s === key) continue;
    if (configHas(pool, s, path)) {
      fixes.push({ title: `Remove "${key}" ("${s}" is already set)`, build: (e) => e.remove(path) });
    } else {
      fixes.push({ title: `Replace with "${s}"`, build: (e) => renameFlinkKey(e, pool, path, s), preferred: true });
    }
  }
  return fixes;
}

function deprecatedKeyFixes(data: Record<string, unknown>, path: JsonPath, pool: PoolModel): Fix[] {
  const key = flatKey(path);
  const replacements = strings(data.replacements).length ? strings(data.replacements) : strings([data.replacement]);
  if (replacements.length === 0) return [{ title: `Remove the deprecated "${key}"`, build: (e) => e.remove(path), preferred: true }];
  return replacements.map((r, i) =>
    configHas(pool, r, path)
      ? { title: `Remove the deprecated "${key}" ("${r}" is already set)`, build: (e: JsonEdit) => e.remove(path), preferred: i === 0 }
      : { title: `Rename to "${r}"`, build: (e: JsonEdit) => renameFlinkKey(e, pool, path, r), preferred: i === 0 },
  );
}

/** The entry whose key means `canonical` (directly or as a deprecated name of it). */
function entryFor(pool: PoolModel, canonical: string): JsonPath | undefined {
  for (const entry of pool.flinkConfig) {
    if (entry.key === canonical) return entry.path;
    const found = lookupKey(pool.flinkOptions, entry.key);
    if (found.kind === 'deprecated' && found.replacement === canonical) return entry.path;
  }
  return undefined;
}

function haFixes(code: string, missing: string[], pool: PoolModel): Fix[] {
  if (!pool.clusterSpec) return [];
  const name = typeof pool.at(['metadata', 'name']) === 'string' ? (pool.at(['metadata', 'name']) as string) : undefined;
  const adds: { path: JsonPath; value: string; key: string }[] = [];
  const want = missing.length ? missing : code === 'ha-incomplete' ? [HA_STORAGE_DIR] : [HA_TYPE, HA_STORAGE_DIR];
  if (want.includes(HA_TYPE)) {
    adds.push({ key: HA_TYPE, path: entryFor(pool, HA_TYPE) ?? [...FLINK_CONFIGURATION, HA_TYPE], value: 'kubernetes' });
  }
  if (want.includes(HA_STORAGE_DIR) && !entryFor(pool, HA_STORAGE_DIR)) {
    adds.push({ key: HA_STORAGE_DIR, path: [...FLINK_CONFIGURATION, HA_STORAGE_DIR], value: placeholderDirectory(name, 'recovery') });
  }
  if (code === 'ha-recommended') {
    // Recovery restarts statements from their latest checkpoint, so checkpoints need a durable place too.
    const legacy = 'state.checkpoints.dir';
    const checkpointKey = lookupKey(pool.flinkOptions, legacy).kind === 'known' ? legacy : 'execution.checkpointing.dir';
    if (!entryFor(pool, legacy) && !entryFor(pool, 'execution.checkpointing.dir')) {
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
        if (!isObject(pool.at(FLINK_CONFIGURATION))) {
          e.set(FLINK_CONFIGURATION, Object.fromEntries(adds.map((a) => [a.key, a.value])));
        } else {
          for (const a of adds) e.set(a.path, a.value);
        }
      },
      preferred: true,
    },
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Schema

function unknownPropertyFixes(data: Record<string, unknown>, path: JsonPath, pool: PoolModel): Fix[] {
  const parent = pool.at(path.slice(0, -1));
  const prop = plainText(path[path.length - 1]);
  const fixes: Fix[] = [];
  for (const s of strings(data.suggestions)) {
    if (isObject(parent) && s in parent) continue; // renaming would duplicate a property
    fixes.push({ title: `Replace "${prop}" with "${s}"`, build: (e) => e.renameKey(path, s), preferred: true });
  }
  fixes.push({ title: `Remove "${prop}"`, build: (e) => e.remove(path) });
  return fixes;
}

/**
 * Any JSON value as text, without String(): a value from the document or the client may be an object with an
 * own `toString` (JSON.parse) or no prototype at all (jsonc-parser), on which String() throws.
 */
function plainText(v: unknown): string {
  if (typeof v === 'string') return v;
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return '';
  }
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** "Set to X" for each allowed value (at most six), the closest to the current value first. */
function enumFixes(allowed: readonly unknown[], path: JsonPath, pool: PoolModel, label = pathLabel(path)): Fix[] {
  if (allowed.length === 0 || allowed.length > 16) return [];
  const current = pool.at(path);
  const text = typeof current === 'string' ? current.toLowerCase() : plainText(current);
  // Only the case is wrong: that is the fix, and no other value is a guess worth offering.
  const sameLetters = allowed.find((v) => typeof v === 'string' && v.toLowerCase() === text);
  if (sameLetters !== undefined) return [{ title: `Set ${label} to ${JSON.stringify(sameLetters)}`, build: (e) => e.set(path, sameLetters), preferred: true }];
  const ranked = allowed
    .map((v) => ({ v, d: editDistance(text, plainText(v).toLowerCase()) }))
    .sort((a, b) => a.d - b.d);
  return ranked.slice(0, 6).map(({ v }, i) => ({
    title: `Set ${label} to ${JSON.stringify(v)}`,
    build: (e: JsonEdit) => e.set(path, v),
    preferred: i === 0 && ranked.length === 1,
  }));
}
