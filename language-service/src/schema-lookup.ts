/**
 * Reading the compute-pool schema by document path, for completion and hover: which schemas apply at a
 * path ($ref, anyOf, oneOf and allOf followed), the properties an object may have, and what the schema
 * says about a property or a value. Validation does not use this (it has ajv); this is about authoring.
 */
import type { JsonPath } from './document/model';
import { KIND, type PoolKind } from '../../cmf-model/src/facts';
import { poolSchema } from './schema';

export interface SchemaNode {
  type?: string | string[];
  $ref?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode | SchemaNode[];
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  allOf?: SchemaNode[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  markdownDescription?: string;
  enumDescriptions?: string[];
  markdownEnumDescriptions?: string[];
  deprecationMessage?: string;
  doNotSuggest?: boolean;
  defaultSnippets?: { label?: string; description?: string; markdownDescription?: string; body?: unknown; bodyText?: string }[];
  required?: string[];
}

const resolved = new Map<string, SchemaNode | undefined>();

/** A local `$ref` (`#/definitions/podTemplate/definitions/KeyToPaths`) to the schema it names. */
function resolveRef(ref: string): SchemaNode | undefined {
  if (resolved.has(ref)) return resolved.get(ref);
  // Local refs are all inside CMF's schema, and CFK's schema refers to it by file name (compute-pool.schema.json#/...).
  const hash = ref.indexOf('#');
  const file = hash > 0 ? ref.slice(0, hash) : '';
  let node: unknown = file === '' || file === 'compute-pool.schema.json' ? poolSchema() : undefined;
  if (hash < 0) node = undefined;
  else {
    for (const raw of ref.slice(hash + 1).split('/').filter(Boolean)) {
      const seg = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[seg] : undefined;
    }
  }
  const result = typeof node === 'object' && node !== null ? (node as SchemaNode) : undefined;
  resolved.set(ref, result);
  return result;
}

/**
 * A schema with its `$ref` followed and its combinators flattened: the list of schemas that all describe
 * the same place. The referring schema's own annotations (markdownDescription beside a $ref) come first.
 */
export function expand(schema: SchemaNode | undefined): SchemaNode[] {
  const out: SchemaNode[] = [];
  const seen = new Set<SchemaNode>();
  const visit = (s: SchemaNode | undefined, depth: number) => {
    if (!s || seen.has(s) || depth > 16) return;
    seen.add(s);
    out.push(s);
    if (s.$ref) visit(resolveRef(s.$ref), depth + 1);
    for (const list of [s.allOf, s.anyOf, s.oneOf]) if (list) for (const b of list) visit(b, depth + 1);
  };
  visit(schema, 0);
  return out;
}

/** The schemas for the value at `path` in a pool of `kind`, expanded; [] where the schema says nothing. */
export function schemasAt(path: JsonPath, kind: PoolKind = KIND): SchemaNode[] {
  let current = expand(poolSchema(kind) as SchemaNode);
  for (const seg of path) {
    const next: SchemaNode[] = [];
    for (const s of current) {
      if (typeof seg === 'number') {
        if (Array.isArray(s.items)) next.push(...expand(s.items[seg]));
        else if (s.items) next.push(...expand(s.items));
      } else if (s.properties && Object.prototype.hasOwnProperty.call(s.properties, seg)) {
        next.push(...expand(s.properties[seg]));
      } else if (typeof s.additionalProperties === 'object') {
        next.push(...expand(s.additionalProperties));
      }
    }
    if (next.length === 0) return [];
    current = next;
  }
  return current;
}

/** The properties an object at `path` may have, by name, with their (unexpanded) schemas, in schema order. */
export function propertiesAt(path: JsonPath, kind: PoolKind = KIND): Map<string, SchemaNode> {
  const props = new Map<string, SchemaNode>();
  for (const s of schemasAt(path, kind)) {
    if (!s.properties) continue;
    for (const [k, v] of Object.entries(s.properties)) if (!props.has(k)) props.set(k, v);
  }
  return props;
}

/** The first description the schemas give (markdown preferred). */
export function descriptionOf(schemas: readonly SchemaNode[]): string | undefined {
  for (const s of schemas) if (s.markdownDescription) return s.markdownDescription;
  for (const s of schemas) if (s.description) return s.description;
  return undefined;
}

/** The JSON types the schemas allow, in order, without repeats. */
export function typesOf(schemas: readonly SchemaNode[]): string[] {
  const types: string[] = [];
  for (const s of schemas) {
    const t = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
    for (const x of t) if (!types.includes(x)) types.push(x);
  }
  return types;
}

/** Each allowed enum or const value with its description, across the schemas. */
export function enumValuesOf(schemas: readonly SchemaNode[]): { value: unknown; description: string | undefined }[] {
  const out: { value: unknown; description: string | undefined }[] = [];
  const seen = new Set<string>();
  const add = (value: unknown, description: string | undefined) => {
    const id = JSON.stringify(value);
    if (seen.has(id)) return;
    seen.add(id);
    out.push({ value, description });
  };
  for (const s of schemas) {
    if (s.enum) s.enum.forEach((v, i) => add(v, s.markdownEnumDescriptions?.[i] ?? s.enumDescriptions?.[i]));
    if (s.const !== undefined) add(s.const, s.markdownDescription ?? s.description);
  }
  return out;
}
