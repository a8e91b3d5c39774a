/**
 * Edits to one document of a YAML file that keep everything else byte for byte: comments, indentation, quoting,
 * flow or block style, blank lines, line ends and the file's other documents. Each step re-reads the document as
 * the previous steps left it and splices text where the tree says:
 *
 * - set: a scalar is replaced in place, a string keeping its quotes (plain when that still reads as the same string,
 *   to YAML 1.2 and to YAML 1.1 readers, which Kubernetes tooling uses); an object or array is written in block
 *   style at the document's indentation (in flow style inside a flow collection, or where a non-empty flow
 *   collection was); a missing key goes after the last entry of its block map, at its indentation, or at the end of
 *   a flow map; missing parent maps are created as block maps; a key that a `<<` merge brings in is overridden by an
 *   explicit key in the map itself.
 * - remove: a block entry goes with its whole lines (a nested block value and the comments inside it, its trailing
 *   comment); a flow item with its comma; a map or sequence left empty becomes `{}` or `[]`. Every key of that name
 *   goes, so no earlier duplicate comes back.
 * - renameKey: only the key's text changes.
 *
 * What it does not do (the edit is then not `valid`, and the engine offers no fix): write through an alias (that
 * would change the anchored node, so every other alias of it too) or into a merged map, remove or rename a key a
 * merge brings in, set below a scalar. `valid` also re-reads the result: the file must have the same documents, the
 * others unchanged, this one with no syntax error it did not have, and a value that is exactly the original with
 * the steps applied.
 */
import { isDeepStrictEqual } from 'node:util';
import type { TextEdit } from 'vscode-languageserver-types';
import { type CST, type Pair, type ParsedNode, Scalar, type YAMLMap, type YAMLSeq, isAlias, isCollection, isMap, isPair, isScalar, isSeq, parse } from 'yaml';
import { minimalEdit } from './json-edit';
import { type DocumentEdit, type JsonPath, MAX_DEPTH } from './model';
import { type Located, type YamlDocument, type YamlTree, isMergeKey, parseYamlText } from './yaml';
import { clearOfErrors, composeScalar, sameKindOfScalar } from './yaml-incremental';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Collection = YAMLMap.Parsed | YAMLSeq.Parsed;
type AnyPair = Pair<ParsedNode | null, ParsedNode | null>;

/** What holds a value: the document itself, a map entry or a sequence item. */
type Holder = { kind: 'root' } | { kind: 'pair'; map: YAMLMap.Parsed; pair: AnyPair } | { kind: 'item'; seq: YAMLSeq.Parsed; index: number };

interface Splice {
  from: number;
  to: number;
  text: string;
}

class EditFailed extends Error {}

function fail(why: string): never {
  throw new EditFailed(why);
}

// Values ----------------------------------------------------------------------------------------------------------

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** Sets an own property (also `__proto__`), as toJS does. */
function define(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `v` as JSON would carry it (undefined properties dropped, undefined elements null); throws on what JSON cannot hold. */
function normalize(v: unknown, depth = 0): Json | undefined {
  if (depth > MAX_DEPTH) fail('too deep');
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') return v;
  if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return undefined;
  if (typeof v === 'bigint') fail('a bigint');
  if (Array.isArray(v)) return v.map((x) => normalize(x, depth + 1) ?? null);
  const toJSON = (v as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return normalize(toJSON.call(v), depth + 1);
  const out: Record<string, Json> = {};
  for (const [k, x] of Object.entries(v as object)) {
    const n = normalize(x, depth + 1);
    if (n !== undefined) define(out, k, n);
  }
  return out;
}

function clone(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(clone);
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) define(out, k, clone(v[k]));
    return out;
  }
  return v;
}

/** `target` with `v` set at `path`, creating missing objects (and an array for a missing index 0). */
function setIn(target: unknown, path: JsonPath, v: unknown): unknown {
  if (path.length === 0) return v;
  const [seg, ...rest] = path;
  if (typeof seg === 'string') {
    const o = isPlainObject(target) ? target : target === null || target === undefined ? {} : fail('not an object');
    define(o, seg, setIn(hasOwn(o, seg) ? o[seg] : undefined, rest, v));
    return o;
  }
  const a = Array.isArray(target) ? target : target === null || target === undefined ? [] : fail('not an array');
  if (seg > a.length) fail('past the end');
  a[seg] = setIn(a[seg], rest, v);
  return a;
}

function parentIn(root: unknown, path: JsonPath): unknown {
  let cur = root;
  for (const seg of path.slice(0, -1)) cur = Array.isArray(cur) && typeof seg === 'number' ? cur[seg] : isPlainObject(cur) && typeof seg === 'string' ? cur[seg] : undefined;
  return cur;
}

/** The value nested under the missing part of a path: `{a: {b: v}}`; a missing index can only be the first one. */
function nest(path: JsonPath, v: Json): Json {
  let out = v;
  for (let i = path.length - 1; i >= 0; i--) {
    const seg = path[i];
    if (typeof seg === 'string') {
      const o: Record<string, Json> = {};
      define(o, seg, out);
      out = o;
    } else if (seg === 0) out = [out];
    else fail('an index past the end');
  }
  return out;
}

