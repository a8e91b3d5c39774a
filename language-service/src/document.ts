/**
 * Parsing, once per document version: the jsonc-parser tree shared by every feature, the plain
 * value, and positions. Over-deep documents are refused before jsonc-parser can overflow its stack.
 */
import { type Node, type ParseError, parseTree, getNodeValue, printParseErrorCode } from 'jsonc-parser';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range } from 'vscode-languageserver-types';
import { Locator, type Span } from './locate';

/** No compute pool comes near this; jsonc-parser recurses per level and overflows around 10,000. */
export const MAX_DEPTH = 256;

export type JsonPath = readonly (string | number)[];

export interface ParsedDocument {
  readonly text: TextDocument;
  /** undefined when the text is empty, unrecoverable or too deep */
  readonly value: unknown;
  readonly syntaxErrors: readonly ParseError[];
  /** offset where nesting first exceeded MAX_DEPTH */
  readonly tooDeepAt: number | undefined;
  /** The jsonc-parser tree, built on first use (completion, hover, ...): validation does not need it. */
  tree(): Node | undefined;
  /** Where the key (or, for array elements and the root, the value) at `path` stands. */
  keySpan(path: JsonPath): Span | undefined;
  valueSpan(path: JsonPath): Span | undefined;
}

/** Offset at which bracket nesting (outside strings) first exceeds `max`, or undefined. Linear, no recursion. */
export function depthExceededAt(text: string, max: number): number | undefined {
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

/**
 * Parses once per version. Text that JSON.parse accepts (nearly every keystroke of a well-formed pool)
 * is located with a tree-free scanner; anything else (comments, errors) goes through jsonc-parser's
 * error-tolerant tree, so a document mid-edit is still validated as far as it can be.
 */
export function parseDocument(text: TextDocument): ParsedDocument {
  const source = text.getText();
  const tooDeepAt = depthExceededAt(source, MAX_DEPTH);
  if (tooDeepAt !== undefined) {
    return { text, value: undefined, syntaxErrors: [], tooDeepAt, tree: () => undefined, keySpan: () => undefined, valueSpan: () => undefined };
  }
  let tree: Node | undefined | null = null; // null: not built yet
  const buildTree = (errors?: ParseError[]) => (tree ??= parseTree(source, errors, { allowTrailingComma: false, disallowComments: false }));
  try {
    const value: unknown = JSON.parse(source);
    const locator = new Locator(source);
    return {
      text,
      value,
      syntaxErrors: [],
      tooDeepAt,
      tree: () => buildTree(),
      keySpan: (path) => locator.key(path),
      valueSpan: (path) => locator.value(path),
    };
  } catch {
    const syntaxErrors: ParseError[] = [];
    const root = buildTree(syntaxErrors);
    const span = (n: Node | undefined): Span | undefined => (n ? { offset: n.offset, length: n.length } : undefined);
    return {
      text,
      value: root ? getNodeValue(root) : undefined,
      syntaxErrors,
      tooDeepAt,
      tree: () => root,
      keySpan: (path) => span(keyOrValueNode(root, path)),
      valueSpan: (path) => span(nodeAt(root, path)),
    };
  }
}

export function syntaxErrorMessage(e: ParseError): string {
  const name = printParseErrorCode(e.error);
  const readable: Record<string, string> = {
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
  return `Invalid JSON: ${readable[name] ?? name}.`;
}

export function rangeAt(doc: TextDocument, offset: number, length: number): Range {
  return { start: doc.positionAt(offset), end: doc.positionAt(offset + Math.max(length, 0)) };
}

export function spanRange(doc: TextDocument, span: Span): Range {
  return rangeAt(doc, span.offset, span.length);
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
    if (typeof seg === 'number') {
      node = node.type === 'array' ? node.children?.[seg] : undefined;
    } else {
      node = property(node, seg)?.value;
    }
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

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
