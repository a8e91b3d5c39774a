/**
 * Which files hold compute pools. The engine decides for certain (a document whose `kind` is ComputePool, or a
 * file matching cmfPools.files); the extension needs a cheap first look, before it starts the language server,
 * that never says no where the engine would say yes: `mightHoldPool` (a test checks the two agree).
 */
import picomatch from 'picomatch';

/** The kind every compute-pool document names; any text the engine takes for a pool by its kind contains it. */
const POOL_KIND_WORD = 'ComputePool';

/** A matcher for cmfPools.files globs against a path (a URI's path or a file system path, either slash). */
export function poolFileMatcher(globs: readonly string[]): (path: string) => boolean {
  if (globs.length === 0) return () => false;
  const m = picomatch([...globs], { dot: true });
  // `**/x` should match `/abs/x` as well as `rel/x`.
  return (path) => {
    const p = path.replace(/\\/g, '/');
    return m(p) || m(p.replace(/^\/+/, ''));
  };
}

/**
 * May this text be a compute pool by its kind? True when it names the kind, or could spell it with escapes
 * (JSON's \u, YAML's tags and escapes), so it errs on the side of yes.
 */
export function mightNamePoolKind(text: string): boolean {
  return text.includes(POOL_KIND_WORD) || text.includes('\\u') || text.includes('\\x') || text.includes('!!');
}
