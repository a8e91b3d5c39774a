/**
 * The compute-pool language service: the one engine behind the language server, the `cmf-pools` CLI and the
 * pool lifecycle. This facade is all that any other part may import (an ESLint rule enforces it); what is
 * behind it (document front ends, rule modules, the Flink option data) can change without touching them.
 *
 * A file is parsed once per version (`parse`) and every feature takes the parsed file, as
 * vscode-json-languageservice does. No vscode import and no I/O but the engine's own data files.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import { stringify as stringifyYaml } from 'yaml';
import type { CodeAction, CompletionItem, CompletionList, Diagnostic, DocumentSymbol, Hover, Position, Range } from 'vscode-languageserver-types';
import { isObject } from '../../cmf-model/src/json';
import { codeActions as fixes } from './code-actions';
import { type CompleteOptions, complete as completeAt, resolveCompletion as resolve } from './complete';
import { type PoolFile, documentAt, parseFile } from './document/file';
import { type JsonPath, type SourceDocument, spanRange } from './document/model';
import { hover as hoverAt, type HoverOptions } from './hover';
import { type NewPoolOptions, newPoolText as newPool } from './new-pool';
import type { PoolDefaults } from './pool';
import { CATALOGUE, type RuleCode } from './rules';
import { EDITOR_PROBLEM_LIMIT, MAX_TEXT_LENGTH } from './rules/limits';
import { CMF_COMPUTE_POOLS_DOCS, type PoolDiagnostic, type Severity, SOURCE, lspSeverity } from './rules/rule';
import { schemaKeywords } from './rules/schema';
import { flinkConfigDocsUrl } from './flink/docs';
import { FLINK_DATA_VERSIONS } from './flink/options';
import { type PoolKind, poolKindOf } from '../../cmf-model/src/facts';
import { DEFAULT_SETTINGS, ResolvedSettings } from './settings';
import { documentSymbols } from './symbols';
import { type ValidateOptions, finish, isPoolDocument, validateDocument, validationSteps } from './validate';

export type { PoolFile, PoolDiagnostic, PoolDefaults, CompleteOptions, HoverOptions, NewPoolOptions, SourceDocument };
export type { RuleCode } from './rules';
export { ResolvedSettings, DEFAULT_SETTINGS, EDITOR_PROBLEM_LIMIT, MAX_TEXT_LENGTH };
export { normalizeSettings, type PoolSettings } from './settings';
export { carryDiagnostics } from './carry';

/**
 * Parses a file once: every feature below takes the result. JSON and JSONC by the document's language. A text longer
 * than MAX_TEXT_LENGTH for its format is not parsed (`tooLarge`): validation says so, and the other features decline.
 * `previous` is the parse of an earlier version of the same file (the same URI), when there is one: a keystroke in a
 * YAML value is then read without parsing the whole file again, with the same result. It is consumed: do not use it
 * (or anything of it) afterwards.
 */
export function parse(text: TextDocument, previous?: PoolFile): PoolFile {
  const length = text.getText().length;
  const limit = text.languageId === 'yaml' ? MAX_TEXT_LENGTH.yaml : MAX_TEXT_LENGTH.json;
  if (length > limit) return { text, documents: [], tooLarge: { length, limit } };
  return parseFile(text, previous?.tooLarge ? undefined : previous);
}

/** The documents of a file that are compute pools: kind ComputePool, or every document of a file matching cmfPools.files. */
function pools(file: PoolFile, settings: ResolvedSettings, path: string | undefined): SourceDocument[] {
  return file.documents.filter((d) => isPoolDocument(d, path, settings));
}

/**
 * Is the file (one of its documents) a compute pool? `path` is matched against cmfPools.files. A file too long to read
 * is one when its path matches, or when its text names a pool kind at its top level (a scan, not a parse).
 */
export function isPool(file: PoolFile, settings: ResolvedSettings, path?: string): boolean {
  if (file.tooLarge) return (path !== undefined && settings.matchesFiles(path)) || namesPoolKind(file.text.getText(), file.text.languageId === 'yaml');
  return pools(file, settings, path).length > 0;
}

