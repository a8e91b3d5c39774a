/**
 * A YAML file re-read after a keystroke without parsing it again, when the keystroke changed one scalar value and
 * nothing else. Parsing a 200 KiB pool with `yaml` takes about 100 ms; a keystroke in a value (`cpu: 1` to `cpu: 2`)
 * changes one node's value and moves everything after it, which this does in a few milliseconds. Anything else is
 * left to a full parse (`reparseYamlFile` answers undefined), which remains the definition of the result: what this
 * returns is what `parseYamlFile` returns for the new text, in every way the engine can observe.
 *
 * The fast path is taken when the change (the text between the longest common prefix and suffix of the old and new
 * text) lies inside one plain, single-quoted or double-quoted scalar on one line, the value of a map entry or an
 * element of a sequence, in a document without syntax errors, and the new text there is again exactly one such
 * scalar of the same style, on one line. Why the rest of the file then reads as before, moved: the lexer reaches the
 * scalar in the same state (the text before it is the same), reads it as one token of the same kind that ends where
 * the new text ends (the checks below: no `: `, ` #`, leading or trailing blanks, indicators, flow indicators in a
 * flow collection; quotes closed at the last character), and leaves in the same state for the rest of the line,
 * which is unchanged; whether the next line continues a plain scalar depends on that line only. The parser and the
 * composer look at a value scalar's kind, not its text. So only the scalar's value changes, and every offset after
 * it moves by the difference in length.
 *
 * It falls back when the scalar is a key (or inside one), an alias, anchored or inside an anchored node (an alias
 * would show it elsewhere), tagged or inside a tagged node, brought in by or inside a `<<` merge, overridden by a
 * later duplicate key, a block scalar, on several lines, empty, or at the start of a line; when the document has
 * syntax errors or another schema than YAML 1.2 core; and when anything is not as expected.
 *
 * The previous parse is consumed: its nodes are moved and changed in place (copying a 200 KiB document's tree would
 * cost as much as the rest of the keystroke), so its documents must not be used afterwards. The language server
 * drops it anyway: its TextDocument has been updated in place already, so it no longer matches its own text.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { type CST, Composer, type Document, type ParsedNode, Parser, Scalar, isCollection, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { JsonPath, SourceDocument, Span } from './model';
import { PARSE_OPTIONS, YamlDocument, type YamlTree, isMergeKey } from './yaml';

/** Documents whose parse has been re-used (and changed) for a later version. */
const consumed = new WeakSet<YamlDocument>();

/**
 * The documents of `file` read from `previous`, the documents of an earlier version of the same file, when the
 * change between them allows (see above); else undefined, and the caller parses the file. Never throws.
 */
export function reparseYamlFile(previous: readonly SourceDocument[], file: TextDocument): YamlDocument[] | undefined {
  try {
    return reparse(previous, file);
  } catch {
    return undefined; // not expected; a full parse does not need the previous one (consumed or not)
  }
}

interface Change {
  /** where the change starts, in both texts */
  from: number;
  /** where it ends in the old text */
  to: number;
  /** the new length minus the old */
  delta: number;
}

/** The change from `a` to `b` by their common prefix and suffix; undefined when they are equal. */
function changeBetween(a: string, b: string): Change | undefined {
  if (a === b) return undefined;
  const min = Math.min(a.length, b.length);
  // Compared a block at a time first: a string comparison is much faster than a loop over characters.
  let from = 0;
  for (let step = 4096; step >= 16; step >>= 2) while (from + step <= min && a.slice(from, from + step) === b.slice(from, from + step)) from += step;
  while (from < min && a.charCodeAt(from) === b.charCodeAt(from)) from++;
  const max = min - from;
  let tail = 0;
  for (let step = 4096; step >= 16; step >>= 2) {
    while (tail + step <= max && a.slice(a.length - tail - step, a.length - tail) === b.slice(b.length - tail - step, b.length - tail)) tail += step;
  }
  while (tail < max && a.charCodeAt(a.length - 1 - tail) === b.charCodeAt(b.length - 1 - tail)) tail++;
  return { from, to: a.length - tail, delta: b.length - a.length };
}