const isBig = (v: Json): v is Json[] | { [key: string]: Json } => (Array.isArray(v) ? v.length > 0 : isPlainObject(v) && Object.keys(v).length > 0);

// Scalars in YAML -------------------------------------------------------------------------------------------------

/** Plain scalars that YAML 1.2 core or YAML 1.1 read as something else than a string (null, booleans, numbers, timestamps, merge and value keys). */
const NOT_A_STRING = [
  /^(?:~|null|true|false|yes|no|on|off|y|n|=|<<)$/i,
  /^[-+]?(?:0b[01_]+|0o?[0-7_]+|0x[0-9a-f_]+|[0-9][0-9_]*(?::[0-5]?[0-9])*(?:\.[0-9_]*)?(?:e[-+]?[0-9]+)?|\.[0-9_]+(?:e[-+]?[0-9]+)?|\.|\.(?:inf|nan))$/i,
  /^\d{4}-\d{1,2}-\d{1,2}(?:$|[Tt\s])/,
];
// eslint-disable-next-line no-control-regex -- YAML has to escape these characters
const UNPRINTABLE = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A string that can be written as a plain scalar and reads back as that same string, to YAML 1.2 and 1.1 readers. */
function plainSafe(s: string, inFlow: boolean): boolean {
  if (s === '' || s !== s.trim() || /[\t\n\r]/.test(s) || UNPRINTABLE.test(s)) return false;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(s) || s.startsWith('...')) return false;
  if (/: |:$| #/.test(s)) return false;
  if (inFlow && /[,[\]{}:]/.test(s)) return false;
  if (NOT_A_STRING.some((r) => r.test(s))) return false;
  try {
    return parse(s, { logLevel: 'error' }) === s && parse(s, { version: '1.1', logLevel: 'error' }) === s;
  } catch {
    return false;
  }
}

function doubleQuoted(s: string): string {
  // eslint-disable-next-line no-control-regex -- YAML has to escape these characters
  const escaped = s.replace(/[\\"\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (c) => {
    switch (c) {
      case '\\':
        return '\\\\';
      case '"':
        return '\\"';
      case '\n':
        return '\\n';
      case '\t':
        return '\\t';
      case '\r':
        return '\\r';
      default:
        return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  });
  return `"${escaped}"`;
}

function singleQuoted(s: string): string | undefined {
  if (/[\t\n\r]/.test(s) || UNPRINTABLE.test(s)) return undefined;
  return `'${s.replace(/'/g, "''")}'`;
}

/** A string in the style of the scalar it replaces (`style`: yaml's scalar type), or plain when safe, else double-quoted. */
function stringScalar(s: string, inFlow: boolean, style?: string): string {
  if (style === 'QUOTE_DOUBLE') return doubleQuoted(s);
  if (style === 'QUOTE_SINGLE') return singleQuoted(s) ?? doubleQuoted(s);
  return plainSafe(s, inFlow) ? s : doubleQuoted(s);
}

function numberScalar(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (!Number.isFinite(n)) return n > 0 ? '.inf' : '-.inf';
  if (Object.is(n, -0)) return '-0.0';
  const s = String(n);
  // 1e+21 is a float to YAML 1.2, a string to YAML 1.1, which wants a dot: 1.0e+21.
  return /e/.test(s) && !s.includes('.') ? s.replace('e', '.0e') : s;
}

/** What the document's value holds at `path` (own properties only). */
function valueIn(root: unknown, path: JsonPath): unknown {
  let v = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, seg)) return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

// The editor ------------------------------------------------------------------------------------------------------

export class YamlEdit implements DocumentEdit {
  private text: string;
  private readonly original: string;
  private expected: unknown;
  private failed: boolean;
  private readonly eol: string;
  private readonly step: number;
  private readonly seqIndent: number;
  private parsed: { text: string; doc: YamlDocument | undefined };
  private checked: { text: string; valid: boolean } | undefined;
  /** The first step, when it renamed a plain key in place: the result may be known to read the same without reading it. */
  private renamed: { path: JsonPath; key: Scalar.Parsed; map: YAMLMap; newKey: string; text: string } | undefined;
  private steps = 0;
  /** The file's text before and after the document: every step must leave them as they are. */
  private readonly before: string;
  private readonly after: string;

  constructor(private readonly origin: YamlDocument) {
    this.original = this.text = origin.file.getText();
    this.failed = !origin.tree;
    this.expected = clone(origin.value);
    this.eol = this.original.includes('\r\n') ? '\r\n' : '\n';
    this.parsed = { text: this.text, doc: origin };
    this.before = this.original.slice(0, origin.span.offset);
    this.after = this.original.slice(origin.span.offset + origin.span.length);
    const { step, seqIndent } = origin.tree ? detectLayout(origin.tree) : { step: 2, seqIndent: 2 };
    this.step = step;
    this.seqIndent = seqIndent;
  }

