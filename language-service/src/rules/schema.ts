/**
 * The compute-pool schema's own checks, by JSON Schema keyword: schema/additionalProperties (a property the
 * schema does not know, with "did you mean") and schema/<keyword> for the rest. ajv's errors are mapped back
 * to the document (the key for unknown or missing properties, the value otherwise), one message per problem.
 */
import type { ErrorObject } from 'ajv';
import { CFK_KIND, KIND, POD_TEMPLATE_ENVELOPE_FIELDS, type PoolKind } from '../../../cmf-model/src/facts';
import { isObject, valueAt } from '../../../cmf-model/src/json';
import { type JsonPath, pathLabel } from '../document/model';
import { type PoolModel, isPodTemplatePath } from '../pool';
import { pointerToPath, poolSchema, validator } from '../schema';
import { propertiesAt, schemasAt, typesOf } from '../schema-lookup';
import { closest, editDistance } from '../text';
import { type Fix, type Reporter, defineRule, exists, plainText, strings } from './rule';

/** Every schema code: `schema/` and the JSON Schema keyword that failed. */
export type SchemaCode = `schema/${string}`;

export const schemaRule = defineRule<SchemaCode>({
  codes: {
    'schema/additionalProperties': { severity: 'warning', summary: 'A property the compute-pool schema does not know (often a typo).', docs: 'cmf' },
    'schema/<keyword>': {
      severity: 'error',
      summary: 'Any other schema violation, by JSON Schema keyword: schema/required, schema/enum, schema/type, ...',
      docs: 'cmf',
    },
  },
  check({ pool }, r) {
    const value = pool?.file ?? r.doc.value;
    const kind = pool?.kind ?? KIND;
    const validate = validator(kind);
    if (validate(value)) return;
    for (const e of collapse(validate.errors ?? [])) report(e, value, kind, r);
  },
  fixes: {
    'schema/additionalProperties': ({ pool, data, path }) => (path && exists(pool, path) ? unknownPropertyFixes(data, path, pool) : []),
    'schema/enum': ({ pool, data, path }) => (path && exists(pool, path) ? enumFixes(Array.isArray(data.allowedValues) ? data.allowedValues : [], path, pool) : []),
  },
});

function unknownPropertyFixes(data: Record<string, unknown>, path: JsonPath, pool: PoolModel): Fix[] {
  const parent = pool.at(path.slice(0, -1));
  const prop = plainText(path[path.length - 1]);
  const fixes: Fix[] = [];
  for (const s of strings(data.suggestions)) {
    if (isObject(parent) && s in parent) continue; // renaming would duplicate a property
    fixes.push({ title: `Replace "${prop}" with "${s}"`, build: (e) => e.renameKey(path, s), preferred: true });
  }
  fixes.push({ title: `Remove "${prop}"`, build: (e) => e.remove(path) });
  return fixes;
}

/** "Set to X" for each allowed value (at most six), the closest to the current value first. */
export function enumFixes(allowed: readonly unknown[], path: JsonPath, pool: PoolModel, label = pathLabel(path)): Fix[] {
  if (allowed.length === 0 || allowed.length > 16) return [];
  const current = pool.at(path);
  const text = typeof current === 'string' ? current.toLowerCase() : plainText(current);
  // Only the case is wrong: that is the fix, and no other value is a guess worth offering.
  const sameLetters = allowed.find((v) => typeof v === 'string' && v.toLowerCase() === text);
  if (sameLetters !== undefined) return [{ title: `Set ${label} to ${JSON.stringify(sameLetters)}`, build: (e) => e.set(path, sameLetters), preferred: true }];
  const ranked = allowed.map((v) => ({ v, d: editDistance(text, plainText(v).toLowerCase()) })).sort((a, b) => a.d - b.d);
  return ranked.slice(0, 6).map(({ v }, i) => ({
    title: `Set ${label} to ${JSON.stringify(v)}`,
    build: (e) => e.set(path, v),
    preferred: i === 0 && ranked.length === 1,
  }));
}

/** The JSON Schema keywords whose failure ajv reports under their own name (and so a `schema/<keyword>` code). */
const VALIDATION_KEYWORDS = new Set([
  'additionalItems', 'additionalProperties', 'anyOf', 'const', 'contains', 'dependencies', 'dependentRequired', 'enum',
  'exclusiveMaximum', 'exclusiveMinimum', 'format', 'if', 'maxItems', 'maxLength', 'maxProperties', 'maximum',
  'minItems', 'minLength', 'minProperties', 'minimum', 'multipleOf', 'not', 'oneOf', 'pattern', 'propertyNames',
  'required', 'type', 'uniqueItems',
]);
/** Keywords whose value is a schema, a list of schemas, or a map of them: where the walk below goes on. */
const SUBSCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs', 'dependencies', 'dependentSchemas']);
const SUBSCHEMAS = new Set(['items', 'additionalItems', 'additionalProperties', 'allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else', 'contains', 'propertyNames']);

