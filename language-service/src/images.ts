/**
 * The image reference and cp-flink-sql tag grammar, and the builds we know of. Rules, quick fixes and
 * completion all ask this module. Tags seen: 1.19-cp1 ... 1.19-cp11, 1.19-cp8-arm64, 2.3-cmf2.5-cp1
 * (sources in NOTES.md (b)); shared pools need at least 1.19-cp7 (CMF's compute-pool page).
 */

export const CP_FLINK_SQL = 'confluentinc/cp-flink-sql';

export interface ImageRef {
  /** registry host (with port), when the reference names one */
  registry: string | undefined;
  /** repository path without the registry, e.g. confluentinc/cp-flink-sql or library/flink */
  repository: string;
  tag: string | undefined;
  digest: string | undefined;
}

/** Splits `[registry/]repository[:tag][@digest]` the way Docker does. */
export function parseImageRef(image: string): ImageRef {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  let registry: string | undefined;
  const slash = rest.indexOf('/');
  if (slash > 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  return { registry, repository: rest.toLowerCase(), tag, digest };
}

export type ImageKind = 'cp-flink-sql' | 'other-flink' | 'unknown';

/** Flink images that are not cp-flink-sql: CMF cannot run statements on them. */
const OTHER_FLINK_REPOSITORIES = new Set([
  'flink',
  'library/flink',
  'apache/flink',
  'confluentinc/cp-flink',
  'bitnami/flink',
  'ververica/flink',
  'apache/flink-kubernetes-operator',
  'confluentinc/cp-flink-kubernetes-operator',
]);

export function imageKind(ref: ImageRef): ImageKind {
  // A mirror may keep the upstream path below its own prefix: registry/mirror/confluentinc/cp-flink-sql.
  if (ref.repository === CP_FLINK_SQL || ref.repository.endsWith('/' + CP_FLINK_SQL)) return 'cp-flink-sql';
  if (OTHER_FLINK_REPOSITORIES.has(ref.repository)) return 'other-flink';
  for (const r of OTHER_FLINK_REPOSITORIES) if (r.includes('/') && ref.repository.endsWith('/' + r)) return 'other-flink';
  return 'unknown';
}

export interface CpFlinkSqlTag {
  /** Flink line, e.g. '1.19' or '2.3' */
  flink: string;
  /** Confluent build number: 7 for 1.19-cp7 */
  build: number;
  /** CMF line for 2.x tags: '2.5' for 2.3-cmf2.5-cp1 */
  cmf: string | undefined;
  arm64: boolean;
}

const TAG = /^(\d+\.\d+)-(?:cmf(\d+\.\d+)-)?cp(\d+)(-arm64)?$/;

export function parseCpFlinkSqlTag(tag: string | undefined): CpFlinkSqlTag | undefined {
  const m = tag ? TAG.exec(tag) : null;
  if (!m) return undefined;
  return { flink: m[1], cmf: m[2], build: Number(m[3]), arm64: m[4] !== undefined };
}

/** Shared pools need at least this build of the 1.19 line; newer Flink lines are fine. */
export const SHARED_MIN_BUILD: Readonly<Record<string, number>> = { '1.19': 7 };

/** The newest cp-flink-sql build we know of per Flink line (tag without -arm64). */
export const NEWEST_BUILDS: Readonly<Record<string, string>> = {
  '1.19': '1.19-cp11',
  '2.3': '2.3-cmf2.5-cp1',
};

/** clusterSpec.flinkVersion ('v1_19') to a Flink line ('1.19'); undefined when not of that form. */
export function flinkLine(flinkVersion: unknown): string | undefined {
  if (typeof flinkVersion !== 'string') return undefined;
  const m = /^v(\d+)_(\d+)$/.exec(flinkVersion);
  return m ? `${Number(m[1])}.${Number(m[2])}` : undefined;
}

/** The flinkVersion value for a Flink line: '1.19' -> 'v1_19'. */
export function flinkVersionFor(line: string): string {
  return 'v' + line.replace('.', '_');
}

/**
 * The newest known cp-flink-sql image for a Flink line, keeping the registry prefix and the -arm64
 * suffix of `current` when there is one; undefined when no build exists for that line.
 */
export function newestImageFor(line: string | undefined, current?: string): string | undefined {
  const newest = line ? NEWEST_BUILDS[line] : undefined;
  if (!newest) return undefined;
  let prefix = CP_FLINK_SQL;
  let arm64 = false;
  if (current) {
    const ref = parseImageRef(current);
    if (imageKind(ref) === 'cp-flink-sql') {
      const base = current.trim().replace(/[@].*$/, '');
      const repoEnd = base.lastIndexOf(':') > base.lastIndexOf('/') ? base.lastIndexOf(':') : base.length;
      prefix = base.slice(0, repoEnd);
      arm64 = parseCpFlinkSqlTag(ref.tag)?.arm64 ?? false;
    } else if (ref.registry && imageKind(ref) === 'other-flink') {
      prefix = `${ref.registry}/${CP_FLINK_SQL}`;
    }
  }
  return `${prefix}:${newest}${arm64 ? '-arm64' : ''}`;
}
