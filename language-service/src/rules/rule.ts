/**
 * What a rule is: the codes it reports (each with its default severity and the catalogue text that hover and
 * `cmf-pools lint --help` show), its check, and its quick fixes. Every rule module exports one `Rule`; the
 * registry (rules/index.ts) lists them, and the engine has no other list of codes.
 */
import type { Diagnostic, Range } from 'vscode-languageserver-types';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { isObject, valueAt } from '../../../cmf-model/src/json';
import { type DocumentEdit, type JsonPath, type SourceDocument, type Span, pathLabel, spanRange } from '../document/model';
import type { CmfTarget } from '../cmf-target';
import type { PoolModel } from '../pool';
import type { ResolvedSettings } from '../settings';

export const SOURCE = 'cmf-pools';

/** CMF's page on compute pools: where a rule with `docs: 'cmf'` sends the reader. */
export const CMF_COMPUTE_POOLS_DOCS = 'https://docs.confluent.io/platform/current/flink/configure/compute-pools.html';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';

/** One code of the catalogue. */
export interface RuleInfo {
  readonly severity: Severity;
  /** One sentence: what the code means (the catalogue, hover and --help). */
  readonly summary: string;
  /** Where hover sends the reader: CMF's compute-pool page or Flink's configuration reference. */
  readonly docs: 'cmf' | 'flink';
  /** What hover adds below the message (markdown): the evidence behind the rule, or the usual way to do it right. */
  readonly help?: string;
  /**
   * About one entry of the pool that the environment's computePoolDefaults may supply: such an entry is not
   * reported (the file's author cannot fix it there, and CMF already accepted those defaults).
   */
  readonly perEntry?: boolean;
}

/** A quick fix: a title and the edits it makes. */
export interface Fix {
  title: string;
  build: (e: DocumentEdit) => void;
  preferred?: boolean;
}

/** What a fix builder gets: the pool as it is now, and the data its diagnostic carries. */
export interface FixInput {
  pool: PoolModel;
  data: Record<string, unknown>;
  /** `data.path` when it is a path */
  path: JsonPath | undefined;
}

interface CheckInput {
  doc: SourceDocument;
  /** undefined when the document's value is not an object */
  pool: PoolModel | undefined;
  /** Report syntax errors (the CLI does; the editor leaves them to the editor's own language support). */
  reportSyntaxErrors: boolean;
  /** The CMF the pool is checked for: what it runs (its release) and how messages name it. */
  cmf: CmfTarget;
}

type FixBuilder = (input: FixInput) => Fix[];

export interface Rule<C extends string = string> {
  readonly codes: { readonly [K in C]: RuleInfo };
  /**
   * Reports what the rule finds. A rule with a report per entry of something a file can make long (flinkConfiguration)
   * is a generator that yields now and then: the language server answers requests between the pieces.
   */
  check(input: CheckInput, r: Reporter<C>): void | Iterable<void>;
  readonly fixes?: { readonly [K in C]?: FixBuilder };
}

/** Declares a rule; the type parameter is the union of its codes. */
export function defineRule<C extends string>(rule: Rule<C>): Rule<C> {
  return rule;
}

const LSP_SEVERITY = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
} as const;

/** The LSP severity of a severity setting. */
export function lspSeverity(severity: Severity): DiagnosticSeverity {
  return LSP_SEVERITY[severity];
}

/** What the service produces: an LSP diagnostic whose code and message are always strings. */
export interface PoolDiagnostic extends Diagnostic {
  code: string;
  message: string;
  source: typeof SOURCE;
}

/** Where a value the file does not set, inherited from the environment's computePoolDefaults, is reported. */
interface InheritedSpan extends Span {
  /** The path of the inherited value; the span is the nearest key the file does have. */
  inheritedFrom: JsonPath;
}

/** How the effective pool (file + environment defaults) is told apart from the file. */
export interface EffectiveView {
  inherited(path: JsonPath): boolean;
  /** e.g. "environment 'development' (connection 'local')" */
  source?: string;
}