/**
 * The keywords the pool schemas (ComputePool's and FlinkComputePool's) validate with: every `schema/<keyword>` code
 * this rule can report, for a list of rules that names each one (the CLI's SARIF). Reads the schemas.
 */
export function schemaKeywords(): string[] {
  const found = new Set<string>();
  const seen = new Set<object>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isObject(node) || seen.has(node)) return;
    seen.add(node);
    for (const [key, v] of Object.entries(node)) {
      if (VALIDATION_KEYWORDS.has(key) && v !== true) found.add(key);
      if (SUBSCHEMA_MAPS.has(key) && isObject(v)) Object.values(v).forEach(visit);
      else if (SUBSCHEMAS.has(key)) visit(v);
    }
  };
  for (const kind of [KIND, CFK_KIND] as const) visit(poolSchema(kind));
  return [...found].sort();
}

/**
 * Turns ajv's raw list into one error per problem: an anyOf/oneOf failure stands for the errors of its
 * branches at the same place, and identical errors are reported once.
 */
function collapse(errors: ErrorObject[]): ErrorObject[] {
  const combinators = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const seen = new Set<string>();
  const out: ErrorObject[] = [];
  for (const e of errors) {
    const inBranch = combinators.some(
      (c) => c !== e && e.schemaPath.startsWith(c.schemaPath + '/') && (e.instancePath === c.instancePath || e.instancePath.startsWith(c.instancePath + '/')),
    );
    if (inBranch) continue;
    const id = `${e.keyword}|${e.instancePath}|${JSON.stringify(e.params)}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(e);
  }
  return out;
}

function typeList(types: unknown): string {
  const list = (Array.isArray(types) ? types : [types]).map(String);
  const named = list.map((t) => (t === 'integer' ? 'a whole number' : t === 'object' || t === 'array' ? `an ${t}` : `a ${t}`));
  return named.length > 1 ? `${named.slice(0, -1).join(', ')} or ${named[named.length - 1]}` : named[0];
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  if (typeof v === 'object') return 'an object';
  return `the ${typeof v} ${String(v)}`;
}

function report(e: ErrorObject, value: unknown, kind: PoolKind, r: Reporter<SchemaCode>): void {
  const path = pointerToPath(e.instancePath, value);
  const where = pathLabel(path);
  const code: SchemaCode = `schema/${e.keyword}`;
  switch (e.keyword) {
    case 'additionalProperties': {
      const prop = String((e.params as { additionalProperty: string }).additionalProperty);
      // A pod template's apiVersion and kind have a rule of their own (pod-template-envelope) that says why.
      if (POD_TEMPLATE_ENVELOPE_FIELDS.includes(prop) && isPodTemplatePath(path)) return;
      const known = [...propertiesAt(path, kind).keys()];
      const suggestions = closest(prop, known, 2);
      const hint = suggestions.length ? ` Did you mean "${suggestions[0]}"?` : known.length ? ` Known properties: ${known.join(', ')}.` : '';
      const inside = path.length ? ` in ${where}` : '';
      r.report(code, r.keyAt([...path, prop]), `Unknown property "${prop}"${inside}.${hint}`, { path: [...path, prop], property: prop, suggestions });
      return;
    }
    case 'required': {
      const missing = String((e.params as { missingProperty: string }).missingProperty);
      const inside = path.length ? `${where} is missing` : 'The pool is missing';
      r.report(code, r.keyAt(path), `${inside} the required property "${missing}".`, { path, property: missing });
      return;
    }
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
      const expected = allowed.length === 1 ? JSON.stringify(allowed[0]) : `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`;
      r.report(code, r.valueAt(path), `${where} must be ${expected} (it is ${describe(valueAt(value, path))}).`, {
        path,
        allowedValues: allowed,
      });
      return;
    }
    case 'const': {
      const allowed = (e.params as { allowedValue: unknown }).allowedValue;
      r.report(code, r.valueAt(path), `${where} must be ${JSON.stringify(allowed)} (it is ${describe(valueAt(value, path))}).`, { path, allowedValues: [allowed] });
      return;
    }
    case 'type': {
      r.report(code, r.valueAt(path), `${where} must be ${typeList((e.params as { type: unknown }).type)} (it is ${describe(valueAt(value, path))}).`, { path });
      return;
    }
    case 'anyOf':
    case 'oneOf': {
      const types = typesOf(schemasAt(path, kind));
      const expected = types.length ? typeList([...new Set(types)]) : 'one of the allowed shapes';
      r.report(code, r.valueAt(path), `${where} must be ${expected} (it is ${describe(valueAt(value, path))}).`, { path });
      return;
    }
    default:
      r.report(code, r.valueAt(path), `${where} ${e.message ?? 'is not valid'}.`, { path });
  }
}
