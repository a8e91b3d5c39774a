/**
 * Completion: what fits where the cursor is. Property names from the schema (not yet present, with a value
 * of the right shape), values from the schema's enums and snippets and from CMF's facts (images that match
 * flinkVersion, SHARED-only values only on shared pools), and, in flinkConfiguration, every Flink option of
 * the pool's Flink version with the common ones first, then values that fit the option's type.
 *
 * The cursor's place comes from jsonc-parser's scanner (`getLocation`) and its error-tolerant tree, never
 * from JSON.parse, so completion answers mid-edit: an open quote, a missing comma, a key without a value.
 */
import {
  type CompletionItem,
  type CompletionList,
  type Position,
  type Range,
  CompletionItemKind,
  CompletionItemTag,
  InsertTextFormat,
  MarkupKind,
} from 'vscode-languageserver-types';
import { isObject, valueAt as valueIn } from '../../cmf-model/src/json';
import type { JsonPath, SourceDocument } from './document/model';
import { jsonPlace } from './document/json-place';
import { yamlPlace } from './document/yaml-place';
import { type Place, type Syntax, type WrittenKeys, escapeSnippet } from './document/place';
import { type PoolModel, CLUSTER_SPEC, FLINK_CONFIGURATION, readPool, samePath, underFlinkConfiguration } from './pool';
import { type SchemaNode, descriptionOf, enumValuesOf, expand, propertiesAt, schemasAt, typesOf } from './schema-lookup';
import { CFK_KIND, FORBIDDEN_CLUSTER_SPEC_FIELDS, KUBERNETES_OWNED_PATHS, SERVER_OWNED_PATHS, SHARED_ONLY_PATHS } from '../../cmf-model/src/facts';
import { CP_FLINK_SQL, flinkLine, flinkVersionFor, parseImageRef, parseImageTag } from '../../cmf-model/src/images';
import type { CmfRelease } from '../../cmf-model/src/releases';
import { cmfTarget } from './cmf-target';
import { newestImageFor } from './images';
import { DEFAULT_SETTINGS, ResolvedSettings } from './settings';
import { type FlinkOption, type FlinkOptionSet, lookupKey, optionSetFor } from './flink/options';
import { checkValue } from './flink/values';
import { commonRank, valueSuggestions } from './flink/common';
import { describeFlinkKey, optionSummary } from './flink/docs';

export interface CompleteOptions {
  /** The client understands snippet syntax ($1, ${1:x}); default true. Without it, plain text is inserted. */
  snippets?: boolean;
  /**
   * The list item defaults the client takes (LSP 3.17 `completionList.itemDefaults`: `editRange`,
   * `insertTextFormat`, `data`). What they cover travels once per list instead of once per item, which keeps
   * the hundreds of Flink option items small on the wire. Default: none.
   */
  itemDefaults?: readonly string[];
  /** The settings of the document (cmfPools.cmfVersion: which builds images are proposed from). */
  settings?: ResolvedSettings;
  /** The connected CMF's version, which wins over cmfPools.cmfVersion. */
  cmfVersion?: string;
}

/**
 * What `resolveCompletion` needs to add an option's documentation later (kept small: hundreds of items travel).
 * Either the key itself, or (as the list's default data) the nested prefix that the item's label completes.
 */
interface FlinkItemData {
  flinkKey?: string;
  flinkPrefix?: string;
  flinkVersion: string | null;
}

const TRIGGER_SUGGEST = { title: 'Suggest', command: 'editor.action.triggerSuggest' };

// ---------------------------------------------------------------------------------------------------------------
// Snippet text


/** Snippet syntax to the plain text a client without snippet support inserts (placeholders keep their default). */
export function snippetToPlain(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length && '\\$}'.includes(s[i + 1]!)) {
      out += s[++i];
    } else if (c === '$') {
      const m = /^\$(?:(\d+)|\{(\d+)(?::((?:\\.|[^\\}])*)|\|([^,|]*)[^|]*\|)?\})/.exec(s.slice(i));
      if (!m) {
        out += c;
        continue;
      }
      out += m[3] !== undefined ? snippetToPlain(m[3]) : (m[4] ?? '');
      i += m[0].length - 1;
    } else out += c;
  }
  return out;
}

