/**
 * Schema validation: ajv, compiled once from schemas/compute-pool.schema.json, its errors mapped back
 * to the syntax tree (key for unknown or missing properties, value otherwise), one message per problem.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import schema from '../../schemas/compute-pool.schema.json';
import { type JsonPath, pathLabel } from './document';
import { closest } from './text';
import type { Reporter } from './rules/context';

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

export function poolSchema(): Record<string, unknown> {
  return schema as Record<string, unknown>;
}

function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: true, verbose: true, allowUnionTypes: true });
    for (const keyword of VSCODE_KEYWORDS) ajv.addKeyword({ keyword, schemaType: ['string', 'array', 'object', 'boolean'] });
    compiled = ajv.compile(schema);
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

export function schemaRules(value: unknown, r: Reporter): void {
  const validate = validator();
  if (validate(value)) return;
  for (const e of collapse(validate.errors ?? [])) report(e, value, r);
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

function report(e: ErrorObject, value: unknown, r: Reporter): void {
  const path = pointerToPath(e.instancePath, value);
  const where = pathLabel(path);
  const code = `schema/${e.keyword}`;
  switch (e.keyword) {
    case 'additionalProperties': {
      const prop = String((e.params as { additionalProperty: string }).additionalProperty);
      const known = Object.keys(((e.parentSchema as Record<string, unknown>)?.properties as object) ?? {});
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
      r.report(code, r.valueAt(path), `${where} must be ${expected} (it is ${describe(e.data)}).`, {
        path,
        allowedValues: allowed,
      });
      return;
    }
    case 'const': {
      const allowed = (e.params as { allowedValue: unknown }).allowedValue;
      r.report(code, r.valueAt(path), `${where} must be ${JSON.stringify(allowed)} (it is ${describe(e.data)}).`, { path, allowedValues: [allowed] });
      return;
    }
    case 'type': {
      r.report(code, r.valueAt(path), `${where} must be ${typeList((e.params as { type: unknown }).type)} (it is ${describe(e.data)}).`, { path });
      return;
    }
    case 'anyOf':
    case 'oneOf': {
      const branches = (e.schema as { type?: unknown }[]) ?? [];
      const types = branches.flatMap((b) => (b && b.type !== undefined ? (Array.isArray(b.type) ? b.type : [b.type]) : []));
      const expected = types.length ? typeList([...new Set(types)]) : 'one of the allowed shapes';
      r.report(code, r.valueAt(path), `${where} must be ${expected} (it is ${describe(e.data)}).`, { path });
      return;
    }
    default:
      r.report(code, r.valueAt(path), `${where} ${e.message ?? 'is not valid'}.`, { path });
  }
}
