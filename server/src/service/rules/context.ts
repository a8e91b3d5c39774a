/** What a rule family gets: the pool, the document, and a way to report. */
import type { Diagnostic, Range } from 'vscode-languageserver-types';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { type JsonPath, type ParsedDocument, spanRange } from '../document';
import type { Span } from '../locate';
import type { PoolModel } from '../pool';
import type { ResolvedSettings } from '../settings';

export const SOURCE = 'cmf-pools';

const LSP_SEVERITY = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
} as const;

/** What the service produces: an LSP diagnostic whose code and message are always strings. */
export interface PoolDiagnostic extends Diagnostic {
  code: string;
  message: string;
  source: typeof SOURCE;
}

export class Reporter {
  readonly diagnostics: PoolDiagnostic[] = [];
  constructor(
    readonly doc: ParsedDocument,
    readonly settings: ResolvedSettings,
  ) {}

  /**
   * Reports `code` on a node (or a range) unless the user turned it off; without one, on the root value.
   * `data` is what a quick fix needs.
   */
  report(code: string, at: Span | Range | undefined, message: string, data?: Record<string, unknown>): void {
    const severity = this.settings.severity(code);
    if (severity === 'off') return;
    const target = at ?? this.doc.valueSpan([]);
    const range = !target
      ? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }
      : 'start' in target
        ? target
        : spanRange(this.doc.text, target);
    const d: PoolDiagnostic = { range, severity: LSP_SEVERITY[severity], code, source: SOURCE, message };
    if (data) d.data = { code, ...data };
    this.diagnostics.push(d);
  }

  /** The key of the property at `path` (or the element, for array indices). */
  keyAt(path: JsonPath): Span | undefined {
    return this.doc.keySpan(path);
  }

  valueAt(path: JsonPath): Span | undefined {
    return this.doc.valueSpan(path);
  }
}

export interface RuleFamily {
  (pool: PoolModel, r: Reporter): void;
}
