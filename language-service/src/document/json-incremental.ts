/**
 * A JSON file that does not parse (a pool mid-edit) re-read after a keystroke without parsing it again, when the
 * keystroke changed the text of one string or number and nothing else. Text JSON.parse takes needs none of this (it
 * is read in a millisecond or two a 300 KiB); text it refuses goes through jsonc-parser's error-tolerant tree, 15 to
 * 20 ms and most of a keystroke's garbage for the 300 KiB pool, on every keystroke while the pool is broken. This
 * moves the previous version's tree instead. Anything else is left to a full parse (`reparseJsonDocument` answers
 * undefined), which remains the definition of the result: what this returns is what `new JsonDocument` gives for the
 * new text, in every way the engine can observe (test/unit/json-incremental.test.ts holds the two together).
 *
 * Why the rest of the file then reads as before, moved: jsonc-parser's parser decides everything from the kinds of
 * the tokens its scanner gives (a number's value only for whether it is a number at all), and the scanner reads a
 * token from its first character to a terminator. The change lies inside one string or number token of the old
 * text; the text before it is the same, so the tokens before it are; the new text there scans, from the same start,
 * as one token of the same kind, with the same scan error, ending where the old one ended moved by the change in
 * length, so every token after it is the same, moved. The token before it cannot have grown into it: a change at
 * the token's first character is taken only after a delimiter or white space. The parse errors are then the same,
 * moved; the tree is the same but for that token's value and every offset and length over or after it; the value is
 * the same but for that string or number (a key renamed, when the token is a property name).
 *
 * It falls back when the old text parsed as JSON (its reading needs no tree) or was too deep, when its only syntax
 * errors are on the token (the new text might be JSON), when the token is a key another property of its object has
 * or gets (duplicates), or a value a later duplicate key overrides, and when anything is not as expected.
 *
 * The previous version's tree is handed over (JsonDocument.giveTree) and moved in place: the previous document
 * builds its own again if it is ever asked, and its value is not touched (the new value shares all but the path to
 * the token with it).
 */
import { type Node, type ScanError, type SyntaxKind, createScanner } from 'jsonc-parser';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { JsonDocument } from './json';
import { type JsonPath, type SourceDocument, type SyntaxProblem, withoutByteOrderMark } from './model';
import { type Change, changeBetween } from './text-change';

/**
 * The document of `file` read from `previous`, the documents of an earlier version of the same file, when the change
 * between them allows (see above); else undefined, and the caller parses the file. Never throws.
 */
export function reparseJsonDocument(previous: readonly SourceDocument[], file: TextDocument): JsonDocument | undefined {
  try {
    return reparse(previous, file);
  } catch {
    return undefined; // not expected; a full parse does not need the previous one
  }
}

// jsonc-parser's SyntaxKind is a const enum, which isolated modules cannot read.
const STRING_LITERAL = 10 as SyntaxKind.StringLiteral;
const NUMERIC_LITERAL = 11 as SyntaxKind.NumericLiteral;

/** A tree node as this module moves it (jsonc-parser's are read-only to its users). */
type MovableNode = { -readonly [K in keyof Node]: Node[K] };

interface Token {
  kind: SyntaxKind;
  error: ScanError;
  length: number;
  value: string;
}

function tokenAt(text: string, offset: number): Token {
  const scanner = createScanner(text, false);
  scanner.setPosition(offset);
  const kind = scanner.scan();
  return { kind, error: scanner.getTokenError(), length: scanner.getTokenOffset() === offset ? scanner.getTokenLength() : -1, value: scanner.getTokenValue() };
}

/** The deepest node whose text holds the change, from the old tree. */
function leafCovering(root: Node, change: Change): Node | undefined {
  let node: Node | undefined = root;
  if (!(root.offset <= change.from && change.to <= root.offset + root.length)) return undefined;
  for (;;) {
    const child: Node | undefined = node.children?.find((c) => c.offset <= change.from && change.to <= c.offset + c.length);
    if (!child) return node;
    node = child;
  }
}

/** A delimiter or white space: a token that ends at its character and does not read on into the next one. */
const ENDS_BEFORE = new Set([' ', '\t', '\r', '\n', ':', ',', '[', '{']);

/** Whether `prop` is the last property of its object with its key (getNodeValue keeps the last duplicate's value). */
function lastOfItsKey(prop: Node): boolean {
  const siblings = prop.parent?.children ?? [];
  const key = prop.children?.[0]?.value;
  for (let i = siblings.length - 1; i >= 0; i--) {
    const s = siblings[i]!;
    if (s === prop) return true;
    if (s.children?.[0]?.value === key) return false;
  }
  return false;
}

/** The path of a value node in the document's value; undefined when a later duplicate key hides it. */
function valuePath(node: Node): JsonPath | undefined {
  const path: (string | number)[] = [];
  let n = node;
  while (n.parent) {
    const p: Node = n.parent;
    if (p.type === 'property') {
      if (p.children?.[1] !== n || !p.parent || !lastOfItsKey(p)) return undefined;
      path.push(p.children[0]!.value as string);
      n = p.parent;
    } else if (p.type === 'array') {
      path.push(p.children!.indexOf(n));
      n = p;
    } else return undefined;
  }
  return path.reverse();
}

