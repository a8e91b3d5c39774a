/** invalid-json, invalid-yaml and too-deep: what the front end could not read. */
import { MAX_DEPTH } from '../document/model';
import { defineRule } from './rule';

export const syntaxRule = defineRule<'invalid-json' | 'invalid-yaml' | 'too-deep'>({
  codes: {
    'invalid-json': {
      severity: 'error',
      summary: 'The text is not JSON (reported by the CLI; the editor leaves syntax errors to VS Code).',
      docs: 'cmf',
    },
    'invalid-yaml': {
      severity: 'error',
      summary: 'The text is not YAML (reported by the CLI; the editor reports it only where no YAML extension does).',
      docs: 'cmf',
    },
    'too-deep': {
      severity: 'error',
      summary: 'The document nests deeper than any compute pool can; it is not validated further.',
      docs: 'cmf',
    },
  },
  check({ doc, reportSyntaxErrors }, r) {
    if (doc.tooDeepAt !== undefined) {
      r.report(
        'too-deep',
        { offset: doc.tooDeepAt, length: 1 },
        `The document nests more than ${MAX_DEPTH} levels deep here; no compute pool does, so it is not validated further.`,
      );
      return;
    }
    if (reportSyntaxErrors) for (const e of doc.syntaxErrors) r.report(doc.format === 'yaml' ? 'invalid-yaml' : 'invalid-json', e, e.message);
  },
});
