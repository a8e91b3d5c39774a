/**
 * The shapes of CMF's answers, checked before anything reads them: one shape per resource type the client receives
 * (ComputePool, Environment, Statement, SystemInformation), written down from CMF's OpenAPI (CMF 2.3.1, the same `components.schemas`
 * that types.ts transcribes) and typed against types.ts, so a property named here exists on the TypeScript type and a
 * field required here is required there. test/unit/shapes.test.ts checks every shape against the OpenAPI document
 * itself (each property's type and enum, and every object's `required`), so they cannot drift apart.
 *
 * What a shape says: the fields the OpenAPI requires, at every level described; the type of every field described
 * when it is present (`null` counts as absent, as CMF's Java serializer may write it); for maps
 * (`labels`, `flinkConfiguration`, ...) the type of their values. Enums are checked where this project decides on
 * them (`spec.type`, `spec.state`); phases are not, so a newer CMF's new phase is shown rather than refused.
 * Fields the OpenAPI leaves open (`clusterSpec`, `computePoolDefaults`: "yamlorjson" objects) are checked to be
 * objects only; extra properties are allowed everywhere (CMF's status objects say so, and a newer CMF adds fields).
 */
import type { ComputePool, Environment, Statement, SystemInformation } from './types';

export type Shape =
  | { type: 'string'; enum?: readonly string[] }
  | { type: 'integer' | 'number' | 'boolean' }
  | { type: 'array'; items?: Shape }
  | ObjectShape;

interface ObjectShape {
  type: 'object';
  properties?: Readonly<Record<string, Shape>>;
  required?: readonly string[];
  /** The type of every value of a map (OpenAPI `additionalProperties`). */
  values?: Shape;
}

/** Keys of `T` that are not optional. */
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T] & string;

/** An object shape whose property names are `T`'s and whose required names are `T`'s required ones. */
function object<T>(def: { properties?: { [K in keyof T & string]?: Shape }; required?: readonly RequiredKeys<T>[] }): ObjectShape {
  return { type: 'object', ...def } as ObjectShape;
}

const string: Shape = { type: 'string' };
const stringMap: Shape = { type: 'object', values: string };
const openObject: Shape = { type: 'object' };

type Meta<T extends { metadata: unknown }> = NonNullable<T['metadata']>;

const usage = object<NonNullable<NonNullable<ComputePool['status']>['resourceSummary']>>({
  properties: {
    jobManager: { type: 'object', properties: { cpu: { type: 'number' }, memory: { type: 'integer' }, count: { type: 'integer' } } },
    taskManager: { type: 'object', properties: { cpu: { type: 'number' }, memory: { type: 'integer' }, count: { type: 'integer' } } },
  },
});

const COMPUTE_POOL = object<ComputePool>({
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: string,
    kind: string,
    metadata: object<Meta<ComputePool>>({
      required: ['name'],
      properties: { name: string, creationTimestamp: string, updateTimestamp: string, uid: string, labels: stringMap, annotations: stringMap },
    }),
    spec: object<ComputePool['spec']>({
      required: ['clusterSpec', 'type'],
      properties: {
        type: { type: 'string', enum: ['DEDICATED', 'SHARED'] },
        state: { type: 'string', enum: ['RUNNING', 'SUSPENDED'] },
        clusterSpec: openObject,
      },
    }),
    status: object<NonNullable<ComputePool['status']>>({
      required: ['phase'],
      properties: { phase: string, message: string, warning: string, resourceSummary: usage, resources: openObject },
    }),
  },
});

const ENVIRONMENT = object<Environment>({
  required: ['kubernetesNamespace', 'name'],
  properties: {
    name: string,
    kubernetesNamespace: string,
    kubernetesClusterName: string,
    created_time: string,
    updated_time: string,
    metadata: object<NonNullable<Environment['metadata']>>({
      required: ['name'],
      properties: { name: string, creationTimestamp: string, updateTimestamp: string, labels: stringMap, annotations: stringMap },
    }),
    computePoolDefaults: openObject,
    flinkApplicationDefaults: openObject,
    statementDefaults: openObject,
    secrets: stringMap,
    status: object<NonNullable<Environment['status']>>({
      properties: {
        kubernetesCluster: object<NonNullable<NonNullable<Environment['status']>['kubernetesCluster']>>({
          properties: {
            state: { type: 'string', enum: ['CONNECTED', 'DISCONNECTED', 'DECOMMISSIONED'] },
            message: string,
            lastHeartbeatTimestamp: string,
            kubernetesVersion: string,
          },
        }),
        resourceSummary: usage,
        resources: openObject,
      },
    }),
  },
});

