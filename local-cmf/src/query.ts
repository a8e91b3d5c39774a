/**
 * The list query parameters CMF's OpenAPI defines for its paginated endpoints (`page`, `size`, `sort`,
 * `filter`, `search`/`searchScope`, `fields`, `include-resource-information`), parsed strictly: a value the
 * local CMF cannot honour is a 400 naming the parameter, never silently ignored.
 */
import { CmfHttpError } from './errors';
import type { PaginationResponse, PageMetadata } from '../../cmf-model/src/types';

/** Page size when `size` is absent (Spring Data's default). */
const DEFAULT_PAGE_SIZE = 20;
/** Largest page size honoured (Spring Data's default cap); larger values are clamped, as Spring does. */
const MAX_PAGE_SIZE = 2000;

/** What a filter / search / sort can look at on one listed item. */
export interface Listable {
  name: string;
  labels: Record<string, string>;
  phase?: string;
  creationTimestamp?: string;
  updateTimestamp?: string;
  /** Extra text fields `search` may look in, by searchScope name (e.g. `statement`, `kubernetesNamespace`). */
  searchable?: Record<string, string | undefined>;
}

export interface ListOptions {
  /** Does this list support `phase` in `filter`? (Statements and compute pools do.) */
  phaseFilter: boolean;
  /** Fields `searchScope` may name; undefined when the endpoint has no `search` parameter. */
  searchScopes?: readonly string[];
}

export interface Page<T> extends PaginationResponse {
  metadata: PageMetadata;
  items: T[];
}

function badParam(name: string, message: string): CmfHttpError {
  return new CmfHttpError(400, `Query parameter '${name}': ${message}`);
}

function intParam(q: URLSearchParams, name: string): number | undefined {
  const raw = q.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw.trim())) throw badParam(name, `'${raw}' is not an integer.`);
  return Number(raw.trim());
}

export function booleanParam(q: URLSearchParams, name: string): boolean {
  const raw = q.get(name);
  if (raw === null || raw === '') return false;
  const v = raw.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw badParam(name, `'${raw}' is not a boolean; use true or false.`);
}

function parsePaging(q: URLSearchParams): { page: number; size: number } {
  const page = intParam(q, 'page') ?? 0;
  const size = intParam(q, 'size') ?? DEFAULT_PAGE_SIZE;
  if (page < 0) throw badParam('page', `the page index is zero-based and must be 0 or more (got ${page}).`);
  if (size < 1) throw badParam('size', `the page size must be at least 1 (got ${size}).`);
  return { page, size: Math.min(size, MAX_PAGE_SIZE) };
}

type SortKey = { field: 'name' | 'creationTimestamp' | 'updateTimestamp' | 'phase'; dir: 1 | -1 };
const SORT_FIELDS: Record<string, SortKey['field']> = {
  name: 'name',
  'metadata.name': 'name',
  creationTimestamp: 'creationTimestamp',
  'metadata.creationTimestamp': 'creationTimestamp',
  created_time: 'creationTimestamp',
  updateTimestamp: 'updateTimestamp',
  'metadata.updateTimestamp': 'updateTimestamp',
  updated_time: 'updateTimestamp',
  phase: 'phase',
  'status.phase': 'phase',
};

/** `sort=property,(asc|desc)`, repeatable. Items are listed by name when no sort is given. */
function parseSort(q: URLSearchParams, opts: ListOptions): SortKey[] {
  const keys: SortKey[] = [];
  for (const raw of q.getAll('sort')) {
    if (raw.trim() === '') continue;
    const parts = raw.split(',').map((p) => p.trim());
    let dir: 1 | -1 = 1;
    const last = parts[parts.length - 1].toLowerCase();
    if (parts.length > 1 && (last === 'asc' || last === 'desc')) {
      dir = last === 'desc' ? -1 : 1;
      parts.pop();
    }
    for (const prop of parts) {
      const field = SORT_FIELDS[prop];
      if (!field || (field === 'phase' && !opts.phaseFilter)) {
        const allowed = Object.keys(SORT_FIELDS).filter((k) => opts.phaseFilter || SORT_FIELDS[k] !== 'phase');
        throw badParam('sort', `cannot sort by '${prop}'. Use one of ${allowed.join(', ')}, optionally followed by ,asc or ,desc.`);
      }
      keys.push({ field, dir });
    }
  }
  return keys;
}

