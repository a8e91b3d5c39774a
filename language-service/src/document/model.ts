/**
 * The document model every feature of the engine works on: a compute-pool document's plain value and
 * where each part of it stands in the text. A front end per format builds it (document/json.ts; YAML
 * files hold several documents, each a model of its own); validation, completion, hover, quick fixes and
 * the outline only ever ask this interface, so each of them is written once for every format.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range, TextEdit } from 'vscode-languageserver-types';
import type { JsonPath } from '../../../cmf-model/src/json';

export type { JsonPath };

/** A stretch of the file's text. */
export interface Span {
  offset: number;
  length: number;
}

type DocumentFormat = 'json' | 'yaml';

/** The key of a property that a later key of the same name in the same object overrides. */
export interface DuplicateKey extends Span {
  /** the key's name */
  key: string;
}

/** A syntax error the front end found, with its message. */
export interface SyntaxProblem extends Span {
  message: string;
}

/** The key or value under an offset. */
export interface NodeAt {
  /** the path of the property (on a key) or of the value */
  path: JsonPath;
  isKey: boolean;
  /** the key's or the value's text */
  span: Span;
  /** the value at `path` is an object or an array */
  container: boolean;
  /** the value, when it is a scalar (string, number, boolean or null) */
  scalar?: string | number | boolean | null;
}

/**
 * Edits to one document that keep its layout (indentation, line ends, comments, quoting): each step applies to
 * the text as the previous steps left it; `toTextEdit` gives the whole as one minimal edit of the file.
 */
export interface DocumentEdit {
  /** Sets (replacing or inserting; missing parent objects are created) the value at `path`. */
  set(path: JsonPath, value: unknown): this;
  /** Removes the property or array element at `path`. */
  remove(path: JsonPath): this;
  /** Renames the key of the property at `path`, keeping its value. */
  renameKey(path: JsonPath, newKey: string): this;
  /**
   * Removes the property whose key starts at `offset` (in the text as the steps so far left it): one of duplicate
   * keys, which a path cannot tell apart. Nothing happens when no key starts there.
   */
  removeKeyAt(offset: number): this;
  /** False when the steps made a document that parsed into one that does not. */
  readonly valid: boolean;
  /** One edit of the file from its original text to the current one; undefined when nothing changed. */
  toTextEdit(): TextEdit | undefined;
}

export interface SourceDocument {
  readonly format: DocumentFormat;
  /** The whole file (a YAML file may hold several documents; offsets are the file's). */
  readonly file: TextDocument;
  /** The document's value; undefined when it is empty, unreadable or too deep. */
  readonly value: unknown;
  readonly syntaxErrors: readonly SyntaxProblem[];
  /** Where nesting first went deeper than any pool does; nothing else is read then. */
  readonly tooDeepAt: number | undefined;
  /**
   * Every key that a later key of the same name in the same object overrides, in text order: the value keeps the
   * last one (as JSON.parse, YAML's toJS and CMF do), so these are silently ignored.
   */
  readonly duplicateKeys: readonly DuplicateKey[];
  /** Where the document stands in the file. */
  readonly span: Span;
  /** Where the key of the property at `path` stands (for an array element or the root: the value). */
  keySpan(path: JsonPath): Span | undefined;
  valueSpan(path: JsonPath): Span | undefined;
  /** The key or value under `offset`; undefined between members or outside the document. */
  nodeAt(offset: number): NodeAt | undefined;
  /** Starts a set of edits of this document. */
  edit(): DocumentEdit;
}

/**
 * The text a JSON front end reads: a leading UTF-8 byte order mark becomes a space, so the file reads as if it had
 * none (JSON.parse and jsonc-parser refuse it) while every offset stays the file's own.
 */
export function withoutByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
}

/** No compute pool comes near this; parsers recurse per level and overflow around 10,000. */
export const MAX_DEPTH = 256;

function rangeAt(doc: TextDocument, offset: number, length: number): Range {
  return { start: doc.positionAt(offset), end: doc.positionAt(offset + Math.max(length, 0)) };
}

export function spanRange(doc: TextDocument, span: Span): Range {
  return rangeAt(doc, span.offset, span.length);
}

/** Human spelling of a path: spec.clusterSpec.taskManager.podTemplate.spec.containers[0].name, flinkConfiguration["a.b"] */
export function pathLabel(path: JsonPath): string {
  let s = '';
  for (const seg of path) {
    if (typeof seg === 'number') s += `[${seg}]`;
    else if (!/^[A-Za-z_$][\w$-]*$/.test(seg)) s += `[${JSON.stringify(seg)}]`; // flat Flink keys contain dots
    else s += s ? `.${seg}` : seg;
  }
  return s || '(the document)';
}

/** The span from the start of `a` to the end of `b`. */
export function joinSpans(a: Span, b: Span): Span {
  return { offset: a.offset, length: b.offset + b.length - a.offset };
}