  set(path: JsonPath, value: unknown): this {
    if (value === undefined) return this.remove(path);
    return this.run(() => {
      const v = normalize(value);
      if (v === undefined) return this.remove(path);
      this.expected = setIn(this.expected, path, clone(v));
      this.apply(this.setSplice(this.tree(), path, v));
    });
  }

  remove(path: JsonPath): this {
    return this.run(() => {
      const t = this.tree();
      const at = t.locate(path);
      if (!at) return; // nothing there: nothing to do
      if (path.length === 0 || at.indirect || at.merged) fail('not in this document’s own text');
      const parent = parentIn(this.expected, path);
      const last = path[path.length - 1];
      if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
      else if (isPlainObject(parent) && typeof last === 'string') delete parent[last];
      this.removeText(path);
    });
  }

  renameKey(path: JsonPath, newKey: string): this {
    return this.run(() => {
      const last = path[path.length - 1];
      if (typeof last !== 'string') return;
      const t = this.tree();
      const at = t.locate(path);
      if (!at || last === newKey) return;
      if (at.indirect || at.merged || !at.parent || !isMap(at.parent)) fail('not in this document’s own text');
      const key = at.key;
      if (!key || !isScalar(key)) fail('an alias or a collection as a key');
      const parent = parentIn(this.expected, path);
      if (!isPlainObject(parent)) fail('no such object');
      const v = parent[last];
      delete parent[last];
      define(parent, newKey, v);
      const text = stringScalar(newKey, !!at.parent.flow, key.type);
      if (this.steps === 1) this.renamed = { path, key: key as Scalar.Parsed, map: at.parent, newKey, text };
      this.apply({ from: key.range[0], to: t.end(key), text });
    });
  }

  removeKeyAt(offset: number): this {
    return this.run(() => {
      const t = this.tree();
      const at = t.pairWithKeyAt(offset);
      if (!at) return;
      // Removing an overridden key leaves the value as it is (the expected value does not change); the last key of
      // a name is never removed this way, so a map never becomes empty here.
      if (at.map.items.length < 2) fail('the only key of its map');
      this.apply(this.removeItem(t, at.map, at.index));
    });
  }

  get valid(): boolean {
    if (this.failed) return false;
    if (this.text === this.original) return true;
    if (this.checked?.text !== this.text) this.checked = { text: this.text, valid: this.check() };
    return this.checked.valid;
  }

  toTextEdit(): TextEdit | undefined {
    return minimalEdit(this.origin.file, this.original, this.text);
  }

  // Steps ---------------------------------------------------------------------------------------------------------

  private run(step: () => void): this {
    if (this.failed) return this;
    this.steps++;
    this.renamed = undefined;
    try {
      step();
    } catch {
      this.failed = true; // an EditFailed, or anything unexpected: never throw out of a quick fix
    }
    return this;
  }

  private apply(s: Splice): void {
    this.text = this.text.slice(0, s.from) + s.text + this.text.slice(s.to);
  }

  /**
   * The document as the current text reads, when it still stands where it stood: the text before and after it
   * unchanged and the document spanning exactly what lies between, so every other document reads as it did.
   */
  private reread(): YamlDocument | undefined {
    if (this.parsed.text !== this.text) {
      const { text, before, after } = this;
      let doc: YamlDocument | undefined;
      if (text.length >= before.length + after.length && text.startsWith(before) && text.endsWith(after)) {
        doc = parseYamlText(text, this.origin.file)[this.origin.index];
        if (doc && (doc.span.offset !== before.length || doc.span.offset + doc.span.length !== text.length - after.length)) doc = undefined;
      }
      this.parsed = { text, doc };
    }
    return this.parsed.doc;
  }

  /** The document's tree as the previous steps left it. */
  private tree(): YamlTree {
    const t = this.reread()?.tree;
    if (!t) fail('the document no longer reads');
    return t;
  }

