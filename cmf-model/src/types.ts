/**
 * TypeScript types for the CMF REST resources this project talks to, transcribed from CMF's OpenAPI document
 * (CMF 2.3.1; test/fixtures/openapi/cmf-openapi.json, `components.schemas`). Names are the OpenAPI's own, so
 * a reader can look each one up there; where the OpenAPI has no name (an inline schema) the type is named
 * after its `title`, and a few helpers the OpenAPI leaves untyped are marked as such.
 *
 * Optionality follows the schemas: a property is required here only if the schema lists it in `required`.
 * Clients must therefore cope with absent fields, exactly as they would against a real CMF.
 */
import type {
  KubernetesClusterState,
  PoolPhase,
  PoolState,
  PoolType,
  StatementPhase,
} from './facts';

export type { PoolPhase };

/** String-to-string maps (`labels`, `annotations`, `flinkConfiguration`, ...). */
export type StringMap = Record<string, string>;

// ---------------------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------------------

/** One error (OpenAPI `error`). */
interface RestErrorItem {
  message?: string;
}
/** The body of every error response (OpenAPI `RestError`): `{"errors":[{"message":"..."}]}`. */
export interface RestError {
  errors?: RestErrorItem[];
}

// ---------------------------------------------------------------------------------------------------------
// Pages
// ---------------------------------------------------------------------------------------------------------

interface Sort {
  sorted?: boolean;
  unsorted?: boolean;
  empty?: boolean;
}
/** The page that was asked for (`page` is zero-based; `size` is the page size asked for, not the item count). */
interface Pageable {
  page?: number;
  size?: number;
  sort?: Sort;
}
export interface PaginationResponse {
  pageable?: Pageable;
}
/**
 * `metadata` of a page (OpenAPI `ComputePoolPageMetadata`, `EnvironmentsPageMetadata`, ... all identical).
 * `size` is an int64 in the OpenAPI: the total number of matching items over all pages (Spring's
 * `totalElements`), which is how the local CMF fills it. Robust clients page until a page has fewer items
 * than the page size they asked for (what the `confluent` CLI does) rather than trusting `size`.
 */
export interface PageMetadata {
  size?: number;
}

// ---------------------------------------------------------------------------------------------------------
// Resource usage
// ---------------------------------------------------------------------------------------------------------

interface JobManager {
  /** Total CPU units allocated. */
  cpu?: number;
  /** Total memory allocated, in bytes. */
  memory?: number;
  /** Number of instances. */
  count?: number;
}
interface TaskManager {
  cpu?: number;
  memory?: number;
  count?: number;
}
export interface ResourceUsageSummary {
  jobManager?: JobManager;
  taskManager?: TaskManager;
}
/** Count per status, e.g. `{ "RUNNING": 2, "COMPLETED": 1 }`. */
type StatementsByStatusSummary = Record<string, number>;
type ApplicationsByStatusSummary = Record<string, number>;
interface ResourcesByStatusAndTypeSummary {
  applications?: ApplicationsByStatusSummary;
  statements?: StatementsByStatusSummary;
}

/** Common base of the v2 resources (OpenAPI `ResourceBaseV2`). */
interface ResourceBaseV2 {
  apiVersion: string;
  kind: string;
}

// ---------------------------------------------------------------------------------------------------------
// Compute pools
// ---------------------------------------------------------------------------------------------------------

interface ComputePoolMetadata {
  name: string;
  creationTimestamp?: string;
  updateTimestamp?: string;
  uid?: string;
  labels?: StringMap;
  annotations?: StringMap;
}

/**
 * `spec.clusterSpec` (not named by the OpenAPI, which types it `object`, format `yamlorjson`): a Flink
 * Kubernetes operator FlinkDeployment spec, minus what CMF manages (`serviceAccount`, `job`). The named
 * fields are the common ones; anything else the operator accepts may appear.
 */