/** The value a new property gets: its schema's only default snippet, a single enum value, or an empty shape. */
function placeholderFor(schemas: readonly SchemaNode[], syntax: Syntax): { text: string; suggest: boolean } {
  const snippets = schemas.flatMap((s) => s.defaultSnippets ?? []);
  if (snippets.length === 1 && snippets[0]!.body !== undefined) return { text: syntax.value(snippets[0]!.body), suggest: false };
  const enums = enumValuesOf(schemas);
  if (enums.length === 1) return { text: syntax.value(enums[0]!.value), suggest: false };
  const types = typesOf(schemas);
  const def = schemas.find((s) => s.default !== undefined)?.default;
  if (enums.length > 1) return { text: types.includes('string') || typeof enums[0]!.value === 'string' ? syntax.stringStop(1) : '$1', suggest: true };
  switch (types.length === 1 ? types[0] : undefined) {
    case 'object':
      return { text: syntax.emptyObject(), suggest: false };
    case 'array':
      return { text: syntax.emptyArray(), suggest: false };
    case 'string':
      return { text: syntax.stringStop(1, def !== undefined ? String(def) : undefined), suggest: false };
    case 'number':
    case 'integer':
      return { text: `\${1:${def ?? 0}}`, suggest: false };
    case 'boolean':
      return { text: `\${1:${def ?? false}}`, suggest: true };
    case 'null':
      return { text: 'null', suggest: false };
    default:
      return { text: '$1', suggest: false };
  }
}

/** A new image property starts with the newest build for the pool's Flink version, and proposes the others. */
function imagePlaceholder(pool: PoolModel | undefined, syntax: Syntax, release: CmfRelease): { text: string; suggest: boolean } {
  return { text: syntax.stringStop(1, newestImageFor(flinkLine(pool?.flinkVersion), undefined, release) ?? newestImageFor('1.19', undefined, release)), suggest: true };
}

// ---------------------------------------------------------------------------------------------------------------
// Items

interface Builder {
  place: Place;
  range: Range;
  snippets: boolean;
  /** what the pool's CMF version runs: the images proposed */
  release: CmfRelease;
  /** what travels once, in the list's itemDefaults */
  defaults: { editRange: boolean; insertTextFormat: boolean; data: boolean };
  /** the list's default data, when items leave theirs out */
  listData?: unknown;
  items: CompletionItem[];
}

/** What an item may carry besides its label and text; built into an object of one shape (hundreds are made per request). */
interface ItemFields {
  kind: CompletionItemKind;
  detail?: string;
  documentation?: CompletionItem['documentation'];
  /** left out, the label sorts */
  sortText?: string;
  data?: unknown;
  tags?: CompletionItemTag[];
  preselect?: boolean;
  labelDetails?: CompletionItem['labelDetails'];
  /** ask for value completions once inserted */
  suggest?: boolean;
}

function add(b: Builder, label: string, f: ItemFields, snippet: string): CompletionItem {
  const spaced = b.place.spaceBefore ? ' ' + snippet : snippet;
  const text = b.place.commaAfter ? spaced + ',' : spaced;
  const newText = b.snippets ? text : snippetToPlain(text);
  const item: CompletionItem = { label, kind: f.kind };
  if (f.sortText !== undefined) item.sortText = f.sortText;
  if (b.place.quoted) item.filterText = label.charCodeAt(0) === 34 ? label : JSON.stringify(label);
  if (b.defaults.editRange) item.textEditText = newText;
  else item.textEdit = { range: b.range, newText };
  if (!b.defaults.insertTextFormat) item.insertTextFormat = b.snippets ? InsertTextFormat.Snippet : InsertTextFormat.PlainText;
  if (f.detail !== undefined) item.detail = f.detail;
  if (f.documentation !== undefined) item.documentation = f.documentation;
  if (f.data !== undefined) item.data = f.data;
  if (f.tags) item.tags = f.tags;
  if (f.preselect) item.preselect = true;
  if (f.labelDetails) item.labelDetails = f.labelDetails;
  if (f.suggest && b.snippets) item.command = TRIGGER_SUGGEST;
  b.items.push(item);
  return item;
}

