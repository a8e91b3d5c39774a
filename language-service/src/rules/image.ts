/** Image rules: image-missing, image-not-cp-flink-sql, image-unverified, shared-image-too-old, image-flink-version-mismatch. */
import { pathLabel } from '../document';
import {
  CP_FLINK_SQL,
  SHARED_MIN_BUILD,
  flinkLine,
  imageKind,
  newestImageFor,
  parseCpFlinkSqlTag,
  parseImageRef,
} from '../images';
import { CLUSTER_SPEC, type PoolModel } from '../pool';
import type { Reporter } from './context';

const IMAGE = [...CLUSTER_SPEC, 'image'];

export function imageRules(pool: PoolModel, r: Reporter): void {
  if (!pool.clusterSpec) return;
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
      `The image is built for Flink ${tag.flink} but ${pathLabel([...CLUSTER_SPEC, 'flinkVersion'])} is ${String(pool.flinkVersion)}: the operator would configure the cluster for the wrong Flink. ${
        suggested ? `Use ${suggested}, or set flinkVersion to v${tag.flink.replace('.', '_')}.` : `No cp-flink-sql build is known for Flink ${line}; set flinkVersion to v${tag.flink.replace('.', '_')}.`
      }`,
      { suggested, flinkLine: line, imageFlinkLine: tag.flink },
    );
  }
}
