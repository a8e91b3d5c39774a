/**
 * The messages between the VS Code client and the language server beyond LSP itself: one file, imported
 * by both sides, so a name or a shape cannot drift apart. Plain data only (no vscode, no connection);
 * the client imports it for its constants and types only, never the engine behind them.
 */
import type { FieldProblem, LintResult, NewPoolOptions, PoolDefaults } from '../../language-service/src/index';

export type { FieldProblem, PoolDefaults };

/**
 * Client -> server notification: the environment's `computePoolDefaults` that pool files will be deployed
 * under (the selected CMF connection and environment) and that CMF's own version (`cmfVersion`, when its
 * /system-information says it), or `null` when none is selected or known. The server then validates every pool
 * document as the *effective* pool CMF would deploy, for that CMF version (which wins over cmfPools.cmfVersion),
 * and completion proposes that version's images. It applies to the whole workspace: every pool file deploys to
 * the one selected environment.
 */
export const ENVIRONMENT_DEFAULTS_NOTIFICATION = 'cmfPools/environmentDefaults';

export interface EnvironmentDefaultsParams {
  defaults: PoolDefaults | null;
}

/**
 * Server -> client notification, after each validation of an open document: is it a compute pool? The
 * extension shows its pool-file buttons and CodeLens by this, never by a check of its own.
 */
export const POOL_DOCUMENT_NOTIFICATION = 'cmfPools/poolDocument';

export interface PoolDocumentParams {
  uri: string;
  isPool: boolean;
}

/**
 * Client -> server request: lint a pool file's text (open or not) as the CLI does, syntax errors included,
 * with the settings of its URI: is it a pool, its value and name, its diagnostics. With `defaults`, the
 * effective pool (the file over those computePoolDefaults) is linted. What Deploy, Compare, the CodeLens and
 * the editor title's buttons ask; the extension has no validator of its own.
 */
export const LINT_REQUEST = 'cmfPools/lint';

export interface LintParams {
  uri: string;
  languageId: string;
  text: string;
  defaults?: PoolDefaults | null;
}

export type LintResponse = LintResult;

/** Client -> server request: where CMF's rejection messages point in a pool file's text. */
export const LOCATE_FIELDS_REQUEST = 'cmfPools/locateFields';

export interface LocateFieldsParams {
  languageId: string;
  text: string;
  messages: string[];
  /** The line where the rejected pool's document starts (a YAML file may hold several). */
  line?: number;
}

export type LocateFieldsResponse = FieldProblem[];

/** Client -> server request: the text of a new, clean pool file ("CMF: New Compute Pool File"). */
export const NEW_POOL_REQUEST = 'cmfPools/newPool';

export type NewPoolParams = NewPoolOptions;

export interface NewPoolResponse {
  text: string;
}

/** Client -> server request: a pool as the text of a file in JSON or YAML (Open Pool as File, the review diff). */
export const POOL_TEXT_REQUEST = 'cmfPools/poolText';

export interface PoolTextParams {
  value: unknown;
  format: 'json' | 'yaml';
}

export interface PoolTextResponse {
  text: string;
}