function markdown(value: string | undefined): CompletionItem['documentation'] {
  return value ? { kind: MarkupKind.Markdown, value } : undefined;
}

function pad(n: number): string {
  return String(n).padStart(4, '0');
}

// Keys ---------------------------------------------------------------------------------------------------------

/**
 * The keys the object being edited has, but the one being edited: the parsed value's, and the ones its text writes
 * that a parse recovering from an error mid-edit dropped.
 */
function presentKeys(parsed: SourceDocument, place: Place): Set<string> {
  const v = valueIn(parsed.value, place.path);
  const keys = new Set<string>(isObject(v) ? Object.keys(v) : []);
  if (place.editingKey !== undefined) keys.delete(place.editingKey);
  for (const k of place.writtenKeys?.(0)?.keys() ?? []) keys.add(k);
  return keys;
}

/** Written keys as Flink reads them: nested objects' keys joined with dots. */
function flattenWritten(keys: WrittenKeys | null | undefined, prefix: string, out: Set<string>): void {
  for (const [k, v] of keys ?? []) {
    if (v && v.size > 0) flattenWritten(v, `${prefix}${k}.`, out);
    else out.add(prefix + k);
  }
}


/** May this schema property be proposed here, for this pool? */
function proposable(objectPath: JsonPath, key: string, schema: SchemaNode, pool: PoolModel | undefined): boolean {
  if (expand(schema).some((s) => s.doNotSuggest)) return false;
  const path = [...objectPath, key];
  if ((pool?.kind === CFK_KIND ? KUBERNETES_OWNED_PATHS : SERVER_OWNED_PATHS).some((p) => samePath(path, p))) return false;
  if (samePath(objectPath, CLUSTER_SPEC) && key in FORBIDDEN_CLUSTER_SPEC_FIELDS) return false;
  if (pool?.type === 'DEDICATED' && SHARED_ONLY_PATHS.some((p) => samePath(path, p))) return false;
  if (pool?.type === 'SHARED' && samePath(path, [...CLUSTER_SPEC, 'taskManager', 'replicas']) && pool.clusterSpec?.mode !== 'standalone') return false;
  return true;
}

function schemaKeys(b: Builder, parsed: SourceDocument, pool: PoolModel | undefined): void {
  const { place } = b;
  const present = presentKeys(parsed, place);
  let i = 0;
  for (const [key, schema] of propertiesAt(place.path, pool?.kind)) {
    i++;
    if (present.has(key) || !proposable(place.path, key, schema, pool)) continue;
    const schemas = expand(schema);
    const deprecated = schemas.find((s) => s.deprecationMessage)?.deprecationMessage;
    const types = typesOf(schemas);
    const value = samePath([...place.path, key], [...CLUSTER_SPEC, 'image']) ? imagePlaceholder(pool, place.syntax, b.release) : placeholderFor(schemas, place.syntax);
    const snippet = place.colonAfter ? place.syntax.key(key) : place.syntax.pair(place.syntax.key(key), value.text);
    add(
      b,
      key,
      {
        kind: CompletionItemKind.Property,
        detail: types.join(' | ') || undefined,
        documentation: markdown([descriptionOf(schemas), deprecated && `**Deprecated:** ${deprecated}`].filter(Boolean).join('\n\n')),
        sortText: `${deprecated ? 9 : 0}${pad(i)}`,
        tags: deprecated ? [CompletionItemTag.Deprecated] : undefined,
        suggest: value.suggest && !place.colonAfter,
      },
      snippet,
    );
  }
}

