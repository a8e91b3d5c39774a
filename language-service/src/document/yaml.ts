/**
 * The YAML front end: a YAML file as one SourceDocument per YAML document (`---`), each with its plain value
 * (what `yaml`'s toJS gives: YAML 1.2 core scalars, aliases resolved, `<<` merge keys applied, the last of
 * duplicate keys winning) and where every key and value stands in the file.
 *
 * Hostile text: the `yaml` library recurses per level of nesting (its parser on dedents, its composer, toJS), and
 * near the end of the stack V8 may even abort the process instead of throwing. So the parser is driven lexeme by
 * lexeme and stopped as soon as its stack holds more than MAX_DEPTH collections, and nothing is composed then; the
 * document goes too deep there. After composing, aliases are checked before toJS: an alias with no anchor before it
 * or inside the node it refers to (a cycle) is read as null, a merge of anything but maps is dropped, and nesting
 * through aliases counts too; toJS itself stops at yaml's alias expansion limit (billion laughs). Each of these is
 * a syntax problem, so a document is read as far as it can be.
 *
 * Paths through aliases and merge keys: the value span of a path whose value is an alias is the alias (`*x`); paths
 * below it are located in the anchored node, and a key that a `<<` merge brings in is located in the merged map.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  type Alias,
  type CST,
  Composer,
  type Document,
  Lexer,
  Pair,
  type ParsedNode,
  Parser,
  Scalar,
  YAMLMap,
  YAMLSeq,
  type YAMLError,
  isAlias,
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
} from 'yaml';
import { type DocumentEdit, type DuplicateKey, type JsonPath, type NodeAt, type SourceDocument, type Span, type SyntaxProblem, MAX_DEPTH } from './model';
import { YamlEdit } from './yaml-edit';

/** How every YAML document is read: YAML 1.2 core, merge keys, duplicate keys allowed (the last wins), no 1.1 types. */
export const PARSE_OPTIONS = {
  uniqueKeys: false,
  merge: true,
  prettyErrors: false,
  logLevel: 'error',
  keepSourceTokens: true,
  resolveKnownTags: false,
} as const;

/** yaml's own default: the alias expansions toJS allows before it gives up (a "billion laughs" document). */
const MAX_ALIAS_COUNT = 100;

type ParsedDoc = Document.Parsed;
type Collection = YAMLMap.Parsed | YAMLSeq.Parsed;

/** A document as the composer left it, or where its nesting went too deep. */
interface RawDocument {
  start: number;
  doc?: ParsedDoc;
  tooDeepAt?: number;
}

const isCollectionToken = (t: CST.Token): boolean => t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection';

/** The offset of the collection on the parser's stack that is deeper than MAX_DEPTH, if one is. */
function tooDeepOnStack(stack: readonly CST.Token[]): number | undefined {
  if (stack.length <= MAX_DEPTH) return undefined;
  let depth = 0;
  for (const t of stack) if (isCollectionToken(t) && ++depth > MAX_DEPTH) return t.offset;
  return undefined;
}

/** Where the document after a too-deep one starts: its `---` line, or the line after a `...`. */
function nextDocumentStart(text: string, from: number): number | undefined {
  const marker = /(?:^|\n)(---|\.\.\.)(?=[ \t\r\n]|$)/g;
  marker.lastIndex = from;
  const m = marker.exec(text);
  if (!m) return undefined;
  const at = m.index + m[0].length - 3;
  if (m[1] === '---') return at;
  const eol = text.indexOf('\n', at);
  return eol < 0 ? undefined : eol + 1;
}