const STATEMENT = object<Statement>({
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: string,
    kind: string,
    metadata: object<Meta<Statement>>({
      required: ['name'],
      properties: { name: string, creationTimestamp: string, updateTimestamp: string, uid: string, labels: stringMap, annotations: stringMap },
    }),
    spec: object<Statement['spec']>({
      required: ['computePoolName', 'statement'],
      properties: {
        statement: string,
        computePoolName: string,
        properties: stringMap,
        flinkConfiguration: stringMap,
        parallelism: { type: 'integer' },
        stopped: { type: 'boolean' },
        startFromSavepoint: openObject,
      },
    }),
    status: object<NonNullable<Statement['status']>>({
      required: ['phase'],
      properties: { phase: string, detail: string, warning: string, traits: openObject, resourceSummary: usage },
    }),
    result: openObject,
  },
});

const SYSTEM_INFORMATION = object<SystemInformation>({
  properties: { status: object<NonNullable<SystemInformation['status']>>({ properties: { version: string, revision: string } }) },
});

/** The resources whose answers are checked, by their OpenAPI schema name. */
export const SHAPES = { ComputePool: COMPUTE_POOL, Environment: ENVIRONMENT, Statement: STATEMENT, SystemInformation: SYSTEM_INFORMATION } as const;
export type ShapeName = keyof typeof SHAPES;

/** A JSON value's type as a message names it. */
function typeOf(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'number') return Number.isInteger(v) ? 'an integer' : 'a number';
  return `a ${typeof v}`;
}

const A: Record<Shape['type'], string> = { string: 'a string', integer: 'an integer', number: 'a number', boolean: 'a boolean', array: 'an array', object: 'an object' };

/**
 * What is wrong with `value` as `shape`, as "<path> is missing" or "<path> is an object, not a string", or undefined
 * when nothing is. `path` names the value itself ("" for the top).
 */
export function shapeProblem(value: unknown, shape: Shape, path = ''): string | undefined {
  const at = path || 'the value';
  const ok =
    shape.type === 'string' ? typeof value === 'string'
    : shape.type === 'integer' ? typeof value === 'number' && Number.isInteger(value)
    : shape.type === 'number' ? typeof value === 'number' && Number.isFinite(value)
    : shape.type === 'boolean' ? typeof value === 'boolean'
    : shape.type === 'array' ? Array.isArray(value)
    : typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!ok) return `${at} is ${typeOf(value)}, not ${A[shape.type]}`;
  if (shape.type === 'string' && shape.enum && !shape.enum.includes(value as string)) {
    return `${at} is ${JSON.stringify(value).slice(0, 60)}, not one of ${shape.enum.join(', ')}`;
  }
  if (shape.type === 'array' && shape.items) {
    const items = value as unknown[];
    for (let i = 0; i < items.length; i++) {
      const p = shapeProblem(items[i], shape.items, `${path}[${i}]`);
      if (p) return p;
    }
  }
  if (shape.type !== 'object') return undefined;
  const obj = value as Record<string, unknown>;
  const child = (k: string) => (path ? `${path}.${k}` : k);
  for (const k of shape.required ?? []) if (obj[k] === undefined || obj[k] === null) return `${child(k)} is missing`;
  for (const [k, s] of Object.entries(shape.properties ?? {})) {
    if (obj[k] === undefined || obj[k] === null) continue;
    const p = shapeProblem(obj[k], s, child(k));
    if (p) return p;
  }
  if (shape.values) {
    for (const [k, v] of Object.entries(obj)) {
      const p = shapeProblem(v, shape.values, child(k));
      if (p) return p;
    }
  }
  return undefined;
}
