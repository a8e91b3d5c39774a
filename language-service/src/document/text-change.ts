/** The change between two versions of a text, for the front ends that re-read a keystroke instead of parsing again. */

export interface Change {
  /** where the change starts, in both texts */
  from: number;
  /** where it ends in the old text */
  to: number;
  /** the new length minus the old */
  delta: number;
}

/** The change from `a` to `b` by their common prefix and suffix; undefined when they are equal. */
export function changeBetween(a: string, b: string): Change | undefined {
  if (a === b) return undefined;
  const min = Math.min(a.length, b.length);
  // Compared a block at a time first: a string comparison is much faster than a loop over characters.
  let from = 0;
  for (let step = 4096; step >= 16; step >>= 2) while (from + step <= min && a.slice(from, from + step) === b.slice(from, from + step)) from += step;
  while (from < min && a.charCodeAt(from) === b.charCodeAt(from)) from++;
  const max = min - from;
  let tail = 0;
  for (let step = 4096; step >= 16; step >>= 2) {
    while (tail + step <= max && a.slice(a.length - tail - step, a.length - tail) === b.slice(b.length - tail - step, b.length - tail)) tail += step;
  }
  while (tail < max && a.charCodeAt(a.length - 1 - tail) === b.charCodeAt(b.length - 1 - tail)) tail++;
  return { from, to: a.length - tail, delta: b.length - a.length };
}
