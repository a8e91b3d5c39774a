/**
 * Where the cursor is in a YAML document, for completion, and how YAML is written there. Block style: the place
 * comes from the line under the cursor (indentation, `- ` item markers, the `key:` separator) and, for the object a
 * key belongs to, from the lines above it with the document's spans (`nodeAt`), so it answers mid-edit (a key with
 * no colon yet, which YAML cannot parse) and costs a few lines' reading in a 300 KiB pool. Inside a flow
 * collection (`{…}`, `[…]`), a block scalar, an anchor, an alias or a comment, nothing is proposed.
 */
import { stringify } from 'yaml';
import { isObject } from '../../../cmf-model/src/json';
import type { JsonPath, SourceDocument } from './model';
import { type Place, type Syntax, type WrittenKeys, escapeSnippet, valueHoldsEveryKey } from './place';
import { yamlScalar } from './yaml-edit';

interface Line {
  start: number;
  /** the line's text without its line break */
  text: string;
  /** the column where its content starts, after the indentation and any `- ` item markers */
  content: number;
  /** it starts with `- ` item markers */
  item: boolean;
}

function lineAt(text: string, offset: number): Line {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  let end = text.indexOf('\n', offset);
  if (end < 0) end = text.length;
  if (end > start && text.charCodeAt(end - 1) === 13) end--;
  const line = text.slice(start, end);
  const m = /^ *((?:-(?: +|$))*)/.exec(line)!;
  return { start, text: line, content: m[0].length, item: m[1]!.length > 0 };
}

/**
 * The first index of `s` outside quoted scalars where `test` says yes, or -1 (also when `test` says stop). A quote
 * opens a quoted scalar where `opens` allows; inside, `''` and `\"` do not close it.
 */
function scanOutsideQuotes(s: string, opens: (i: number) => boolean, test: (c: string, i: number) => boolean | 'stop'): number {
  let quote = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === quote) {
        if (quote === "'" && s[i + 1] === "'") i++;
        else quote = '';
      } else if (c === '\\' && quote === '"') i++;
    } else if ((c === '"' || c === "'") && opens(i)) quote = c;
    else {
      const found = test(c, i);
      if (found === 'stop') return -1;
      if (found) return i;
    }
  }
  return -1;
}

