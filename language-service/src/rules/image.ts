/** The pool's image: image-missing, image-not-cp-flink-sql, image-unverified, shared-image-too-old, image-flink-version-mismatch. */
import { type JsonPath, pathLabel } from '../document/model';
import {
  CP_FLINK_SQL,
  NEWEST_BUILDS,
  SHARED_MIN_BUILD,
  flinkLine,
  flinkVersionFor,
  imageKind,
  newestImageFor,
  parseCpFlinkSqlTag,
  parseImageRef,
} from '../images';
import { CLUSTER_SPEC } from '../pool';
import { type Fix, type FixInput, defineRule, str } from './rule';

const IMAGE: JsonPath = [...CLUSTER_SPEC, 'image'];
const FLINK_VERSION: JsonPath = [...CLUSTER_SPEC, 'flinkVersion'];

type ImageCode = 'image-missing' | 'image-not-cp-flink-sql' | 'image-unverified' | 'shared-image-too-old' | 'image-flink-version-mismatch';

export const imageRule = defineRule<ImageCode>({
  codes: {
    'image-missing': {
      severity: 'warning',
      summary: "clusterSpec.image is not set: CMF falls back to the environment's computePoolDefaults, or rejects the pool.",
      docs: 'cmf',
    },
    'image-not-cp-flink-sql': { severity: 'error', summary: 'The image is a known Flink image that is not confluentinc/cp-flink-sql.', docs: 'cmf' },
    'image-unverified': {
      severity: 'warning',
      summary: 'The image is not confluentinc/cp-flink-sql and may or may not be built on it (cmfPools.allowedImages silences it).',
      docs: 'cmf',
    },
    'shared-image-too-old': { severity: 'error', summary: 'A SHARED pool uses a cp-flink-sql 1.19 build older than 1.19-cp7.', docs: 'cmf' },
    'image-flink-version-mismatch': { severity: 'warning', summary: "The image's Flink version differs from clusterSpec.flinkVersion.", docs: 'cmf' },
  },
  check({ pool }, r) {
    if (!pool?.clusterSpec) return;
    const line = flinkLine(pool.flinkVersion);
    const image = pool.clusterSpec.image;
    if (image === undefined) {
      r.report(
        'image-missing',
        r.keyAt(CLUSTER_SPEC),
        `clusterSpec.image is not set: CMF takes it from the environment's computePoolDefaults if they have one, and rejects the pool otherwise. Set it, e.g. "${newestImageFor(line) ?? newestImageFor('1.19')}".`,
        { suggested: newestImageFor(line), flinkLine: line },
      );
      return;
    }
    if (typeof image !== 'string') return; // the schema reports the type
    const node = r.valueAt(IMAGE);
    const ref = parseImageRef(image);
    const kind = imageKind(ref);
    const suggested = newestImageFor(line, image);
    if (kind === 'other-flink') {
      r.report(
        'image-not-cp-flink-sql',
        node,
        `"${image}" is a Flink image but not ${CP_FLINK_SQL}: CMF needs the SQL job JAR and dependencies that only cp-flink-sql images carry, so every statement on this pool would fail. Use ${suggested ?? CP_FLINK_SQL + ':<tag>'}.`,
        { suggested, flinkLine: line },
      );
      return;
    }
    if (kind === 'unknown') {
      if (!r.settings.imageAllowed(image)) {
        r.report(
          'image-unverified',
          node,
          `"${image}" is not ${CP_FLINK_SQL}. CMF needs a cp-flink-sql image or one built on it, which cannot be checked from here. If it is, add a pattern for it to cmfPools.allowedImages.`,
          { suggested, flinkLine: line },
        );
      }
      return;
    }
    const tag = parseCpFlinkSqlTag(ref.tag);
    if (!tag) return; // a digest, `latest` or an unknown tag shape: nothing to compare
    const min = SHARED_MIN_BUILD[tag.flink];
    if (pool.type === 'SHARED' && min !== undefined && tag.build < min) {
      r.report(
        'shared-image-too-old',
        node,
        `Shared pools need at least the cp${min} build of ${CP_FLINK_SQL} (this is ${tag.flink}-cp${tag.build}). Use ${suggested ?? `${CP_FLINK_SQL}:${tag.flink}-cp${min}`} or newer.`,
        { suggested, flinkLine: line },
      );
    }
    if (line && tag.flink !== line) {
      r.report(
        'image-flink-version-mismatch',
        node,
        `The image is built for Flink ${tag.flink} but ${pathLabel(FLINK_VERSION)} is ${String(pool.flinkVersion)}: the operator would configure the cluster for the wrong Flink. ${
          suggested ? `Use ${suggested}, or set flinkVersion to v${tag.flink.replace('.', '_')}.` : `No cp-flink-sql build is known for Flink ${line}; set flinkVersion to v${tag.flink.replace('.', '_')}.`
        }`,
        { suggested, flinkLine: line, imageFlinkLine: tag.flink },
      );
    }
  },
  fixes: {
    'image-missing': (input) => imageFixes('image-missing', input),
    'image-not-cp-flink-sql': (input) => imageFixes('image-not-cp-flink-sql', input),
    'shared-image-too-old': (input) => imageFixes('shared-image-too-old', input),
    'image-flink-version-mismatch': (input) => imageFixes('image-flink-version-mismatch', input),
  },
});

function imageFixes(code: ImageCode, { pool, data }: FixInput): Fix[] {
  // The file's image; undefined when the file has none (a rule may report one the environment's defaults supply:
  // setting it in the file overrides that).
  const image = typeof pool.clusterSpec?.image === 'string' ? pool.clusterSpec.image : undefined;
  const line = flinkLine(pool.flinkVersion);
  const fixes: Fix[] = [];
  const suggested = str(data.suggested) ?? newestImageFor(line, image);
  if (suggested && suggested !== image) {
    fixes.push({ title: `${image === undefined ? 'Set image to' : 'Use'} ${suggested}`, build: (e) => e.set(IMAGE, suggested), preferred: true });
  } else if (!suggested) {
    // No cp-flink-sql build is known for the pool's Flink version (or it has none): move to a line that has one.
    for (const other of Object.keys(NEWEST_BUILDS)) {
      const newest = newestImageFor(other, image)!;
      const version = flinkVersionFor(other);
      fixes.push({
        title: `Set flinkVersion to ${version} and image to ${newest}`,
        build: (e) => e.set(FLINK_VERSION, version).set(IMAGE, newest),
        preferred: fixes.length === 0,
      });
    }
  }
  if (code === 'image-flink-version-mismatch' && image !== undefined) {
    const imageLine = str(data.imageFlinkLine) ?? parseCpFlinkSqlTag(parseImageRef(image).tag)?.flink;
    if (imageLine && imageLine !== line) {
      const version = flinkVersionFor(imageLine);
      fixes.push({ title: `Set flinkVersion to ${version} (the image's Flink version)`, build: (e) => e.set(FLINK_VERSION, version), preferred: fixes.length === 0 });
    }
  }
  return fixes;
}
