/**
 * The pool language service: text in, LSP diagnostics out. No vscode import, no I/O. The language
 * server and `cmf-pools lint` both call it, so the editor and CI cannot disagree.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import { type ParsedDocument, isObject, parseDocument, rangeAt, syntaxErrorMessage, MAX_DEPTH } from './document';
import { KIND } from '../../cmf-model/src/facts';
import { readPool, type PoolDefaults } from './pool';
import { Reporter, type PoolDiagnostic } from './rules/context';
import { managedFields } from './rules/managed';
import { reservedVolumes } from './rules/volumes';
import { imageRules } from './rules/image';
import { poolTypeRules } from './rules/pool-type';
import { resourceRules } from './rules/resources';
import { nameRules } from './rules/name';
import { flinkConfigRules } from './rules/flink-config';
import { schemaRules } from './schema';
import { ResolvedSettings, DEFAULT_SETTINGS } from './settings';

export type { PoolDiagnostic, PoolDefaults };

export interface ValidateOptions {
  /** Report syntax errors as `invalid-json` (the CLI does; the editor leaves them to VS Code's JSON support). */
  reportSyntaxErrors?: boolean;
  /**
   * The environment's computePoolDefaults: validate the *effective* pool (the defaults' clusterSpec under
   * the file's), as CMF will deploy it. Schema checks still see the file alone, since that is the body CMF receives.
   */
  defaults?: PoolDefaults;
}

const RULE_FAMILIES = [managedFields, reservedVolumes, imageRules, poolTypeRules, resourceRules, nameRules, flinkConfigRules];

/** Is this document a compute pool: top-level kind ComputePool, or a path matching cmfPools.files? */
export function isPoolDocument(parsed: ParsedDocument, path: string | undefined, settings: ResolvedSettings): boolean {
  if (path !== undefined && settings.matchesFiles(path)) return true;
  return isObject(parsed.value) && parsed.value.kind === KIND;
}

/** Diagnostics for a parsed document known to be a pool. */
export function validateParsed(parsed: ParsedDocument, settings: ResolvedSettings, options: ValidateOptions = {}): PoolDiagnostic[] {
  const pool = readPool(parsed, options.defaults);
  const r = new Reporter(parsed, settings, options.defaults && pool ? { inherited: pool.inherited, source: options.defaults.source } : undefined);
  const doc = parsed.text;
  if (parsed.tooDeepAt !== undefined) {
    r.report(
      'too-deep',
      rangeAt(doc, parsed.tooDeepAt, 1),
      `The document nests more than ${MAX_DEPTH} levels deep here; no compute pool does, so it is not validated further.`,
    );
    return r.diagnostics;
  }
  if (options.reportSyntaxErrors) {
    for (const e of parsed.syntaxErrors) r.report('invalid-json', rangeAt(doc, e.offset, e.length), syntaxErrorMessage(e));
  }
  if (parsed.value === undefined) return r.diagnostics;
  schemaRules(parsed.value, r);
  if (pool) for (const family of RULE_FAMILIES) family(pool, r);
  // In document order, as a reader meets them.
  return r.diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/** Everything in one call: is it a pool, and if so its diagnostics; [] for any other document. */
export function validateText(
  text: string,
  options: ValidateOptions & { uri?: string; path?: string; settings?: ResolvedSettings } = {},
): PoolDiagnostic[] {
  const settings = options.settings ?? new ResolvedSettings(DEFAULT_SETTINGS);
  const parsed = parseDocument(TextDocument.create(options.uri ?? 'untitled:pool.json', 'json', 0, text));
  if (!isPoolDocument(parsed, options.path, settings)) return [];
  return validateParsed(parsed, settings, options);
}
