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
  check(input: CheckInput, r: Reporter<C>): void;
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

export class Reporter<C extends string = string> {
  readonly diagnostics: PoolDiagnostic[] = [];
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
    const range = 'start' in target ? target : spanRange(this.doc.file, target);
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
