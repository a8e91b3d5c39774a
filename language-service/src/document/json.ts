/**
 * The JSON front end: a JSON (or JSONC) file as one SourceDocument. Text that JSON.parse accepts (nearly every
 * keystroke of a well-formed pool) is located with a tree-free scanner (locate.ts); anything else (comments,
 * errors mid-edit) goes through jsonc-parser's error-tolerant tree, so a broken document is still read as far
 * as it can be. The tree is built only when a feature needs it (hover, the outline), once per version.
 */
import { type Node, type ParseError, findNodeAtOffset, getNodePath, getNodeValue, parseTree, printParseErrorCode } from 'jsonc-parser';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { JsonEdit } from './json-edit';
import { Locator } from './locate';
import { type DocumentEdit, type DuplicateKey, type JsonPath, type NodeAt, type SourceDocument, type Span, type SyntaxProblem, MAX_DEPTH, withoutByteOrderMark } from './model';

/** Offset at which bracket nesting (outside strings) first exceeds `max`, or undefined. Linear, no recursion. */
function depthExceededAt(text: string, max: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > max) return i;
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      if (depth > 0) depth--;
    }
  }
  return undefined;
}

/** Reports every key of each map but the last of its name, in text order. */
function overridden(keys: Map<string, DuplicateKey[]>, out: DuplicateKey[]): void {
  for (const same of keys.values()) for (let i = 0; i < same.length - 1; i++) out.push(same[i]!);
}

/**
 * The keys that a later key of the same object overrides, in text that JSON.parse accepted: one pass over the
 * text, strings skipped with indexOf, no recursion and no tree. About as costly as JSON.parse itself.
 */
function duplicateKeysInText(s: string): DuplicateKey[] {
  const out: DuplicateKey[] = [];
  // One entry per open object (its keys, made when it has a second key) or array (null).
  const stack: (Map<string, DuplicateKey[]> | null | undefined)[] = [];
  const first: (DuplicateKey | undefined)[] = [];
  let expectKey = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34 /* " */) {
      let end = i + 1;
      for (;;) {
        const q = s.indexOf('"', end);
        if (q < 0) return out.sort((a, b) => a.offset - b.offset);
        let b = q - 1;
        while (b > i && s.charCodeAt(b) === 92) b--;
        end = q + 1;
        if ((q - 1 - b) % 2 === 0) break;
      }
      if (expectKey) {
        const raw = s.slice(i + 1, end - 1);
        const entry: DuplicateKey = { offset: i, length: end - i, key: raw.includes('\\') ? (JSON.parse(s.slice(i, end)) as string) : raw };
        const top = stack.length - 1;
        let keys = stack[top];
        if (keys === undefined) {
          const f = first[top];
          if (f === undefined) first[top] = entry;
          else {
            keys = stack[top] = new Map([[f.key, [f]]]);
          }
        }
        if (keys) {
          const same = keys.get(entry.key);
          if (same) same.push(entry);
          else keys.set(entry.key, [entry]);
        }
        expectKey = false;
      }
      i = end - 1;
    } else if (c === 123 /* { */) {
      stack.push(undefined);
      first.push(undefined);
      expectKey = true;
    } else if (c === 91 /* [ */) {
      stack.push(null);
      first.push(undefined);
      expectKey = false;
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      const keys = stack.pop();
      first.pop();
      if (keys) overridden(keys, out);
      expectKey = false;
    } else if (c === 44 /* , */) {
      expectKey = stack.length > 0 && stack[stack.length - 1] !== null;
    }
  }
  return out.sort((a, b) => a.offset - b.offset);
}

/**
 * How many keys the text writes (strings followed by a colon), in text that JSON.parse accepted: a jump from quote to
 * quote, with no allocation. With countKeys it rules out duplicates at a fraction of the full scan's cost.
 */
function keysWritten(s: string): number {
  let n = 0;
  let i = s.indexOf('"');
  while (i >= 0) {
    let q = s.indexOf('"', i + 1);
    // An escaped quote: an odd run of backslashes before it.
    for (;;) {
      let b = q - 1;
      while (b > i && s.charCodeAt(b) === 92) b--;
      if ((q - 1 - b) % 2 === 0) break;
      q = s.indexOf('"', q + 1);
    }
    let j = q + 1;
    while (j < s.length) {
      const c = s.charCodeAt(j);
      if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break;
      j++;
    }
    if (s.charCodeAt(j) === 58) n++;
    i = s.indexOf('"', j);
  }
  return n;
}