  /**
   * A plain key renamed to another plain key, on its line, in a map with no key of the new name and no merge, reads as
   * the map with that key renamed and nothing else changed, without reading the file again (a 185 KiB pool takes 80
   * ms): the argument of yaml-incremental.ts for a value, for a key. yaml's lexer reads the new text as one plain
   * scalar where the old one was, so every token after it is the same, moved; the parser and the composer look at a
   * key's kind, its line and its length (an implicit key stays under 1,024 characters), and at its name only for
   * duplicates (none) and merges (none). The document's syntax errors, kept away from the key's line as there, stay.
   */
  private readsAsRenamed(r: NonNullable<YamlEdit['renamed']>): boolean {
    const { path, key, map, newKey, text } = r;
    const doc = this.origin;
    const tree = doc.tree;
    if (!tree || doc.tooDeepAt !== undefined || tree.doc.schema.name !== 'core' || key.type !== Scalar.PLAIN || key.anchor || key.tag) return false;
    // The map's own text, reached with no alias, anchor (an alias elsewhere would show the rename too), tag or merge.
    let node: ParsedNode | null | undefined = tree.root;
    for (const seg of path.slice(0, -1)) {
      if (!node || node.anchor || node.tag) return false;
      if (isMap(node)) {
        const entry = tree.entries(node).get(String(seg));
        if (!entry || entry.merged) return false;
        node = entry.value as ParsedNode | null;
      } else if (isSeq(node) && typeof seg === 'number') node = node.items[seg] as ParsedNode | undefined;
      else return false;
    }
    if (node !== map || map.anchor || map.tag) return false;
    const [start, end] = key.range;
    const old = this.original.slice(start, end);
    const token = key.srcToken;
    if (!token || token.type !== 'scalar' || token.offset !== start || token.source !== old || start === 0 || this.original[start - 1] === '\n') return false;
    if (text !== newKey || newKey.length > 1000 || !sameKindOfScalar(old, Scalar.PLAIN, !!map.flow) || !sameKindOfScalar(text, Scalar.PLAIN, !!map.flow)) return false;
    const fresh = composeScalar(text);
    if (!fresh || fresh.type !== Scalar.PLAIN || fresh.value !== newKey) return false;
    const oldName = tree.keyName(key);
    let at = -1;
    let taken = -1; // the last entry already named newKey
    for (const [i, p] of map.items.entries()) {
      const k = p.key as ParsedNode | null;
      if (isMergeKey(k)) return false;
      const name = tree.keyName(k);
      if (name === oldName && (p.key !== key || at !== -1)) return false; // a duplicate of the key renamed
      if (p.key === key) at = i;
      else if (name === newKey) taken = i;
    }
    // Renamed to a key the map has: the last of them wins, so a later one must hold what the renamed one held.
    if (at === -1 || (taken > at && !isDeepStrictEqual(valueIn(doc.value, [...path.slice(0, -1), newKey]), valueIn(doc.value, path)))) return false;
    if (!clearOfErrors(doc, this.original, start, end, !!map.flow)) return false;
    // The text around it: the rename is the only change.
    return this.text === this.original.slice(0, start) + text + this.original.slice(end);
  }

  /** The result reads back with the other documents as they were, this one with no new syntax error and exactly the intended value. */
  private check(): boolean {
    if (this.renamed && this.readsAsRenamed(this.renamed)) return true;
    const doc = this.reread();
    if (!doc || doc.tooDeepAt !== undefined) return false;
    const allowed = new Map<string, number>();
    for (const e of this.origin.syntaxErrors) allowed.set(e.message, (allowed.get(e.message) ?? 0) + 1);
    for (const e of doc.syntaxErrors) {
      const n = allowed.get(e.message) ?? 0;
      if (n === 0) return false;
      allowed.set(e.message, n - 1);
    }
    return isDeepStrictEqual(doc.value, this.expected);
  }

  // set -----------------------------------------------------------------------------------------------------------

