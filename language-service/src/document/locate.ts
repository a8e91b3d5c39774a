/**
 * Finds where a path's key and value stand in JSON text that JSON.parse accepted, without building a
 * syntax tree: one scan per visited object or array, remembered, so every later lookup below it is
 * cheap. jsonc-parser's tree costs about ten times JSON.parse on large pools; this costs about one.
 */
import type { JsonPath } from './model';

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

  private entry(path: JsonPath): Entry | undefined {
    if (path.length === 0) return this.root ? { value: this.root } : undefined;
    const start = this.ws(0);
    if (start >= this.s.length) return undefined;
    let current: Entry = { value: { offset: start, length: 0 } }; // children need only the offset
    for (const seg of path) {
      const kids = this.childrenOf(current.value.offset);
      const next = kids?.get(seg);
      if (!next) return undefined;
      current = next;
    }
    return current;
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