/** A templated key (`metrics.reporter.<name>.factory.class`) as a snippet with its placeholders as tab stops. */
function keySnippet(key: string, startAt: number): { text: string; next: number } {
  let n = startAt;
  const text = key
    .split('.')
    .map((seg) => (/^<[^<>]+>$/.test(seg) ? `\${${n++}:${escapeSnippet(seg.slice(1, -1))}}` : seg === '#' ? `\${${n++}:0}` : escapeSnippet(seg)))
    .join('.');
  return { text, next: n };
}

function isTemplated(key: string): boolean {
  return /<[^<>]+>|(^|\.)#(\.|$)/.test(key);
}

function hasValueProposals(option: FlinkOption | undefined): boolean {
  return !!option && (option.type === 'Boolean' || option.type === 'Enum' || option.type === 'List<Enum>' || option.type === 'Duration' || option.type === 'MemorySize' || commonRank(option.key) !== undefined);
}

/** What an option's item is, apart from where it goes: made once per data version and nested prefix. */
interface OptionEntry {
  key: string;
  label: string;
  /** the key as snippet text (tab stops for a templated key's placeholders), and the tab stop its value gets */
  keyText: string;
  valueStop: number;
  detail: string | undefined;
  sortText: string | undefined;
  suggest: boolean;
  common: boolean;
}

const entryCache = new Map<string, OptionEntry[]>();