/** A report as it was made; made into a diagnostic only when asked for (an editor is sent 1,000 of a file's). */
interface Report {
  code: string;
  severity: DiagnosticSeverity;
  at: Span | Range;
  /** where it starts: the order of diagnostics */
  offset: number;
  message: string;
  data: Record<string, unknown> | undefined;
}

export class Reporter<C extends string = string> {
  private readonly reports: Report[] = [];
  constructor(
    readonly doc: SourceDocument,
    readonly settings: ResolvedSettings,
    private readonly info: (code: string) => RuleInfo | undefined,
    readonly effective?: EffectiveView,
  ) {}

  /**
   * Reports `code` on a span (or a range) unless the user turned it off; without one, on the document's
   * root value. `data` is what a quick fix needs.
   */
  report(code: C, at: Span | Range | undefined, message: string, data?: Record<string, unknown>): void {
    const severity = this.settings.severity(code);
    if (severity === 'off') return;
    if (at && 'inheritedFrom' in at) {
      if (this.info(code)?.perEntry) return;
      message += ` (The value comes from the computePoolDefaults of ${this.effective?.source ?? 'the selected environment'}; set it in this file to override it.)`;
      // Quick fixes edit the value at its path, which this file does not have: offer none.
      data = undefined;
    }
    const target = at ?? this.doc.valueSpan([]) ?? { offset: this.doc.span.offset, length: 0 };
    const offset = 'start' in target ? this.doc.file.offsetAt(target.start) : target.offset;
    this.reports.push({ code, severity: LSP_SEVERITY[severity], at: target, offset, message, data: data ? { code, ...data } : undefined });
  }

  /** Every diagnostic so far, in the order reported. */
  get diagnostics(): PoolDiagnostic[] {
    return this.reports.map((r) => this.diagnostic(r));
  }

  /**
   * The diagnostics in document order, and how many there are. With `max`, only the `max` that an editor showing no
   * more would show: the most severe first, each severity in document order.
   */
  result(max?: number): { diagnostics: PoolDiagnostic[]; total: number } {
    const total = this.reports.length;
    let reports = [...this.reports].sort((a, b) => a.offset - b.offset); // stable: reports at one place keep their order
    if (max !== undefined && total > max) {
      const kept = reports
        .map((r, i) => ({ r, i }))
        .sort((a, b) => a.r.severity - b.r.severity || a.i - b.i)
        .slice(0, max)
        .sort((a, b) => a.i - b.i);
      reports = kept.map((k) => k.r);
    }
    return { diagnostics: reports.map((r) => this.diagnostic(r)), total };
  }

  private diagnostic(r: Report): PoolDiagnostic {
    const range = 'start' in r.at ? r.at : spanRange(this.doc.file, r.at);
    const d: PoolDiagnostic = { range, severity: r.severity, code: r.code, source: SOURCE, message: r.message };
    if (r.data) d.data = r.data;
    return d;
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

// Helpers the fix builders share ---------------------------------------------------------------------------------

export function isPath(v: unknown): v is JsonPath {
  return Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string' || typeof s === 'number');
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

export function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && s.length > 0) : [];
}

/** Does the file (as it is now) have the property or element at `path`? */
export function exists(pool: PoolModel, path: JsonPath): boolean {
  const parent = valueAt(pool.file, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (typeof last === 'number') return Array.isArray(parent) && last < parent.length;
  return isObject(parent) && Object.prototype.hasOwnProperty.call(parent, last);
}

/** The fix that removes what is at `path`. */
export function removeFix(path: JsonPath, preferred = true): Fix {
  return { title: `Remove ${pathLabel(path)}`, build: (e) => e.remove(path), preferred };
}

/** A quick fix list for a diagnostic that points at `path`: remove it, when the file still has it. */
export function removeIfPresent({ pool, path }: FixInput): Fix[] {
  return path && exists(pool, path) ? [removeFix(path)] : [];
}

/**
 * Any JSON value as text, without String(): a value from the document or the client may be an object with an
 * own `toString` (JSON.parse) or no prototype at all (jsonc-parser), on which String() throws.
 */
export function plainText(v: unknown): string {
  if (typeof v === 'string') return v;
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return '';
  }
}