function reparse(previous: readonly SourceDocument[], file: TextDocument): YamlDocument[] | undefined {
  const first = previous[0];
  if (!(first instanceof YamlDocument) || file.languageId !== 'yaml' || file.uri !== first.file.uri) return undefined;
  const docs: YamlDocument[] = [];
  for (const d of previous) {
    if (!(d instanceof YamlDocument) || d.index !== docs.length || d.source !== first.source || consumed.has(d)) return undefined;
    docs.push(d);
  }
  const text = file.getText();
  const change = changeBetween(first.source, text);
  if (!change) return commit(docs, file, text, undefined);
  const k = docs.findIndex((d) => d.span.offset <= change.from && change.to <= d.span.offset + d.span.length);
  const doc = docs[k];
  const tree = doc?.tree;
  if (!doc || !tree || doc.syntaxErrors.length > 0 || doc.tooDeepAt !== undefined || tree.doc.schema.name !== 'core') return undefined;
  const target = scalarAt(tree, change);
  if (!target) return undefined;
  const { scalar, token, path, inFlow } = target;
  const [start, end] = scalar.range;
  if (start < doc.span.offset || end > doc.span.offset + doc.span.length) return undefined;
  // The documents before stay as they are: none of their nodes may reach the change.
  for (const d of docs.slice(0, k)) if (d.tree && d.tree.doc.range[2] > start) return undefined;
  const old = first.source.slice(start, end);
  if (!/^[^\r\n]+$/.test(old) || token.source !== old || start === 0 || first.source[start - 1] === '\n') return undefined;
  const now = text.slice(start, end + change.delta);
  if (!sameKindOfScalar(now, scalar.type, inFlow)) return undefined;
  const fresh = composeScalar(now);
  if (!fresh || fresh.type !== scalar.type) return undefined;
  const value = replaced(doc.value, path, scalar.value, fresh.value);
  if (!value) return undefined;
  return commit(docs, file, text, { k, scalar, token, fresh, source: now, end, delta: change.delta, value: value.value });
}

// Finding the scalar ----------------------------------------------------------------------------------------------

interface Target {
  scalar: Scalar.Parsed;
  token: CST.FlowScalar;
  /** its path in the document's value */
  path: JsonPath;
  /** it is inside a flow collection */
  inFlow: boolean;
}

const covers = (n: ParsedNode | null | undefined, c: Change): n is ParsedNode => !!n && n.range[0] <= c.from && c.to <= n.range[1];

/** The scalar value that holds the whole change, on a way through the tree with no alias, anchor, tag, key or merge. */
function scalarAt(tree: YamlTree, change: Change): Target | undefined {
  let node: ParsedNode | null = tree.root;
  const path: (string | number)[] = [];
  let inFlow = false;
  for (;;) {
    // An anchored node may show through an alias elsewhere; a tag may make toJS read a node otherwise.
    if (!node || node.anchor || node.tag) return undefined;
    if (isScalar(node)) break;
    if (!isMap(node) && !isSeq(node)) return undefined; // an alias
    inFlow ||= !!node.flow;
    let next: ParsedNode | undefined;
    const items = node.items as unknown[];
    for (let i = 0; i < items.length && !next; i++) {
      const it = items[i];
      if (isPair(it)) {
        const key = it.key as ParsedNode | null;
        if (covers(key, change)) return undefined;
        const value = it.value as ParsedNode | null;
        if (!covers(value, change)) continue;
        if (!isMap(node) || isMergeKey(key)) return undefined;
        const name = tree.keyName(key);
        const entry = tree.entries(node).get(name);
        if (!entry || entry.pair !== it || entry.merged) return undefined; // a later key of that name wins
        path.push(name);
        next = value;
      } else if (covers(it as ParsedNode | null, change)) {
        path.push(i);
        next = it as ParsedNode;
      }
    }
    if (!next) return undefined;
    node = next;
  }
  const scalar = node as Scalar.Parsed;
  const token = scalar.srcToken;
  if (path.length === 0 || !token || token.offset !== scalar.range[0]) return undefined;
  const kind = scalar.type === Scalar.PLAIN ? 'scalar' : scalar.type === Scalar.QUOTE_SINGLE ? 'single-quoted-scalar' : scalar.type === Scalar.QUOTE_DOUBLE ? 'double-quoted-scalar' : undefined;
  if (!kind || token.type !== kind) return undefined;
  return { scalar, token: token as CST.FlowScalar, path, inFlow };
}

