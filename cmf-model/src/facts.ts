/**
 * What CMF itself decides about compute pools, in one place. Rules, quick fixes, completion, the
 * lifecycle planner and the local CMF all ask this module; none of them keeps its own copy.
 * Source: CMF's compute-pool documentation page (test/fixtures/docs/README.md) and the CMF 2.3.1 OpenAPI.
 */
import { isObject } from './json';

export const API_VERSION = 'cmf.confluent.io/v1';
export const KIND = 'ComputePool';

/**
 * Confluent for Kubernetes' custom resource for a compute pool (CFK 3.3+, `platform.confluent.io/v1beta1`): CFK
 * syncs it to CMF, and its `spec.clusterSpec` is CMF's. GitOps teams commit these instead of calling CMF.
 */
export const CFK_KIND = 'FlinkComputePool';
const CFK_API_GROUP = 'platform.confluent.io/';

/** The two shapes a compute pool is written in. */
export type PoolKind = typeof KIND | typeof CFK_KIND;

/** Which kind of compute pool a document says it is: CMF's resource, CFK's, or neither. */
export function poolKindOf(value: unknown): PoolKind | undefined {
  if (!isObject(value)) return undefined;
  if (value.kind === KIND) return KIND;
  if (value.kind === CFK_KIND && typeof value.apiVersion === 'string' && value.apiVersion.startsWith(CFK_API_GROUP)) return CFK_KIND;
  return undefined;
}

/**
 * The CMF compute pool a CFK FlinkComputePool becomes once CFK syncs it, and the CMF environment it goes to
 * (`spec.flinkEnvironment`): what the drift CodeLens and Compare with Deployed hold the manifest against.
 * Kubernetes' own metadata (namespace, labels, annotations) and `spec.cmfRestClassRef` stay on the Kubernetes side.
 */
export function cmfPoolOfCfk(value: Record<string, unknown>): { environment: string | undefined; pool: Record<string, unknown> } {
  const metadata = isObject(value.metadata) ? value.metadata : {};
  const spec = isObject(value.spec) ? value.spec : {};
  const { flinkEnvironment, cmfRestClassRef: _ref, ...cmfSpec } = spec;
  return {
    environment: typeof flinkEnvironment === 'string' && flinkEnvironment ? flinkEnvironment : undefined,
    pool: { apiVersion: API_VERSION, kind: KIND, metadata: { name: metadata.name }, spec: cmfSpec },
  };
}

export type PoolType = 'DEDICATED' | 'SHARED';
export const POOL_TYPES: readonly PoolType[] = ['DEDICATED', 'SHARED'];
export type PoolState = 'RUNNING' | 'SUSPENDED';
export const POOL_STATES: readonly PoolState[] = ['RUNNING', 'SUSPENDED'];

/** `status.phase` of a compute pool (OpenAPI enum). */
export type PoolPhase = 'DEDICATED' | 'PENDING' | 'RUNNING' | 'DELETING' | 'FAILING' | 'FAILED' | 'SUSPENDED';
/** Phases a pool stays in until someone acts; anything else is still moving. */
export const SETTLED_POOL_PHASES: readonly PoolPhase[] = ['RUNNING', 'SUSPENDED', 'DEDICATED', 'FAILED'];

/** Statement phases (documented, not an enum in the OpenAPI). */
export type StatementPhase = 'PENDING' | 'RUNNING' | 'STOPPED' | 'FAILING' | 'COMPLETED' | 'FAILED';

/**
 * Statement phases that block an update (and so a suspend, which is an update) of a pool, per pool type.
 * Shared pools: COMPLETED and FAILED statements do not block; a FAILED shared pool blocks nothing.
 */
export const PHASES_BLOCKING_UPDATE: Readonly<Record<PoolType, readonly StatementPhase[]>> = {
  SHARED: ['PENDING', 'RUNNING', 'STOPPED', 'FAILING'],
  DEDICATED: ['PENDING', 'RUNNING', 'FAILING', 'FAILED'],
};
/** Deletion is blocked by these statement phases for both pool types; `force=true` does not bypass it. */
export const PHASES_BLOCKING_DELETE: readonly StatementPhase[] = ['PENDING', 'RUNNING', 'STOPPED', 'FAILING'];

/** Does a statement in `statementPhase` block `operation` on a pool of `poolType` whose phase is `poolPhase`? */
export function statementBlocks(
  operation: 'update' | 'delete',
  poolType: PoolType,
  poolPhase: string | undefined,
  statementPhase: string | undefined,
): boolean {
  if (poolType === 'SHARED' && poolPhase === 'FAILED') return false;
  const blocking = operation === 'delete' ? PHASES_BLOCKING_DELETE : PHASES_BLOCKING_UPDATE[poolType];
  return blocking.includes(statementPhase as StatementPhase);
}

/** clusterSpec fields CMF manages itself; a pool must not set them. */
export const FORBIDDEN_CLUSTER_SPEC_FIELDS: Readonly<Record<string, string>> = {
  serviceAccount: 'CMF deploys statements with its own Kubernetes service account',
  job: 'CMF sets the job spec itself (jarURI, entryClass, args, parallelism, state)',
};

/** What only a SHARED pool may set (a DEDICATED pool has no session cluster): its state, and its cluster's mode. */
export const SHARED_ONLY_PATHS: readonly (readonly string[])[] = [
  ['spec', 'state'],
  ['spec', 'clusterSpec', 'mode'],
];

/** Fields Kubernetes sets on a CFK resource; a manifest should not carry them (nor `status`, which CFK sets). */
export const KUBERNETES_OWNED_PATHS: readonly (readonly string[])[] = [
  ['status'],
  ['metadata', 'uid'],
  ['metadata', 'resourceVersion'],
  ['metadata', 'generation'],
  ['metadata', 'creationTimestamp'],
  ['metadata', 'deletionTimestamp'],
  ['metadata', 'managedFields'],
];