export interface ComputePoolClusterSpec {
  flinkVersion?: string;
  image?: string;
  imagePullPolicy?: string;
  mode?: 'native' | 'standalone' | (string & {});
  flinkConfiguration?: StringMap;
  jobManager?: { replicas?: number; resource?: { cpu?: number; memory?: string; ephemeralStorage?: string }; podTemplate?: unknown };
  taskManager?: { replicas?: number; resource?: { cpu?: number; memory?: string; ephemeralStorage?: string }; podTemplate?: unknown };
  podTemplate?: unknown;
  [key: string]: unknown;
}

export interface ComputePoolSpec {
  type: PoolType;
  /** Only for SHARED pools; RUNNING when absent. */
  state?: PoolState;
  clusterSpec: ComputePoolClusterSpec;
}

/** `status` of a compute pool (inline in the OpenAPI, titled `ComputePoolStatus`; it allows extra properties). */
interface ComputePoolStatus {
  phase: PoolPhase;
  /** Human-readable status message. */
  message?: string;
  resourceSummary?: ResourceUsageSummary;
  resources?: ResourcesByStatusAndTypeSummary;
  /** Set when the displayed status may be stale (the environment's Kubernetes cluster is disconnected or decommissioned). */
  warning?: string;
  [key: string]: unknown;
}

export interface ComputePool extends ResourceBaseV2 {
  metadata: ComputePoolMetadata;
  spec: ComputePoolSpec;
  status?: ComputePoolStatus;
}

// ---------------------------------------------------------------------------------------------------------
// Kubernetes clusters
// ---------------------------------------------------------------------------------------------------------

export type KubernetesClusterLifecycleState = 'ACTIVE' | 'DECOMMISSIONED';

export interface KubernetesClusterStatus {
  state?: KubernetesClusterState;
  message?: string;
  /** date-time */
  lastHeartbeatTimestamp?: string;
  /** Only when CONNECTED. */
  kubernetesVersion?: string;
}
interface KubernetesClusterMetadata {
  name: string;
  creationTimestamp?: string;
  updateTimestamp?: string;
  uid?: string;
  labels?: StringMap | null;
  annotations?: StringMap | null;
}
interface KubernetesClusterSpec {
  lifecycleState?: KubernetesClusterLifecycleState;
}
export interface KubernetesCluster extends ResourceBaseV2 {
  metadata: KubernetesClusterMetadata;
  spec: KubernetesClusterSpec;
  status?: KubernetesClusterStatus;
}
// ---------------------------------------------------------------------------------------------------------
// Environments (an allOf of small schemas in the OpenAPI; the interfaces below mirror that composition)
// ---------------------------------------------------------------------------------------------------------

interface PostResourceBase {
  /** Deprecated in favour of `metadata.name`; at least 4 characters, lower-case DNS-style. */
  name?: string;
}
interface GetResourceBase {
  /** date-time */
  created_time?: string;
  /** date-time */
  updated_time?: string;
}
interface ResourceWithFlinkApplicationDefaults {
  flinkApplicationDefaults?: Record<string, unknown>;
}
interface KubernetesNamespace {
  kubernetesNamespace?: string;
}
interface KubernetesClusterName {
  kubernetesClusterName?: string;
}
/** Defaults for the environment's compute pools, e.g. `{ clusterSpec: { flinkVersion, image, flinkConfiguration } }`. */
interface ComputePoolDefaults {
  computePoolDefaults?: { clusterSpec?: ComputePoolClusterSpec; [key: string]: unknown };
}
interface StatementDefaults {
  flinkConfiguration?: StringMap;
}
/** The defaults for detached and interactive statements (OpenAPI `AllStatementDefaults_1`, titled AllStatementDefaults). */
export interface AllStatementDefaults_1 {
  detached?: StatementDefaults;
  interactive?: StatementDefaults;
}
interface AllStatementDefaults {
  statementDefaults?: AllStatementDefaults_1;
}
interface EnvironmentMetadata {
  name: string;
  creationTimestamp?: string;
  updateTimestamp?: string;
  labels?: StringMap;
  annotations?: StringMap;
}
/** The body of `POST /cmf/api/v1/environments` (create or update). */
interface PostEnvironment
  extends PostResourceBase,
    ResourceWithFlinkApplicationDefaults,
    KubernetesNamespace,
    KubernetesClusterName,
    ComputePoolDefaults,
    AllStatementDefaults {
  metadata?: EnvironmentMetadata;
}
/** `status` of an environment (inline in the OpenAPI, titled `Status`). */
interface EnvironmentStatus {
  resources?: ResourcesByStatusAndTypeSummary;
  resourceSummary?: ResourceUsageSummary;
  /** The state of the Kubernetes cluster the environment is bound to. */
  kubernetesCluster?: KubernetesClusterStatus;
}
export interface Environment extends PostEnvironment, GetResourceBase {
  name: string;
  kubernetesNamespace: string;
  /** connection_secret_id → secret name. */
  secrets?: StringMap;
  status?: EnvironmentStatus;
}
// ---------------------------------------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------------------------------------