// The new scalar --------------------------------------------------------------------------------------------------

// eslint-disable-next-line no-control-regex -- characters a scalar on the fast path may not hold (tabs, line breaks, the lexer's own markers)
const UNUSUAL = /[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]/;

/** `s` is, in place of a scalar of that style (yaml's scalar type), read as exactly one such scalar on one line. */
function sameKindOfScalar(s: string, type: Scalar.Type | undefined, inFlow: boolean): boolean {
  if (s === '' || UNUSUAL.test(s)) return false;
  if (type === Scalar.QUOTE_DOUBLE || type === Scalar.QUOTE_SINGLE) {
    const q = type === Scalar.QUOTE_DOUBLE ? '"' : "'";
    if (s.length < 2 || s[0] !== q) return false;
    // Where yaml's lexer closes it: the first quote not doubled ('') or not escaped (\").
    let end = s.indexOf(q, 1);
    if (q === "'") while (end !== -1 && s[end + 1] === "'") end = s.indexOf("'", end + 2);
    else {
      for (;;) {
        if (end === -1) break;
        let n = 0;
        while (s[end - 1 - n] === '\\') n++;
        if (n % 2 === 0) break;
        end = s.indexOf('"', end + 1);
      }
    }
    return end === s.length - 1;
  }
  if (type !== Scalar.PLAIN) return false;
  // No leading or trailing blank; no indicator first (`-` only before a character that makes it a plain scalar, as
  // in -1); no `: ` or ` #`, no `:` last (it would end the scalar); in a flow collection, no flow indicator.
  if (s[0] === ' ' || s[s.length - 1] === ' ' || s[s.length - 1] === ':') return false;
  if (/^[?:,[\]{}#&*!|>'"%@`]/.test(s) || /^-(?: |$)/.test(s) || s.startsWith('---') || s.startsWith('...')) return false;
  if (s.includes(': ') || s.includes(' #')) return false;
  return !(inFlow && /[,[\]{}]/.test(s));
}

/** `s` read by yaml as a document of its own (so with the same schema and options): one scalar and nothing else, or undefined. */
function composeScalar(s: string): Scalar.Parsed | undefined {
  const docs = [...new Composer(PARSE_OPTIONS).compose(new Parser().parse(s))] as Document.Parsed[];
  const d = docs[0];
  if (docs.length !== 1 || !d || d.errors.length > 0 || d.warnings.length > 0) return undefined;
  const c = d.contents as ParsedNode | null;
  if (!isScalar(c) || c.range[0] !== 0 || c.range[1] !== s.length || c.anchor || c.tag || c.comment || c.commentBefore) return undefined;
  return c;
}

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/**
 * `root` with `v` at `path`, where it holds `old` (else undefined: the path is not what toJS made of the scalar):
 * the objects and arrays on the way are copied, everything else is shared.
 */
function replaced(root: unknown, path: JsonPath, old: unknown, v: unknown): { value: unknown } | undefined {
  const chain: unknown[] = [root];
  let cur = root;
  for (const seg of path) {
    if (typeof seg === 'number' ? !Array.isArray(cur) || seg >= cur.length : !isPlainObject(cur) || !hasOwn(cur, seg)) return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
    chain.push(cur);
  }
  if (!Object.is(cur, old)) return undefined;
  let out = v;
  for (let i = path.length - 1; i >= 0; i--) {
    const parent = chain[i] as Record<string | number, unknown>;
    const copy = Array.isArray(parent) ? parent.slice() : { ...parent };
    // Defined, not assigned: a key `__proto__` is an own property in toJS's objects.
    Object.defineProperty(copy, path[i]!, { value: out, writable: true, enumerable: true, configurable: true });
    out = copy;
  }
  return { value: out };
}

// Moving ----------------------------------------------------------------------------------------------------------

interface Edit {
  /** the document that holds the scalar */
  k: number;
  scalar: Scalar.Parsed;
  token: CST.FlowScalar;
  /** the scalar as the new text reads it alone */
  fresh: Scalar.Parsed;
  /** its new text */
  source: string;
  /** where it ended in the old text: every offset from there on moves */
  end: number;
  delta: number;
  /** the document's new value */
  value: unknown;
}

/** The new documents: the previous ones, moved and re-pointed at `file`, the scalar changed. Consumes `docs`. */
function commit(docs: YamlDocument[], file: TextDocument, text: string, edit: Edit | undefined): YamlDocument[] {
  for (const d of docs) consumed.add(d);
  if (!edit) return docs.map((d) => new YamlDocument(file, d.index, d.span, text, { ...stateOf(d), tree: d.tree?.movedTo(text, d.span, 0, 0) }));
  const { k, scalar, token, fresh, end, delta } = edit;
  scalar.value = fresh.value;
  scalar.source = fresh.source;
  for (const p of ['format', 'minFractionDigits'] as const) {
    if (fresh[p] === undefined) delete scalar[p];
    else (scalar as unknown as Record<string, unknown>)[p] = fresh[p];
  }
  token.source = edit.source;
  const at = (x: number) => (x >= end ? x + delta : x);
  return docs.map((d, i) => {
    if (i < k) return new YamlDocument(file, i, d.span, text, { ...stateOf(d), tree: d.tree?.movedTo(text, d.span, end, 0) });
    if (d.tree) moveDocument(d.tree.doc, end, delta, d.syntaxErrors.length > 0);
    const span: Span = { offset: at(d.span.offset), length: at(d.span.offset + d.span.length) - at(d.span.offset) };
    const state = stateOf(d);
    return new YamlDocument(file, i, span, text, {
      value: i === k ? edit.value : state.value,
      syntaxErrors: state.syntaxErrors.map((e) => ({ ...e, offset: at(e.offset) })),
      tooDeepAt: state.tooDeepAt === undefined ? undefined : at(state.tooDeepAt),
      tree: d.tree?.movedTo(text, span, end, delta),
    });
  });
}

function stateOf(d: YamlDocument) {
  return { value: d.value, syntaxErrors: d.syntaxErrors, tooDeepAt: d.tooDeepAt, tree: d.tree };
}

/**
 * Moves every offset at or after `from` in a composed document by `delta`: its range, its errors, its nodes' ranges
 * and their source tokens. A document read without errors is a tree of nodes over a tree of tokens, each visited
 * once; yaml's error recovery (and ours: a merge of a non-map) may share them, so there each is moved once.
 */
function moveDocument(doc: Document.Parsed, from: number, delta: number, mayShare: boolean): void {
  const at = (x: number) => (x >= from ? x + delta : x);
  doc.range = [at(doc.range[0]), at(doc.range[1]), at(doc.range[2])];
  for (const e of [...doc.errors, ...doc.warnings]) e.pos = [at(e.pos[0]), at(e.pos[1])];
  const seen = mayShare ? new Set<unknown>() : undefined;
  const tokens: object[] = [];
  const stack: (ParsedNode | null)[] = [doc.contents as ParsedNode | null];
  const move = (node: ParsedNode) => {
    const r = node.range;
    if (seen) {
      if (seen.has(r)) return;
      seen.add(r);
    }
    if (r[0] >= from) r[0] += delta;
    if (r[1] >= from) r[1] += delta;
    if (r[2] >= from) r[2] += delta;
  };
  while (stack.length) {
    const node = stack.pop();
    if (!node) continue;
    if (seen) {
      if (seen.has(node)) continue;
      seen.add(node);
      if (node.srcToken) tokens.push(node.srcToken);
    }
    if (node.range) move(node);
    if (!isCollection(node)) continue;
    for (const it of node.items as unknown[]) {
      if (isPair(it)) {
        if (seen && it.srcToken) tokens.push(it.srcToken);
        stack.push(it.key as ParsedNode | null, it.value as ParsedNode | null);
      } else stack.push(it as ParsedNode | null);
    }
  }
  if (seen) return moveSharedTokens(tokens, from, delta, seen);
  // Without errors, the root's tokens hold every node's and pair's, each once.
  const root = (doc.contents as ParsedNode | null)?.srcToken;
  if (root) moveTokens(root, from, delta);
}

/** Moves the tokens of a list (spaces, line breaks, indicators, comments: no token holds others there). */
function moveList(list: readonly CST.SourceToken[] | undefined, from: number, delta: number): void {
  if (!list) return;
  for (let i = 0; i < list.length; i++) {
    const t = list[i]!;
    if (t.offset >= from) t.offset += delta;
  }
}

/** Moves a tree of tokens, each once (the lists apart from the rest: most tokens are in lists, all alike). */
function moveTokens(root: CST.Token, from: number, delta: number): void {
  const stack: CST.Token[] = [root];
  while (stack.length) {
    const t = stack.pop()!;
    if (t.offset >= from) t.offset += delta;
    switch (t.type) {
      case 'flow-collection':
      case 'block-map':
      case 'block-seq':
        if (t.type === 'flow-collection') {
          if (t.start.offset >= from) t.start.offset += delta;
          moveList(t.end, from, delta);
        }
        for (const it of t.items as CST.CollectionItem[]) {
          moveList(it.start, from, delta);
          if (it.key) stack.push(it.key);
          moveList(it.sep, from, delta);
          if (it.value) stack.push(it.value);
        }
        break;
      case 'block-scalar':
        moveList(t.props as CST.SourceToken[], from, delta);
        break;
      case 'alias':
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
      case 'doc-end':
        moveList(t.end, from, delta);
        break;
      case 'document':
        moveList(t.start, from, delta);
        if (t.value) stack.push(t.value);
        moveList(t.end, from, delta);
        break;
    }
  }
}

/** The same where tokens may be shared: each is moved once. */
function moveSharedTokens(roots: object[], from: number, delta: number, seen: Set<unknown>): void {
  const stack = [...roots] as (CST.Token | CST.CollectionItem)[];
  const add = (list: readonly (CST.Token | null | undefined)[] | undefined) => {
    if (list) for (const t of list) if (t) stack.push(t);
  };
  while (stack.length) {
    const t = stack.pop()!;
    if (seen.has(t)) continue;
    seen.add(t);
    if (!('type' in t)) {
      add(t.start);
      add([t.key]);
      add(t.sep);
      add([t.value]);
      continue;
    }
    if (t.offset >= from) t.offset += delta;
    switch (t.type) {
      case 'flow-collection':
      case 'block-map':
      case 'block-seq':
        if (t.type === 'flow-collection') add([t.start, ...t.end]);
        stack.push(...(t.items as CST.CollectionItem[]));
        break;
      case 'block-scalar':
        add(t.props);
        break;
      case 'alias':
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
      case 'doc-end':
        add(t.end);
        break;
      case 'document':
        add([...t.start, ...(t.end ?? [])]);
        add([t.value]);
        break;
    }
  }
}
