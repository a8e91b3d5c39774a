/**
 * The pool's image and Flink version against what the CMF version runs (cmf-model's release table): image-missing,
 * image-not-cp-flink-sql, image-unverified, image-too-old (formerly shared-image-too-old), image-flink-version-mismatch,
 * flink-version-unsupported.
 */
import type { PoolType } from '../../../cmf-model/src/facts';
import { CP_FLINK_SQL, flinkLine, flinkVersionFor, imageKind, parseImageRef, parseImageTag } from '../../../cmf-model/src/images';
import { type CmfRelease, CMF_RELEASES, releasesRunning } from '../../../cmf-model/src/releases';
import { type CmfTarget, describeCmf } from '../cmf-target';
import { type JsonPath, pathLabel } from '../document/model';
import { linesOf, newestImageFor } from '../images';
import { CLUSTER_SPEC } from '../pool';
import { type Fix, type FixInput, defineRule, str } from './rule';

const IMAGE: JsonPath = [...CLUSTER_SPEC, 'image'];
const FLINK_VERSION: JsonPath = [...CLUSTER_SPEC, 'flinkVersion'];

/** The failure users report for a cp-flink-sql build below its CMF version's floor (FIELD-NOTES 4). */
const PLAN_FAILURE = `"A key format 'key.format' requires the declaration of one or more of key fields using 'confluent.key.fields'"`;

type ImageCode = 'image-missing' | 'image-not-cp-flink-sql' | 'image-unverified' | 'image-too-old' | 'image-flink-version-mismatch' | 'flink-version-unsupported';

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
    'image-too-old': {
      severity: 'error',
      summary: "The cp-flink-sql build is older than the floor of the pool's CMF version (1.19-cp7 on CMF 2.3 and later): statement plans fail to load. Formerly shared-image-too-old, whose settings still apply.",
      docs: 'cmf',
      help:
        'What each CMF version runs comes from one table (`cmf-model/src/releases.ts`), with its sources. On CMF 2.3 and 2.4, deployments show `1.19-cp7` as the floor for **every** pool type: a pool on `1.19-cp5` is accepted, then its statements fail while their plan loads. ' +
        "CMF's documentation names the cp7 floor for **shared** pools only; the two disagree for dedicated pools, and this rule follows the field. " +
        "CMF's own OpenAPI examples (`1.19-cp5`) get it too: they are older than the floor. The CMF version is the connected CMF's, else `cmfPools.cmfVersion`, else the newest CMF these rules know.",
    },
    'image-flink-version-mismatch': { severity: 'warning', summary: "The image's Flink version differs from clusterSpec.flinkVersion.", docs: 'cmf' },
    'flink-version-unsupported': {
      severity: 'warning',
      summary: "clusterSpec.flinkVersion (or the image's Flink version) is a Flink line the pool's CMF version does not run statements on.",
      docs: 'cmf',
      help: 'CMF 2.0 to 2.4 run statements on Flink 1.19 only; CMF 2.5 runs them on Flink 1.19 and 2.3 (`v2_3` with a `cp-flink-sql` 2.3 build such as `2.3-cmf2.5-cp1`). The CMF version is the connected CMF\'s, else `cmfPools.cmfVersion`, else the newest CMF these rules know.',
    },
  },
  check({ pool, cmf }, r) {
    if (!pool?.clusterSpec) return;
    const release = cmf.release;
    const line = flinkLine(pool.flinkVersion);
    const image = pool.clusterSpec.image;
    const current = typeof image === 'string' ? image : undefined;
    // What the fixes may offer: the lines this CMF runs, each with its newest image (made only for a report).
    const lines = () => linesOf(release, current);
    if (line && !release.lines[line]) {
      r.report(
        'flink-version-unsupported',
        r.valueAt(FLINK_VERSION),
        `${describeCmf(cmf)} does not run statements on Flink ${line} (flinkVersion ${String(pool.flinkVersion)}): ${unsupported(line, release)} Statements on this pool cannot run.`,
        { lines: lines() },
      );
    }
    if (image === undefined) {
      const suggested = newestImageFor(line, undefined, release) ?? newestImageFor('1.19', undefined, release);
      r.report(
        'image-missing',
        r.keyAt(CLUSTER_SPEC),
        `clusterSpec.image is not set: CMF takes it from the environment's computePoolDefaults if they have one, and rejects the pool otherwise. Set it, e.g. "${suggested}".`,
        { suggested: newestImageFor(line, undefined, release), lines: lines() },
      );
      return;
    }
    if (typeof image !== 'string') return; // the schema reports the type
    const node = r.valueAt(IMAGE);
    const ref = parseImageRef(image);
    const kind = imageKind(ref);
    const suggested = newestImageFor(line, image, release);
    if (kind === 'other-flink') {
      r.report(
        'image-not-cp-flink-sql',
        node,
        `"${image}" is a Flink image but not ${CP_FLINK_SQL}: CMF needs the SQL job JAR and dependencies that only cp-flink-sql images carry, so every statement on this pool would fail. Use ${suggested ?? CP_FLINK_SQL + ':<tag>'}.`,
        { suggested, lines: lines() },
      );
      return;
    }
    const tag = parseImageTag(ref.tag);
    if (kind === 'unknown' && !r.settings.imageAllowed(image)) {
      r.report(
        'image-unverified',
        node,
        `"${image}" is not ${CP_FLINK_SQL}. CMF needs a cp-flink-sql image or one built on it, which cannot be checked from here. If it is, add a pattern for it to cmfPools.allowedImages.`,
        { suggested, lines: lines() },
      );
    }
    if (!tag) return; // a digest, `latest`, a tag of one's own: nothing to compare
    if (kind === 'cp-flink-sql') {
      const support = release.lines[tag.flink];
      const type: PoolType = pool.type ?? 'DEDICATED';
      const floor = support?.floor[type];
      if (floor !== undefined && tag.build < floor) {
        r.report('image-too-old', node, tooOldMessage(cmf, type, tag.flink, tag.build, floor, suggested ?? newestImageFor(tag.flink, image, release)), {
          suggested: suggested ?? newestImageFor(tag.flink, image, release),
          lines: lines(),
        });
      }
    }
    if (tag.flink !== line && !release.lines[tag.flink]) {
      r.report(
        'flink-version-unsupported',
        node,
        `The image is built for Flink ${tag.flink}, which ${describeCmf(cmf)} does not run statements on: ${unsupported(tag.flink, release)}`,
        { suggested, lines: lines() },
      );
    }
    if (line && tag.flink !== line) {
      r.report(
        'image-flink-version-mismatch',
        node,
        `The image is built for Flink ${tag.flink} but ${pathLabel(FLINK_VERSION)} is ${String(pool.flinkVersion)}: the operator would configure the cluster for the wrong Flink. ${
          suggested ? `Use ${suggested}, or set flinkVersion to ${flinkVersionFor(tag.flink)}.` : `No cp-flink-sql build runs Flink ${line} on CMF ${release.version}; set flinkVersion to ${flinkVersionFor(tag.flink)}.`
        }`,
        { suggested, imageFlinkLine: tag.flink, lines: lines() },
      );
    }
  },
  fixes: {
    'image-missing': (input) => imageFixes('image-missing', input),
    'image-not-cp-flink-sql': (input) => imageFixes('image-not-cp-flink-sql', input),
    'image-too-old': (input) => imageFixes('image-too-old', input),
    'image-flink-version-mismatch': (input) => imageFixes('image-flink-version-mismatch', input),
    'flink-version-unsupported': (input) => imageFixes('flink-version-unsupported', input),
  },
});