/** Fields the server sets on a pool; a file should not carry them. Paths into the resource. */
export const SERVER_OWNED_PATHS: readonly (readonly string[])[] = [
  ['status'],
  ['metadata', 'uid'],
  ['metadata', 'creationTimestamp'],
  ['metadata', 'updateTimestamp'],
];

/**
 * The Pod envelope fields a pod template may carry in the FlinkDeployment CRD (and in an environment's application
 * defaults), which CMF refuses in a pool's `clusterSpec.podTemplate`. Seen in the field (a public OpenShift install
 * script for CMF records the rejection); whether CMF checks `jobManager.podTemplate` and `taskManager.podTemplate`
 * the same way is not known.
 */
export const POD_TEMPLATE_ENVELOPE_FIELDS: readonly string[] = ['apiVersion', 'kind'];

/** CMF's rejection of a clusterSpec.podTemplate with envelope fields, in CMF's words; undefined when it has none. */
export function podTemplateEnvelopeRejection(template: unknown): string | undefined {
  if (!isObject(template)) return undefined;
  const fields = POD_TEMPLATE_ENVELOPE_FIELDS.filter((f) => f in template);
  if (fields.length === 0) return undefined;
  const shown = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  return `'podTemplate' contains unexpected field(s): {${fields.map((f) => `${f}=${shown(template[f])}`).join(', ')}}`;
}

/** Volumes CMF adds to every pool's pods, with their mount paths. */
export const RESERVED_VOLUMES: readonly { name: string; mountPath: string }[] = [
  { name: 'statement-plan-volume', mountPath: '/opt/flink/statement' },
  { name: 'statement-encryption-volume', mountPath: '/opt/flink/statement-secret' },
];

/** Is `mountPath` one of CMF's reserved mount paths, or beneath one? (`/opt/flink/statements-archive` is not.) */
export function reservedMountPath(mountPath: string): string | undefined {
  const p = mountPath.replace(/\/+$/, '');
  return RESERVED_VOLUMES.find((v) => p === v.mountPath || p.startsWith(v.mountPath + '/'))?.mountPath;
}

/** The longest name a SHARED pool may have: its session cluster's FlinkDeployment name limit. */
export const SHARED_POOL_NAME_MAX = 45;
/** The Flink operator's rule for the names of the clusters CMF creates. */
export const POOL_NAME_PATTERN = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Why `name` cannot name a pool of `type`, or undefined when it can. */
export function poolNameProblem(name: string, type: PoolType): string | undefined {
  if (!POOL_NAME_PATTERN.test(name)) return 'Use lowercase letters, digits and "-", starting with a letter and ending with a letter or digit.';
  if (type === 'SHARED' && name.length > SHARED_POOL_NAME_MAX) return `A shared pool's name may have at most ${SHARED_POOL_NAME_MAX} characters.`;
  return undefined;
}

/**
 * How CMF applies an environment's `computePoolDefaults` to a pool: the defaults deep-merged under the pool's
 * own values (objects merge key by key; anything else the pool sets wins, arrays as a whole). The editor's
 * effective pool, the lifecycle's diff and the local CMF all merge with this.
 */
export function withDefaults(defaults: unknown, own: unknown): unknown {
  if (!isObject(defaults) || !isObject(own)) return own === undefined ? defaults : own;
  const out: Record<string, unknown> = { ...defaults };
  for (const [k, v] of Object.entries(own)) out[k] = withDefaults(defaults[k], v);
  return out;
}

/** The Flink option without which CMF refuses an INSERT INTO statement, unless the statement or its pool sets it. */
export const CHECKPOINTING_INTERVAL = 'execution.checkpointing.interval';
/** CMF's refusal of such a statement, in its words (recorded in a public install script for CMF). */
export const INSERT_WITHOUT_CHECKPOINTING =
  "Flink deployment requires checkpointing to be enabled for INSERT INTO queries. Please set 'execution.checkpointing.interval' in the Flink configuration of the Statement or ComputePool.";

/** Is this SQL an INSERT INTO (also in a statement set), past leading whitespace and comments? */
export function isInsertStatement(sql: string): boolean {
  const text = sql.replace(/^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/, '');
  return /^(?:EXECUTE\s+STATEMENT\s+SET\s+BEGIN\s+)?INSERT\s+(?:INTO|OVERWRITE)\b/i.test(text);
}

/** Statement phases a statement does not leave by itself (it has finished). */
export const TERMINAL_STATEMENT_PHASES: readonly StatementPhase[] = ['COMPLETED', 'FAILED'];
/** A statement can be stopped (`spec.stopped: true`) from these phases; it is resumed only from STOPPED. */
export const STOPPABLE_STATEMENT_PHASES: readonly StatementPhase[] = ['PENDING', 'RUNNING', 'FAILING'];
/** Statements can be submitted to a SHARED pool only while its session cluster is in this phase. */
export const SHARED_POOL_PHASE_ACCEPTING_STATEMENTS: PoolPhase = 'RUNNING';

/** `status.state` of the Kubernetes cluster an environment is bound to (OpenAPI `KubernetesClusterStatus`). */
export type KubernetesClusterState = 'CONNECTED' | 'DISCONNECTED' | 'DECOMMISSIONED';
/**
 * While the environment's cluster is in one of these states, CMF rejects writes with HTTP 503 (only
 * `DELETE ...?force=true` still removes metadata) and answers reads from its cache with `status.warning` set.
 */
export const CLUSTER_STATES_REJECTING_WRITES: readonly KubernetesClusterState[] = ['DISCONNECTED', 'DECOMMISSIONED'];
