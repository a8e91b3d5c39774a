/**
 * What a pool is checked against besides its file: the environment's `computePoolDefaults` (CMF merges them under
 * the pool) and the version of the CMF it deploys to. From a file (`lint --environment-defaults FILE`), or from CMF
 * itself when a command is connected (`lint --environment NAME`, `apply`).
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { isObject } from '../../cmf-model/src/json';
import type { PoolDefaults } from '../../language-service/src/index';
import { UsageError } from './args';
import type { CmfSession } from './connect';
import type { CliIo } from './main';

/**
 * Reads an environment's computePoolDefaults from a JSON or YAML file: the Environment as CMF returns it
 * (`{"computePoolDefaults": {"clusterSpec": ...}}`, what `cmf-pools`' REST calls and `confluent flink environment
 * describe -o json` show) or the computePoolDefaults object itself (`{"clusterSpec": ...}`).
 */
export async function defaultsFromFile(file: string, io: CliIo): Promise<PoolDefaults> {
  let text: string;
  try {
    text = await readFile(path.resolve(io.cwd, file), 'utf8');
  } catch (e) {
    throw new UsageError(`--environment-defaults: cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}.`);
  }
  let value: unknown;
  try {
    value = parseYaml(text.replace(/^\ufeff/, '')); // YAML reads JSON too
  } catch (e) {
    throw new UsageError(`--environment-defaults: ${file} is neither JSON nor YAML: ${(e as Error).message}`);
  }
  const defaults = isObject(value) && isObject(value.computePoolDefaults) ? value.computePoolDefaults : value;
  if (!isObject(defaults) || (defaults.clusterSpec !== undefined && !isObject(defaults.clusterSpec))) {
    throw new UsageError(`--environment-defaults: ${file} holds no computePoolDefaults: expected an Environment ({"computePoolDefaults": {"clusterSpec": {...}}}) or {"clusterSpec": {...}}.`);
  }
  return { clusterSpec: isObject(defaults.clusterSpec) ? defaults.clusterSpec : undefined, source: `the environment in ${file}` };
}

/** The environment's computePoolDefaults and CMF's own version (when CMF tells it), read from the connected CMF. */
export async function defaultsFromCmf(s: CmfSession): Promise<PoolDefaults> {
  const [environment, cmfVersion] = await Promise.all([s.client.getEnvironment(s.environment), s.client.cmfVersion()]);
  const clusterSpec = environment.computePoolDefaults?.clusterSpec;
  return { clusterSpec: isObject(clusterSpec) ? clusterSpec : undefined, source: `environment '${s.environment}' (CMF ${s.url})`, cmfVersion };
}
