/**
 * The language service in process, over any document: it never throws, every range lies inside the
 * document, and — for text JSON.parse accepts — the tree-free locator puts every diagnostic exactly where
 * jsonc-parser's syntax tree does (the same text with a trailing comment takes the tree path).
 */
import fc from 'fast-check';
import { validateText } from '../engine';
import { document } from './arbitraries';
import { hostileDocuments } from './corpus';
import { checkDiagnostics, describeDifference, fail, lineLengths, sameDiagnostics } from './invariants';

const POOL_PATH = '/fuzz/service.pool.json';

function validJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Checks one document; returns the number of diagnostics. Throws FuzzFailure (or what the service threw). */
export function checkServiceOn(text: string): number {
  const lines = lineLengths(text);
  const withErrors = validateText(text, { path: POOL_PATH, reportSyntaxErrors: true });
  checkDiagnostics(withErrors, lines, 'service');
  const editor = validateText(text, { path: POOL_PATH });
  checkDiagnostics(editor, lines, 'service (editor)');
  if (validJson(text) && text.length < 1_000_000) {
    // Same offsets, but not JSON.parse-able: located through jsonc-parser's tree instead of the locator.
    const viaTree = validateText(`${text}\n// end`, { path: POOL_PATH });
    if (!sameDiagnostics(editor, viaTree)) fail(`locator and syntax tree disagree: ${describeDifference(editor, viaTree)}`);
  }
  return withErrors.length;
}

export interface ServiceFuzzResult {
  documents: number;
  diagnostics: number;
  ms: number;
}

/**
 * Runs the named hostile documents (when `hostile`) and then `runs` random documents through the service;
 * fast-check shrinks a failing one and reports it with its seed and path.
 */
export function fuzzService(opts: { seed: number; runs: number; hostile?: boolean }): ServiceFuzzResult {
  const started = Date.now();
  let documents = 0;
  let diagnostics = 0;
  if (opts.hostile) {
    for (const [name, text] of Object.entries(hostileDocuments())) {
      try {
        diagnostics += checkServiceOn(text);
      } catch (e) {
        fail(`${name}: ${(e as Error).stack ?? String(e)}`);
      }
      documents++;
    }
  }
  fc.assert(
    fc.property(document(), (text) => {
      documents++;
      diagnostics += checkServiceOn(text);
    }),
    { seed: opts.seed, numRuns: opts.runs, endOnFailure: false },
  );
  return { documents, diagnostics, ms: Date.now() - started };
}
