/**
 * Completion: what fits where the cursor is. Property names from the schema (not yet present, with a value
 * of the right shape), values from the schema's enums and snippets and from CMF's facts (images that match
 * flinkVersion, SHARED-only values only on shared pools), and, in flinkConfiguration, every Flink option of
 * the pool's Flink version with the common ones first, then values that fit the option's type.
 *
 * The cursor's place comes from jsonc-parser's scanner (`getLocation`) and its error-tolerant tree, never
 * from JSON.parse, so completion answers mid-edit: an open quote, a missing comma, a key without a value.
 */
import { type Node, type SyntaxKind, createScanner, getLocation } from 'jsonc-parser';
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
import { type PoolModel, CLUSTER_SPEC, FLINK_CONFIGURATION, readPool, samePath, underFlinkConfiguration } from './pool';
import { type SchemaNode, descriptionOf, enumValuesOf, expand, propertiesAt, schemasAt, typesOf } from './schema-lookup';
import { CFK_KIND, FORBIDDEN_CLUSTER_SPEC_FIELDS, KUBERNETES_OWNED_PATHS, SERVER_OWNED_PATHS, SHARED_ONLY_PATHS } from '../../cmf-model/src/facts';
import { CP_FLINK_SQL, NEWEST_BUILDS, SHARED_MIN_BUILD, flinkLine, flinkVersionFor, newestImageFor, parseCpFlinkSqlTag, parseImageRef } from './images';
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

/** jsonc-parser's SyntaxKind values (a const enum, which isolated modules cannot read). */
const Token = {
  OpenBrace: 1,
  OpenBracket: 3,
  Comma: 5,
  Colon: 6,
  Null: 7,
  True: 8,
  False: 9,
  String: 10,
  Number: 11,
  LineComment: 12,
  BlockComment: 13,
  LineBreak: 14,
  Trivia: 15,
  EOF: 17,
} as const satisfies Record<string, SyntaxKind>;

const TRIGGER_SUGGEST = { title: 'Suggest', command: 'editor.action.triggerSuggest' };

// ---------------------------------------------------------------------------------------------------------------
// Where the cursor is

interface Place {
  kind: 'key' | 'value';
  /** key: the object whose property is being written; value: the value's path */
  path: JsonPath;
  /** offsets of the text the proposal replaces */
  start: number;
  end: number;
  /** the replaced text starts with a quote (so proposals are filtered against their quoted form) */
  quoted: boolean;
  /** key: the whole key as written so far (a deprecated key is offered only when typed in full) */
  typed: string;
  /** key: the property being edited, excluded from "already present" */
  editing?: Node;
  /** key: a colon follows, so only the key is replaced */
  colonAfter: boolean;
  /** offset where a missing comma before the insertion goes */
  commaBefore?: number;
  /** a property or element follows without a comma */
  commaAfter: boolean;
  /** value: the colon is right before it, so the value gets a space */
  spaceBefore?: boolean;
}

function isTerminatedString(text: string, n: Node): boolean {
  if (n.length < 2 || text.charCodeAt(n.offset + n.length - 1) !== 34) return false;
  let b = n.offset + n.length - 2;
  let slashes = 0;
  while (b > n.offset && text.charCodeAt(b) === 92) {
    slashes++;
    b--;
  }
  return slashes % 2 === 0;
}

const WORD = /[A-Za-z0-9_.$+-]/;

function wordAround(text: string, offset: number): { start: number; end: number } {
  let start = offset;
  while (start > 0 && WORD.test(text[start - 1]!)) start--;
  let end = offset;
  while (end < text.length && WORD.test(text[end]!)) end++;
  return { start, end };
}

/** The first token after `offset` that is not whitespace or a comment. */
function tokenAfter(text: string, offset: number): SyntaxKind {
  const scanner = createScanner(text.slice(offset, offset + 4096), false);
  for (;;) {
    const t = scanner.scan();
    if (t !== Token.Trivia && t !== Token.LineBreak && t !== Token.LineComment && t !== Token.BlockComment) return t;
  }
}

function isWhitespace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** Where a `//` comment starts on the line between `from` and `to` (inclusive), outside strings; else -1. */
function lineCommentStart(text: string, from: number, to: number): number {
  let inString = false;
  for (let i = from; i <= to; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 47 && text.charCodeAt(i + 1) === 47) return i;
    else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const close = text.indexOf('*/', i + 2);
      if (close < 0 || close > to) return -1;
      i = close + 1;
    }
  }
  return -1;
}

