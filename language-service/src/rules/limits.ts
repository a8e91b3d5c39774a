/**
 * too-large and too-many-problems: where the engine stops, said in the file rather than in silence. The facade
 * (index.ts) reports both, as it sees the whole file: a text longer than any pool is never parsed, and what the
 * editor gets of a file's problems is cut after validation. This module holds the limits and the catalogue entries.
 */
import { defineRule } from './rule';

/**
 * The longest text the engine reads, in characters, per format: far beyond any compute pool (a few KB; the pod
 * templates of a big one make 300 KB), and short enough that a keystroke's parse and validation in the language server
 * stay under about half a second and its memory at a few hundred MB (bench/big-documents.ts). A 50 MB JSON pool took
 * 2.7 s to validate and 2.4 s to hover after a keystroke. YAML's parser takes 30 to 60 times as long as JSON.parse per
 * MB and far more memory (a 1 MB YAML pool: 0.5 to 1.5 s a keystroke, 200 MiB), hence its lower limit.
 */
export const MAX_TEXT_LENGTH = { json: 8_000_000, yaml: 1_000_000 } as const;

/**
 * The problems the editor gets per file: VS Code shows no more than 1,000 per file (the most severe first) and drops
 * the rest, so the language server sends the ones it would show and says how many more there are.
 */
export const EDITOR_PROBLEM_LIMIT = 1000;

export const limitsRule = defineRule<'too-large' | 'too-many-problems'>({
  codes: {
    'too-large': {
      severity: 'error',
      summary: `The file is longer than any compute pool (over ${MAX_TEXT_LENGTH.json / 1e6} MB of JSON or ${MAX_TEXT_LENGTH.yaml / 1e6} MB of YAML); it is not read, and the editor offers no completion, hover or quick fix in it.`,
      docs: 'cmf',
    },
    'too-many-problems': {
      severity: 'info',
      summary: `The file has more problems than the editor shows (${EDITOR_PROBLEM_LIMIT.toLocaleString('en')} per file, the most severe first); cmf-pools lint lists them all.`,
      docs: 'cmf',
    },
  },
  // Reported by the facade, which sees the whole file (see above).
  check() {},
});
