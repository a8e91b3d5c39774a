/**
 * When CMF rejects a pool with a message that names a field ("spec.clusterSpec.serviceAccount must not be
 * set", "metadata.name 'X' is not a valid compute pool name"), a diagnostic goes on that field in the file
 * as well as the notification. Pure: text and messages in, ranges out.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range } from 'vscode-languageserver-types';
import { parseDocument, spanRange, isObject, type JsonPath } from '../../../language-service/src/document';

export interface FieldProblem {
  /** The path found in the document (possibly a parent of the one named, when that one is absent). */
  path: JsonPath;
  range: Range;
  message: string;
}

/** Dotted paths starting at a top-level pool field, e.g. `spec.clusterSpec.taskManager.resource.memory`. */
const FIELD = /(?<![\w.-])((?:apiVersion|kind|metadata|spec)(?:\.[A-Za-z0-9_-]+)*)/g;

/**
 * Resolves a dotted path against a value, segment by segment. flinkConfiguration keys contain dots
 * (`taskmanager.numberOfTaskSlots`), so when a segment is not a key the remaining segments are tried as
 * one key. Returns the longest prefix that exists.
 */
export function resolvePath(value: unknown, dotted: string): JsonPath {
  const segs = dotted.split('.');
  const out: (string | number)[] = [];
  let v: unknown = value;
  for (let i = 0; i < segs.length; i++) {
    if (!isObject(v)) break;
    let matched = false;
    for (let j = segs.length; j > i; j--) {
      const key = segs.slice(i, j).join('.');
      if (key in v) {
        out.push(key);
        v = v[key];
        i = j - 1;
        matched = true;
        break;
      }
    }
    if (!matched) break;
  }
  return out;
}

/** Problems for each of CMF's messages that names a field the file has (or whose parent it has). */
export function fieldProblems(text: string, messages: readonly string[]): FieldProblem[] {
  const parsed = parseDocument(TextDocument.create('untitled:pool.json', 'json', 0, text));
  if (!isObject(parsed.value)) return [];
  const out: FieldProblem[] = [];
  for (const message of messages) {
    let best: JsonPath | undefined;
    for (const m of message.matchAll(FIELD)) {
      const path = resolvePath(parsed.value, m[1]);
      if (path.length && (!best || path.length > best.length)) best = path;
    }
    if (!best) continue;
    const span = parsed.keySpan(best) ?? parsed.valueSpan(best);
    if (!span) continue;
    out.push({ path: best, range: spanRange(parsed.text, span), message });
  }
  return out;
}
