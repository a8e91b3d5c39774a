/**
 * Edits to a JSON document that keep its formatting: set a value, remove a property or element (with its
 * comma), rename a key. Steps apply one after another to the text (jsonc-parser's `modify` formats what it
 * inserts with the document's own indentation and line ends); the result is one minimal TextEdit against
 * the original, so a quick fix shows as a small change and never overlaps itself.
 */
import { type FormattingOptions, type Node, applyEdits, findNodeAtOffset, modify, parseTree } from 'jsonc-parser';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver-types';
import { isObject, valueAt } from '../../../cmf-model/src/json';
import { nodeAt, property } from './json';
import { type DocumentEdit, type JsonPath, type SourceDocument, type Span, withoutByteOrderMark } from './model';

/** The document's indentation (tabs, or the smallest indentation in spaces) and line end. */
function detectFormatting(text: string): FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let smallest = Infinity;
  let lines = 0;
  for (const m of text.matchAll(/\n([ \t]+)\S/g)) {
    const indent = m[1]!;
    if (indent[0] === '\t') return { insertSpaces: false, tabSize: 4, eol };
    if (indent.length < smallest) smallest = indent.length;
    if (++lines >= 200) break;
  }
  const tabSize = Number.isFinite(smallest) && smallest <= 8 ? smallest : 2;
  return { insertSpaces: true, tabSize, eol };
}

export class JsonEdit implements DocumentEdit {
  private text: string;
  private readonly original: string;
  private readonly formatting: FormattingOptions;

  /**
   * `wasValid`: the original text is JSON, so the result must be too. `source`: the document as parsed, whose spans
   * serve the first step (a quick fix is mostly one step), so the text is not parsed again to find a key.
   */
  constructor(
    private readonly doc: TextDocument,
    private readonly wasValid: boolean,
    private readonly source?: SourceDocument,
  ) {
    this.original = doc.getText();
    // A byte order mark is read as a space (offsets stay the file's) and put back in the edit.
    this.text = withoutByteOrderMark(this.original);
    this.formatting = detectFormatting(this.original);
  }

  /** The text after every step so far. */
  get current(): string {
    return this.text;
  }

  get valid(): boolean {
    if (!this.wasValid) return true;
    try {
      JSON.parse(this.text);
      return true;
    } catch {
      return false;
    }
  }

  private tree(): Node | undefined {
    return parseTree(this.text, [], { allowTrailingComma: true, disallowComments: false });
  }

  has(path: JsonPath): boolean {
    if (this.untouched()) return this.source!.valueSpan(path) !== undefined;
    return nodeAt(this.tree(), path) !== undefined;
  }

  /** No step has changed the text yet: the parsed document's spans and value are the current text's. */
  private untouched(): boolean {
    return this.source !== undefined && this.text === withoutByteOrderMark(this.original);
  }

  /** Where the key of the property at `path` stands in the current text. */
  private keyOf(path: JsonPath): Span | undefined {
    const last = path[path.length - 1];
    if (typeof last !== 'string') return undefined;
    if (this.untouched()) return this.source!.keySpan(path);
    return property(nodeAt(this.tree(), path.slice(0, -1)), last)?.key;
  }

  /** Sets (replacing or inserting; missing parent objects are created) the value at `path`. */
  set(path: JsonPath, value: unknown): this {
    this.text = applyEdits(this.text, modify(this.text, [...path], value, { formattingOptions: this.formatting }));
    return this;
  }

  /** Removes the property or array element at `path` and its comma; an object or array left empty becomes `{}` or `[]`. */
  remove(path: JsonPath): this {
    if (!this.has(path)) return this;
    // A parent the parsed value gives two or more entries keeps one: no need to parse the result to see if it is empty.
    const siblings = this.untouched() ? valueAt(this.source!.value, path.slice(0, -1)) : undefined;
    const keepsOne = Array.isArray(siblings) ? siblings.length > 1 : isObject(siblings) && Object.keys(siblings).length > 1;
    this.text = applyEdits(this.text, modify(this.text, [...path], undefined, { formattingOptions: this.formatting }));
    if (keepsOne) return this;
    const parent = nodeAt(this.tree(), path.slice(0, -1));
    if (parent && (parent.type === 'object' || parent.type === 'array') && (parent.children?.length ?? 0) === 0) {
      const empty = parent.type === 'object' ? '{}' : '[]';
      this.text = this.text.slice(0, parent.offset) + empty + this.text.slice(parent.offset + parent.length);
    }
    return this;
  }

  /** Renames the key of the property at `path` in place, keeping its value and everything around it. */
  renameKey(path: JsonPath, newKey: string): this {
    const key = this.keyOf(path);
    if (!key) return this;
    this.text = this.text.slice(0, key.offset) + JSON.stringify(newKey) + this.text.slice(key.offset + key.length);
    return this;
  }

  /** Removes the property whose key starts at `offset` with the comma and line that go with it. */
  removeKeyAt(offset: number): this {
    const root = this.tree();
    const key = root && findNodeAtOffset(root, offset, false);
    const prop = key?.parent;
    const object = prop?.parent;
    if (!key || key.offset !== offset || prop?.type !== 'property' || prop.children?.[0] !== key || object?.type !== 'object') return this;
    const siblings = object.children ?? [];
    const i = siblings.indexOf(prop);
    let from: number;
    let to: number;
    let text = '';
    if (i + 1 < siblings.length) {
      // Up to the next property: this one's text, its comma and the line break and indentation before the next.
      from = prop.offset;
      to = siblings[i + 1]!.offset;
    } else if (i > 0) {
      // The last one: from the end of the one before (its comma goes too).
      from = siblings[i - 1]!.offset + siblings[i - 1]!.length;
      to = prop.offset + prop.length;
    } else {
      from = object.offset;
      to = object.offset + object.length;
      text = '{}';
    }
    this.text = this.text.slice(0, from) + text + this.text.slice(to);
    return this;
  }

  toTextEdit(): TextEdit | undefined {
    const text = this.original.charCodeAt(0) === 0xfeff && this.text.charCodeAt(0) === 32 ? '\ufeff' + this.text.slice(1) : this.text;
    return minimalEdit(this.doc, this.original, text);
  }
}

/** One edit from `a` to `b`: the span between their common prefix and suffix. */
export function minimalEdit(doc: TextDocument, a: string, b: string): TextEdit | undefined {
  if (a === b) return undefined;
  let start = 0;
  const max = Math.min(a.length, b.length);
  while (start < max && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a.charCodeAt(endA - 1) === b.charCodeAt(endB - 1)) {
    endA--;
    endB--;
  }
  // Never split a \r\n pair or a surrogate pair.
  while (start > 0 && (isLowSurrogate(a.charCodeAt(start)) || (a[start] === '\n' && a[start - 1] === '\r'))) start--;
  while (endA < a.length && (isLowSurrogate(a.charCodeAt(endA)) || (a[endA] === '\n' && a[endA - 1] === '\r'))) {
    endA++;
    endB++;
  }
  return { range: { start: doc.positionAt(start), end: doc.positionAt(endA) }, newText: b.slice(start, endB) };
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