function compare(a: Listable, b: Listable, keys: SortKey[]): number {
  for (const k of [...keys, { field: 'name', dir: 1 } as SortKey]) {
    const x = a[k.field] ?? '';
    const y = b[k.field] ?? '';
    if (x < y) return -k.dir;
    if (x > y) return k.dir;
  }
  return 0;
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`);
}

/** Splits `a,b in (x, y),c` at the commas outside parentheses. */
function splitTopLevel(expr: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of expr) {
    if (ch === '(') depth++;
    if (ch === ')') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

function valueList(inner: string): string[] {
  return inner
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

type Predicate = (item: Listable) => boolean;

/**
 * `filter`: comma-separated expressions, all of which must hold:
 * `name=glob`, `name!=glob`, `phase=X`, `phase!=X`, `phase in (A, B)`, `phase notin (A, B)`,
 * `labels.k=v`, `labels.k!=v`, `labels.k in (a, b)`, `labels.k notin (a, b)`, `labels.k`, `!labels.k`.
 */
function parseFilter(raw: string | null, opts: ListOptions): Predicate | undefined {
  if (raw === null || raw.trim() === '') return undefined;
  const supported =
    'name=<glob>, labels.<key>=<value>, labels.<key>!=<value>, labels.<key> in (a, b), labels.<key> notin (a, b), labels.<key>, !labels.<key>' +
    (opts.phaseFilter ? ', phase=<PHASE>, phase in (A, B), phase notin (A, B)' : '');
  const preds: Predicate[] = [];
  for (const expr of splitTopLevel(raw)) {
    let m: RegExpExecArray | null;
    const labelKey = '([A-Za-z0-9][-A-Za-z0-9_./]*)';
    if ((m = new RegExp(`^!\\s*labels\\.${labelKey}$`).exec(expr))) {
      const key = m[1];
      preds.push((i) => !(key in i.labels));
    } else if ((m = new RegExp(`^labels\\.${labelKey}$`).exec(expr))) {
      const key = m[1];
      preds.push((i) => key in i.labels);
    } else if ((m = new RegExp(`^(name|phase|labels\\.${labelKey})\\s+(in|notin)\\s*\\((.*)\\)$`, 'i').exec(expr))) {
      const field = m[1];
      const negate = m[3].toLowerCase() === 'notin';
      const values = valueList(m[4]);
      const get = accessor(field, expr, opts, supported);
      const ci = field === 'phase';
      const set = new Set(values.map((v) => (ci ? v.toUpperCase() : v)));
      preds.push((i) => {
        const v = get(i);
        const hit = v !== undefined && set.has(ci ? v.toUpperCase() : v);
        return negate ? !hit : hit;
      });
    } else if ((m = new RegExp(`^(name|phase|labels\\.${labelKey})\\s*(==|=|!=)\\s*(.*)$`).exec(expr))) {
      const field = m[1];
      const negate = m[3] === '!=';
      const value = m[4].trim();
      const get = accessor(field, expr, opts, supported);
      let test: (v: string) => boolean;
      if (field === 'name') {
        const re = globToRegExp(value);
        test = (v) => re.test(v);
      } else if (field === 'phase') {
        test = (v) => v.toUpperCase() === value.toUpperCase();
      } else test = (v) => v === value;
      preds.push((i) => {
        const v = get(i);
        const hit = v !== undefined && test(v);
        return negate ? !hit : hit;
      });
    } else if (/^(state|type)\b/.test(expr)) {
      throw badParam('filter', `'${expr}': ${expr.startsWith('state') ? 'state filtering applies to applications only' : 'type filtering applies to events only'}. Supported here: ${supported}.`);
    } else {
      throw badParam('filter', `cannot understand '${expr}'. Supported: ${supported}.`);
    }
  }
  return (i) => preds.every((p) => p(i));
}

function accessor(field: string, expr: string, opts: ListOptions, supported: string): (i: Listable) => string | undefined {
  if (field === 'name') return (i) => i.name;
  if (field === 'phase') {
    if (!opts.phaseFilter) throw badParam('filter', `'${expr}': this list has no phase. Supported here: ${supported}.`);
    return (i) => i.phase;
  }
  const key = field.slice('labels.'.length);
  return (i) => i.labels[key];
}

/** `search` + `searchScope` (both or neither): any named field contains the term (case-insensitive). */
function parseSearch(q: URLSearchParams, opts: ListOptions): Predicate | undefined {
  const term = q.get('search');
  const scope = q.get('searchScope');
  if (!opts.searchScopes) return undefined;
  if ((term === null || term === '') && (scope === null || scope === '')) return undefined;
  if (term === null || term === '' || scope === null || scope === '') {
    throw badParam(term ? 'searchScope' : 'search', `search and searchScope must be given together (for example ?search=orders&searchScope=${opts.searchScopes.join(',')}).`);
  }
  const fields = valueList(scope);
  for (const f of fields) {
    if (!opts.searchScopes.includes(f)) {
      throw badParam('searchScope', `'${f}' cannot be searched here; supported fields are ${opts.searchScopes.join(', ')}.`);
    }
  }
  const needle = term.toLowerCase();
  return (i) =>
    fields.some((f) => {
      const v = f === 'name' ? i.name : i.searchable?.[f];
      return v !== undefined && v.toLowerCase().includes(needle);
    });
}

/** `fields=metadata.name,status.phase`: keeps those paths (and `apiVersion`, `kind`) of each item. */
function parseFields(q: URLSearchParams): string[][] | undefined {
  const raw = q.get('fields');
  if (raw === null || raw.trim() === '') return undefined;
  const paths = valueList(raw).map((p) => p.split('.'));
  for (const p of paths) {
    if (p.some((s) => s === '')) throw badParam('fields', `'${p.join('.')}' is not a field path (use dot notation, e.g. metadata.name).`);
  }
  return paths;
}

function project(item: unknown, paths: string[][]): unknown {
  if (typeof item !== 'object' || item === null) return item;
  const src = item as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of ['apiVersion', 'kind']) if (k in src) out[k] = src[k];
  for (const path of paths) {
    let from: unknown = src;
    for (const seg of path) {
      from = typeof from === 'object' && from !== null ? (from as Record<string, unknown>)[seg] : undefined;
    }
    if (from === undefined) continue;
    let to = out;
    path.slice(0, -1).forEach((seg) => {
      if (typeof to[seg] !== 'object' || to[seg] === null) to[seg] = {};
      to = to[seg] as Record<string, unknown>;
    });
    to[path[path.length - 1]] = from;
  }
  return out;
}

/**
 * Applies a list request to `entries` (each a listable view plus the JSON to return) and builds the page:
 * `{ pageable: { page, size, sort }, metadata: { size: <total matching> }, items }`.
 */
export function listPage<T>(q: URLSearchParams, entries: { view: Listable; json: T }[], opts: ListOptions): Page<T> {
  const { page, size } = parsePaging(q);
  const sort = parseSort(q, opts);
  const preds = [parseFilter(q.get('filter'), opts), parseSearch(q, opts)].filter((p): p is Predicate => !!p);
  const fields = parseFields(q);
  const matching = entries.filter((e) => preds.every((p) => p(e.view))).sort((a, b) => compare(a.view, b.view, sort));
  const slice = matching.slice(page * size, page * size + size);
  return {
    pageable: { page, size, sort: { sorted: sort.length > 0, unsorted: sort.length === 0, empty: sort.length === 0 } },
    metadata: { size: matching.length },
    items: slice.map((e) => (fields ? (project(e.json, fields) as T) : e.json)),
  };
}
