/**
 * Finds where a path's key and value stand in JSON text that JSON.parse accepted, without building a
 * syntax tree: one scan per visited object or array, remembered, so every later lookup below it is
 * cheap. jsonc-parser's tree costs about ten times JSON.parse on large pools; this costs about one.
 */
import type { JsonPath, NodeAt } from './model';

export interface Span {
  offset: number;
  length: number;
}

interface Entry {
  key?: Span;
  value: Span;
}

const enum Ch {
  Quote = 34,
  Backslash = 92,
  OpenBrace = 123,
  CloseBrace = 125,
  OpenBracket = 91,
  CloseBracket = 93,
  Comma = 44,
  Colon = 58,
}

/** Does the span hold `offset`, its end included (as jsonc-parser's findNodeAtOffset counts)? */
function holds(span: Span, offset: number): boolean {
  return offset >= span.offset && offset <= span.offset + span.length;
}

function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

export class Locator {
  /** value start offset -> its children (object: by key, last duplicate wins; array: by index) */
  private readonly children = new Map<number, Map<string | number, Entry>>();
  private rootSpan: Span | undefined | null = null; // null: not measured yet

  constructor(private readonly s: string) {}

  /** The root value, measured on first use (only a diagnostic on the whole document needs its end). */
  private get root(): Span | undefined {
    if (this.rootSpan === null) {
      const start = this.ws(0);
      this.rootSpan = start < this.s.length ? { offset: start, length: this.skipValue(start) - start } : undefined;
    }
    return this.rootSpan;
  }

  /** The key of the property at `path` (for an array element or the root: the value). */
  key(path: JsonPath): Span | undefined {
    const e = this.entry(path);
    return e?.key ?? e?.value;
  }

  value(path: JsonPath): Span | undefined {
    return this.entry(path)?.value;
  }

  /**
   * The key or value under `offset`, exactly as nodeAtInTree finds it in jsonc-parser's tree (an end offset counts,
   * the first member that holds the offset wins; between members, on a colon or outside: undefined), by scanning
   * only the containers on the way down.
   */
  nodeAt(offset: number): NodeAt | undefined {
    const root = this.root;
    if (!root || !holds(root, offset)) return undefined;
    const s = this.s;
    let path: JsonPath = [];
    let value: Span = root;
    for (;;) {
      const open = s.charCodeAt(value.offset);
      if (open !== Ch.OpenBrace && open !== Ch.OpenBracket) return { path, isKey: false, span: value, container: false, scalar: JSON.parse(s.slice(value.offset, value.offset + value.length)) };
      const member = this.memberAt(value.offset, offset);
      if (member === undefined) {
        // The container itself: its braces count, the space between its members does not.
        if (offset > value.offset && offset < value.offset + value.length - 1) return undefined;
        return { path, isKey: false, span: value, container: true };
      }
      if (member === 'between') return undefined;
      if (member.onKey) {
        const c = s.charCodeAt(member.value.offset);
        return { path: [...path, member.name], isKey: true, span: member.key!, container: c === Ch.OpenBrace || c === Ch.OpenBracket };
      }
      path = [...path, member.name];
      value = member.value;
    }
  }

  /** The member of the container at `container` that holds `offset`: on its key, in its value, or between the two. */
  private memberAt(container: number, offset: number): { name: string | number; key?: Span; value: Span; onKey: boolean } | 'between' | undefined {
    const s = this.s;
    let i = this.ws(container + 1);
    if (s.charCodeAt(container) === Ch.OpenBrace) {
      while (i <= offset && i < s.length && s.charCodeAt(i) === Ch.Quote) {
        const keyEnd = this.skipString(i);
        const valueStart = this.ws(this.ws(keyEnd) + 1);
        const valueEnd = this.skipValue(valueStart);
        if (offset <= valueEnd) {
          const key = { offset: i, length: keyEnd - i };
          const value = { offset: valueStart, length: valueEnd - valueStart };
          if (offset <= keyEnd) return { name: this.stringValue(i, keyEnd), key, value, onKey: true };
          if (offset >= valueStart) return { name: this.stringValue(i, keyEnd), key, value, onKey: false };
          return 'between';
        }
        i = this.ws(valueEnd);
        if (s.charCodeAt(i) === Ch.Comma) i = this.ws(i + 1);
      }
      return undefined;
    }
    let index = 0;
    while (i <= offset && i < s.length && s.charCodeAt(i) !== Ch.CloseBracket) {
      const valueEnd = this.skipValue(i);
      if (offset <= valueEnd) return { name: index, value: { offset: i, length: valueEnd - i }, onKey: false };
      index++;
      i = this.ws(valueEnd);
      if (s.charCodeAt(i) === Ch.Comma) i = this.ws(i + 1);
      else break;
    }
    return undefined;
  }

