/**
 * What each CMF version runs statements on: its Flink lines, the oldest `cp-flink-sql` build of each line that
 * works (the floor), and the newest build known to run on it (what a quick fix proposes). One table, with its
 * sources; the image rules, their quick fixes, completion and new pools all read it.
 *
 * Where the evidence comes from (FIELD-NOTES.md has the details):
 * - CMF's compute-pool documentation page: "Shared compute pools require at least the cp7 build of this image".
 * - Deployments on CMF 2.3.x and 2.4.x: 1.19-cp7 is the floor for DEDICATED pools too. A pool on 1.19-cp5 is
 *   accepted, then every statement fails while its plan loads (osowski/confluent-platform-gitops, commit d38793a,
 *   "cp5 is below the 1.19-cp7 minimum for CMF 2.3.x"; its pool manifests, "1.19-cp7 is the documented floor for
 *   CMF 2.3.x/2.4.x"). The documentation and the field disagree here for DEDICATED pools; messages say so.
 * - Shared pools exist from CMF 2.3.0 (the CMF 2.3.0 OpenAPI adds `SHARED`; 2.2.0's has none).
 */
import type { PoolType } from './facts';

/** What a CMF version runs on one Flink line. */
interface LineSupport {
  /** The oldest cp-flink-sql build number of the line that runs statements, per pool type; absent: none known. */
  readonly floor: Readonly<Partial<Record<PoolType, number>>>;
  /** The newest cp-flink-sql tag of the line known to run on this CMF version. */
  readonly newest: string;
}

export interface CmfRelease {
  /** The CMF line, major.minor: '2.4'. */
  readonly version: string;
  /** Flink line ('1.19') -> what this version runs on it. Lines not listed do not run statements. */
  readonly lines: Readonly<Record<string, LineSupport>>;
  /** The DEDICATED floor is carried over from an earlier version, not seen on this one. */
  readonly dedicatedFloorAssumed?: boolean;
  /** Where each fact of the row comes from. */
  readonly sources: readonly string[];
}

const FIELD_FLOOR = 'osowski/confluent-platform-gitops d38793a and workloads/flink-resources/base/flink-compute-pool.yaml: 1.19-cp5 fails statement plans on CMF 2.3.x and 2.4.x; 1.19-cp7 is the floor for every pool type';
const DOCS_FLOOR = "CMF's compute-pool documentation: shared compute pools require at least the cp7 build";

/** Every CMF version these rules know, oldest first. */
export const CMF_RELEASES: readonly CmfRelease[] = [
  {
    version: '2.0',
    lines: { '1.19': { floor: {}, newest: '1.19-cp1' } },
    sources: ['confluentinc/cp-flink-sql:1.19-cp1 is the image of the CMF 2.0 (Confluent Platform 7.8/8.0) compute-pool examples'],
  },
  {
    version: '2.1',
    lines: { '1.19': { floor: {}, newest: '1.19-cp4' } },
    sources: ['rjmfernandes/cp-flink-sql 37e1aa1 and 8bf5d92: CMF 2.1 and 2.1.2 with confluentinc/cp-flink-sql:1.19-cp4'],
  },
  {
    version: '2.2',
    lines: { '1.19': { floor: {}, newest: '1.19-cp5' } },
    sources: ['rjmfernandes/cp-flink-sql fd7b522: CMF 2.2.9 with confluentinc/cp-flink-sql:1.19-cp5, which worked there'],
  },
  {
    version: '2.3',
    lines: { '1.19': { floor: { SHARED: 7, DEDICATED: 7 }, newest: '1.19-cp8' } },
    sources: [
      'shared pools are new in CMF 2.3.0 (its OpenAPI adds SHARED; the 2.2.0 OpenAPI has none)',
      DOCS_FLOOR,
      FIELD_FLOOR,
      'osowski/confluent-platform-gitops d38793a: CMF 2.3.1 is officially paired with confluentinc/cp-flink-sql:1.19-cp8; confluentinc/confluent-kubernetes-examples flink/sql pairs CMF 2.3.0 with 1.19-cp8',
    ],
  },
  {
    version: '2.4',
    lines: { '1.19': { floor: { SHARED: 7, DEDICATED: 7 }, newest: '1.19-cp11' } },
    sources: [
      DOCS_FLOOR,
      FIELD_FLOOR,
      'osowski/confluent-platform-gitops 0c2f420: CMF 2.4.1 with 1.19-cp10 (the charts 2.4.1 and 2.4.2 default to it); an OpenShift install script pins CMF 2.4.2 with confluentinc/cp-flink-sql:1.19-cp11',
    ],
  },
  {
    version: '2.5',
    lines: {
      '1.19': { floor: { SHARED: 7, DEDICATED: 7 }, newest: '1.19-cp11' },
      '2.3': { floor: { SHARED: 1, DEDICATED: 1 }, newest: '2.3-cmf2.5-cp1' },
    },
    dedicatedFloorAssumed: true,
    sources: [
      'docs.confluent.io cp-flink/current/jobs/sql-statements/flink-versions.html: CMF 2.5 runs statements on Flink 1.19 or 2.3, with confluentinc/cp-flink-sql:2.3-cmf2.5-cp1 for 2.3',
      DOCS_FLOOR,
      'the 1.19-cp7 floor of DEDICATED pools is carried over from CMF 2.3 and 2.4 (no CMF 2.5 deployment seen either way)',
    ],
  },
];

/** The newest CMF version these rules know: the default of cmfPools.cmfVersion. */
export const NEWEST_CMF_VERSION = CMF_RELEASES[CMF_RELEASES.length - 1]!.version;

/** A version as written (`2.4`, `2.4.1`, `v2.4.1`, `2.5.0-cp1`) to its line ('2.4'); undefined when it is not one. */
export function cmfLine(version: unknown): string | undefined {
  if (typeof version !== 'string') return undefined;
  const m = /^\s*v?(\d+)\.(\d+)(?:[.\-+].*)?\s*$/.exec(version);
  return m ? `${Number(m[1])}.${Number(m[2])}` : undefined;
}

function compareLines(a: string, b: string): number {
  const [a1, a2] = a.split('.').map(Number) as [number, number];
  const [b1, b2] = b.split('.').map(Number) as [number, number];
  return a1 - b1 || a2 - b2;
}

/** The release whose rules apply to a CMF version: its own, or the nearest known one (`exact` false) for a version the table has not. */
export function cmfRelease(version: string | undefined): { release: CmfRelease; exact: boolean } {
  const line = cmfLine(version) ?? NEWEST_CMF_VERSION;
  const own = CMF_RELEASES.find((r) => r.version === line);
  if (own) return { release: own, exact: true };
  const older = CMF_RELEASES.filter((r) => compareLines(r.version, line) < 0);
  return { release: older.length ? older[older.length - 1]! : CMF_RELEASES[0]!, exact: false };
}

/** The CMF versions that run a Flink line, oldest first. */
export function releasesRunning(flinkLine: string): CmfRelease[] {
  return CMF_RELEASES.filter((r) => r.lines[flinkLine] !== undefined);
}
