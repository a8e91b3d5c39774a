/**
 * The messages between the VS Code client and the language server beyond LSP itself: one file, imported
 * by both sides, so a name or a shape cannot drift apart. Plain data only (no vscode, no connection).
 */
import type { PoolDefaults } from '../../language-service/src/pool';

export type { PoolDefaults };

/**
 * Client -> server notification: the environment's `computePoolDefaults` that pool files will be deployed
 * under (the selected CMF connection and environment), or `null` when none is selected or known. The
 * server then validates every pool document as the *effective* pool CMF would deploy. It applies to the
 * whole workspace: every pool file deploys to the one selected environment.
 */
export const ENVIRONMENT_DEFAULTS_NOTIFICATION = 'cmfPools/environmentDefaults';

export interface EnvironmentDefaultsParams {
  defaults: PoolDefaults | null;
}