/**
 * Where a comma must go for something inserted at `start` to follow what is before it: right after a value
 * that has no comma yet; undefined after `{`, `[`, `,` or `:` (or nothing). Reads backwards over whitespace and
 * comments only, so it costs the same in a 300 KiB pool as in a small one.
 */
function commaNeededBefore(text: string, start: number): number | undefined {
  let p = start - 1;
  for (;;) {
    while (p >= 0 && isWhitespace(text.charCodeAt(p))) p--;
    if (p < 0) return undefined;
    if (text.charCodeAt(p) === 47 && text.charCodeAt(p - 1) === 42) {
      const open = text.lastIndexOf('/*', p - 2);
      if (open < 0) return undefined;
      p = open - 1;
      continue;
    }
    const comment = lineCommentStart(text, text.lastIndexOf('\n', p) + 1, p);
    if (comment >= 0) {
      p = comment - 1;
      continue;
    }
    break;
  }
  const c = text[p];
  return c === ',' || c === '{' || c === '[' || c === ':' ? undefined : p + 1;
}

function startsValue(t: SyntaxKind): boolean {
  return (
    t === Token.String ||
    t === Token.OpenBrace ||
    t === Token.OpenBracket ||
    t === Token.Number ||
    t === Token.True ||
    t === Token.False ||
    t === Token.Null
  );
}

/** Where the cursor is: writing a key of an object, or a value; undefined where nothing can be proposed. */
function placeAt(parsed: SourceDocument, offset: number): Place | undefined {
  // No syntax tree: jsonc-parser's scanner finds the place, the parsed value and spans tell the rest. Building
  // the tree would cost ten times JSON.parse on a large pool, on every keystroke's completion.
  const text = parsed.file.getText();
  const loc = getLocation(text, offset);
  const prev = loc.previousNode;

  const keyPlace = (objectPath: JsonPath, start: number, end: number, quoted: boolean, typed: string, editing?: Node): Place | undefined => {
    const parent = valueIn(parsed.value, objectPath);
    if (objectPath.length > 0 && parent !== undefined && !isObject(parent)) return undefined;
    const commaBefore = commaNeededBefore(text, start);
    const next = tokenAfter(text, end);
    return {
      kind: 'key',
      path: objectPath,
      start,
      end,
      quoted,
      typed,
      editing,
      colonAfter: next === Token.Colon,
      commaBefore,
      commaAfter: startsValue(next),
    };
  };

  if (prev && prev.type === 'property') {
    // Inside a key's quotes (getLocation reports a key after a missing comma as a value; the node says key).
    const terminated = isTerminatedString(text, prev);
    const end = terminated ? prev.offset + prev.length : offset;
    if (offset <= prev.offset || (terminated && offset >= end)) return undefined;
    return keyPlace(loc.path.slice(0, -1), prev.offset, end, true, text.slice(prev.offset + 1, terminated ? end - 1 : end), prev);
  }
  if (loc.isAtPropertyKey) {
    const w = wordAround(text, offset);
    return keyPlace(loc.path.slice(0, -1), w.start, w.end, false, text.slice(w.start, w.end));
  }
  // A value, or just after one.
  const path = loc.path;
  if (prev && (prev.type === 'string' || prev.type === 'number' || prev.type === 'boolean' || prev.type === 'null')) {
    const end = prev.offset + prev.length;
    const terminated = prev.type !== 'string' || isTerminatedString(text, prev);
    if (offset === end && prev.type === 'string' && terminated) return undefined; // right after the closing quote
    if (offset > end) return afterValue(path, offset);
    const stop = terminated ? end : offset;
    return {
      kind: 'value',
      path,
      start: prev.offset,
      end: stop,
      quoted: prev.type === 'string',
      typed: text.slice(prev.offset, stop),
      colonAfter: false,
      commaAfter: startsValue(tokenAfter(text, stop)),
    };
  }
  const existing = path.length > 0 ? parsed.valueSpan(path) : undefined;
  const opener = existing ? text.charCodeAt(existing.offset) : 0;
  if (existing && (opener === 123 || opener === 91) && offset >= existing.offset + existing.length) {
    return afterValue(path, offset);
  }
  const w = wordAround(text, offset);
  return {
    kind: 'value',
    path,
    start: w.start,
    end: w.end,
    quoted: false,
    typed: text.slice(w.start, w.end),
    colonAfter: false,
    commaAfter: startsValue(tokenAfter(text, w.end)),
    spaceBefore: text.charCodeAt(w.start - 1) === 58,
  };

  /** The cursor is past a complete value with no comma yet: a new property of the enclosing object. */
  function afterValue(valuePath: JsonPath, at: number): Place | undefined {
    if (valuePath.length === 0 || typeof valuePath[valuePath.length - 1] !== 'string') return undefined;
    return keyPlace(valuePath.slice(0, -1), at, at, false, '');
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Snippet text

function escapeSnippet(s: string): string {
  return s.replace(/[\\$}]/g, (c) => '\\' + c);
}

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

/** A JSON value as snippet text: strings escaped for snippets, objects laid out with tabs (VS Code re-indents). */
function valueSnippet(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[$1]';
    return `[\n${value.map((v) => `${indent}\t${valueSnippet(v, indent + '\t')}`).join(',\n')}\n${indent}]`;
  }
  if (isObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{$1}';
    return `{\n${entries.map(([k, v]) => `${indent}\t${escapeSnippet(JSON.stringify(k))}: ${valueSnippet(v, indent + '\t')}`).join(',\n')}\n${indent}}`;
  }
  return escapeSnippet(JSON.stringify(value));
}