/** Composes every document of `text`, one lexeme at a time, never letting the parser's stack go deeper than MAX_DEPTH. */
function composeAll(text: string): RawDocument[] {
  const out: RawDocument[] = [];
  let pos = 0;
  for (;;) {
    const parser = new Parser();
    parser.offset = pos; // the lexer reads from `pos`; tokens carry the file's offsets
    const composer = new Composer(PARSE_OPTIONS);
    const starts: number[] = [];
    const docs: ParsedDoc[] = [];
    let directiveAt: number | undefined;
    const feed = (token: CST.Token): void => {
      if (token.type === 'directive') directiveAt ??= token.offset;
      else if (token.type === 'document') {
        starts.push(directiveAt ?? token.offset);
        directiveAt = undefined;
      }
      for (const d of composer.next(token)) docs.push(d as ParsedDoc);
    };
    let deep: number | undefined;
    for (const lexeme of new Lexer().lex(pos === 0 ? text : text.slice(pos))) {
      for (const token of parser.next(lexeme)) feed(token);
      deep = tooDeepOnStack(parser.stack);
      if (deep !== undefined) break;
    }
    if (deep === undefined) {
      for (const token of parser.end()) feed(token);
      for (const d of composer.end(out.length + docs.length === 0, text.length)) docs.push(d as ParsedDoc);
    } else {
      for (const d of composer.end(false, deep)) docs.push(d as ParsedDoc);
    }
    docs.forEach((doc, i) => out.push({ start: starts[i] ?? (i === 0 ? pos : doc.range[0]), doc }));
    if (deep === undefined) return out;
    out.push({ start: directiveAt ?? parser.stack[0]?.offset ?? deep, tooDeepAt: deep });
    const next = nextDocumentStart(text, deep);
    if (next === undefined || next <= pos) return out;
    pos = next;
  }
}

/** Parses a YAML file into its documents, in order; an empty file is one empty document. Never throws. */
export function parseYamlFile(file: TextDocument): YamlDocument[] {
  return parseYamlText(file.getText(), file);
}

/** The documents of `text` (that is `file`'s text, or an edited version of it). */
export function parseYamlText(text: string, file: TextDocument): YamlDocument[] {
  let raw: RawDocument[];
  try {
    raw = composeAll(text);
  } catch (e) {
    // Not expected (the depth limit keeps yaml's recursion short), but no text may throw out of the front end.
    const span = { offset: 0, length: text.length };
    return [new YamlDocument(file, 0, span, text, readDocument({ start: 0 }, text, span, [problemAt(text, 0, 0, `Invalid YAML: ${(e as Error).message}.`)]))];
  }
  if (raw.length === 0) raw.push({ start: 0 });
  const starts = raw.map((r, i) => (i === 0 ? 0 : r.start));
  for (let i = 1; i < starts.length; i++) starts[i] = Math.min(Math.max(starts[i], starts[i - 1]), text.length);
  return raw.map((r, i) => {
    const start = starts[i];
    let end = i + 1 < raw.length ? starts[i + 1] : text.length;
    // A document ends before the line break that precedes the next one, so no offset belongs to two.
    if (i + 1 < raw.length && end > start && text[end - 1] === '\n') end -= end - 1 > start && text[end - 2] === '\r' ? 2 : 1;
    const span = { offset: start, length: end - start };
    return new YamlDocument(file, i, span, text, readDocument(r, text, span));
  });
}

// Syntax problems ------------------------------------------------------------------------------------------------

function problemAt(text: string, offset: number, length: number, message: string): SyntaxProblem {
  const o = Math.min(Math.max(offset, 0), text.length);
  return { offset: o, length: Math.min(Math.max(length, 0), text.length - o), message };
}

function readable(e: YAMLError): string {
  let m = e.message.trim();
  if (e.code === 'TAB_AS_INDENT') m = 'tabs are not allowed as indentation, use spaces';
  const token = /^Unexpected [a-z-]+ token in YAML stream: (.*)$/.exec(m);
  if (token) m = `unexpected ${token[1]}`;
  m = m.charAt(0).toLowerCase() + m.slice(1);
  return `Invalid YAML: ${m}${/[.!?]$/.test(m) ? '' : '.'}`;
}

// The composed document: aliases, merges, depth -------------------------------------------------------------------

const MERGE = '<<';