interface StatementMetadata {
  name: string;
  creationTimestamp?: string;
  updateTimestamp?: string;
  uid?: string;
  labels?: StringMap;
  annotations?: StringMap;
}
/** OpenAPI `StatementStartFromSavepoint` (titled StartStatementFromSavepoint). Only honoured on update. */
interface StatementStartFromSavepoint {
  savepointName?: string;
  uid?: string;
  initialSavepointPath?: string;
  allowNonRestoredState?: boolean;
  savepointRedeployNonce?: number;
}
export interface StatementSpec {
  statement: string;
  /** Session properties, e.g. `sql.current-catalog`, `sql.current-database`. */
  properties?: StringMap;
  flinkConfiguration?: StringMap;
  computePoolName: string;
  parallelism?: number;
  stopped?: boolean;
  startFromSavepoint?: StatementStartFromSavepoint;
}
interface DataTypeField {
  name: string;
  fieldType: DataType;
  description?: string;
}
interface DataType {
  type: string;
  nullable: boolean;
  length?: number;
  precision?: number;
  scale?: number;
  keyType?: DataType;
  valueType?: DataType;
  elementType?: DataType;
  fields?: DataTypeField[];
  resolution?: string;
  fractionalPrecision?: number;
}
interface ResultSchemaColumn {
  name: string;
  type: DataType;
}
interface ResultSchema {
  columns: ResultSchemaColumn[];
}
export interface StatementTraits {
  sqlKind?: string;
  isBounded?: boolean;
  isAppendOnly?: boolean;
  upsertColumns?: number[];
  schema?: ResultSchema;
}
interface StatementStatus {
  /** A free string in the OpenAPI; CMF documents the phases in `StatementPhase`. */
  phase: StatementPhase | (string & {});
  detail?: string;
  traits?: StatementTraits;
  resourceSummary?: ResourceUsageSummary;
  /** Set when the displayed status may be stale (the environment's Kubernetes cluster is disconnected or decommissioned). */
  warning?: string;
}
interface StatementResultMetadata {
  creationTimestamp?: string;
  annotations?: StringMap;
}
interface StatementResults {
  data?: Record<string, unknown>[];
}
export interface StatementResult extends ResourceBaseV2 {
  metadata: StatementResultMetadata;
  results: StatementResults;
}
export interface Statement extends ResourceBaseV2 {
  metadata: StatementMetadata;
  spec: StatementSpec;
  status?: StatementStatus;
  result?: StatementResult;
}
interface StatementException extends ResourceBaseV2 {
  name: string;
  message: string;
  timestamp: string;
}
export interface StatementExceptionList extends ResourceBaseV2 {
  /** At most 10, newest first. */
  data: StatementException[];
}

// ---------------------------------------------------------------------------------------------------------
// CMF information
// ---------------------------------------------------------------------------------------------------------

interface SystemInformationStatus {
  version?: string;
  revision?: string;
}
export interface SystemInformation {
  status?: SystemInformationStatus;
}