  private setSplice(t: YamlTree, path: JsonPath, v: Json): Splice {
    const root = t.root;
    if (!root || isEmptyValue(t, root)) return this.writeRoot(nest(path, v));
    let node: ParsedNode | null = root;
    let holder: Holder = { kind: 'root' };
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      if (isAlias(node)) fail('through an alias');
      if (isMap(node)) {
        if (typeof seg !== 'string') fail('an index into a map');
        const e = t.entries(node).get(seg);
        if (!e || e.merged) {
          if (e?.merged && i < path.length - 1) fail('into a merged map');
          return this.insertKey(t, node as YAMLMap.Parsed, holder, seg, nest(path.slice(i + 1), v));
        }
        holder = { kind: 'pair', map: node as YAMLMap.Parsed, pair: e.pair! };
        node = e.value;
      } else if (isSeq(node)) {
        if (typeof seg !== 'number') fail('a key into a sequence');
        if (seg === node.items.length) return this.append(t, node as YAMLSeq.Parsed, holder, nest(path.slice(i + 1), v));
        if (seg < 0 || seg > node.items.length) fail('an index past the end');
        holder = { kind: 'item', seq: node as YAMLSeq.Parsed, index: seg };
        node = node.items[seg] as ParsedNode | null;
      } else if (!node || (isScalar(node) && node.value === null)) {
        return this.replace(t, holder, node, nest(path.slice(i), v));
      } else fail('below a scalar');
    }
    return this.replace(t, holder, node, v);
  }

  /** Writes the value of an empty document (nothing but comments or `---`). */
  private writeRoot(v: Json): Splice {
    const s = this.text;
    const span = this.parsed.doc!.span;
    const at = span.offset + span.length;
    const body = isBig(v) ? this.block(v, 0).join(this.eol) : this.inline(v, false);
    const before = at > span.offset && s[at - 1] !== '\n' ? this.eol : '';
    const after = at === s.length && (s.length === 0 || s.endsWith('\n')) ? this.eol : '';
    return { from: at, to: at, text: before + body + after };
  }

  /** Replaces the value `node` (null or an empty null: none yet) held by `holder` with `v`. */
  private replace(t: YamlTree, holder: Holder, node: ParsedNode | null, v: Json): Splice {
    const s = this.text;
    const present = node && !isEmptyValue(t, node) ? node : undefined;
    const style = isScalar(present) ? present.type : undefined;
    if (this.inFlow(holder)) {
      const text = this.inline(v, true, style);
      if (present) return { from: present.range[0], to: t.end(present), text };
      if (holder.kind !== 'pair') fail('an empty flow item');
      const head = this.head(holder);
      if (head) return { from: head.end, to: Math.max(head.end, node ? node.range[0] : head.end), text: ` ${text}` };
      const keyEnd = holder.pair.key ? t.end(holder.pair.key) : fail('no key');
      return { from: keyEnd, to: keyEnd, text: `: ${text}` };
    }
    const blockColl = isCollection(present) && !present.flow;
    const keepFlow = isCollection(present) && present.flow && present.items.length > 0;
    if (!isBig(v) || keepFlow) {
      let text: string | undefined;
      if (typeof v === 'string' && isScalar(present) && (style === 'BLOCK_LITERAL' || style === 'BLOCK_FOLDED')) text = this.blockScalar(t, v, present);
      text ??= this.inline(v, false, style);
      if (present && !blockColl) return { from: present.range[0], to: t.end(present), text };
      const head = this.head(holder);
      if (!head) {
        if (present) return { from: present.range[0], to: this.ownComments(t.end(present), undefined), text };
        fail('no place for the value');
      }
      let to = present ? this.ownComments(t.end(present), this.holderCol(holder)) : Math.max(head.end, node ? node.range[0] : head.end);
      if (head.comment) to = Math.max(to, head.comment.offset + head.comment.source.length);
      return { from: head.end, to, text: ` ${text}${head.comment ? ` ${head.comment.source}` : ''}` };
    }
    // A block collection.
    if (present && blockColl && this.fits(holder, present, v)) {
      const col = this.col(present.range[0]);
      const lines = this.block(v, col);
      lines[0] = lines[0].slice(col);
      return { from: present.range[0], to: this.ownComments(t.end(present), this.holderCol(holder)), text: lines.join(this.eol) };
    }
    if (holder.kind === 'root') {
      if (present && this.startsLine(present.range[0])) {
        const col = this.col(present.range[0]);
        const lines = this.block(v, col);
        lines[0] = lines[0].slice(col);
        return { from: present.range[0], to: t.end(present), text: lines.join(this.eol) };
      }
      if (!present) return this.writeRoot(v);
      return { from: this.backOverSpaces(present.range[0]), to: t.end(present), text: this.eol + this.block(v, 0).join(this.eol) };
    }
    const head = this.head(holder);
    if (!head) fail('no indicator before the value');
    let to = present ? t.end(present) : Math.max(head.end, node ? node.range[0] : head.end);
    if (blockColl) to = this.ownComments(to, this.holderCol(holder));
    let comment = head.comment?.source;
    if (head.comment) to = Math.max(to, head.comment.offset + head.comment.source.length);
    else if (present && !blockColl) {
      const tail = this.tailComment(to);
      if (tail) {
        comment = s.slice(tail.from, tail.to);
        to = tail.to;
      }
    }
    const note = comment ? ` ${comment}` : '';
    if (holder.kind === 'item') {
      const col = this.col(head.indicator) + 2;
      const lines = this.block(v, col);
      lines[0] = ` ${lines[0].slice(col)}${note}`;
      return { from: head.end, to, text: lines.join(this.eol) };
    }
    const keyCol = this.holderCol(holder)!;
    const lines = this.block(v, keyCol + (Array.isArray(v) ? this.seqIndent : this.step));
    return { from: head.end, to, text: note + this.eol + lines.join(this.eol) };
  }

  /** A block collection can be rewritten at the column where `present` is. */
  private fits(holder: Holder, present: ParsedNode, v: Json): boolean {
    if (holder.kind !== 'pair') return true;
    const keyCol = this.holderCol(holder)!;
    const col = this.col(present.range[0]);
    return this.startsLine(present.range[0]) && (Array.isArray(v) ? col >= keyCol : col > keyCol);
  }

  /** A new key in `map` (held by `holder`). */
  private insertKey(t: YamlTree, map: YAMLMap.Parsed, holder: Holder, key: string, v: Json): Splice {
    const s = this.text;
    if (map.flow) {
      if (map.items.length === 0 && !this.inFlow(holder)) {
        const o: Record<string, Json> = {};
        define(o, key, v);
        return this.replace(t, holder, map, o);
      }
      if (s[map.range[0]] !== '{') fail('a pair in a flow sequence');
      const entry = `${stringScalar(key, true)}: ${this.inline(v, true)}`;
      if (map.items.length === 0) return { from: map.range[0] + 1, to: map.range[0] + 1, text: entry };
      const at = this.entryEnd(t, map.items[map.items.length - 1] as never);
      return { from: at, to: at, text: `, ${entry}` };
    }
    const col = this.col(this.itemStart(map, 0));
    const k = stringScalar(key, false);
    const lines = isBig(v) ? [`${' '.repeat(col)}${k}:`, ...this.block(v, col + (Array.isArray(v) ? this.seqIndent : this.step))] : [`${' '.repeat(col)}${k}: ${this.inline(v, false)}`];
    return this.insertLines(this.lineAfter(t, map.items[map.items.length - 1] as never), lines);
  }

  /** A new last item of `seq` (held by `holder`). */
  private append(t: YamlTree, seq: YAMLSeq.Parsed, holder: Holder, v: Json): Splice {
    const s = this.text;
    if (seq.flow) {
      if (seq.items.length === 0 && !this.inFlow(holder)) return this.replace(t, holder, seq, [v]);
      if (s[seq.range[0]] !== '[') fail('not a bracketed sequence');
      const item = this.inline(v, true);
      if (seq.items.length === 0) return { from: seq.range[0] + 1, to: seq.range[0] + 1, text: item };
      const at = this.entryEnd(t, seq.items[seq.items.length - 1] as never);
      return { from: at, to: at, text: `, ${item}` };
    }
    const col = this.col(this.itemStart(seq, 0));
    let lines: string[];
    if (isBig(v)) {
      lines = this.block(v, col + 2);
      lines[0] = `${' '.repeat(col)}- ${lines[0].slice(col + 2)}`;
    } else lines = [`${' '.repeat(col)}- ${this.inline(v, false)}`];
    return this.insertLines(this.lineAfter(t, seq.items[seq.items.length - 1] as never), lines);
  }

  private insertLines(at: number, lines: string[]): Splice {
    const s = this.text;
    if (at >= s.length && !s.endsWith('\n')) return { from: s.length, to: s.length, text: this.eol + lines.join(this.eol) };
    return { from: at, to: at, text: lines.join(this.eol) + this.eol };
  }

  // remove --------------------------------------------------------------------------------------------------------

  private removeText(path: JsonPath): void {
    const last = path[path.length - 1];
    // Every key of that name goes (one at a time, re-reading), so no earlier duplicate shows through.
    for (let guard = 0; guard < 10_000; guard++) {
      const t = this.tree();
      const at = t.locate(path.slice(0, -1));
      const parent = at ? t.resolve(at.value) : undefined;
      if (!at || !parent || (at.indirect && path.length > 1)) fail('the parent is gone');
      if (isAlias(at.value)) fail('through an alias');
      const holder = holderOf(at);
      if (isMap(parent)) {
        const items = parent.items as AnyPair[];
        const same: number[] = [];
        items.forEach((p, i) => {
          if (!isMergeKey(p.key) && t.keyName(p.key) === last) same.push(i);
        });
        if (same.length === 0) return;
        if (same.length === items.length) return this.apply(this.replace(t, holder, parent as YAMLMap.Parsed, {}));
        this.apply(this.removeItem(t, parent as YAMLMap.Parsed, same[same.length - 1]));
      } else if (isSeq(parent) && typeof last === 'number') {
        if (parent.items.length === 1) return this.apply(this.replace(t, holder, parent as YAMLSeq.Parsed, []));
        return this.apply(this.removeItem(t, parent as YAMLSeq.Parsed, last));
      } else fail('no such collection');
    }
  }

  private removeItem(t: YamlTree, coll: Collection, i: number): Splice {
    const s = this.text;
    const items = coll.items as unknown[];
    const start = this.itemStart(coll, i);
    if (coll.flow) {
      if (i > 0) return { from: this.entryEnd(t, items[i - 1] as never), to: this.entryEnd(t, items[i] as never), text: '' };
      return { from: start, to: this.itemStart(coll, 1), text: '' };
    }
    if (!this.startsLine(start)) return { from: start, to: this.itemStart(coll, i + 1), text: '' }; // `- a: 1` (compact) loses `a: 1`
    let from = this.lineStart(start);
    let to = this.lineAfter(t, items[i] as never);
    // Comment lines right after it, indented under it, are its own.
    const col = start - from;
    while (to < s.length) {
      const nl = s.indexOf('\n', to);
      const next = nl < 0 ? s.length : nl + 1;
      const m = /^( *)#/.exec(s.slice(to, next));
      if (!m || m[1].length <= col) break;
      to = next;
    }
    if (to >= s.length && !s.endsWith('\n') && from > 0) from -= s[from - 2] === '\r' ? 2 : 1; // the last line: take the line break before it
    return { from, to, text: '' };
  }

  // Where things are ----------------------------------------------------------------------------------------------

  private inFlow(holder: Holder): boolean {
    return holder.kind === 'pair' ? !!holder.map.flow : holder.kind === 'item' ? !!holder.seq.flow : false;
  }

  /** The source tokens of item `i` of a collection (a map's pair, a sequence's item). */
  private itemToken(coll: Collection, i: number): CST.CollectionItem | undefined {
    if (isMap(coll)) return (coll.items[i] as AnyPair | undefined)?.srcToken;
    const src = coll.srcToken as { items?: CST.CollectionItem[] } | undefined;
    return src?.items?.[i];
  }

  /** Where item `i` begins: its `-` or `?`, its key's anchor or tag, or its key or value. */
  private itemStart(coll: Collection, i: number): number {
    const token = this.itemToken(coll, i);
    for (const tok of token?.start ?? []) {
      if (tok.type === 'seq-item-ind' || tok.type === 'explicit-key-ind' || tok.type === 'anchor' || tok.type === 'tag') return tok.offset;
    }
    const it = coll.items[i] as unknown;
    const node = isMap(coll) ? ((it as AnyPair).key ?? (it as AnyPair).value) : (it as ParsedNode | null);
    if (node) return node.range[0];
    return fail('an item without a position');
  }

  /** Where a value's head ends (after `:` or `-` and the value's anchor and tag), its indicator, and a comment after it. */
  private head(holder: Holder): { end: number; indicator: number; comment?: CST.SourceToken } | undefined {
    if (holder.kind === 'root') return undefined;
    const tokens = holder.kind === 'pair' ? holder.pair.srcToken?.sep : this.itemToken(holder.seq, holder.index)?.start;
    let end: number | undefined;
    let indicator: number | undefined;
    let comment: CST.SourceToken | undefined;
    for (const tok of tokens ?? []) {
      if (tok.type === 'map-value-ind' || tok.type === 'seq-item-ind') {
        indicator = tok.offset;
        end = tok.offset + tok.source.length;
      } else if ((tok.type === 'anchor' || tok.type === 'tag') && indicator !== undefined) end = tok.offset + tok.source.length;
      else if (tok.type === 'comment' && indicator !== undefined && !comment) comment = tok;
    }
    return end === undefined || indicator === undefined ? undefined : { end, indicator, comment };
  }

  /** The end of an item's own text. */
  private entryEnd(t: YamlTree, item: AnyPair | ParsedNode): number {
    if (isPair(item)) return Math.max(item.key ? t.end(item.key) : 0, item.value ? t.end(item.value) : 0);
    return t.end(item);
  }

  /** The start of the line after an item's last line (a block scalar keeps its trailing blank lines). */
  private lineAfter(t: YamlTree, item: AnyPair | ParsedNode): number {
    const s = this.text;
    let end = this.entryEnd(t, item);
    // Down the last items of block collections to a block scalar, whose text goes on to its last (blank) line.
    let node: unknown = isPair(item) ? item.value : item;
    for (let guard = 0; guard <= MAX_DEPTH && node; guard++) {
      if (isScalar(node) && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED')) {
        end = Math.max(end, (node as Scalar.Parsed).range[1]);
        break;
      }
      if (!isCollection(node) || node.flow || node.items.length === 0) break;
      const last = node.items[node.items.length - 1] as unknown;
      node = isPair(last) ? last.value : last;
    }
    if (end > 0 && s[end - 1] === '\n') return end;
    const nl = s.indexOf('\n', end);
    return nl < 0 ? s.length : nl + 1;
  }

  private lineStart(pos: number): number {
    return this.text.lastIndexOf('\n', pos - 1) + 1;
  }

  private col(pos: number): number {
    return pos - this.lineStart(pos);
  }

  private startsLine(pos: number): boolean {
    return this.text.slice(this.lineStart(pos), pos).trim() === '';
  }

  private backOverSpaces(pos: number): number {
    while (pos > 0 && (this.text[pos - 1] === ' ' || this.text[pos - 1] === '\t')) pos--;
    return pos;
  }

  /** The column of a value's key or `-` (undefined for the document's root). */
  private holderCol(holder: Holder): number | undefined {
    if (holder.kind === 'pair') return this.col(this.itemStart(holder.map, holder.map.items.indexOf(holder.pair as never)));
    if (holder.kind === 'item') return this.col(this.itemStart(holder.seq, holder.index));
    return undefined;
  }

  /**
   * Past the comments that belong to a block value ending at `pos`: the one that ends its last line, and the comment
   * lines right after it indented deeper than its key or `-` at `col` (for the root, only the first).
   */
  private ownComments(pos: number, col: number | undefined): number {
    const s = this.text;
    let to = this.tailComment(pos)?.to ?? pos;
    while (col !== undefined) {
      const nl = s.indexOf('\n', to);
      if (nl < 0) break;
      const lineEnd = s.indexOf('\n', nl + 1);
      const line = s.slice(nl + 1, lineEnd < 0 ? s.length : lineEnd).replace(/\r$/, '');
      const m = /^( *)#/.exec(line);
      if (!m || m[1].length <= col) break;
      to = nl + 1 + line.length;
    }
    return to;
  }

  /** A comment after `pos` on its line. */
  private tailComment(pos: number): { from: number; to: number } | undefined {
    const s = this.text;
    let i = pos;
    while (s[i] === ' ' || s[i] === '\t') i++;
    if (s[i] !== '#' || i === pos) return undefined;
    let end = s.indexOf('\n', i);
    if (end < 0) end = s.length;
    if (s[end - 1] === '\r') end--;
    return { from: i, to: end };
  }

  // Writing values ------------------------------------------------------------------------------------------------

  /** A value on one line: a scalar, or a flow collection. */
  private inline(v: Json, inFlow: boolean, style?: string): string {
    if (v === null) return 'null';
    if (typeof v === 'boolean') return String(v);
    if (typeof v === 'number') return numberScalar(v);
    if (typeof v === 'string') return stringScalar(v, inFlow, style);
    if (Array.isArray(v)) return `[${v.map((x) => this.inline(x, true)).join(', ')}]`;
    const entries = Object.keys(v).map((k) => `${stringScalar(k, true)}: ${this.inline(v[k], true)}`);
    return `{${entries.join(', ')}}`;
  }

  /** A non-empty object or array in block style, each line indented to `col` or more. */
  private block(v: Json[] | { [key: string]: Json }, col: number): string[] {
    const pad = ' '.repeat(col);
    const lines: string[] = [];
    if (Array.isArray(v)) {
      for (const item of v) {
        if (isBig(item)) {
          const sub = this.block(item, col + 2);
          sub[0] = `${pad}- ${sub[0].slice(col + 2)}`;
          lines.push(...sub);
        } else lines.push(`${pad}- ${this.inline(item, false)}`);
      }
      return lines;
    }
    for (const k of Object.keys(v)) {
      const key = stringScalar(k, false);
      const val = v[k];
      if (isBig(val)) lines.push(`${pad}${key}:`, ...this.block(val, col + (Array.isArray(val) ? this.seqIndent : this.step)));
      else lines.push(`${pad}${key}: ${this.inline(val, false)}`);
    }
    return lines;
  }

  /** A literal block scalar in place of the block scalar `present`, at its indentation, when `s` can be one. */
  private blockScalar(t: YamlTree, s: string, present: Scalar.Parsed): string | undefined {
    if (s === '' || /\r/.test(s) || UNPRINTABLE.test(s) || /\n\n$/.test(s) || s === '\n') return undefined;
    const body = s.endsWith('\n') ? s.slice(0, -1) : s;
    const lines = body.split('\n');
    const first = lines.find((l) => l !== '');
    if (first === undefined || /^[ \t]/.test(first) || lines.some((l) => l !== '' && l.trim() === '')) return undefined;
    const own = this.text.slice(present.range[0], t.end(present));
    const m = /\n( +)\S/.exec(own);
    const lineIndent = /^ */.exec(this.text.slice(this.lineStart(present.range[0])))![0].length;
    const indent = m ? m[1].length : lineIndent + this.step;
    const pad = ' '.repeat(indent);
    return `|${s.endsWith('\n') ? '' : '-'}${this.eol}${lines.map((l) => (l ? pad + l : '')).join(this.eol)}`;
  }
}