/** A `<<` key (plain), as yaml's merge option resolves it. */
export function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false;
  const v = key.value;
  // yaml also takes a plain scalar whose value is the string '<<' (`!!str <<`) for a merge key.
  return (typeof v === 'symbol' && v.description === MERGE) || (v === MERGE && (!key.type || key.type === Scalar.PLAIN));
}

function nullAt(range: ParsedNode['range']): Scalar.Parsed {
  const s = new Scalar(null) as Scalar.Parsed;
  s.range = [range[0], range[1], range[2]];
  return s;
}

interface Analysis {
  targets: Map<Alias, ParsedNode>;
  problems: SyntaxProblem[];
  tooDeepAt: number | undefined;
  lastAlias: Alias | undefined;
}

/**
 * One pass over the composed tree, without recursion: resolves aliases as yaml does (the last anchor of that name
 * before the alias), replaces the ones toJS would throw on by null, drops merge sources that are not maps, and finds
 * where nesting, counted through aliases, first goes deeper than MAX_DEPTH.
 */
function analyse(doc: ParsedDoc, text: string): Analysis {
  const targets = new Map<Alias, ParsedNode>();
  const problems: SyntaxProblem[] = [];
  const anchors = new Map<string, ParsedNode>();
  const open = new Set<ParsedNode>();
  const heights = new Map<unknown, number>();
  let lastAlias: Alias | undefined;
  const report = (n: { range?: ParsedNode['range'] | null }, message: string) => {
    const r = n.range ?? [0, 0, 0];
    problems.push(problemAt(text, r[0], r[1] - r[0], message));
  };
  const resolved = (n: unknown): unknown => (isAlias(n) ? targets.get(n) : n);

  type Task =
    | { kind: 'enter'; node: ParsedNode | null; replace: (n: ParsedNode) => void }
    | { kind: 'exit'; node: Collection }
    | { kind: 'merge'; pair: Pair<ParsedNode, ParsedNode | null> };
  const tasks: Task[] = [];
  const root = doc.contents as ParsedNode | null;
  if (root) tasks.push({ kind: 'enter', node: root, replace: (n) => (doc.contents = n) });
  while (tasks.length) {
    const task = tasks.pop()!;
    if (task.kind === 'exit') {
      let h = 0;
      for (const it of task.node.items as unknown[]) {
        if (isPair(it)) h = Math.max(h, heights.get(it.key) ?? 0, heights.get(it.value) ?? 0);
        else h = Math.max(h, heights.get(it) ?? 0);
      }
      heights.set(task.node, h + 1);
      open.delete(task.node);
      continue;
    }
    if (task.kind === 'merge') {
      const v = task.pair.value;
      const source = resolved(v);
      const items = isSeq(source) ? (source.items as unknown[]) : [source];
      const maps = items.filter((it) => isMap(resolved(it)));
      if (maps.length !== items.length && v) {
        report(v, 'Invalid YAML: a merge key (<<) takes a map, an alias of a map, or a list of them.');
        const fixed = isSeq(source) ? new YAMLSeq() : new YAMLMap();
        fixed.flow = true;
        if (isSeq(source)) fixed.items = maps;
        (fixed as Collection).range = [v.range[0], v.range[1], v.range[2]];
        heights.set(fixed, maps.length ? 1 + Math.max(...maps.map((m) => heights.get(m) ?? 0)) : 0);
        if (!isAlias(v) && v.anchor) {
          // Later aliases of its anchor now refer to the replacement, for toJS as for us.
          fixed.anchor = v.anchor;
          if (anchors.get(v.anchor) === v) anchors.set(v.anchor, fixed as ParsedNode);
        }
        task.pair.value = fixed as ParsedNode;
      }
      continue;
    }
    const node = task.node;
    if (!node) continue;
    if (isAlias(node)) {
      lastAlias = node;
      const target = anchors.get(node.source);
      if (!target || open.has(target)) {
        report(node, target ? `Invalid YAML: the alias *${node.source} is inside the node it refers to.` : `Invalid YAML: the alias *${node.source} has no anchor &${node.source} before it.`);
        task.replace(nullAt(node.range));
        continue;
      }
      targets.set(node, target);
      heights.set(node, heights.get(target) ?? 0);
      continue;
    }
    if (node.anchor) anchors.set(node.anchor, node);
    if (!isCollection(node)) continue;
    open.add(node);
    tasks.push({ kind: 'exit', node: node as Collection });
    const items = node.items as unknown[];
    for (let i = items.length - 1; i >= 0; i--) {
      const it = items[i];
      if (isPair(it)) {
        const pair = it as Pair<ParsedNode, ParsedNode | null>;
        if (isMap(node) && isMergeKey(pair.key)) tasks.push({ kind: 'merge', pair });
        tasks.push({ kind: 'enter', node: pair.value, replace: (n) => (pair.value = n) });
        tasks.push({ kind: 'enter', node: pair.key, replace: (n) => (pair.key = n) });
      } else tasks.push({ kind: 'enter', node: it as ParsedNode | null, replace: (n) => (items[i] = n) });
    }
  }
  let tooDeepAt: number | undefined;
  if (root && (heights.get(doc.contents) ?? 0) > MAX_DEPTH) tooDeepAt = deepestPoint(doc.contents as ParsedNode, targets, heights);
  return { targets, problems, tooDeepAt, lastAlias };
}

