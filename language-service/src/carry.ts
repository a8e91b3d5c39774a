/**
 * The diagnostics of an earlier version of a text, where they are in the current one: what the editor shows while a
 * new version is being validated (VS Code moves a document's markers with each edit until new diagnostics come).
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import { changeBetween } from './document/text-change';
import type { PoolDiagnostic } from './rules/rule';

/**
 * Each diagnostic of `before` whose range lies wholly before the changed part of the text or wholly after it, with its
 * range moved to `after`; one that reaches into the changed part is dropped (what it said may no longer hold).
 * Diagnostics are not validated again: a caller uses these only until the new version's own come.
 */
export function carryDiagnostics(before: string, diagnostics: readonly PoolDiagnostic[], after: TextDocument): PoolDiagnostic[] {
  const change = changeBetween(before, after.getText());
  if (!change) return [...diagnostics];
  const { from, to, delta } = change; // [from, to) of `before` became [from, to + delta) of `after`
  const old = TextDocument.create('carry:', 'plaintext', 0, before);
  const out: PoolDiagnostic[] = [];
  for (const d of diagnostics) {
    const start = old.offsetAt(d.range.start);
    const end = old.offsetAt(d.range.end);
    const shift = end <= from ? 0 : start >= to ? delta : undefined;
    if (shift === undefined) continue;
    out.push({ ...d, range: shift ? { start: after.positionAt(start + shift), end: after.positionAt(end + shift) } : d.range });
  }
  return out;
}
