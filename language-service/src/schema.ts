/**
 * The compute-pool schema: read from schemas/compute-pool.schema.json when first needed, and compiled once
 * by ajv for validation (rules/schema.ts); schema-lookup.ts reads it for completion and hover.
 */
import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
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

let compiled: ValidateFunction | undefined;

/**
 * ajv as the engine validates with it. The bundles carry the validator precompiled at build time with these very
 * options (scripts/build.mjs, ajv's standalone code), so a language server or CLI starts without compiling the
 * schema (about 300 ms); the sources, under tsx, compile it on first use.
 */
export function createAjv(options: { code?: { source: boolean } } = {}): Ajv {
  // Required here, not imported: the bundles leave ajv's compiler out (they carry the precompiled validator).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: AjvClass } = require('ajv') as typeof import('ajv');
  const ajv = new AjvClass({ allErrors: true, strict: true, allowUnionTypes: true, inlineRefs: false, ...options });
  for (const keyword of VSCODE_KEYWORDS) ajv.addKeyword({ keyword, schemaType: ['string', 'array', 'object', 'boolean'] });
  return ajv;
}

/** The validator the build precompiled into this bundle, if this is a bundle. */
function precompiled(): ValidateFunction | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a module only the bundles have (scripts/build.mjs)
    return require('cmf-pools:schema-validator') as ValidateFunction;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && String((e as Error).message).includes('cmf-pools:schema-validator')) return undefined;
    throw e;
  }
}

let schema: Record<string, unknown> | undefined;

export function poolSchema(): Record<string, unknown> {
  return (schema ??= readJsonData<Record<string, unknown>>('schemas', 'compute-pool.schema.json'));
}

export function validator(): ValidateFunction {
  compiled ??= precompiled() ?? createAjv().compile(poolSchema());
  return compiled;
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

