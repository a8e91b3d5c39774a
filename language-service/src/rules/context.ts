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

/** Where a value the file does not set, inherited from the environment's computePoolDefaults, is reported. */
export interface InheritedSpan extends Span {
  /** The path of the inherited value; the span is the nearest key the file does have. */
  inheritedFrom: JsonPath;
}

/** How the effective pool (file + environment defaults) is told apart from the file. */
export interface EffectiveView {
  inherited(path: JsonPath): boolean;
  /** e.g. "environment 'development' (connection 'local')" */
  source?: string;
}

/**
 * Codes about one flinkConfiguration entry. For an entry that comes only from the environment's defaults
 * they are not reported: the file's author cannot fix it there, and CMF already accepted those defaults.
 */
const PER_ENTRY_CODES = new Set(['flink-config-unknown-key', 'flink-config-deprecated-key', 'flink-config-invalid-value']);

export class Reporter {
  readonly diagnostics: PoolDiagnostic[] = [];
  constructor(
    readonly doc: ParsedDocument,
    readonly settings: ResolvedSettings,
    readonly effective?: EffectiveView,
  ) {}

  /**
   * Reports `code` on a node (or a range) unless the user turned it off; without one, on the root value.
   * `data` is what a quick fix needs.
   */
  report(code: string, at: Span | Range | undefined, message: string, data?: Record<string, unknown>): void {
    const severity = this.settings.severity(code);
    if (severity === 'off') return;
    if (at && 'inheritedFrom' in at) {
      if (PER_ENTRY_CODES.has(code)) return;
      message += ` (The value comes from the computePoolDefaults of ${this.effective?.source ?? 'the selected environment'}; set it in this file to override it.)`;
      // Quick fixes edit the value at its path, which this file does not have: offer none.
      data = undefined;
    }
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
    return this.doc.keySpan(path) ?? this.inheritedAt(path);
  }

  valueAt(path: JsonPath): Span | undefined {
    return this.doc.valueSpan(path) ?? this.inheritedAt(path);
  }

  /** For a value only the environment's defaults supply: the nearest key the file has, marked as inherited. */
  private inheritedAt(path: JsonPath): InheritedSpan | undefined {
    if (!this.effective?.inherited(path)) return undefined;
    for (let n = path.length - 1; n > 0; n--) {
      const span = this.doc.keySpan(path.slice(0, n));
      if (span) return { ...span, inheritedFrom: path };
    }
    const root = this.doc.valueSpan([]);
    return root ? { offset: root.offset, length: Math.min(root.length, 1), inheritedFrom: path } : undefined;
  }
}

export interface RuleFamily {
  (pool: PoolModel, r: Reporter): void;
}
