/**
 * Quick fixes: code actions of kind `quickfix`, built by the rule module that reported each diagnostic, from the
 * diagnostic's `code` and `data` and the document as it is now. Every fix is one TextEdit that keeps the
 * document's layout; a fix whose target is gone (the document changed since the diagnostic), or that would
 * turn a readable document into an unreadable one, is not offered.
 */
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver-types';
import { isObject } from '../../cmf-model/src/json';
import type { SourceDocument } from './document/model';
import { type PoolModel, readPool } from './pool';
import { ruleFor } from './rules';
import { type Fix, SOURCE, isPath } from './rules/rule';

/** The quick fixes a diagnostic's rule offers (none for other sources and unknown codes). */
function fixesFor(pool: () => PoolModel | undefined, d: Diagnostic): Fix[] {
  if (d.source !== undefined && d.source !== SOURCE) return [];
  const code = typeof d.code === 'string' ? d.code : undefined;
  const build = code ? ruleFor(code)?.fixes?.[code] : undefined;
  const model = build ? pool() : undefined;
  if (!build || !model) return [];
  const data = isObject(d.data) ? d.data : {};
  return build({ pool: model, data, path: isPath(data.path) ? data.path : undefined });
}

/** Quick fixes for the diagnostics the client sent. */
export function codeActions(doc: SourceDocument, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  let model: PoolModel | undefined | null = null; // read once, when a diagnostic has a fix to build
  const pool = () => (model === null ? (model = readPool(doc)) : model);
  for (const d of diagnostics) {
    let preferredTaken = false;
    for (const f of fixesFor(pool, d)) {
      const e = doc.edit();
      f.build(e);
      if (!e.valid) continue; // never turn a readable document into an unreadable one
      const edit = e.toTextEdit();
      if (!edit) continue;
      const action: CodeAction = { title: f.title, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: { changes: { [doc.file.uri]: [edit] } } };
      if (f.preferred && !preferredTaken) {
        action.isPreferred = true;
        preferredTaken = true;
      }
      actions.push(action);
    }
  }
  return actions;
}