/** The first node (in text order) where nesting, counted through aliases, goes deeper than MAX_DEPTH. */
function deepestPoint(root: ParsedNode, targets: Map<Alias, ParsedNode>, heights: Map<unknown, number>): number {
  const stack: { node: unknown; depth: number }[] = [{ node: root, depth: 0 }]; // depth: collections above it
  while (stack.length) {
    const { node, depth } = stack.pop()!;
    if (isAlias(node)) {
      if (depth + (heights.get(targets.get(node)) ?? 0) > MAX_DEPTH) return node.range![0];
      continue;
    }
    if (!isCollection(node)) continue;
    if (depth + 1 > MAX_DEPTH) return node.range![0];
    if (depth + (heights.get(node) ?? 0) <= MAX_DEPTH) continue;
    const children: unknown[] = [];
    for (const it of node.items as unknown[]) {
      if (isPair(it)) children.push(it.key, it.value);
      else children.push(it);
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i], depth: depth + 1 });
  }
  return root.range[0];
}

// Locating paths --------------------------------------------------------------------------------------------------

/** A property or element: its key (none for elements) and value nodes, and how it was reached. */
export interface Entry {
  /** the pair holding it (for a map entry; for a merged one, the pair in the merged map) */
  pair?: Pair<ParsedNode | null, ParsedNode | null>;
  key: ParsedNode | null | undefined;
  value: ParsedNode | null;
  /** brought in by a `<<` merge key */
  merged: boolean;
}

/** Where a path leads: the entry, the collection holding it, and whether the way there went through an alias or a merge. */
export interface Located extends Entry {
  /** the map or sequence that holds the entry (undefined for the root) */
  parent?: Collection;
  /** the entry's index in its sequence */
  index?: number;
  /** some collection on the way was reached through an alias or a merged key */
  indirect: boolean;
}

/** The composed tree of one document with its aliases resolved, and the lookups the document model needs. */
export class YamlTree {
  private children = new Map<YAMLMap, Map<string, Entry>>();
  private views = new Map<YAMLMap, Map<unknown, Entry>>();
  private ends = new Map<unknown, number>();

  constructor(
    readonly doc: ParsedDoc,
    readonly text: string,
    private readonly targets: Map<Alias, ParsedNode>,
    /** The document's span: yaml's error recovery may leave a node just past it (an empty key at the next `---`). */
    private readonly limit: Span,
  ) {}

