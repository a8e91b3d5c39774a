/**
 * What pool files are validated against in the editor: the selected environment's computePoolDefaults, and the
 * version of the selected connection's CMF (what its /system-information says, CMF 2.2 and later), for the language
 * server's effective-pool validation (the `cmfPools/environmentDefaults` notification, server/src/protocol.ts).
 * No vscode import.
 */
import { isObject } from '../../../cmf-model/src/json';
import type { CmfClient } from '../../../cmf-client/src/client';
import type { PoolDefaults } from '../../../server/src/protocol';
import type { ConnectionRegistry, Logger } from '../connections/registry';

/**
 * null when nothing is selected, or when neither defaults nor a version are known (the environment has no clusterSpec
 * defaults or cannot be read, and CMF does not say its version): pool files are then validated as files, for
 * cmfPools.cmfVersion.
 */
export async function selectedEnvironmentDefaults(registry: ConnectionRegistry, log?: Logger): Promise<PoolDefaults | null> {
  const sel = registry.selection();
  if (!sel?.environment) return null;
  let client: CmfClient;
  try {
    client = await registry.client(sel.connection);
  } catch (e) {
    log?.warn(`Could not reach connection '${sel.connection}': ${e instanceof Error ? e.message : String(e)}. Pool files are validated without its defaults.`);
    return null;
  }
  const [clusterSpec, cmfVersion] = await Promise.all([
    client.getEnvironment(sel.environment).then(
      (env) => env.computePoolDefaults?.clusterSpec,
      (e: unknown) => {
        log?.warn(`Could not read the compute pool defaults of environment '${sel.environment}' (connection '${sel.connection}'): ${e instanceof Error ? e.message : String(e)}. Pool files are validated without them.`);
        return undefined;
      },
    ),
    client.cmfVersion(),
  ]);
  if (!isObject(clusterSpec) && cmfVersion === undefined) return null;
  const defaults: PoolDefaults = { source: `environment '${sel.environment}' (connection '${sel.connection}')` };
  if (isObject(clusterSpec)) defaults.clusterSpec = clusterSpec;
  if (cmfVersion !== undefined) defaults.cmfVersion = cmfVersion;
  return defaults;
}
