/**
 * Validation: which documents are compute pools, and their diagnostics. Every rule module runs over the pool's
 * model (rules/index.ts); the editor, the CLI and the lifecycle all come here through the facade.
 */
import { poolKindOf } from '../../cmf-model/src/facts';
import { cmfTarget } from './cmf-target';
import type { SourceDocument } from './document/model';
import { type PoolDefaults, readPool } from './pool';
import { RULES, ruleInfo } from './rules';
import { type PoolDiagnostic, type Rule, Reporter } from './rules/rule';
import { syntaxRule } from './rules/syntax';
import type { ResolvedSettings } from './settings';

export interface ValidateOptions {
  /** Report syntax errors (the CLI does; the editor leaves them to its own language support). */
  reportSyntaxErrors?: boolean;
  /** Only the syntax: for the documents of a file that are not pools. */
  syntaxOnly?: boolean;
  /**
   * The environment's computePoolDefaults: validate the *effective* pool (the defaults' clusterSpec under
   * the file's), as CMF will deploy it. Schema checks still see the file alone, since that is the body CMF receives.
   */
  defaults?: PoolDefaults;
}

/**
 * Is this document a compute pool: its kind says so (CMF's ComputePool, or CFK's FlinkComputePool with a
 * platform.confluent.io apiVersion), or its file matches cmfPools.files and it names no other kind.
 */
export function isPoolDocument(doc: SourceDocument, path: string | undefined, settings: ResolvedSettings): boolean {
  if (poolKindOf(doc.value)) return true;
  if (path === undefined || !settings.matchesFiles(path)) return false;
  const kind = (doc.value as { kind?: unknown } | null | undefined)?.kind;
  return typeof kind !== 'string' || kind === '';
}

/** Diagnostics for a document known to be a pool, in document order. */
export function validateDocument(doc: SourceDocument, settings: ResolvedSettings, options: ValidateOptions = {}): PoolDiagnostic[] {
  return finish(validationSteps(doc, settings, options)).diagnostics;
}

/**
 * validateDocument in pieces: the generator yields between rules and within long ones (every few hundred
 * flinkConfiguration entries), and returns the diagnostics and how many there are: with `maxProblems`, only the ones
 * an editor showing that many would show (the most severe first). The language server runs it a few milliseconds at a
 * time, answering requests in between, and drops it when the document changes.
 */
export function* validationSteps(
  doc: SourceDocument,
  settings: ResolvedSettings,
  options: ValidateOptions & { maxProblems?: number } = {},
): Generator<void, { diagnostics: PoolDiagnostic[]; total: number }> {
  const pool = readPool(doc, options.defaults);
  const effective = options.defaults && pool ? { inherited: pool.inherited, source: options.defaults.source } : undefined;
  const r = new Reporter(doc, settings, ruleInfo, effective);
  const input = { doc, pool, reportSyntaxErrors: options.reportSyntaxErrors ?? false, cmf: cmfTarget(settings, options.defaults?.cmfVersion) };
  syntaxRule.check(input, r);
  if (doc.tooDeepAt !== undefined || doc.value === undefined || options.syntaxOnly) return r.result(options.maxProblems);
  for (const rule of RULES as readonly Rule[]) {
    if (rule === syntaxRule) continue;
    yield;
    const steps = rule.check(input, r);
    if (steps) yield* steps;
  }
  yield;
  // In document order, as a reader meets them.
  return r.result(options.maxProblems);
}

/** Runs steps to their end: what they return. */
export function finish<T>(steps: Iterator<unknown, T>): T {
  for (;;) {
    const s = steps.next();
    if (s.done) return s.value;
  }
}