  /**
   * This tree in a new text of the file, where every offset at or after `from` has moved by `delta` (the caller has
   * moved the nodes and their source tokens already, and changed no key): the same nodes, and the caches, which hold
   * nodes, names and ends, carried over, the ends moved. This tree is not to be used afterwards.
   */
  movedTo(text: string, limit: Span, from: number, delta: number): YamlTree {
    const t = new YamlTree(this.doc, text, this.targets, limit);
    t.children = this.children;
    t.views = this.views;
    if (delta !== 0) for (const [node, end] of this.ends) if (end >= from) this.ends.set(node, end + delta);
    t.ends = this.ends;
    return t;
  }

  get root(): ParsedNode | null {
    return (this.doc.contents as ParsedNode | null) ?? null;
  }

  /** An alias's anchored node; any other node itself. */
  resolve(node: ParsedNode | null | undefined): ParsedNode | undefined {
    if (!node) return undefined;
    return isAlias(node) ? this.targets.get(node) : node;
  }

  /** The end of a node's own text: no trailing comments, blank lines or line breaks. */
  end(node: ParsedNode): number {
    const known = this.ends.get(node);
    if (known !== undefined) return known;
    let end: number;
    const [start, valueEnd] = node.range;
    if (isCollection(node) && !node.flow && node.items.length > 0) {
      const last = node.items[node.items.length - 1] as unknown;
      end = start;
      if (isPair(last)) {
        if (last.key) end = Math.max(end, this.end(last.key as ParsedNode));
        if (last.value) end = Math.max(end, this.end(last.value as ParsedNode));
      } else if (last) end = Math.max(end, this.end(last as ParsedNode));
    } else {
      end = valueEnd;
      while (end > start && isSpace(this.text.charCodeAt(end - 1))) end--;
    }
    this.ends.set(node, end);
    return end;
  }

  span(node: ParsedNode): Span {
    const last = this.limit.offset + this.limit.length;
    const offset = Math.min(Math.max(node.range[0], this.limit.offset), last);
    return { offset, length: Math.min(Math.max(this.end(node), offset), last) - offset };
  }

  /** The name toJS gives a key in a plain object. */
  keyName(key: ParsedNode | null | undefined): string {
    if (!key) return '';
    const k = this.resolve(key);
    if (isScalar(k)) {
      const v = k.value;
      return v === null || v === undefined ? '' : String(v); // an alias of a merge key is an ordinary key: 'Symbol(<<)'
    }
    // A collection as a key: toJS stringifies it; ask it to, on a map of that one key.
    try {
      const m = new YAMLMap(this.doc.schema);
      m.items.push(new Pair(key, null));
      return Object.keys(m.toJS(this.doc, { maxAliasCount: MAX_ALIAS_COUNT }) as object)[0] ?? '';
    } catch {
      return '';
    }
  }

  /**
   * The key toJS uses for a key node in a Map: a scalar's value, and for a collection, the node (toJS gives each
   * node, and each alias of it, one object).
   */
  private jsKey(key: ParsedNode | null | undefined): unknown {
    const k = this.resolve(key);
    if (!k) return null;
    return isScalar(k) ? k.value : k;
  }

  /** The property a merged key becomes: String() of its value (none for a symbol). */
  private propertyName(jsKey: unknown): string | undefined {
    if (typeof jsKey === 'symbol') return undefined;
    if (jsKey === null || typeof jsKey !== 'object') return String(jsKey);
    try {
      return String((jsKey as ParsedNode).toJS(this.doc, { maxAliasCount: MAX_ALIAS_COUNT })); // '[object Object]', 'a,b'
    } catch {
      return '';
    }
  }

  /** The maps that a merge key's value brings in. */
  private mergeSources(pair: Pair<ParsedNode | null, ParsedNode | null>, into: YAMLMap): YAMLMap[] {
    const source = this.resolve(pair.value);
    const sources = isSeq(source) ? (source.items as ParsedNode[]) : [source];
    const maps: YAMLMap[] = [];
    for (const s of sources) {
      const m = this.resolve(s);
      if (isMap(m) && m !== into) maps.push(m);
    }
    return maps;
  }

