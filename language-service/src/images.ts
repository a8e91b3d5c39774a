/**
 * The cp-flink-sql images to propose: the newest build a CMF version is known to run for a Flink line, written
 * under the registry prefix and architecture of the image a pool has. The grammar of image references and tags is
 * cmf-model's (images.ts), and what each CMF version runs is its release table (releases.ts).
 */
import { CP_FLINK_SQL, flinkVersionFor, imageKind, parseImageRef, parseImageTag } from '../../cmf-model/src/images';
import { type CmfRelease, cmfRelease } from '../../cmf-model/src/releases';

/** The release of the newest CMF these rules know (cmfPools.cmfVersion's default). */
function newestRelease(): CmfRelease {
  return cmfRelease(undefined).release;
}

/**
 * The newest known cp-flink-sql image for a Flink line on a CMF release, keeping the registry prefix and the -arm64
 * suffix of `current` when there is one; undefined when the release runs no build of that line.
 */
export function newestImageFor(line: string | undefined, current?: string, release: CmfRelease = newestRelease()): string | undefined {
  const newest = line ? release.lines[line]?.newest : undefined;
  if (!newest) return undefined;
  let prefix = CP_FLINK_SQL;
  let arm64 = false;
  if (current) {
    const ref = parseImageRef(current);
    if (imageKind(ref) === 'cp-flink-sql') {
      const base = current.trim().replace(/[@].*$/, '');
      const repoEnd = base.lastIndexOf(':') > base.lastIndexOf('/') ? base.lastIndexOf(':') : base.length;
      prefix = base.slice(0, repoEnd);
      arm64 = parseImageTag(ref.tag)?.arm64 ?? false;
    } else if (ref.registry && imageKind(ref) === 'other-flink') {
      prefix = `${ref.registry}/${CP_FLINK_SQL}`;
    }
  }
  return `${prefix}:${newest}${arm64 ? '-arm64' : ''}`;
}

/** The Flink lines a release runs, each with its flinkVersion and newest image (under `current`'s registry): what a pool can move to. */
export function linesOf(release: CmfRelease, current?: string): { line: string; flinkVersion: string; image: string }[] {
  return Object.keys(release.lines).map((line) => ({ line, flinkVersion: flinkVersionFor(line), image: newestImageFor(line, current, release)! }));
}
