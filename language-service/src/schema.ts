/**
 * The compute-pool schemas, one per kind of pool (CMF's ComputePool, schemas/compute-pool.schema.json, and Confluent
 * for Kubernetes' FlinkComputePool, schemas/flink-compute-pool.schema.json): read when first needed, and validated
 * by ajv (rules/schema.ts); schema-lookup.ts reads them for completion and hover.
 */
import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import { CFK_KIND, KIND, type PoolKind } from '../../cmf-model/src/facts';
import { readJsonData } from './data-files';
import type { JsonPath } from './document/model';

/** VS Code's JSON schema extensions: annotations only, registered so ajv's strict mode accepts them. */
export const VSCODE_KEYWORDS: readonly string[] = [
  'markdownDescription',
  'enumDescriptions',
  'markdownEnumDescriptions',
  'defaultSnippets',
  'deprecationMessage',
  'errorMessage',
  'doNotSuggest',
];

let validators: Record<PoolKind, ValidateFunction> | undefined;
const POOL_KINDS: readonly PoolKind[] = [KIND, CFK_KIND];

/**
 * ajv as the engine validates with it. The bundles carry the validator precompiled at build time with these very
 * options (scripts/build.mjs, ajv's standalone code), so a language server or CLI starts without compiling the
 * schema (about 300 ms); the sources, under tsx, compile it on first use.
 */
function createAjv(options: { code?: { source: boolean } } = {}): Ajv {
  // Required here, not imported: the bundles leave ajv's compiler out (they carry the precompiled validator).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: AjvClass } = require('ajv') as typeof import('ajv');
  const ajv = new AjvClass({ allErrors: true, strict: true, allowUnionTypes: true, inlineRefs: false, ...options });
  for (const keyword of VSCODE_KEYWORDS) ajv.addKeyword({ keyword, schemaType: ['string', 'array', 'object', 'boolean'] });
  return ajv;
}

/** The validators the build precompiled into this bundle (one per kind), if this is a bundle. */
function precompiled(): Record<PoolKind, ValidateFunction> | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a module only the bundles have (scripts/build.mjs)
    return require('cmf-pools:schema-validator') as Record<PoolKind, ValidateFunction>;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && String((e as Error).message).includes('cmf-pools:schema-validator')) return undefined;
    throw e;
  }
}

/** The schema of each kind of pool. CFK's refers to CMF's clusterSpec (`compute-pool.schema.json#/definitions/...`). */
const SCHEMA_FILES: Record<PoolKind, string> = { ComputePool: 'compute-pool.schema.json', FlinkComputePool: 'flink-compute-pool.schema.json' };
const schemas = new Map<PoolKind, Record<string, unknown>>();

export function poolSchema(kind: PoolKind = KIND): Record<string, unknown> {
  let schema = schemas.get(kind);
  if (!schema) schemas.set(kind, (schema = readJsonData<Record<string, unknown>>('schemas', SCHEMA_FILES[kind])));
  return schema;
}

/** Each kind's schema by its `$id`, for ajv (both, since CFK's refers to CMF's) and for the standalone code. */
export function schemaIds(): Record<PoolKind, string> {
  return { ComputePool: poolSchema(KIND).$id as string, FlinkComputePool: poolSchema(CFK_KIND).$id as string };
}

/** An ajv with both schemas added. */
export function ajvWithSchemas(options?: { code?: { source: boolean } }): Ajv {
  const ajv = createAjv(options);
  for (const kind of POOL_KINDS) ajv.addSchema(poolSchema(kind));
  return ajv;
}

export function validator(kind: PoolKind = KIND): ValidateFunction {
  validators ??= precompiled() ?? compileAll();
  return validators[kind];
}

/** Both kinds' validators, compiled now (the sources; the bundles carry them precompiled). */
function compileAll(): Record<PoolKind, ValidateFunction> {
  const ajv = ajvWithSchemas();
  const ids = schemaIds();
  return { ComputePool: ajv.getSchema(ids.ComputePool)!, FlinkComputePool: ajv.getSchema(ids.FlinkComputePool)! };
}

/** JSON pointer (/spec/clusterSpec/image) to path segments; numbers for array indices. */
export function pointerToPath(pointer: string, value: unknown): JsonPath {
  if (!pointer) return [];
  const path: (string | number)[] = [];
  let v: unknown = value;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(v)) {
      const i = Number(seg);
      path.push(i);
      v = v[i];
    } else {
      path.push(seg);
      v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[seg] : undefined;
    }
  }
  return path;
}