  /**
   * A map as toJS reads a merge source, a JS Map keyed by the keys' values: the last of duplicate keys, merged keys
   * where no explicit one is (`null` and `''` are two keys here, which a plain object names 'null' and '').
   */
  private mapView(map: YAMLMap): Map<unknown, Entry> {
    let view = this.views.get(map);
    if (view) return view;
    view = new Map();
    this.views.set(map, view); // set first: a merge cannot reach back here (cycles were cut), but stay safe
    for (const it of map.items as unknown[]) {
      if (!isPair(it)) continue;
      const pair = it as Pair<ParsedNode | null, ParsedNode | null>;
      if (isMergeKey(pair.key)) {
        for (const m of this.mergeSources(pair, map)) for (const [k, e] of this.mapView(m)) if (!view.has(k)) view.set(k, { ...e, merged: true });
      } else view.set(this.jsKey(pair.key), { pair, key: pair.key, value: pair.value, merged: false });
    }
    return view;
  }

  /** A map's entries by name, as toJS sees them: the last of duplicate keys; merged keys where no explicit one is. */
  entries(map: YAMLMap): Map<string, Entry> {
    let kids = this.children.get(map);
    if (kids) return kids;
    kids = new Map();
    this.children.set(map, kids);
    for (const it of map.items as unknown[]) {
      if (!isPair(it)) continue;
      const pair = it as Pair<ParsedNode | null, ParsedNode | null>;
      if (isMergeKey(pair.key)) {
        for (const m of this.mergeSources(pair, map)) {
          for (const [k, e] of this.mapView(m)) {
            const name = this.propertyName(k);
            if (name !== undefined && !kids.has(name)) kids.set(name, { ...e, merged: true });
          }
        }
      } else kids.set(this.keyName(pair.key), { pair, key: pair.key, value: pair.value, merged: false });
    }
    return kids;
  }

  /** The entry at `path`, or undefined when the value has no such path. */
  locate(path: JsonPath): Located | undefined {
    const root = this.root;
    if (!root || isEmptyNode(root)) return undefined;
    let at: Located = { key: undefined, value: root, merged: false, indirect: false };
    for (const seg of path) {
      let node = at.value;
      let indirect = at.indirect || at.merged;
      if (isAlias(node)) {
        node = this.targets.get(node) ?? null;
        indirect = true;
      }
      if (isMap(node)) {
        if (typeof seg !== 'string') return undefined;
        const e = this.entries(node).get(seg);
        if (!e) return undefined;
        at = { pair: e.pair, key: e.key, value: e.value, merged: e.merged, parent: node as YAMLMap.Parsed, indirect };
      } else if (isSeq(node)) {
        if (typeof seg !== 'number' || !Number.isInteger(seg) || seg < 0 || seg >= node.items.length) return undefined;
        const item = node.items[seg] as unknown;
        if (isPair(item)) return undefined; // not made by the composer (a flow sequence's pairs become maps)
        at = { key: undefined, value: (item as ParsedNode | null) ?? null, merged: false, parent: node as YAMLSeq.Parsed, index: seg, indirect };
      } else return undefined;
    }
    return at;
  }

  keySpan(path: JsonPath): Span | undefined {
    const at = this.locate(path);
    if (!at) return undefined;
    if (path.length > 0 && typeof path[path.length - 1] === 'string' && at.key) return this.span(at.key);
    return this.valueSpanOf(at);
  }

  valueSpan(path: JsonPath): Span | undefined {
    const at = this.locate(path);
    return at ? this.valueSpanOf(at) : undefined;
  }

  private valueSpanOf(at: Entry): Span | undefined {
    if (at.value) return this.span(at.value);
    // A key with no value at all (`{a, b}`, `? a`): the empty place after it.
    if (at.key) {
      const k = this.span(at.key);
      return { offset: k.offset + k.length, length: 0 };
    }
    return undefined;
  }