/** How many keys a parsed value has, at any depth (no recursion). */
function countKeys(value: unknown): number {
  let n = 0;
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) for (const x of v) stack.push(x);
    else if (v !== null && typeof v === 'object') {
      for (const k in v) {
        n++;
        stack.push((v as Record<string, unknown>)[k]);
      }
    }
  }
  return n;
}

/** The same from jsonc-parser's tree (text with errors or comments), without recursion. */
function duplicateKeysInTree(root: Node | undefined): DuplicateKey[] {
  const out: DuplicateKey[] = [];
  const stack: Node[] = root ? [root] : [];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === 'object') {
      const keys = new Map<string, DuplicateKey[]>();
      for (const p of node.children ?? []) {
        const k = p.children?.[0];
        if (k && typeof k.value === 'string') {
          const same = keys.get(k.value);
          const entry = { offset: k.offset, length: k.length, key: k.value };
          if (same) same.push(entry);
          else keys.set(k.value, [entry]);
        }
        const v = p.children?.[1];
        if (v) stack.push(v);
      }
      overridden(keys, out);
    } else if (node.type === 'array') for (const c of node.children ?? []) stack.push(c);
  }
  return out.sort((a, b) => a.offset - b.offset);
}

const READABLE: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'malformed number',
  PropertyNameExpected: 'a property name (in double quotes) is expected',
  ValueExpected: 'a value is expected',
  ColonExpected: 'a colon is expected',
  CommaExpected: 'a comma is expected',
  CloseBraceExpected: 'a closing brace is expected',
  CloseBracketExpected: 'a closing bracket is expected',
  EndOfFileExpected: 'nothing may follow the top-level value',
  InvalidCommentToken: 'malformed comment',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in string',
};

function syntaxProblem(e: ParseError): SyntaxProblem {
  const name = printParseErrorCode(e.error);
  return { offset: e.offset, length: e.length, message: `Invalid JSON: ${READABLE[name] ?? name}.` };
}

/** The child value node of an object node for `key`, and the property node holding it. */
export function property(node: Node | undefined, key: string): { property: Node; key: Node; value: Node | undefined } | undefined {
  if (!node || node.type !== 'object' || !node.children) return undefined;
  // Later duplicates win, as in JSON.parse and getNodeValue.
  for (let i = node.children.length - 1; i >= 0; i--) {
    const p = node.children[i];
    const k = p.children?.[0];
    if (k && k.value === key) return { property: p, key: k, value: p.children?.[1] };
  }
  return undefined;
}

/** The node at `path` (object keys and array indices). */
export function nodeAt(root: Node | undefined, path: JsonPath): Node | undefined {
  let node = root;
  for (const seg of path) {
    if (!node) return undefined;
    if (typeof seg === 'number') node = node.type === 'array' ? node.children?.[seg] : undefined;
    else node = property(node, seg)?.value;
  }
  return node;
}

/** Where to point at the thing at `path`: its key when it is an object property, else the value itself. */
export function keyOrValueNode(root: Node | undefined, path: JsonPath): Node | undefined {
  if (path.length === 0) return root;
  const parent = nodeAt(root, path.slice(0, -1));
  const last = path[path.length - 1];
  if (typeof last === 'string') return property(parent, last)?.key;
  return nodeAt(root, path);
}

/** How jsonc-parser reads a pool: comments allowed (JSONC), trailing commas not. */
const JSONC = { allowTrailingComma: false, disallowComments: false };

const span = (n: Node | undefined): Span | undefined => (n ? { offset: n.offset, length: n.length } : undefined);

/** The key or value under `offset` in jsonc-parser's tree; undefined between members, on a colon, or outside. */
export function nodeAtInTree(root: Node, offset: number): NodeAt | undefined {
  const node = findNodeAtOffset(root, offset, true);
  if (!node) return undefined;
  // Inside an object or array but on none of its members: nothing to say (its braces still count).
  if ((node.type === 'object' || node.type === 'array') && offset > node.offset && offset < node.offset + node.length - 1) return undefined;
  const parent = node.parent;
  if (parent?.type === 'property' && parent.children?.[0] === node) {
    const objectPath = parent.parent ? getNodePath(parent.parent) : [];
    const value = parent.children?.[1];
    return {
      path: [...objectPath, String(node.value)],
      isKey: true,
      span: { offset: node.offset, length: node.length },
      container: value?.type === 'object' || value?.type === 'array',
    };
  }
  if (node.type === 'property') return undefined; // between a key and its value
  const container = node.type === 'object' || node.type === 'array';
  const at: NodeAt = { path: getNodePath(node), isKey: false, span: { offset: node.offset, length: node.length }, container };
  if (!container) at.scalar = node.value as string | number | boolean | null;
  return at;
}

