/**
 * What the extension asks the language server about pool files (server/src/protocol.ts): the extension has
 * no validator of its own, so Deploy, Compare, the CodeLens and the editor title's buttons refuse and accept
 * exactly what the problems view shows. No vscode import: commands are tested with an implementation that
 * answers the way the server does.
 */
import type { FieldProblem, LintResponse, NewPoolParams, PoolDefaults } from '../../../server/src/protocol';

export type { FieldProblem, LintResponse, PoolDefaults };

/** A pool file's text as the editor has it, saved or not. */
export interface PoolFileInput {
  /** File system path, or the URI for a document that is not a file (untitled). */
  path: string;
  /** The document's URI: its settings scope, and what cmfPools.files is matched against. */
  uri: string;
  /** The document's language (json, jsonc). */
  languageId: string;
  text: string;
}

export interface PoolLanguage {
  /** Lints the file as `cmf-pools lint` does (syntax errors included); with `defaults`, the effective pool. */
  lint(file: PoolFileInput, defaults?: PoolDefaults | null): Promise<LintResponse>;
  /** Where CMF's rejection messages point in the file. */
  /** Where CMF's messages point in the pool whose document starts at `line` (the file's first pool by default). */
  locateFields(file: PoolFileInput, messages: string[], line?: number): Promise<FieldProblem[]>;
  /** The text of a new, clean pool file. */
  newPool(options: NewPoolParams): Promise<string>;
  /** A pool as the text of a file in JSON or YAML. */
  poolText(value: unknown, format: 'json' | 'yaml'): Promise<string>;
}
