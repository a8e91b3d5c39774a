/**
 * too-many-problems: where the engine stops, said in the file rather than in silence. The facade (index.ts) reports
 * it, as it sees the whole file: what the editor gets of a file's problems is cut after validation. This module holds
 * the limit and the catalogue entry.
 */
import { defineRule } from './rule';

/**
 * The problems the editor gets per file: VS Code shows no more than 1,000 per file (the most severe first) and drops
 * the rest, so the language server sends the ones it would show and says how many more there are.
 */
export const EDITOR_PROBLEM_LIMIT = 1000;

export const limitsRule = defineRule<'too-many-problems'>({
  codes: {
    'too-many-problems': {
      severity: 'info',
      summary: `The file has more problems than the editor shows (${EDITOR_PROBLEM_LIMIT.toLocaleString('en')} per file, the most severe first); cmf-pools lint lists them all.`,
      docs: 'cmf',
    },
  },
  // Reported by the facade, which sees the whole file (see above).
  check() {},
});