function optionEntry(option: FlinkOption | undefined, key: string, prefix: string, sortText: string | undefined): OptionEntry {
  const label = key.slice(prefix.length);
  const k = isTemplated(label) ? keySnippet(label, 1) : { text: escapeSnippet(label), next: 1 };
  return {
    key,
    label,
    keyText: k.text,
    valueStop: k.next,
    detail: option ? optionSummary(option).replace(/`/g, '') : undefined,
    sortText,
    suggest: hasValueProposals(option),
    common: commonRank(key) !== undefined,
  };
}

/** The option entries of a data version below a nested prefix ('' for flat keys), deprecated options left out. */
function optionEntries(set: FlinkOptionSet, prefix: string): OptionEntry[] {
  const id = `${set.dataVersion}|${prefix}`;
  let entries = entryCache.get(id);
  if (entries) return entries;
  entries = [];
  for (const option of set.options) {
    const key = option.key;
    if (!key.startsWith(prefix) || key.length === prefix.length || option.deprecated) continue;
    const rank = commonRank(key);
    // Common options first ('1...' sorts before any key), templated ones last; the rest sort by their label.
    entries.push(optionEntry(option, key, prefix, rank !== undefined ? `1${pad(rank)}` : isTemplated(key) ? `~${key}` : undefined));
  }
  if (entryCache.size >= 64) entryCache.clear();
  entryCache.set(id, entries);
  return entries;
}

const COMMON = { description: 'common' };

function flinkKeys(b: Builder, parsed: SourceDocument, pool: PoolModel | undefined): void {
  const { place } = b;
  const set = pool?.flinkOptions ?? optionSetFor(undefined);
  const nested = place.path.slice(FLINK_CONFIGURATION.length).map(String);
  const prefix = nested.length ? nested.join('.') + '.' : '';
  const present = new Set<string>();
  for (const e of pool?.flinkConfig ?? []) present.add(e.key);
  // The key being edited counts as absent; so do keys of its own property (the tree may have it as a value).
  const editingKey = place.editingKey !== undefined ? prefix + place.editingKey : undefined;
  if (editingKey) present.delete(editingKey);
  for (const k of presentKeys(parsed, place)) present.add(prefix + k);
  // Every option written in flinkConfiguration, flat or nested, even where the parse lost it.
  flattenWritten(place.writtenKeys?.(place.path.length - FLINK_CONFIGURATION.length), '', present);
  const flinkVersion = typeof pool?.flinkVersion === 'string' ? pool.flinkVersion : null;

  if (b.defaults.data) {
    const listData: FlinkItemData = { flinkPrefix: prefix, flinkVersion };
    b.listData = listData;
  }
  const item = (e: OptionEntry, deprecatedUse?: string) => {
    const data: FlinkItemData | undefined = b.defaults.data ? undefined : { flinkKey: e.key, flinkVersion };
    const fields: ItemFields = {
      kind: CompletionItemKind.Property,
      detail: e.detail,
      sortText: e.sortText,
      data,
      labelDetails: deprecatedUse !== undefined ? { description: deprecatedUse } : e.common ? COMMON : undefined,
      tags: deprecatedUse !== undefined ? [CompletionItemTag.Deprecated] : undefined,
      suggest: e.suggest && !place.colonAfter,
    };
    const key = place.syntax.keySnippet(e.keyText);
    return add(b, e.label, fields, place.colonAfter ? key : place.syntax.pair(key, place.syntax.stringStop(e.valueStop)));
  };

  let replacementItem: CompletionItem | undefined;
  const full = prefix + place.typed;
  const found = place.typed && !present.has(full) ? lookupKey(set, full) : undefined;
  const replacement = found?.kind === 'deprecated' && found.replacement.startsWith(prefix) && !present.has(found.replacement) ? found.replacement : undefined;
  for (const e of optionEntries(set, prefix)) {
    if (present.has(e.key)) continue;
    const made = item(e);
    if (e.key === replacement) replacementItem = made;
  }
  // A deprecated key only when written out in full: then it comes first, marked, with its replacement preselected.
  if (found?.kind === 'deprecated') {
    const use = found.replacement ? `deprecated: use ${found.replacement}` : 'deprecated';
    item(optionEntry(found.option, full, prefix, '00000'), use);
    if (replacementItem) {
      replacementItem.sortText = '00001';
      replacementItem.preselect = true;
    }
  }
}

// Values -------------------------------------------------------------------------------------------------------

function valueItem(b: Builder, value: unknown, opts: { detail?: string; documentation?: string; sort: string; preselect?: boolean; deprecated?: boolean; kind?: CompletionItemKind }): void {
  const label = b.place.syntax.label(value);
  add(
    b,
    label,
    {
      kind: opts.kind ?? CompletionItemKind.Value,
      detail: opts.detail,
      documentation: markdown(opts.documentation),
      sortText: opts.sort,
      preselect: opts.preselect,
      tags: opts.deprecated ? [CompletionItemTag.Deprecated] : undefined,
    },
    b.place.syntax.value(value),
  );
}

function flinkValues(b: Builder, pool: PoolModel | undefined, key: string): void {
  const set: FlinkOptionSet = pool?.flinkOptions ?? optionSetFor(undefined);
  const found = lookupKey(set, key);
  const option = found.kind === 'known' ? found.option : found.kind === 'deprecated' || found.kind === 'templated' ? found.option : undefined;
  if (!option) return;
  const name = pool?.at(['metadata', 'name']);
  const suggestions = valueSuggestions(option, set.dataVersion, typeof name === 'string' ? name : undefined).filter(
    (s) => checkValue(option, s.value) === undefined && (option.type !== 'String' || s.description !== undefined || /^[\w.:/-]+$/.test(s.value)),
  );
  suggestions.forEach((s, i) => {
    valueItem(b, s.value, {
      detail: s.isDefault ? `${option.type} · Flink's default` : option.type,
      documentation: s.description,
      sort: pad(i),
      preselect: i === 0,
      kind: option.type === 'Enum' || option.possibleValues ? CompletionItemKind.EnumMember : CompletionItemKind.Value,
    });
  });
}

/**
 * Images that fit the pool's flinkVersion on its CMF version: the newest build known to run there (also as the current
 * image's registry and architecture), and that version's floor for the pool's type.
 */
