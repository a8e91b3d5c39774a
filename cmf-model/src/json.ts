/** Plain JSON values as every part handles them: objects, paths into them, and reading a value by path. */

/** A path into a JSON value: object keys and array indices. */
export type JsonPath = readonly (string | number)[];

/** Is `v` a JSON object (not null, not an array)? */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value at `path` in `root`; undefined where the path leaves the value. */
export function valueAt(root: unknown, path: JsonPath): unknown {
  let v: unknown = root;
  for (const seg of path) {
    if (typeof seg === 'number') v = Array.isArray(v) ? v[seg] : undefined;
    else v = isObject(v) && Object.prototype.hasOwnProperty.call(v, seg) ? v[seg] : undefined;
  }
  return v;
}
