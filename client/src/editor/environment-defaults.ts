/**
 * The selected environment's computePoolDefaults, for the language server's effective-pool validation
 * (the `cmfPools/environmentDefaults` notification, server/src/protocol.ts). No vscode import.
 */
import { isObject } from '../../../cmf-model/src/json';
import type { PoolDefaults } from '../../../server/src/protocol';
import type { ConnectionRegistry, Logger } from '../connections/registry';

/** null when nothing is selected, the environment has no clusterSpec defaults, or it cannot be read. */
export async function selectedEnvironmentDefaults(registry: ConnectionRegistry, log?: Logger): Promise<PoolDefaults | null> {
  const sel = registry.selection();
  if (!sel?.environment) return null;
  try {
    const env = await (await registry.client(sel.connection)).getEnvironment(sel.environment);
    const clusterSpec = env.computePoolDefaults?.clusterSpec;
    return isObject(clusterSpec) ? { clusterSpec, source: `environment '${sel.environment}' (connection '${sel.connection}')` } : null;
  } catch (e) {
    log?.warn(`Could not read the compute pool defaults of environment '${sel.environment}' (connection '${sel.connection}'): ${e instanceof Error ? e.message : String(e)}. Pool files are validated without them.`);
    return null;
  }
}
