/**
 * Where the engine's data files are at run time: the schema (`schemas/`) and the Flink option data
 * (`language-service/data/`). They are read when first needed, never bundled, so every front end (the
 * language server, the CLI, the tests on the sources) loads only what it uses.
 *
 * From a bundle in `dist/`, the build's brotli-compressed copies in `dist/data/` are read (that is what the .vsix
 * ships: a third smaller than the JSON); from the sources under tsx, the files themselves, so an edited data file
 * is read as it is.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';

const BUNDLED = basename(__dirname) === 'dist';
/** The package root: `..` from a bundle in dist/, `../..` from language-service/src/. */
const ROOT = BUNDLED ? join(__dirname, '..') : join(__dirname, '..', '..');

/** A data file parsed as JSON, by its path from the package root (its compressed copy, in a bundle). */
export function readJsonData<T>(...segments: string[]): T {
  const path = BUNDLED ? join(ROOT, 'dist', 'data', `${segments[segments.length - 1]}.br`) : join(ROOT, ...segments);
  try {
    const bytes = readFileSync(path);
    return JSON.parse((BUNDLED ? brotliDecompressSync(bytes) : bytes).toString('utf8')) as T;
  } catch (e) {
    throw new Error(`cmf-pools: cannot read ${segments.join('/')} (${path}): ${(e as Error).message}; the installation is incomplete.`, { cause: e });
  }
}