function imageValues(b: Builder, pool: PoolModel | undefined): void {
  const release = b.release;
  const line = flinkLine(pool?.flinkVersion);
  const current = typeof pool?.clusterSpec?.image === 'string' ? pool.clusterSpec.image : undefined;
  const lines = line && release.lines[line] ? [line] : Object.keys(release.lines);
  const seen = new Set<string>();
  let i = 0;
  for (const l of lines) {
    const newest = newestImageFor(l, undefined, release)!;
    const candidates: { image: string; why: string }[] = [];
    const kept = current ? newestImageFor(l, current, release) : undefined;
    // The current image's registry prefix and -arm64 suffix are kept (only builds seen published are proposed otherwise).
    if (kept && kept !== newest) candidates.push({ image: kept, why: `The newest ${CP_FLINK_SQL} build for Flink ${l} known to run on CMF ${release.version}, keeping your image's registry and architecture.` });
    candidates.push({ image: newest, why: `The newest ${CP_FLINK_SQL} build for Flink ${l} known to run on CMF ${release.version}.` });
    const floor = release.lines[l]!.floor[pool?.type ?? 'SHARED'];
    const tag = parseImageTag(release.lines[l]!.newest);
    if (floor !== undefined && tag && tag.build !== floor && !tag.cmf) {
      candidates.push({ image: `${CP_FLINK_SQL}:${l}-cp${floor}`, why: `The oldest build CMF ${release.version} runs statements on (CMF's documentation example).` });
    }
    for (const c of candidates) {
      if (seen.has(c.image)) continue;
      seen.add(c.image);
      const note = line && !release.lines[line] ? ` CMF ${release.version} does not run Flink ${line}: with this image, set flinkVersion to ${flinkVersionFor(l)}.` : '';
      valueItem(b, c.image, { detail: `Flink ${l}`, documentation: c.why + note, sort: pad(i), preselect: i === 0 });
      i++;
    }
  }
}

const MEMORY_VALUES = ['1024m', '2048m', '4096m', '8192m'];
const CPU_VALUES = [0.5, 1, 2, 4];
const EPHEMERAL_VALUES = ['1Gi', '10Gi'];

function schemaValues(b: Builder, pool: PoolModel | undefined): void {
  const { path } = b.place;
  const schemas = schemasAt(path, pool?.kind);
  const last = path[path.length - 1];
  const inResource = path.length >= 2 && path[path.length - 2] === 'resource';
  let i = 0;
  const sort = () => pad(i++);

  if (samePath(path, [...CLUSTER_SPEC, 'image'])) return imageValues(b, pool);
  // SHARED-only values: a dedicated pool has no state and no mode.
  if (pool?.type === 'DEDICATED' && SHARED_ONLY_PATHS.some((p) => samePath(path, p))) return;

  const enums = enumValuesOf(schemas);
  if (samePath(path, [...CLUSTER_SPEC, 'flinkVersion'])) {
    const imageLine = typeof pool?.clusterSpec?.image === 'string' ? parseImageTag(parseImageRef(pool.clusterSpec.image).tag)?.flink : undefined;
    const withBuild = (v: unknown) => typeof v === 'string' && b.release.lines[flinkLine(v) ?? ''] !== undefined;
    const ordered = [...enums].sort((a, b2) => Number(withBuild(b2.value)) - Number(withBuild(a.value)) || String(b2.value).localeCompare(String(a.value), 'en', { numeric: true }));
    for (const e of ordered) {
      const deprecated = /deprecated/i.test(e.description ?? '');
      valueItem(b, e.value, {
        documentation: e.description,
        detail: withBuild(e.value) ? `cp-flink-sql ${b.release.lines[flinkLine(e.value)!]!.newest}` : undefined,
        sort: `${deprecated ? 9 : withBuild(e.value) ? 0 : 5}${sort()}`,
        preselect: imageLine !== undefined && flinkLine(e.value) === imageLine,
        deprecated,
        kind: CompletionItemKind.EnumMember,
      });
    }
    return;
  }
  for (const e of enums) valueItem(b, e.value, { documentation: e.description, sort: sort(), kind: CompletionItemKind.EnumMember });
  if (inResource && last === 'memory') for (const m of MEMORY_VALUES) valueItem(b, m, { detail: 'memory per pod (1024m = 1 GiB)', sort: sort() });
  if (inResource && last === 'cpu') for (const c of CPU_VALUES) valueItem(b, c, { detail: 'CPU cores per pod', sort: sort() });
  if (inResource && last === 'ephemeralStorage') for (const q of EPHEMERAL_VALUES) valueItem(b, q, { detail: 'Kubernetes quantity', sort: sort() });
  const types = typesOf(schemas);
  if (enums.length === 0 && types.includes('boolean')) for (const v of [true, false]) valueItem(b, v, { sort: sort() });
  for (const s of schemas) {
    for (const snip of s.defaultSnippets ?? []) {
      if (snip.body === undefined) continue;
      add(
        b,
        snip.label ?? JSON.stringify(snip.body).slice(0, 40),
        {
          kind: CompletionItemKind.Snippet,
          detail: snip.description,
          documentation: markdown('```' + b.place.syntax.fence + '\n' + b.place.syntax.document(snip.body) + '\n```'),
          sortText: sort(),
        },
        b.place.syntax.value(snip.body),
      );
    }
  }
  if (b.items.length === 0 && types.length === 1 && (types[0] === 'object' || types[0] === 'array')) {
    add(b, types[0] === 'object' ? '{}' : '[]', { kind: CompletionItemKind.Value, sortText: sort() }, types[0] === 'object' ? b.place.syntax.value({}) : b.place.syntax.value([]));
  }
}