/** Does the text say `kind: ComputePool` (or FlinkComputePool) at its top level? JSON: in its root object; YAML: at column 0. */
function namesPoolKind(text: string, yaml: boolean): boolean {
  if (yaml) return /^kind[ \t]*:[ \t]*(["']?)(?:Flink)?ComputePool\1[ \t]*(?:#.*)?$/m.test(text);
  const kind = /"kind"\s*:\s*"(?:Flink)?ComputePool"/g;
  // The depth at each match, scanning from where the last scan stopped: usually a few bytes, as `kind` comes first.
  let depth = 0;
  let inString = false;
  let i = 0;
  for (let m = kind.exec(text); m; m = kind.exec(text)) {
    for (; i < m.index; i++) {
      const c = text.charCodeAt(i);
      if (inString) {
        if (c === 92 /* \ */) i++;
        else if (c === 34 /* " */) inString = false;
      } else if (c === 34) inString = true;
      else if (c === 123 /* { */ || c === 91 /* [ */) depth++;
      else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
    }
    if (!inString && depth === 1) return true;
  }
  return false;
}

export type ValidateFileOptions = ValidateOptions & {
  path?: string;
  /** YAML's syntax errors, where no YAML extension reports them */
  reportYamlSyntaxErrors?: boolean;
  /**
   * At most this many diagnostics, the most severe first, the last of them saying how many more there are
   * (too-many-problems): what an editor that shows no more per file (EDITOR_PROBLEM_LIMIT) needs to be sent.
   */
  maxProblems?: number;
};

/** The diagnostics of every pool in the file, in document order; [] for a file that holds none. */
export function validate(file: PoolFile, settings: ResolvedSettings, options: ValidateFileOptions = {}): PoolDiagnostic[] {
  return finish(validateInSteps(file, settings, options));
}

/**
 * `validate` in pieces, for a caller that must keep answering meanwhile (the language server): each `next()` does a
 * few milliseconds of the work, the last returns the diagnostics. A caller may drop it at any step.
 */
export function* validateInSteps(file: PoolFile, settings: ResolvedSettings, options: ValidateFileOptions = {}): Generator<void, PoolDiagnostic[]> {
  if (file.tooLarge) return isPool(file, settings, options.path) ? tooLargeDiagnostics(file, settings) : [];
  let out: PoolDiagnostic[] = [];
  let total = 0;
  for (const d of pools(file, settings, options.path)) {
    const reportSyntaxErrors = options.reportSyntaxErrors || (d.format === 'yaml' && options.reportYamlSyntaxErrors);
    // With maxProblems, each document gives at most that many (the ones the file's limit could keep), and its total.
    const found = yield* validationSteps(d, settings, { ...options, reportSyntaxErrors });
    out = out.concat(found.diagnostics);
    total += found.total;
  }
  return options.maxProblems !== undefined && total > options.maxProblems ? withinLimit(file, out, total, options.maxProblems, settings) : out;
}

/** The file's name for messages: the last segment of its path or URI. */
function fileName(file: PoolFile): string {
  const uri = file.text.uri;
  const last = uri.slice(uri.lastIndexOf('/') + 1) || uri;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

const megabytes = (characters: number) => `${(characters / 1e6).toFixed(1)} MB`;

/** too-large, on the file's first line: the one diagnostic of a file too long to read (none when turned off). */
function tooLargeDiagnostics(file: PoolFile, settings: ResolvedSettings): PoolDiagnostic[] {
  const severity = settings.severity('too-large');
  if (severity === 'off' || !file.tooLarge) return [];
  const { length, limit } = file.tooLarge;
  const format = file.text.languageId === 'yaml' ? 'YAML' : 'JSON';
  const firstLine = file.text.getText().search(/\r|\n/);
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: Math.min(firstLine < 0 ? length : firstLine, 80) } };
  const message =
    `${fileName(file)} is ${megabytes(length)} of ${format}: cmf-pools reads pool files of up to ${megabytes(limit)} of ${format} (a compute pool is a ` +
    'few KB), so this one is not validated, and the editor offers no completion, hover or quick fix in it.';
  return [{ range, severity: lspSeverity(severity), code: 'too-large', source: SOURCE, message }];
}

/**
 * The `max` diagnostics an editor shows of a file's `total` (the errors first, then warnings, info and hints, each in
 * document order, as VS Code picks them; `found` holds them, and may hold more), in document order; one place goes to
 * too-many-problems, on the first line, saying how many more there are.
 */
function withinLimit(file: PoolFile, found: PoolDiagnostic[], total: number, max: number, settings: ResolvedSettings): PoolDiagnostic[] {
  const severity = settings.severity('too-many-problems');
  const room = severity === 'off' ? max : max - 1;
  const kept = found
    .map((d, i) => ({ d, i, rank: d.severity ?? 1 }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .slice(0, room)
    .sort((a, b) => a.i - b.i)
    .map((k) => k.d);
  if (severity === 'off') return kept;
  const count = (n: number) => n.toLocaleString('en');
  const message =
    `${fileName(file)} has ${count(total)} problems. The editor shows ${count(max)} per file, so it is given the ${count(room)} most severe, ` +
    `and ${count(total - room)} are not listed here; \`cmf-pools lint\` lists them all.`;
  const summary: PoolDiagnostic = { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: lspSeverity(severity), code: 'too-many-problems', source: SOURCE, message };
  return [summary, ...kept];
}

/** Which pools a file's features work in: its settings (cmfPools.files) and its path. */
export interface PoolScope {
  settings?: ResolvedSettings;
  /** matched against cmfPools.files (default: the file's URI) */
  path?: string;
}

/**
 * The pool document under `offset`. In a file of several documents only pools count (completion and hover say
 * nothing in a FlinkEnvironment beside a FlinkComputePool); a file of one is the caller's to judge (`isPool`).
 */
function poolDocumentAt(file: PoolFile, offset: number, scope: PoolScope = {}): SourceDocument | undefined {
  const doc = documentAt(file, offset);
  if (!doc || file.documents.length === 1) return doc;
  return isPoolDocument(doc, scope.path ?? file.text.uri, scope.settings ?? new ResolvedSettings(DEFAULT_SETTINGS)) ? doc : undefined;
}

export function complete(file: PoolFile, position: Position, options?: CompleteOptions & PoolScope): CompletionList {
  const doc = poolDocumentAt(file, file.text.offsetAt(position), options);
  return doc ? completeAt(doc, position, options) : { isIncomplete: false, items: [] };
}

/** Adds what completion left out for speed: a Flink option's full documentation. */
export function resolveCompletion(item: CompletionItem): CompletionItem {
  return resolve(item);
}

export function hover(file: PoolFile, position: Position, options?: HoverOptions & PoolScope): Hover | null {
  const doc = poolDocumentAt(file, file.text.offsetAt(position), options);
  return doc ? hoverAt(doc, position, options) : null;
}

/** Quick fixes for the diagnostics the client sent (each goes to the document it lies in). */
export function codeActions(file: PoolFile, diagnostics: readonly Diagnostic[]): CodeAction[] {
  if (file.documents.length === 1) return fixes(file.documents[0]!, diagnostics);
  return file.documents.flatMap((doc) => fixes(doc, diagnostics.filter((d) => documentAt(file, file.text.offsetAt(d.range.start)) === doc)));
}

/** The outline: one symbol per pool document (a file of one document is the caller's to judge, as for completion). */
export function symbols(file: PoolFile, scope: PoolScope = {}): DocumentSymbol[] {
  const docs = file.documents.length === 1 ? file.documents : pools(file, scope.settings ?? new ResolvedSettings(DEFAULT_SETTINGS), scope.path ?? file.text.uri);
  return docs.flatMap((d) => documentSymbols(d));
}

/** The catalogue of rule codes, for `--help`, the README and hover: code, default severity and summary. */
export function catalogue(): { code: RuleCode; severity: Severity; summary: string }[] {
  return [...CATALOGUE].map(([code, info]) => ({ code, severity: info.severity, summary: info.summary }));
}

/** One code the engine can report, as a list of rules names it (SARIF's `tool.driver.rules`). */
export interface RuleListing {
  code: string;
  severity: Severity;
  summary: string;
  /** Where hover sends the reader: CMF's compute-pool page, or Flink's configuration reference (the newest version). */
  docsUrl: string;
}

/** What a failing JSON Schema keyword means, for the codes `schema/<keyword>` stands for. */
const SCHEMA_KEYWORD_MEANING: Record<string, string> = {
  required: 'a required property is missing',
  type: 'a value has the wrong type',
  enum: 'a value is not one of those allowed',
  const: 'a value is not the one allowed',
  pattern: 'a string does not have the form required',
  format: 'a string does not have the format required',
  minimum: 'a number is too small',
  maximum: 'a number is too large',
  exclusiveMinimum: 'a number is too small',
  exclusiveMaximum: 'a number is too large',
  minLength: 'a string is too short',
  maxLength: 'a string is too long',
  minItems: 'a list has too few items',
  maxItems: 'a list has too many items',
  uniqueItems: 'a list repeats an item',
  minProperties: 'an object has too few properties',
  maxProperties: 'an object has too many properties',
  oneOf: 'a value matches none (or more than one) of the shapes allowed',
  anyOf: 'a value matches none of the shapes allowed',
  not: 'a value has a shape that is not allowed',
  multipleOf: 'a number is not a multiple of the step required',
};

/**
 * Every code the engine can report, each with its default severity, summary and documentation link: the catalogue,
 * with `schema/<keyword>` expanded to one code per JSON Schema keyword the pool schemas validate with (this reads
 * the schemas). For tools that list rules by the ids their results carry.
 */
export function ruleListing(): RuleListing[] {
  const flinkDocs = flinkConfigDocsUrl(FLINK_DATA_VERSIONS[FLINK_DATA_VERSIONS.length - 1]!);
  return [...CATALOGUE].flatMap(([code, info]): RuleListing[] => {
    const docsUrl = info.docs === 'flink' ? flinkDocs : CMF_COMPUTE_POOLS_DOCS;
    if (code !== 'schema/<keyword>') return [{ code, severity: info.severity, summary: info.summary, docsUrl }];
    return schemaKeywords()
      .filter((k) => !CATALOGUE.has(`schema/${k}` as RuleCode))
      .map((k) => ({
        code: `schema/${k}`,
        severity: info.severity,
        summary: `The pool breaks the compute-pool schema's "${k}" keyword${SCHEMA_KEYWORD_MEANING[k] ? `: ${SCHEMA_KEYWORD_MEANING[k]}` : ''}.`,
        docsUrl,
      }));
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Files as the CLI and the lifecycle see them

export interface LintOptions {
  /** Where the text comes from (a path or a URI): cmfPools.files is matched against it, and its extension gives the language. */
  path?: string;
  /** The language of the text (json, jsonc, yaml); from the path's extension when absent (JSON when it has none). */
  languageId?: string;
  settings?: ResolvedSettings;
  /** The environment's computePoolDefaults: the effective pool is validated. */
  defaults?: PoolDefaults;
}

/** One compute pool of a linted file. */
interface LintedPool {
  /** CMF's ComputePool or CFK's FlinkComputePool; undefined when the document names no pool kind. */
  kind: PoolKind | undefined;
  /** The pool's value, when it is an object. */
  value: Record<string, unknown> | undefined;
  /** `metadata.name`, when it is a non-empty string. */
  name: string | undefined;
  /** Every diagnostic of the pool, in document order (syntax errors included). */
  diagnostics: PoolDiagnostic[];
  /** The error-severity diagnostics: any of them refuses the pool. */
  errors: PoolDiagnostic[];
  /** Where its document starts (0-based line; a CodeLens goes there). */
  line: number;
}

export interface LintResult {
  /** Does the file hold a compute pool (a document's kind, or cmfPools.files)? */
  isPool: boolean;
  /** Every pool of the file, in order. A file that holds none but is a single document is read as one pool. */
  pools: LintedPool[];
  /** The first of them: what a command that applies one pool per file works on. */
  pool: LintedPool;
  /** Every diagnostic of the file, in order: its pools', and the syntax errors of its other documents. */
  diagnostics: PoolDiagnostic[];
  /** The file's language: how a pool of it is written back (a diff's sides, a plan's diff). */
  language: 'json' | 'yaml';
}

const ERROR = 1;

function uriFor(path: string | undefined): string {
  if (!path) return 'untitled:pool.json';
  return /^[a-z][a-z0-9+.-]*:/i.test(path) && !/^[a-z]:[\\/]/i.test(path) ? path : `file://${path}`;
}

/** The language of a file by its name (.yaml, .yml, .json), or else by its text: JSON starts with `{` or `[`. */
function languageOf(path: string | undefined, text: string): 'json' | 'yaml' {
  if (path && /\.ya?ml$/i.test(path)) return 'yaml';
  if (path && /\.jsonc?$/i.test(path)) return 'json';
  const first = /\S/.exec(text)?.[0];
  return first === undefined || first === '{' || first === '[' ? 'json' : 'yaml';
}

function lintedPool(doc: SourceDocument, diagnostics: PoolDiagnostic[]): LintedPool {
  const value = isObject(doc.value) ? doc.value : undefined;
  const meta = value?.metadata;
  const name = isObject(meta) && typeof meta.name === 'string' && meta.name !== '' ? meta.name : undefined;
  const errors = diagnostics.filter((d) => (d.severity ?? ERROR) === ERROR);
  if (!value && errors.length === 0) {
    // An empty document or a non-object: nothing to apply, whatever the rules said.
    const d: PoolDiagnostic = {
      range: spanRange(doc.file, { offset: doc.span.offset, length: 0 }),
      severity: ERROR,
      code: doc.format === 'yaml' ? 'invalid-yaml' : 'invalid-json',
      message: `The ${doc.format === 'yaml' ? 'document is not a YAML mapping' : 'file is not a JSON object'}: a compute pool is one ComputePool object.`,
      source: SOURCE,
    };
    diagnostics.unshift(d);
    errors.push(d);
  }
  return { kind: poolKindOf(value), value, name, diagnostics, errors, line: doc.file.positionAt(doc.valueSpan([])?.offset ?? doc.span.offset).line };
}

/**
 * Lints a file's text, syntax errors included: the one parse-then-validate path of the CLI and the lifecycle's
 * callers (the language server takes the same steps on its open documents, and answers the extension with this).
 */
export function lint(text: string, options: LintOptions = {}): LintResult {
  const settings = options.settings ?? new ResolvedSettings(DEFAULT_SETTINGS);
  const file = parse(TextDocument.create(uriFor(options.path), options.languageId ?? languageOf(options.path, text), 0, text));
  if (file.tooLarge) {
    // Not read: too-large (an error unless turned off) is all there is to say, pool or not.
    const diagnostics = tooLargeDiagnostics(file, settings);
    const pool: LintedPool = { kind: undefined, value: undefined, name: undefined, diagnostics, errors: diagnostics.filter((d) => d.severity === ERROR), line: 0 };
    return { isPool: isPool(file, settings, options.path), pools: [pool], pool, diagnostics, language: file.text.languageId === 'yaml' ? 'yaml' : 'json' };
  }
  const found = pools(file, settings, options.path);
  const docs = found.length || file.documents.length !== 1 ? found : file.documents;
  const linted = docs.map((d) => lintedPool(d, validateDocument(d, settings, { reportSyntaxErrors: true, defaults: options.defaults })));
  const diagnostics: PoolDiagnostic[] = [];
  for (const doc of file.documents) {
    const i = docs.indexOf(doc);
    if (i >= 0) diagnostics.push(...linted[i]!.diagnostics);
    else diagnostics.push(...validateDocument(doc, settings, { reportSyntaxErrors: true, syntaxOnly: true }));
  }
  const pool = linted[0] ?? { kind: undefined, value: undefined, name: undefined, diagnostics: [], errors: [], line: 0 };
  return { isPool: found.length > 0, pools: linted, pool, diagnostics, language: file.text.languageId === 'yaml' ? 'yaml' : 'json' };
}

/** A problem CMF reported about a field, placed on that field in the file. */
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
function resolvePath(value: unknown, dotted: string): JsonPath {
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

/**
 * Where CMF's rejection messages point in a pool file: for each message that names a field the file has (or
 * whose parent it has), that field's range ("spec.clusterSpec.serviceAccount must not be set").
 */
export function locateFields(text: string, messages: readonly string[], options: { languageId?: string; /** where the rejected pool's document starts */ line?: number } = {}): FieldProblem[] {
  const file = parse(TextDocument.create('untitled:pool.json', options.languageId ?? 'json', 0, text));
  // The pool CMF rejected: the document starting at `line`, or else the file's first that names a pool kind (a
  // YAML file may hold other documents too).
  const doc =
    (options.line !== undefined ? documentAt(file, file.text.offsetAt({ line: options.line, character: 0 })) : undefined) ??
    file.documents.find((d) => poolKindOf(d.value)) ??
    file.documents[0];
  if (!doc || !isObject(doc.value)) return [];
  const out: FieldProblem[] = [];
  for (const message of messages) {
    let best: JsonPath | undefined;
    for (const m of message.matchAll(FIELD)) {
      const path = resolvePath(doc.value, m[1]!);
      if (path.length && (!best || path.length > best.length)) best = path;
    }
    if (!best) continue;
    const span = doc.keySpan(best) ?? doc.valueSpan(best);
    if (span) out.push({ path: best, range: spanRange(file.text, span), message });
  }
  return out;
}

/** The text of a new, clean pool file ("CMF: New Compute Pool File"). */
export function newPoolText(options: NewPoolOptions, indent?: number | string): string {
  return newPool(options, indent);
}

/** A pool (or any value) as the text of a file: JSON with two-space indentation, or YAML in block style. */
export function poolText(value: unknown, format: 'json' | 'yaml'): string {
  return format === 'yaml' ? stringifyYaml(value, { lineWidth: 0 }) : JSON.stringify(value, null, 2) + '\n';
}
