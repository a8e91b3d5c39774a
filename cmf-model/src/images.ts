/**
 * The images a pool names: Docker's reference grammar (`[registry[:port]/]repository[:tag][@digest]`), which Flink
 * images CMF can and cannot run statements on, and the tag grammar of Confluent's Flink images. Rules, quick fixes,
 * completion and the release table (releases.ts) all read images through this module.
 *
 * Tags seen in deployments and Confluent's documentation (FIELD-NOTES "Shapes people write", NOTES (b)):
 * `1.19-cp1` … `1.19-cp11`, `1.19-cp8-arm64`, `2.3-cmf2.5-cp1` (cp-flink-sql), and `2.1.1-cp1-java21`,
 * `2.1.2-cp1-java21`, `2.0.2-cp3`, `1.19.1-cp1` (cp-flink, the application image).
 */

export const CP_FLINK_SQL = 'confluentinc/cp-flink-sql';

export interface ImageRef {
  /** registry host (with port), when the reference names one */
  registry: string | undefined;
  /** repository path without the registry, lower case: confluentinc/cp-flink-sql, library/flink */
  repository: string;
  tag: string | undefined;
  digest: string | undefined;
}

/** Splits `[registry/]repository[:tag][@digest]` the way Docker does (a first segment with `.` or `:`, or localhost, is a registry). */
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
  return { registry, repository: rest.toLowerCase(), tag: tag || undefined, digest: digest || undefined };
}

export type ImageKind = 'cp-flink-sql' | 'other-flink' | 'unknown';

/** Flink images that are not cp-flink-sql: CMF's statement runtime is not in them, so no statement runs. */
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

/**
 * Which kind of image a reference names. A mirror may keep the upstream path below a prefix of its own
 * (`registry:5000/mirror/confluentinc/cp-flink-sql`) or flatten it (`registry.example.com/cp-flink-sql`): a last
 * path segment `cp-flink-sql` is cp-flink-sql. An image built on it under another name (`isotope-cp-flink-sql`,
 * `team/sql-runner`) cannot be told apart from one that is not: unknown.
 */
export function imageKind(ref: ImageRef): ImageKind {
  const repo = ref.repository;
  if (repo === CP_FLINK_SQL || repo.endsWith('/' + CP_FLINK_SQL) || repo === 'cp-flink-sql' || (ref.registry !== undefined && repo.endsWith('/cp-flink-sql'))) return 'cp-flink-sql';
  if (OTHER_FLINK_REPOSITORIES.has(repo)) return 'other-flink';
  for (const r of OTHER_FLINK_REPOSITORIES) if (r.includes('/') && repo.endsWith('/' + r)) return 'other-flink';
  if (ref.registry !== undefined && repo.endsWith('/cp-flink')) return 'other-flink';
  return 'unknown';
}

/** A tag of one of Confluent's Flink images, read. */
export interface ImageTag {
  /** the Flink line, e.g. '1.19' or '2.3' */
  flink: string;
  /** the Flink patch release when the tag names one: 1 for 2.1.1-cp1-java21 */
  patch: number | undefined;
  /** Confluent's build number: 7 for 1.19-cp7 */
  build: number;
  /** the CMF line a 2.x SQL build is made for: '2.5' for 2.3-cmf2.5-cp1 */
  cmf: string | undefined;
  arm64: boolean;
  /** the Java version of a -javaNN build */
  java: number | undefined;
}

const TAG = /^(\d+)\.(\d+)(?:\.(\d+))?-(?:cmf(\d+\.\d+)-)?cp(\d+)((?:-(?:arm64|amd64|java\d+))*)$/;

/** Reads a Confluent Flink image tag (`1.19-cp7`, `1.19-cp8-arm64`, `2.3-cmf2.5-cp1`, `2.1.1-cp1-java21`); undefined for any other tag. */
export function parseImageTag(tag: string | undefined): ImageTag | undefined {
  const m = tag ? TAG.exec(tag) : null;
  if (!m) return undefined;
  const suffixes = m[6]!.split('-').filter(Boolean);
  const java = suffixes.find((s) => s.startsWith('java'));
  return {
    flink: `${Number(m[1])}.${Number(m[2])}`,
    patch: m[3] !== undefined ? Number(m[3]) : undefined,
    build: Number(m[5]),
    cmf: m[4],
    arm64: suffixes.includes('arm64'),
    java: java ? Number(java.slice(4)) : undefined,
  };
}

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