/** Which Flink lines `release` runs, and which CMF versions run `line`, as a sentence. */
function unsupported(line: string, release: CmfRelease): string {
  const runs = Object.keys(release.lines).map((l) => `Flink ${l}`);
  const others = releasesRunning(line).map((r) => r.version);
  const where = others.length ? `Flink ${line} needs CMF ${others[0]} or newer.` : `no CMF version these rules know runs Flink ${line}.`;
  return `CMF ${release.version} runs ${runs.join(' and ')}; ${where}`;
}

function tooOldMessage(cmf: CmfTarget, type: PoolType, line: string, build: number, floor: number, suggested: string | undefined): string {
  const release = cmf.release;
  let m =
    `On ${describeCmf(cmf)}, statements need ${CP_FLINK_SQL} ${line}-cp${floor} or newer, and this pool has ${line}-cp${build}: ` +
    `CMF accepts the pool, but its statements fail while their plan loads (${PLAN_FAILURE}).`;
  if (suggested) m += ` Use ${suggested}.`;
  if (type === 'DEDICATED') {
    const seen = CMF_RELEASES.filter((r) => r.lines[line]?.floor.DEDICATED !== undefined && !r.dedicatedFloorAssumed).map((r) => r.version);
    m += ` CMF's documentation names the cp${floor} floor for SHARED pools only; deployments on CMF ${seen.join(' and ')} show it for DEDICATED pools too`;
    m += release.dedicatedFloorAssumed ? ` (assumed for CMF ${release.version}, where no deployment shows it either way).` : '.';
  }
  return m;
}

function imageFixes(code: ImageCode, { pool, data }: FixInput): Fix[] {
  // The file's image; undefined when the file has none (a rule may report one the environment's defaults supply:
  // setting it in the file overrides that).
  const image = typeof pool.clusterSpec?.image === 'string' ? pool.clusterSpec.image : undefined;
  const line = flinkLine(pool.flinkVersion);
  const fixes: Fix[] = [];
  const lines = Array.isArray(data.lines) ? (data.lines as { line?: unknown; flinkVersion?: unknown; image?: unknown }[]) : linesOf(CMF_RELEASES[CMF_RELEASES.length - 1]!, image);
  const onLine = lines.find((l) => l.line === line);
  const suggested = str(data.suggested) ?? (code === 'flink-version-unsupported' ? undefined : str(onLine?.image));
  if (suggested && suggested !== image) {
    fixes.push({ title: `${image === undefined ? 'Set image to' : 'Use'} ${suggested}`, build: (e) => e.set(IMAGE, suggested), preferred: true });
  } else if (!suggested) {
    // No cp-flink-sql build runs the pool's Flink version on this CMF (or it has none): move to a line that has one.
    for (const l of lines) {
      const version = str(l.flinkVersion);
      const newest = str(l.image);
      if (!version || !newest || (version === pool.flinkVersion && newest === image)) continue;
      fixes.push({
        title: `Set flinkVersion to ${version} and image to ${newest}`,
        build: (e) => e.set(FLINK_VERSION, version).set(IMAGE, newest),
        preferred: fixes.length === 0,
      });
    }
  }
  if (code === 'image-flink-version-mismatch' && image !== undefined) {
    const imageLine = str(data.imageFlinkLine) ?? parseImageTag(parseImageRef(image).tag)?.flink;
    if (imageLine && imageLine !== line) {
      const version = flinkVersionFor(imageLine);
      fixes.push({ title: `Set flinkVersion to ${version} (the image's Flink version)`, build: (e) => e.set(FLINK_VERSION, version), preferred: fixes.length === 0 });
    }
  }
  return fixes;
}