/** Where a comment starts in `s` (a `#` at the start or after a space, outside quotes), else -1. */
function commentStart(s: string): number {
  return scanOutsideQuotes(
    s,
    (i) => i === 0 || /[\s:[{,]/.test(s[i - 1]!),
    (c, i) => c === '#' && (i === 0 || s[i - 1] === ' ' || s[i - 1] === '\t'),
  );
}

/** Where the `:` that ends a mapping key stands in `s` (followed by a space or the end), outside quotes; else -1. */
function keyColon(s: string): number {
  return scanOutsideQuotes(
    s,
    (i) => i === 0,
    (c, i) => (c === '#' && i > 0 && s[i - 1] === ' ' ? 'stop' : c === ':' && (i + 1 === s.length || s[i + 1] === ' ' || s[i + 1] === '\t')),
  );
}

/** A key as written (plain, or quoted), as its name. */
function unquoteKey(s: string): string {
  const t = s.trim();
  if (t.length >= 2 && t[0] === '"' && t.endsWith('"')) {
    try {
      return JSON.parse(t) as string;
    } catch {
      return t.slice(1, -1);
    }
  }
  if (t.length >= 2 && t[0] === "'" && t.endsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
  return t;
}

/** The path of the key that starts at `offset`, when the document has one there. */
function keyPathAt(doc: SourceDocument, offset: number): JsonPath | undefined {
  const n = doc.nodeAt(offset);
  return n?.isKey ? n.path : undefined;
}

/**
 * The object a key written at column `column` of the line starting at `lineStart` belongs to: a sibling key above
 * at the same column says it (its parent), or else the nearest `key:` above at a smaller column with no value on its
 * line (a block map begins under it). Undefined under anything else (a scalar's continuation, a flow collection).
 */
function parentByIndentation(doc: SourceDocument, text: string, lineStart: number, column: number): JsonPath | undefined {
  let end = lineStart - 1;
  while (end > doc.span.offset) {
    const line = lineAt(text, end - 1);
    end = line.start - 1;
    const body = line.text.slice(line.content);
    if (body.trim() === '' || body.trimStart().startsWith('#')) continue;
    if (/^(?:---|\.\.\.)(?:\s|$)/.test(line.text)) break;
    if (line.content > column) continue; // deeper: inside an earlier sibling's value
    const colon = keyColon(body);
    if (line.content === column) {
      if (colon < 0) return undefined;
      return keyPathAt(doc, line.start + line.content)?.slice(0, -1);
    }
    // Less indented: the key that opens the block this line is in.
    if (colon < 0) return undefined;
    const rest = body.slice(colon + 1);
    const after = rest.slice(0, commentStart(rest) < 0 ? rest.length : commentStart(rest)).trim();
    if (after !== '' && !/^[&!][^\s]*$/.test(after)) return undefined; // a value on the line (an anchor or a tag alone is fine)
    return keyPathAt(doc, line.start + line.content);
  }
  return column === 0 ? [] : undefined;
}

/** The object a key on this line belongs to. */
function parentOf(doc: SourceDocument, text: string, line: Line): JsonPath | undefined {
  if (line.item) {
    // A new or existing sequence item: the document knows the item the content stands in.
    const n = doc.nodeAt(line.start + line.content);
    if (n?.isKey) return n.path.slice(0, -1);
    if (n && typeof n.path[n.path.length - 1] === 'number') return n.path;
    return undefined;
  }
  return parentByIndentation(doc, text, line.start, line.content);
}

// ---------------------------------------------------------------------------------------------------------------
// The keys the text writes, whatever a parse made of it

/** A line's code (without a comment) and where its content starts, or undefined for a blank or comment line. */
function codeLine(line: Line): { code: string; column: number } | undefined {
  const comment = commentStart(line.text);
  const code = comment >= 0 ? line.text.slice(0, comment) : line.text;
  return code.trim() === '' ? undefined : { code, column: line.content };
}

/**
 * The keys of the block map whose keys stand at `column`, from the line starting at `from` down to the first line
 * indented less (or a document marker): `key:` lines at that column, each with the keys of a block map under it. A
 * line that holds `cursor` is left out; a sequence item ends the reading (its maps are the parse's to tell).
 */
function blockKeys(text: string, from: number, column: number, cursor: number, end: number): { keys: WrittenKeys; next: number } {
  const keys: WrittenKeys = new Map();
  let at = from;
  while (at < end) {
    const line = lineAt(text, at);
    const next = text.indexOf('\n', at);
    const after = next < 0 ? end : next + 1;
    const c = codeLine(line);
    if (!c) {
      at = after;
      continue;
    }
    if (/^(?:---|\.\.\.)(?:\s|$)/.test(line.text) || c.column < column || line.item) return { keys, next: at };
    if (c.column > column) {
      at = after;
      continue;
    }
    const body = c.code.slice(c.column);
    const colon = keyColon(body);
    const mine = cursor >= line.start && cursor <= line.start + line.text.length;
    if (colon >= 0 && !mine) {
      const key = unquoteKey(body.slice(0, colon));
      const rest = body.slice(colon + 1).trim();
      if (rest === '' && after < end) {
        // A block map below? Its keys stand at the first deeper line's column.
        let probe = after;
        let inner: Line | undefined;
        while (probe < end) {
          const l = lineAt(text, probe);
          if (codeLine(l)) {
            inner = l;
            break;
          }
          const nl = text.indexOf('\n', probe);
          probe = nl < 0 ? end : nl + 1;
        }
        if (inner && inner.content > column && !inner.item) {
          const nested = blockKeys(text, inner.start, inner.content, cursor, end);
          keys.set(key, nested.keys);
          at = nested.next;
          continue;
        }
      }
      keys.set(key, null);
    }
    at = after;
  }
  return { keys, next: end };
}

/**
 * The keys written in the block map whose keys stand at `column` on the line at `lineStart`, or in the map `levelsUp`
 * levels above it (each level: the key line above, indented less, that opens the block).
 */
function writtenAround(doc: SourceDocument, text: string, lineStart: number, column: number, levelsUp: number, cursor: number): WrittenKeys | undefined {
  let start = lineStart;
  let col = column;
  for (let up = 0; ; up++) {
    // The first line of this block: walk up while lines are blank, comments, deeper, or keys at this column.
    let first = start;
    let at = start - 1;
    let opener: Line | undefined;
    while (at > doc.span.offset) {
      const line = lineAt(text, at - 1);
      at = line.start - 1;
      const c = codeLine(line);
      if (!c) continue;
      if (/^(?:---|\.\.\.)(?:\s|$)/.test(line.text) || line.item) break;
      if (c.column < col) {
        opener = line;
        break;
      }
      first = line.start;
    }
    if (up === levelsUp) return blockKeys(text, first, col, cursor, doc.span.offset + doc.span.length).keys;
    if (!opener) return undefined;
    start = opener.start;
    col = opener.content;
  }
}

/** Where the cursor is: writing a key of an object, or a value; undefined where nothing can be proposed. */
export function yamlPlace(doc: SourceDocument, offset: number): Place | undefined {
  const text = doc.file.getText();
  const line = lineAt(text, offset);
  const column = offset - line.start;
  const comment = commentStart(line.text);
  if (comment >= 0 && column > comment) return undefined;
  const code = comment >= 0 ? line.text.slice(0, comment) : line.text;
  if (/^(?:---|\.\.\.)(?:\s|$)/.test(code)) return undefined;
  const blank = code.trim() === '';
  // On a blank line the cursor's column is where the key goes.
  const content = blank ? column : line.content;
  if (column < content) return undefined;
  if (/^\s*[{[]/.test(code.slice(content)) || /[{[][^\]}]*$/.test(code.slice(0, column))) return undefined; // flow style
  const body = blank ? '' : code.slice(content);
  const colon = keyColon(body);

  if (colon < 0 || column <= content + colon) {
    const keyEnd = colon >= 0 ? content + colon : content + body.trimEnd().length;
    const written = code.slice(content, keyEnd);
    const parent = parentOf(doc, text, { ...line, content });
    if (!parent) return undefined;
    return {
      kind: 'key',
      path: parent,
      start: line.start + content,
      end: line.start + Math.max(keyEnd, column),
      quoted: written.startsWith('"') || written.startsWith("'"),
      typed: unquoteKey(written),
      editingKey: written ? unquoteKey(written) : undefined,
      colonAfter: colon >= 0,
      commaAfter: false,
      syntax: YAML_SYNTAX,
      writtenKeys: line.item || valueHoldsEveryKey(doc) ? undefined : (levelsUp) => writtenAround(doc, text, line.start, content, levelsUp, offset),
    };
  }

  // A value: after `key: ` on this line.
  const path = keyPathAt(doc, line.start + content) ?? appendKey(parentOf(doc, text, line), unquoteKey(body.slice(0, colon)));
  if (!path) return undefined;
  let start = content + colon + 1;
  while (start < code.length && (code[start] === ' ' || code[start] === '\t')) start++;
  const end = content + body.trimEnd().length;
  const written = code.slice(start, end);
  if (/^[&*!|>{[]/.test(written)) return undefined; // an anchor, an alias, a tag, a block scalar, a flow collection
  if (column < start) {
    // Between the colon and the value: insert there.
    return { kind: 'value', path, start: offset, end: offset, quoted: false, typed: '', colonAfter: false, commaAfter: false, spaceBefore: column === content + colon + 1, syntax: YAML_SYNTAX };
  }
  return {
    kind: 'value',
    path,
    start: line.start + start,
    end: line.start + Math.max(end, column),
    quoted: written.startsWith('"') || written.startsWith("'"),
    typed: code.slice(start, column),
    colonAfter: false,
    commaAfter: false,
    spaceBefore: start === content + colon + 1,
    syntax: YAML_SYNTAX,
  };
}

function appendKey(parent: JsonPath | undefined, key: string): JsonPath | undefined {
  return parent ? [...parent, key] : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Writing YAML in snippets

/**
 * A value as snippet text: a scalar inline; a non-empty object or array as a block on the lines below, one tab
 * deeper per level (VS Code indents a snippet's lines from the line it is inserted on, and writes tabs as the
 * editor indents). The text of a block starts with a line break, so `pair` writes `key:` before it.
 */
function yamlValue(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return value
      .map((v) => {
        const inner = yamlValue(v, indent + '\t  ');
        // An object item's first entry goes on the dash's line, the others under it.
        return `\n${indent}\t- ${inner.startsWith('\n') ? inner.replace(/^\n[\t ]*/, '') : inner}`;
      })
      .join('');
  }
  if (isObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    return entries.map(([k, v]) => `\n${indent}\t${pair(escapeSnippet(yamlKey(k)), yamlValue(v, indent + '\t'))}`).join('');
  }
  return escapeSnippet(yamlScalar(value as string | number | boolean | null));
}

/** A key as YAML writes it: plain when it reads back as that string, else double-quoted. */
function yamlKey(key: string): string {
  return yamlScalar(key);
}

function pair(key: string, value: string): string {
  return value.startsWith('\n') ? `${key}:${value}` : `${key}: ${value}`;
}

const YAML_SYNTAX: Syntax = {
  format: 'yaml',
  key: (key) => escapeSnippet(yamlKey(key)),
  keySnippet: (snippet) => snippet,
  value: (value) => yamlValue(value),
  pair,
  label: (value) => (typeof value === 'string' ? value : JSON.stringify(value)),
  stringStop: (stop, fallback) => {
    if (fallback === undefined) return `$${stop}`;
    const written = yamlScalar(fallback);
    // A default that needs quotes keeps them around the whole tab stop, so what is typed instead is quoted too.
    return written.startsWith('"') ? `"\${${stop}:${escapeSnippet(written.slice(1, -1))}}"` : `\${${stop}:${escapeSnippet(written)}}`;
  },
  emptyObject: () => '\n\t$1',
  emptyArray: () => '\n\t- $1',
  fence: 'yaml',
  document: (value) => stringify(value, { lineWidth: 0 }).trimEnd(),
};
