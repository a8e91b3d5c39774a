/**
 * The compute-pool schema: read from schemas/compute-pool.schema.json when first needed, and compiled once
 * by ajv for validation (rules/schema.ts); schema-lookup.ts reads it for completion and hover.
 */
import Ajv, { type ValidateFunction } from 'ajv';
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

let schema: Record<string, unknown> | undefined;

export function poolSchema(): Record<string, unknown> {
  return (schema ??= readJsonData<Record<string, unknown>>('schemas', 'compute-pool.schema.json'));
}

export function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: true, verbose: true, allowUnionTypes: true });
    for (const keyword of VSCODE_KEYWORDS) ajv.addKeyword({ keyword, schemaType: ['string', 'array', 'object', 'boolean'] });
    compiled = ajv.compile(poolSchema());
  }
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

