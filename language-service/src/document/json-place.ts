/**
 * Where the cursor is in a JSON document, for completion. The place comes from jsonc-parser's scanner
 * (`getLocation`) and the document's spans, never from JSON.parse or a syntax tree, so completion answers mid-edit
 * (an open quote, a missing comma, a key without a value) and costs the same in a 300 KiB pool as in a small one.
 */
import { type Node, type SyntaxKind, createScanner, getLocation } from 'jsonc-parser';
import { isObject, valueAt as valueIn } from '../../../cmf-model/src/json';
import { type JsonPath, type SourceDocument, withoutByteOrderMark } from './model';
import { type Place, type Syntax, type WrittenKeys, escapeSnippet, valueHoldsEveryKey } from './place';

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

// ---------------------------------------------------------------------------------------------------------------
// Where the cursor is


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

// ---------------------------------------------------------------------------------------------------------------
// The keys the text writes, whatever a parse made of it

/** The offset after the string that starts at `i`; a line break ends an unterminated one (JSON strings have none). */
function stringEnd(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 92) j++;
    else if (c === 34) return j + 1;
    else if (c === 10 || c === 13) return j;
  }
  return text.length;
}

/** The offset of the first character at or after `i` that is not whitespace or a comment. */
function skipTrivia(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isWhitespace(c)) i++;
    else if (c === 47 && text.charCodeAt(i + 1) === 47) {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? text.length : eol + 1;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 2;
    } else break;
  }
  return i;
}

/** The objects and arrays open at `offset`, outermost first: the offsets of their `{` and `[`. */
function openContainers(text: string, offset: number): number[] {
  const stack: number[] = [];
  for (let i = 0; i < offset; ) {
    const c = text.charCodeAt(i);
    if (c === 34) i = stringEnd(text, i);
    else if (c === 47 && (text.charCodeAt(i + 1) === 47 || text.charCodeAt(i + 1) === 42)) i = skipTrivia(text, i);
    else {
      if (c === 123 || c === 91) stack.push(i);
      else if (c === 125 || c === 93) stack.pop();
      i++;
    }
  }
  return stack;
}

/** Skips a value from `i`: a string, or a balanced object or array (to where the text ends, mid-edit). */
function skipValue(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 34) return stringEnd(text, i);
  if (c !== 123 && c !== 91) return i + 1;
  let depth = 0;
  while (i < text.length) {
    const d = text.charCodeAt(i);
    if (d === 34) {
      i = stringEnd(text, i);
      continue;
    }
    if (d === 123 || d === 91) depth++;
    else if (d === 125 || d === 93) {
      if (--depth === 0) return i + 1;
    }
    i = d === 47 ? Math.max(i + 1, skipTrivia(text, i)) : i + 1;
  }
  return i;
}

/**
 * The keys of the object whose `{` is at `open`, as written: a string followed by a colon is a key, wherever commas
 * are missing; an object value's keys are read too. The key that holds `cursor` is left out.
 */
function keysOf(text: string, open: number, cursor: number): { keys: WrittenKeys; end: number } {
  const keys: WrittenKeys = new Map();
  let i = open + 1;
  while (i < text.length) {
    i = skipTrivia(text, i);
    const c = text.charCodeAt(i);
    if (c === 125 || c === 93) return { keys, end: i + 1 };
    if (c !== 34) {
      i = c === 123 || c === 91 ? skipValue(text, i) : i + 1;
      continue;
    }
    const end = stringEnd(text, i);
    const colon = skipTrivia(text, end);
    if (text.charCodeAt(colon) !== 58) {
      i = end;
      continue;
    }
    let key: string;
    try {
      key = JSON.parse(text.slice(i, end)) as string;
    } catch {
      key = text.slice(i + 1, end);
    }
    const underCursor = cursor >= i && cursor <= end;
    const value = skipTrivia(text, colon + 1);
    if (text.charCodeAt(value) === 123) {
      const inner = keysOf(text, value, cursor);
      if (!underCursor) keys.set(key, inner.keys);
      i = inner.end;
    } else {
      if (!underCursor) keys.set(key, null);
      i = value;
    }
  }
  return { keys, end: text.length };
}

/** Where the cursor is: writing a key of an object, or a value; undefined where nothing can be proposed. */
export function jsonPlace(parsed: SourceDocument, offset: number): Place | undefined {
  // No syntax tree: jsonc-parser's scanner finds the place, the parsed value and spans tell the rest. Building
  // the tree would cost ten times JSON.parse on a large pool, on every keystroke's completion.
  const text = withoutByteOrderMark(parsed.file.getText());
  const loc = getLocation(text, offset);
  const prev = loc.previousNode;

  const written = new Map<number, WrittenKeys | undefined>();
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
      editingKey: editing && typeof editing.value === 'string' ? editing.value : undefined,
      colonAfter: next === Token.Colon,
      commaBefore,
      commaAfter: startsValue(next),
      syntax: JSON_SYNTAX,
      // Otherwise each object's keys are read from the text once per request.
      writtenKeys: valueHoldsEveryKey(parsed) ? undefined : (levelsUp) => {
        if (!written.has(levelsUp)) {
          const open = openContainers(text, start);
          const at = open[open.length - 1 - levelsUp];
          written.set(levelsUp, at !== undefined && text.charCodeAt(at) === 123 ? keysOf(text, at, offset).keys : undefined);
        }
        return written.get(levelsUp);
      },
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
      syntax: JSON_SYNTAX,
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
    syntax: JSON_SYNTAX,
  };

  /** The cursor is past a complete value with no comma yet: a new property of the enclosing object. */
  function afterValue(valuePath: JsonPath, at: number): Place | undefined {
    if (valuePath.length === 0 || typeof valuePath[valuePath.length - 1] !== 'string') return undefined;
    return keyPlace(valuePath.slice(0, -1), at, at, false, '');
  }
}

/** A JSON value as snippet text: strings escaped for snippets, objects laid out with tabs (VS Code re-indents). */
function jsonValue(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[$1]';
    return `[\n${value.map((v) => `${indent}\t${jsonValue(v, indent + '\t')}`).join(',\n')}\n${indent}]`;
  }
  if (isObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{$1}';
    return `{\n${entries.map(([k, v]) => `${indent}\t${escapeSnippet(JSON.stringify(k))}: ${jsonValue(v, indent + '\t')}`).join(',\n')}\n${indent}}`;
  }
  return escapeSnippet(JSON.stringify(value));
}

const JSON_SYNTAX: Syntax = {
  format: 'json',
  key: (key) => escapeSnippet(JSON.stringify(key)),
  keySnippet: (snippet) => `"${snippet.replace(/"/g, '\\"')}"`,
  value: (value) => jsonValue(value),
  pair: (key, value) => `${key}: ${value}`,
  label: (value) => JSON.stringify(value),
  stringStop: (stop, fallback) => (fallback !== undefined ? `"\${${stop}:${escapeSnippet(fallback)}}"` : `"$${stop}"`),
  emptyObject: () => '{\n\t$1\n}',
  emptyArray: () => '[\n\t$1\n]',
  fence: 'json',
  document: (value) => JSON.stringify(value, null, 2),
};
