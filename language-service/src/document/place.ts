/**
 * Where the cursor stands, for completion: writing a key of an object, or a value; and how text is written there.
 * Each front end finds the place in its own syntax (json-place.ts, yaml-place.ts) and says how keys and values
 * are spelled in it (`Syntax`); complete.ts decides what to propose, once for every format.
 */
import type { JsonPath, SourceDocument } from './model';

/**
 * Whether the parsed value holds every key the text writes: a text read without a syntax error or a duplicate key. A
 * front end then leaves `Place.writtenKeys` out (a scan of a 20,000-key object costs 10 to 60 ms a request).
 */
export function valueHoldsEveryKey(doc: SourceDocument): boolean {
  return doc.syntaxErrors.length === 0 && doc.duplicateKeys.length === 0;
}

/** Keys as the text writes them, each with the keys of its object value (null for any other value). */
export type WrittenKeys = Map<string, WrittenKeys | null>;

export interface Place {
  kind: 'key' | 'value';
  /** key: the object whose property is being written; value: the value's path */
  path: JsonPath;
  /** offsets of the text the proposal replaces */
  start: number;
  end: number;
  /** the replaced text starts with a quote (so proposals are filtered against their quoted form) */
  quoted: boolean;
  /** key: the whole key as written so far (a deprecated key is offered only when typed in full) */
  typed: string;
  /** key: the key of the property being edited, excluded from "already present" */
  editingKey?: string;
  /** key: a colon follows, so only the key is replaced */
  colonAfter: boolean;
  /** JSON: offset where a missing comma before the insertion goes */
  commaBefore?: number;
  /** JSON: a property or element follows without a comma */
  commaAfter: boolean;
  /** value: the colon is right before it, so the value gets a space */
  spaceBefore?: boolean;
  /** how keys and values are written here */
  syntax: Syntax;
  /**
   * key: the keys written in an object around the cursor, read from the text itself, because a parse that recovers
   * from an error mid-edit (a key without its colon yet) may drop the keys after it. `levelsUp` 0 is the object being
   * edited, 1 the object holding it, and so on. The key under the cursor is left out. Undefined where the text cannot
   * tell (the answer then comes from the parsed value alone).
   */
  writtenKeys?(levelsUp: number): WrittenKeys | undefined;
}

/** How a format writes keys and values in completion snippets (snippet syntax: `$1`, `${1:default}`). */
export interface Syntax {
  readonly format: 'json' | 'yaml';
  /** A key, as snippet text. */
  key(key: string): string;
  /** A key that is already snippet text (with tab stops), written as the format writes keys. */
  keySnippet(snippet: string): string;
  /** A value, as snippet text (objects and arrays laid out with tabs: VS Code indents them). */
  value(value: unknown): string;
  /** A property from its key and value snippet texts (YAML puts a block value on the lines below `key:`). */
  pair(key: string, value: string): string;
  /** How a value is shown in the list. */
  label(value: unknown): string;
  /** A string to fill in at tab stop `stop`, empty or with a default. */
  stringStop(stop: number, fallback?: string): string;
  /** An object or an array to fill in. */
  emptyObject(): string;
  emptyArray(): string;
  /** The language name for a code block of this format in documentation. */
  readonly fence: string;
  /** A value as a documentation code block's text. */
  document(value: unknown): string;
}

export function escapeSnippet(s: string): string {
  return s.replace(/[\\$}]/g, (c) => '\\' + c);
}