/** What a re-read after a keystroke (json-incremental.ts) gives a new version instead of parsing it. */
export interface JsonRead {
  value: unknown;
  syntaxErrors: SyntaxProblem[];
  tree: Node;
}

export class JsonDocument implements SourceDocument {
  readonly format = 'json' as const;
  readonly value: unknown;
  readonly syntaxErrors: readonly SyntaxProblem[];
  readonly tooDeepAt: number | undefined;
  readonly span: Span;
  /** the text this version was read from (its TextDocument is updated in place by the server) */
  readonly source: string;
  private treeRoot: Node | undefined | null = null; // null: not built yet
  private readonly locator: Locator | undefined;
  private duplicates: DuplicateKey[] | undefined;

  /** `read`: the document as re-read from the previous version's (json-incremental.ts), for text JSON.parse refuses. */
  constructor(
    readonly file: TextDocument,
    read?: JsonRead,
  ) {
    const source = (this.source = withoutByteOrderMark(file.getText()));
    this.span = { offset: 0, length: source.length };
    this.tooDeepAt = depthExceededAt(source, MAX_DEPTH);
    if (this.tooDeepAt !== undefined) {
      this.syntaxErrors = [];
      this.treeRoot = undefined;
      return;
    }
    if (read) {
      this.value = read.value;
      this.syntaxErrors = read.syntaxErrors;
      this.treeRoot = read.tree;
      return;
    }
    try {
      this.value = JSON.parse(source);
      this.syntaxErrors = [];
      this.locator = new Locator(source);
    } catch {
      const errors: ParseError[] = [];
      this.treeRoot = parseTree(source, errors, JSONC);
      this.value = this.treeRoot ? getNodeValue(this.treeRoot) : undefined;
      this.syntaxErrors = errors.map(syntaxProblem);
    }
  }

  /**
   * Hands this version's tree over to the next version's document (json-incremental.ts moves it in place); this one
   * builds its own again if it is asked. Undefined when the text was JSON (no tree) or nothing was read.
   */
  giveTree(): Node | undefined {
    if (this.locator || this.tooDeepAt !== undefined || !this.treeRoot) return undefined;
    const tree = this.treeRoot;
    this.treeRoot = null;
    return tree;
  }

  get duplicateKeys(): readonly DuplicateKey[] {
    if (this.tooDeepAt !== undefined) return [];
    if (this.duplicates) return this.duplicates;
    // JSON.parse keeps one key per name: as many keys in its value as in the text means none is duplicated.
    if (this.locator) this.duplicates = keysWritten(this.source) === countKeys(this.value) ? [] : duplicateKeysInText(this.source);
    else this.duplicates = duplicateKeysInTree(this.tree());
    return this.duplicates;
  }

  /** jsonc-parser's tree, built on first use (the outline) where the text is JSON: validation and hover do not need it. */
  tree(): Node | undefined {
    if (this.treeRoot === null) this.treeRoot = parseTree(this.source, [], JSONC);
    return this.treeRoot;
  }

  keySpan(path: JsonPath): Span | undefined {
    return this.locator ? this.locator.key(path) : span(keyOrValueNode(this.tree(), path));
  }

  valueSpan(path: JsonPath): Span | undefined {
    return this.locator ? this.locator.value(path) : span(nodeAt(this.tree(), path));
  }

  nodeAt(offset: number): NodeAt | undefined {
    if (this.tooDeepAt !== undefined) return undefined;
    // Text JSON.parse took: found by scanning, as nodeAtInTree would find it (a syntax tree of a big pool costs
    // ten times JSON.parse, in time and memory).
    if (this.locator) return this.locator.nodeAt(offset);
    const root = this.tree();
    return root ? nodeAtInTree(root, offset) : undefined;
  }

  edit(): DocumentEdit {
    return new JsonEdit(this.file, this.syntaxErrors.length === 0, this);
  }
}