/** The holder of the value a Located entry leads to. */
function holderOf(at: Located): Holder {
  if (at.pair && at.parent && isMap(at.parent)) return { kind: 'pair', map: at.parent as YAMLMap.Parsed, pair: at.pair };
  if (at.parent && isSeq(at.parent) && at.index !== undefined) return { kind: 'item', seq: at.parent as YAMLSeq.Parsed, index: at.index };
  return { kind: 'root' };
}

/** A null with no text (`key:` with nothing after it, an empty document). */
function isEmptyValue(t: YamlTree, node: ParsedNode): boolean {
  return isScalar(node) && node.value === null && t.end(node) === node.range[0] && !node.anchor && !node.tag;
}

/** The document's indentation step and how far its block sequences are indented under their keys. */
function detectLayout(t: YamlTree): { step: number; seqIndent: number } {
  const text = t.text;
  const col = (pos: number) => pos - (text.lastIndexOf('\n', pos - 1) + 1);
  let step: number | undefined;
  let seqIndent: number | undefined;
  const stack: unknown[] = t.root ? [t.root] : [];
  for (let visited = 0; stack.length && visited < 20_000 && (step === undefined || seqIndent === undefined); visited++) {
    const node = stack.pop();
    if (!isCollection(node)) continue;
    for (const it of node.items as unknown[]) {
      if (!isPair(it)) {
        stack.push(it);
        continue;
      }
      const pair = it as AnyPair;
      const value = pair.value;
      stack.push(value);
      if (!isMap(node) || node.flow || !pair.key || !isCollection(value) || value.flow) continue;
      const diff = col(value.range[0]) - col(pair.key.range[0]);
      if (isMap(value) && step === undefined && diff > 0 && diff <= 8) step = diff;
      if (isSeq(value) && seqIndent === undefined && diff >= 0 && diff <= 8) seqIndent = diff;
    }
  }
  const s = step ?? 2;
  return { step: s, seqIndent: seqIndent ?? s };
}

/** A scalar as YAML writes it in block context: a string plain when it reads back as itself (to YAML 1.2 and 1.1), else double-quoted. */
export function yamlScalar(value: string | number | boolean | null): string {
  if (typeof value === 'string') return stringScalar(value, false);
  if (typeof value === 'number') return numberScalar(value);
  return String(value);
}