  private entry(path: JsonPath): Entry | undefined {
    if (path.length === 0) return this.root ? { value: this.root } : undefined;
    return this.siblings(path)?.get(path[path.length - 1]!);
  }

  /** The last parent looked up, and its children: rules ask about the entries of one object in a row. */
  private lastParent: { path: JsonPath; kids: Map<string | number, Entry> | undefined } | undefined;

  /** The children of the value holding the last segment of `path`. */
  private siblings(path: JsonPath): Map<string | number, Entry> | undefined {
    const n = path.length - 1;
    const last = this.lastParent;
    if (last && last.path.length === n && last.path.every((seg, i) => seg === path[i])) return last.kids;
    let offset = this.ws(0);
    let kids: Map<string | number, Entry> | undefined;
    for (let i = 0; ; i++) {
      kids = offset < this.s.length ? this.childrenOf(offset) : undefined;
      if (i === n || !kids) break;
      const next = kids.get(path[i]!);
      if (!next) {
        kids = undefined;
        break;
      }
      offset = next.value.offset;
    }
    this.lastParent = { path: path.slice(0, n), kids };
    return kids;
  }

  private childrenOf(offset: number): Map<string | number, Entry> | undefined {
    let kids = this.children.get(offset);
    if (kids) return kids;
    const s = this.s;
    const open = s.charCodeAt(offset);
    if (open !== Ch.OpenBrace && open !== Ch.OpenBracket) return undefined;
    kids = new Map();
    let i = this.ws(offset + 1);
    let index = 0;
    if (open === Ch.OpenBrace) {
      while (i < s.length && s.charCodeAt(i) === Ch.Quote) {
        const keyStart = i;
        const keyEnd = this.skipString(i);
        i = this.ws(this.ws(keyEnd) + 1); // past the colon
        const valueEnd = this.skipValue(i);
        kids.set(this.stringValue(keyStart, keyEnd), {
          key: { offset: keyStart, length: keyEnd - keyStart },
          value: { offset: i, length: valueEnd - i },
        });
        i = this.ws(valueEnd);
        if (s.charCodeAt(i) === Ch.Comma) i = this.ws(i + 1);
      }
    } else {
      while (i < s.length && s.charCodeAt(i) !== Ch.CloseBracket) {
        const valueEnd = this.skipValue(i);
        kids.set(index++, { value: { offset: i, length: valueEnd - i } });
        i = this.ws(valueEnd);
        if (s.charCodeAt(i) === Ch.Comma) i = this.ws(i + 1);
        else break;
      }
    }
    this.children.set(offset, kids);
    return kids;
  }

  private ws(i: number): number {
    const s = this.s;
    while (i < s.length && isWs(s.charCodeAt(i))) i++;
    return i;
  }

  /** `i` at an opening quote; returns the offset after the closing quote. */
  private skipString(i: number): number {
    const s = this.s;
    let j = i + 1;
    for (;;) {
      const q = s.indexOf('"', j);
      if (q < 0) return s.length;
      // Count the backslashes right before the quote: an odd number escapes it.
      let b = q - 1;
      while (b > i && s.charCodeAt(b) === Ch.Backslash) b--;
      if ((q - 1 - b) % 2 === 0) return q + 1;
      j = q + 1;
    }
  }

  private stringValue(start: number, end: number): string {
    const raw = this.s.slice(start + 1, end - 1);
    return raw.includes('\\') ? (JSON.parse(this.s.slice(start, end)) as string) : raw;
  }

  /** `i` at the first character of a value; returns the offset just after it. */
  private skipValue(i: number): number {
    const s = this.s;
    const c = s.charCodeAt(i);
    if (c === Ch.Quote) return this.skipString(i);
    if (c !== Ch.OpenBrace && c !== Ch.OpenBracket) {
      let j = i;
      while (j < s.length) {
        const d = s.charCodeAt(j);
        if (d === Ch.Comma || d === Ch.CloseBrace || d === Ch.CloseBracket || isWs(d)) break;
        j++;
      }
      return j;
    }
    let depth = 0;
    let j = i;
    while (j < s.length) {
      const d = s.charCodeAt(j);
      if (d === Ch.Quote) {
        j = this.skipString(j);
        continue;
      }
      if (d === Ch.OpenBrace || d === Ch.OpenBracket) depth++;
      else if (d === Ch.CloseBrace || d === Ch.CloseBracket) {
        if (--depth === 0) return j + 1;
      }
      j++;
    }
    return j;
  }
}
