/**
 * Which files may hold compute pools, at a first look. The engine decides for certain (a document whose `kind` is
 * ComputePool, or a file matching cmfPools.files); the extension needs a cheap look, before it starts the language
 * server, that never says no where the engine would say yes (test/unit/pool-files.test.ts checks the two agree).
 */

/** The kind every compute-pool document names; any text the engine takes for a pool by its kind contains it. */
const POOL_KIND_WORD = 'ComputePool';

/** cmfPools.files when the user has not set it. */
export const DEFAULT_POOL_FILES: readonly string[] = ['**/*.pool.json', '**/*.pool.yaml', '**/*.pool.yml'];

/**
 * May this text be a compute pool by its kind? True when it names the kind, or could spell it otherwise: with
 * escapes (JSON's \\u; YAML's \\x, \\u and \\U, and a line break escaped away inside a double-quoted string)
 * or a YAML tag, so it errs on the side of yes.
 */
export function mightNamePoolKind(text: string): boolean {
  return text.includes(POOL_KIND_WORD) || /\\[uUx\r\n]/.test(text) || text.includes('!!');
}

/**
 * May the file at `path` (a URI's path or a file system path) with this text be a compute pool, given the
 * cmfPools.files globs? Without a glob library: with the default globs a path ending in .pool.json, .pool.yaml or
 * .pool.yml, and with
 * any others every file, so the first look never misses a pattern of the user's.
 */
export function mightHoldPool(path: string, text: string, files: readonly string[]): boolean {
  if (mightNamePoolKind(text)) return true;
  const defaults = files.length === DEFAULT_POOL_FILES.length && files.every((f, i) => f === DEFAULT_POOL_FILES[i]);
  return defaults ? /\.pool\.(json|ya?ml)$/.test(path) : files.length > 0;
}