  /** Every duplicate key but the last of each name, in every map of the document. */
  duplicateKeys(): DuplicateKey[] {
    const out: DuplicateKey[] = [];
    const stack: unknown[] = this.root ? [this.root] : [];
    while (stack.length) {
      const node = stack.pop();
      if (!isCollection(node)) continue;
      const last = new Map<string, number>();
      const names: (string | undefined)[] = [];
      (node.items as unknown[]).forEach((it, i) => {
        if (isPair(it)) {
          stack.push(it.key, it.value);
          if (isMap(node) && !isMergeKey(it.key)) {
            const name = this.keyName(it.key as ParsedNode | null);
            names[i] = name;
            last.set(name, i);
          }
        } else stack.push(it);
      });
      names.forEach((name, i) => {
        if (name === undefined || last.get(name) === i) return;
        const key = ((node.items as unknown[])[i] as Pair<ParsedNode | null>).key;
        if (key) out.push({ ...this.span(key), key: name });
      });
    }
    return out.sort((a, b) => a.offset - b.offset);
  }

  /** The map and the index of the pair whose key starts at `offset`, in this document's own text. */
  pairWithKeyAt(offset: number): { map: YAMLMap.Parsed; index: number } | undefined {
    const stack: unknown[] = this.root ? [this.root] : [];
    while (stack.length) {
      const node = stack.pop();
      if (!isCollection(node)) continue;
      const items = node.items as unknown[];
      for (let i = 0; i < items.length; i++) {
        const it = items[i];
        if (isPair(it)) {
          const key = it.key as ParsedNode | null;
          if (isMap(node) && key && key.range[0] === offset) return { map: node as YAMLMap.Parsed, index: i };
          stack.push(it.key, it.value);
        } else stack.push(it);
      }
    }
    return undefined;
  }

  /** The key or value under `offset` (see SourceDocument.nodeAt). */
  nodeAt(offset: number): NodeAt | undefined {
    let node: ParsedNode | null = this.root;
    if (!node || isEmptyNode(node)) return undefined;
    let path: JsonPath = [];
    const within = (n: ParsedNode | null | undefined): n is ParsedNode => !!n && n.range[0] <= offset && offset <= this.end(n);
    for (;;) {
      if (!within(node)) return undefined;
      if (isMap(node) || isSeq(node)) {
        let next: ParsedNode | undefined;
        const items = node.items as unknown[];
        for (let i = 0; i < items.length && !next; i++) {
          const it = items[i];
          if (isPair(it)) {
            const key = it.key as ParsedNode | null;
            const value = it.value as ParsedNode | null;
            if (isMap(node) && isMergeKey(key)) {
              // The keys of a map written in a merge belong to this map (when no explicit key overrides them).
              if (!within(value)) continue;
              if (isMap(value)) next = value;
              else if (isSeq(value)) next = (value.items as ParsedNode[]).find((m) => isMap(m) && within(m));
              if (!next) return undefined;
              continue;
            }
            if (within(key)) {
              const name = this.keyName(key);
              return { path: [...path, name], isKey: true, span: this.span(key), container: isCollection(this.resolve(value)) };
            }
            if (within(value)) {
              next = value;
              path = [...path, this.keyName(key)];
            }
          } else if (within(it as ParsedNode | null)) {
            next = it as ParsedNode;
            path = [...path, i];
          }
        }
        if (next) {
          node = next;
          continue;
        }
        // On none of its members: only a flow collection's brackets count as the collection itself.
        const end = this.end(node);
        if (node.flow && (offset === node.range[0] || offset >= end - 1)) return { path, isKey: false, span: this.span(node), container: true };
        return undefined;
      }
      const target = this.resolve(node);
      const at: NodeAt = { path, isKey: false, span: this.span(node), container: isCollection(target) };
      if (isScalar(target)) at.scalar = scalarValue(target.value);
      return at;
    }
  }
}