/** The value a new property gets: its schema's only default snippet, a single enum value, or an empty shape. */
function placeholderFor(schemas: readonly SchemaNode[]): { text: string; suggest: boolean } {
  const snippets = schemas.flatMap((s) => s.defaultSnippets ?? []);
  if (snippets.length === 1 && snippets[0]!.body !== undefined) return { text: valueSnippet(snippets[0]!.body), suggest: false };
  const enums = enumValuesOf(schemas);
  if (enums.length === 1) return { text: valueSnippet(enums[0]!.value), suggest: false };
  const types = typesOf(schemas);
  const def = schemas.find((s) => s.default !== undefined)?.default;
  if (enums.length > 1) return { text: types.includes('string') || typeof enums[0]!.value === 'string' ? '"$1"' : '$1', suggest: true };
  switch (types.length === 1 ? types[0] : undefined) {
    case 'object':
      return { text: '{\n\t$1\n}', suggest: false };
    case 'array':
      return { text: '[\n\t$1\n]', suggest: false };
    case 'string':
      return { text: def !== undefined ? `"\${1:${escapeSnippet(String(def))}}"` : '"$1"', suggest: false };
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
function imagePlaceholder(pool: PoolModel | undefined): { text: string; suggest: boolean } {
  const image = newestImageFor(flinkLine(pool?.flinkVersion));
  return { text: image ? `"\${1:${escapeSnippet(image)}}"` : '"$1"', suggest: true };
}

// ---------------------------------------------------------------------------------------------------------------
// Items

interface Builder {
  place: Place;
  range: Range;
  snippets: boolean;
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

/** The keys the object at `path` has, but the one being edited. */
function presentKeys(parsed: SourceDocument, path: JsonPath, editing: Node | undefined): Set<string> {
  const v = valueIn(parsed.value, path);
  const keys = new Set<string>(isObject(v) ? Object.keys(v) : []);
  if (editing && typeof editing.value === 'string') keys.delete(editing.value);
  return keys;
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
  const present = presentKeys(parsed, place.path, place.editing);
  let i = 0;
  for (const [key, schema] of propertiesAt(place.path, pool?.kind)) {
    i++;
    if (present.has(key) || !proposable(place.path, key, schema, pool)) continue;
    const schemas = expand(schema);
    const deprecated = schemas.find((s) => s.deprecationMessage)?.deprecationMessage;
    const types = typesOf(schemas);
    const value = samePath([...place.path, key], [...CLUSTER_SPEC, 'image']) ? imagePlaceholder(pool) : placeholderFor(schemas);
    const snippet = place.colonAfter ? escapeSnippet(JSON.stringify(key)) : `${escapeSnippet(JSON.stringify(key))}: ${value.text}`;
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
  /** the quoted key as snippet text, and the tab stop its value gets */
  quotedKey: string;
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
    quotedKey: `"${k.text.replace(/"/g, '\\"')}"`,
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
  const editingKey = place.editing && typeof place.editing.value === 'string' ? prefix + place.editing.value : undefined;
  if (editingKey) present.delete(editingKey);
  for (const k of presentKeys(parsed, place.path, place.editing)) present.add(prefix + k);
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
    return add(b, e.label, fields, place.colonAfter ? e.quotedKey : `${e.quotedKey}: "$${e.valueStop}"`);
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
  const label = JSON.stringify(value);
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
    escapeSnippet(label),
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

/** Images that fit the pool's flinkVersion: the newest build (also as the current image's registry and architecture), and the SHARED minimum. */
function imageValues(b: Builder, pool: PoolModel | undefined): void {
  const line = flinkLine(pool?.flinkVersion);
  const current = typeof pool?.clusterSpec?.image === 'string' ? pool.clusterSpec.image : undefined;
  const lines = line && NEWEST_BUILDS[line] ? [line] : Object.keys(NEWEST_BUILDS);
  const seen = new Set<string>();
  let i = 0;
  for (const l of lines) {
    const newest = newestImageFor(l)!;
    const candidates: { image: string; why: string }[] = [];
    const kept = current ? newestImageFor(l, current) : undefined;
    // The current image's registry prefix and -arm64 suffix are kept (only builds seen published are proposed otherwise).
    if (kept && kept !== newest) candidates.push({ image: kept, why: `The newest known ${CP_FLINK_SQL} build for Flink ${l}, keeping your image's registry and architecture.` });
    candidates.push({ image: newest, why: `The newest known ${CP_FLINK_SQL} build for Flink ${l}.` });
    const min = SHARED_MIN_BUILD[l];
    if (min !== undefined) {
      const tag = parseCpFlinkSqlTag(NEWEST_BUILDS[l]);
      if (tag && tag.build !== min) candidates.push({ image: `${CP_FLINK_SQL}:${l}-cp${min}`, why: `The oldest build shared pools accept (CMF's documentation example).` });
    }
    for (const c of candidates) {
      if (seen.has(c.image)) continue;
      seen.add(c.image);
      const note = line && !NEWEST_BUILDS[line] ? ` No build is known for Flink ${line}: with this image, set flinkVersion to ${flinkVersionFor(l)}.` : '';
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
    const imageLine = typeof pool?.clusterSpec?.image === 'string' ? parseCpFlinkSqlTag(parseImageRef(pool.clusterSpec.image).tag)?.flink : undefined;
    const withBuild = (v: unknown) => typeof v === 'string' && NEWEST_BUILDS[flinkLine(v) ?? ''] !== undefined;
    const ordered = [...enums].sort((a, b2) => Number(withBuild(b2.value)) - Number(withBuild(a.value)) || String(b2.value).localeCompare(String(a.value), 'en', { numeric: true }));
    for (const e of ordered) {
      const deprecated = /deprecated/i.test(e.description ?? '');
      valueItem(b, e.value, {
        documentation: e.description,
        detail: withBuild(e.value) ? `cp-flink-sql ${NEWEST_BUILDS[flinkLine(e.value)!]}` : undefined,
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
          documentation: markdown('```json\n' + JSON.stringify(snip.body, null, 2) + '\n```'),
          sortText: sort(),
        },
        valueSnippet(snip.body),
      );
    }
  }
  if (b.items.length === 0 && types.length === 1 && (types[0] === 'object' || types[0] === 'array')) {
    add(b, types[0] === 'object' ? '{}' : '[]', { kind: CompletionItemKind.Value, sortText: sort() }, types[0] === 'object' ? '{$1}' : '[$1]');
  }
}

// ---------------------------------------------------------------------------------------------------------------


/** Completion at `position`; an empty list where nothing fits. */
export function complete(parsed: SourceDocument, position: Position, options: CompleteOptions = {}): CompletionList {
  const empty: CompletionList = { isIncomplete: false, items: [] };
  if (parsed.tooDeepAt !== undefined || parsed.format !== 'json') return empty;
  const doc = parsed.file;
  const place = placeAt(parsed, doc.offsetAt(position));
  if (!place) return empty;
  const b: Builder = {
    place,
    range: { start: doc.positionAt(place.start), end: doc.positionAt(place.end) },
    snippets: options.snippets ?? true,
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