// ---------------------------------------------------------------------------------------------------------------


/** Completion at `position`; an empty list where nothing fits. */
export function complete(parsed: SourceDocument, position: Position, options: CompleteOptions = {}): CompletionList {
  const empty: CompletionList = { isIncomplete: false, items: [] };
  if (parsed.tooDeepAt !== undefined) return empty;
  const doc = parsed.file;
  const place = (parsed.format === 'yaml' ? yamlPlace : jsonPlace)(parsed, doc.offsetAt(position));
  if (!place) return empty;
  const b: Builder = {
    place,
    range: { start: doc.positionAt(place.start), end: doc.positionAt(place.end) },
    snippets: options.snippets ?? true,
    release: cmfTarget(options.settings ?? new ResolvedSettings(DEFAULT_SETTINGS), options.cmfVersion).release,
    defaults: {
      editRange: options.itemDefaults?.includes('editRange') ?? false,
      insertTextFormat: options.itemDefaults?.includes('insertTextFormat') ?? false,
      data: options.itemDefaults?.includes('data') ?? false,
    },
    items: [],
  };
  const pool = readPool(parsed);
  if (place.kind === 'key') {
    if (underFlinkConfiguration(place.path)) flinkKeys(b, parsed, pool);
    else schemaKeys(b, parsed, pool);
  } else if (underFlinkConfiguration(place.path) && place.path.length > FLINK_CONFIGURATION.length) {
    flinkValues(b, pool, place.path.slice(FLINK_CONFIGURATION.length).join('.'));
  } else {
    schemaValues(b, pool);
  }
  if (place.commaBefore !== undefined) {
    const at = doc.positionAt(place.commaBefore);
    for (const item of b.items) item.additionalTextEdits = [{ range: { start: at, end: at }, newText: ',' }];
  }
  const list: CompletionList = { isIncomplete: false, items: b.items };
  if (b.defaults.editRange || b.defaults.insertTextFormat || b.listData !== undefined) {
    list.itemDefaults = {};
    if (b.defaults.editRange) list.itemDefaults.editRange = b.range;
    if (b.defaults.insertTextFormat) list.itemDefaults.insertTextFormat = b.snippets ? InsertTextFormat.Snippet : InsertTextFormat.PlainText;
    if (b.listData !== undefined) list.itemDefaults.data = b.listData;
  }
  return list;
}

/** Adds what was left out of the list for speed: a Flink option's full documentation. */
export function resolveCompletion(item: CompletionItem): CompletionItem {
  const data = item.data as Partial<FlinkItemData> | undefined;
  const key = typeof data?.flinkKey === 'string' ? data.flinkKey : typeof data?.flinkPrefix === 'string' ? data.flinkPrefix + item.label : undefined;
  if (!data || key === undefined) return item;
  const set = optionSetFor(data.flinkVersion ?? undefined);
  return { ...item, documentation: { kind: MarkupKind.Markdown, value: describeFlinkKey(key, lookupKey(set, key), set) } };
}