function scalarValue(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return String(v);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** A document with nothing in it (comments at most): no value, nothing to point at. */
function isEmptyNode(node: ParsedNode): boolean {
  return isScalar(node) && node.value === null && node.range[0] === node.range[1] && !node.anchor && !node.tag;
}

// The document ----------------------------------------------------------------------------------------------------

/** What a document holds once read: its value, its problems and its tree. */
export interface DocumentState {
  value: unknown;
  syntaxErrors: readonly SyntaxProblem[];
  tooDeepAt: number | undefined;
  /** The composed tree (undefined when the document is too deep). */
  tree: YamlTree | undefined;
}

/** Reads a composed document: its syntax problems, aliases, depth, tree and value. */
function readDocument(raw: RawDocument, text: string, span: Span, extraProblems: SyntaxProblem[] = []): DocumentState {
  const problems: SyntaxProblem[] = [...extraProblems];
  let tooDeepAt = raw.tooDeepAt;
  let tree: YamlTree | undefined;
  let value: unknown;
  const doc = raw.doc;
  if (doc && tooDeepAt === undefined) {
    for (const e of doc.errors) problems.push(problemAt(text, e.pos[0], e.pos[1] - e.pos[0], readable(e)));
    let analysis: Analysis | undefined;
    try {
      analysis = analyse(doc, text);
    } catch (e) {
      problems.push(problemAt(text, span.offset, 0, `Invalid YAML: ${(e as Error).message}.`));
    }
    if (analysis) {
      problems.push(...analysis.problems);
      tooDeepAt = analysis.tooDeepAt;
      if (tooDeepAt === undefined) {
        tree = new YamlTree(doc, text, analysis.targets, span);
        value = readValue(doc, analysis, problems, text);
      }
    }
  }
  if (tooDeepAt !== undefined) return { value: undefined, syntaxErrors: [], tooDeepAt, tree: undefined };
  return { value, syntaxErrors: problems.sort((a, b) => a.offset - b.offset), tooDeepAt, tree };
}

function readValue(doc: ParsedDoc, analysis: Analysis, problems: SyntaxProblem[], text: string): unknown {
  const root = doc.contents as ParsedNode | null;
  if (!root || isEmptyNode(root)) return undefined;
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const at = analysis.lastAlias?.range ?? root.range;
    const message = /excessive alias count/i.test((e as Error).message)
      ? `Invalid YAML: the aliases expand into too much data (more than ${MAX_ALIAS_COUNT} expansions).`
      : `Invalid YAML: ${(e as Error).message}.`;
    problems.push(problemAt(text, at[0], at[1] - at[0], message));
    return undefined;
  }
}

export class YamlDocument implements SourceDocument {
  readonly format = 'yaml' as const;
  readonly value: unknown;
  readonly syntaxErrors: readonly SyntaxProblem[];
  readonly tooDeepAt: number | undefined;
  /** The composed tree (undefined when the document is too deep). */
  readonly tree: YamlTree | undefined;
  private duplicates: DuplicateKey[] | undefined;

  constructor(
    readonly file: TextDocument,
    /** Which document of the file this is (0 for the first). */
    readonly index: number,
    readonly span: Span,
    /**
     * The file's text this document was read from: `file` may have changed since (the language server's documents
     * are updated in place), and a re-parse of a later version starts from this text.
     */
    readonly source: string,
    state: DocumentState,
  ) {
    this.value = state.value;
    this.syntaxErrors = state.syntaxErrors;
    this.tooDeepAt = state.tooDeepAt;
    this.tree = state.tree;
  }

  /** The keys of every property that a later key of the same name overrides (the last one wins, as in toJS). */
  get duplicateKeys(): readonly DuplicateKey[] {
    return (this.duplicates ??= this.tree?.duplicateKeys() ?? []);
  }

  keySpan(path: JsonPath): Span | undefined {
    return this.tree?.keySpan(path);
  }

  valueSpan(path: JsonPath): Span | undefined {
    return this.tree?.valueSpan(path);
  }

  nodeAt(offset: number): NodeAt | undefined {
    if (!this.tree || offset < this.span.offset || offset > this.span.offset + this.span.length) return undefined;
    return this.tree.nodeAt(offset);
  }

  edit(): DocumentEdit {
    return new YamlEdit(this);
  }
}
