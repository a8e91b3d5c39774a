/**
 * What must hold whatever the text: ranges inside the document, and the diagnostics the server publishes
 * for a version being the ones the language service computes for that version's text.
 */
import { URI } from 'vscode-uri';
import type { Diagnostic, Position, Range } from 'vscode-languageserver-types';
import { ResolvedSettings, normalizeSettings } from '../../language-service/src/index';
import { validateText } from '../engine';

export class FuzzFailure extends Error {
  override readonly name = 'FuzzFailure';
}

export function fail(message: string): never {
  throw new FuzzFailure(message);
}

/** Line lengths as LSP counts them (\r\n, \r and \n end a line; characters are UTF-16 code units). */
export function lineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((l) => l.length);
}

function positionInside(p: Position, lines: number[]): boolean {
  return Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.line < lines.length && p.character >= 0 && p.character <= lines[p.line];
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

/** Fails unless `range` lies inside the text (start before end). `lines` from `lineLengths`. */
function checkRange(range: Range, lines: number[], what: string): void {
  if (!positionInside(range.start, lines) || !positionInside(range.end, lines) || !before(range.start, range.end)) {
    fail(`${what}: range ${JSON.stringify(range)} is not inside the document (${lines.length} lines)`);
  }
}

export function checkDiagnostics(diags: readonly Diagnostic[], lines: number[], what: string): void {
  for (const d of diags) {
    checkRange(d.range, lines, `${what} diagnostic ${String(d.code)}`);
    if (typeof d.message !== 'string' || d.message === '') fail(`${what}: diagnostic ${String(d.code)} has no message`);
  }
}

function isRange(v: unknown): v is Range {
  const r = v as Range;
  return !!r && typeof r === 'object' && !!r.start && !!r.end && typeof r.start.line === 'number' && typeof r.end.character === 'number';
}

/**
 * Every range anywhere in a response (completion edits, hover, code-action edits, symbols, ...) lies inside
 * the document, and a document symbol's selectionRange inside its range. Ranges in edits for other URIs
 * are skipped. Returns how many ranges it checked.
 */
export function checkResponseRanges(value: unknown, lines: number[], uri: string, what: string): number {
  let n = 0;
  const contains = (outer: Range, inner: Range) => before(outer.start, inner.start) && before(inner.end, outer.end);
  const walk = (v: unknown, where: string, depth: number): void => {
    if (depth > 64 || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${where}[${i}]`, depth + 1));
      return;
    }
    if (isRange(v)) {
      n++;
      checkRange(v, lines, `${what} ${where}`);
      return;
    }
    const o = v as Record<string, unknown>;
    if (isRange(o.range) && isRange(o.selectionRange) && !contains(o.range, o.selectionRange)) {
      fail(`${what} ${where}: selectionRange ${JSON.stringify(o.selectionRange)} is not inside range ${JSON.stringify(o.range)}`);
    }
    for (const [k, x] of Object.entries(o)) {
      if (k === 'changes' && x && typeof x === 'object') {
        for (const [u, edits] of Object.entries(x)) if (u === uri) walk(edits, `${where}.changes`, depth + 1);
        continue;
      }
      if (k === 'documentChanges' && Array.isArray(x)) {
        for (const c of x as { textDocument?: { uri?: string } }[]) if (c?.textDocument?.uri === uri) walk(c, `${where}.documentChanges`, depth + 1);
        continue;
      }
      if (k === 'location' && (x as { uri?: string })?.uri !== undefined && (x as { uri?: string }).uri !== uri) continue;
      walk(x, `${where}.${k}`, depth + 1);
    }
  };
  walk(value, '', 0);
  return n;
}

/** The settings the fuzzing client answers workspace/configuration with, as the server resolves them. */
export function resolve(settings: Record<string, unknown>): ResolvedSettings {
  return new ResolvedSettings(normalizeSettings(settings));
}

/**
 * What the server must publish for `text` at `uri`: the same steps as server.ts's validate(), from a full parse
 * of that text (YAML's syntax errors reported, as the server does when the client says no YAML extension does).
 */
export function expectedDiagnostics(uri: string, text: string, settings: ResolvedSettings, languageId: 'json' | 'yaml' = 'json'): Diagnostic[] {
  const path = uri.startsWith('file:') ? URI.parse(uri).fsPath : URI.parse(uri).path;
  return validateText(text, { uri, path, settings, languageId, reportSyntaxErrors: languageId === 'yaml' || undefined });
}

/** Diagnostics compared as JSON (what travels over the wire). */
export function sameDiagnostics(a: readonly Diagnostic[], b: readonly Diagnostic[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function describeDifference(got: readonly Diagnostic[], want: readonly Diagnostic[]): string {
  const line = (d: Diagnostic) => `${String(d.code)}@${d.range.start.line}:${d.range.start.character}`;
  return `published [${got.map(line).join(', ')}], expected [${want.map(line).join(', ')}]`;
}
