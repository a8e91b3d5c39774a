/**
 * Where the engine's data files are at run time: the schema (`schemas/`) and the Flink option data
 * (`language-service/data/`). They are read when first needed, never bundled, so every front end (the
 * language server, the CLI, the tests on the sources) loads only what it uses. The package root is the
 * first folder above this module that holds `schemas/compute-pool.schema.json`: `..` from a bundle in
 * `dist/`, `../..` from `language-service/src/` when the sources run under tsx.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const MARKER = join('schemas', 'compute-pool.schema.json');
let root: string | undefined;

function packageRoot(): string {
  if (root !== undefined) return root;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, MARKER))) return (root = dir);
    if (dirname(dir) === dir) throw new Error(`cmf-pools: cannot find ${MARKER} above ${__dirname}; the installation is incomplete.`);
  }
}

/** The absolute path of a data file, by its path from the package root. */
function dataFile(...segments: string[]): string {
  return join(packageRoot(), ...segments);
}

/** A data file parsed as JSON. */
export function readJsonData<T>(...segments: string[]): T {
  return JSON.parse(readFileSync(dataFile(...segments), 'utf8')) as T;
}