/** `value` with what is at `path` replaced by `f` of it; containers on the way are copied, as getNodeValue makes them. */
function replaced(value: unknown, path: JsonPath, f: (old: unknown) => unknown, i = 0): unknown {
  if (i === path.length) return f(value);
  const seg = path[i]!;
  if (Array.isArray(value)) {
    const copy = value.slice();
    copy[seg as number] = replaced(value[seg as number], path, f, i + 1);
    return copy;
  }
  const from = value as Record<string, unknown>;
  const copy = Object.create(null) as Record<string, unknown>;
  for (const k of Object.keys(from)) copy[k] = from[k];
  copy[seg] = replaced(from[seg], path, f, i + 1);
  return copy;
}

/** An object with one key renamed, in its place (an object getNodeValue made: no prototype). */
function renamed(value: unknown, from: string, to: string): unknown {
  const old = value as Record<string, unknown>;
  const copy = Object.create(null) as Record<string, unknown>;
  for (const k of Object.keys(old)) copy[k === from ? to : k] = old[k];
  return copy;
}

/** Moves the tree to the new text: offsets after the token, lengths over it. Subtrees that end before it stay. */
function move(root: Node, start: number, end: number, delta: number): void {
  const stack: Node[] = [root];
  while (stack.length) {
    const n = stack.pop()! as MovableNode;
    if (n.offset + n.length < start) continue;
    if (n.offset >= end) n.offset += delta;
    else if (n.offset <= start && n.offset + n.length >= end) n.length += delta;
    if (n.colonOffset !== undefined && n.colonOffset >= end) n.colonOffset += delta;
    if (n.children) for (const c of n.children) stack.push(c);
  }
}

function reparse(previous: readonly SourceDocument[], file: TextDocument): JsonDocument | undefined {
  const old = previous[0];
  if (previous.length !== 1 || !(old instanceof JsonDocument) || file.languageId === 'yaml' || file.uri !== old.file.uri) return undefined;
  if (old.tooDeepAt !== undefined || old.syntaxErrors.length === 0) return undefined;
  const text = withoutByteOrderMark(file.getText()); // as JsonDocument reads it
  const change = changeBetween(old.source, text);
  const root = change && old.tree();
  if (!change || !root) return undefined;

  // The string or number the change is in, and the same token in the new text.
  const leaf = leafCovering(root, change);
  if (!leaf || (leaf.type !== 'string' && leaf.type !== 'number')) return undefined;
  const start = leaf.offset;
  const end = start + leaf.length;
  if (change.from === start && start > 0 && !ENDS_BEFORE.has(old.source[start - 1]!)) return undefined;
  const before = tokenAt(old.source, start);
  const after = tokenAt(text, start);
  const kind = leaf.type === 'string' ? STRING_LITERAL : NUMERIC_LITERAL;
  if (before.kind !== kind || after.kind !== kind || before.error !== after.error) return undefined;
  if (before.length !== leaf.length || after.length !== leaf.length + change.delta) return undefined;
  let newValue: string | number = after.value;
  if (kind === NUMERIC_LITERAL) {
    newValue = Number(after.value);
    if (Number.isNaN(newValue) || Number.isNaN(Number(before.value))) return undefined; // the parser reports NaN
  }

  // The parse errors, moved; one on the token must be of the token (its length), and one must be elsewhere.
  const syntaxErrors: SyntaxProblem[] = [];
  let elsewhere = false;
  for (const e of old.syntaxErrors) {
    if (e.offset >= end) syntaxErrors.push({ ...e, offset: e.offset + change.delta });
    else if (e.offset === start) {
      if (e.length !== leaf.length) return undefined;
      syntaxErrors.push({ ...e, length: e.length + change.delta });
      continue;
    } else if (e.offset + e.length <= start) syntaxErrors.push(e);
    else return undefined;
    elsewhere = true;
  }
  if (!elsewhere) return undefined; // the new text might be JSON

  // The value: the string or number replaced, or the key renamed.
  const prop = leaf.parent;
  let value: unknown;
  if (prop?.type === 'property' && prop.children?.[0] === leaf) {
    const object = prop.parent;
    const objectPath = object && valuePath(object);
    if (!object || !objectPath) return undefined;
    const oldKey = leaf.value as string;
    const newKey = newValue as string;
    if (object.children!.some((p) => p !== prop && (p.children?.[0]?.value === oldKey || p.children?.[0]?.value === newKey))) return undefined;
    value = prop.children[1] ? replaced(old.value, objectPath, (o) => renamed(o, oldKey, newKey)) : old.value;
  } else {
    const path = valuePath(leaf);
    if (!path) return undefined;
    value = replaced(old.value, path, () => newValue);
  }

  const tree = old.giveTree();
  if (tree !== root) return undefined;
  move(tree, start, end, change.delta);
  (leaf as MovableNode).value = newValue;
  const doc = new JsonDocument(file, { value, syntaxErrors, tree });
  return doc.tooDeepAt === undefined ? doc : undefined;
}
