/** Close matches for "did you mean", shared by the schema messages and the Flink option lookup. */

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions), giving up above `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        v = Math.min(v, prev2[j - 2]! + 1);
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n]!;
}

/** Up to `n` candidates close to `word` (case-insensitive), nearest first. */
export function closest(word: string, candidates: Iterable<string>, n: number): string[] {
  const w = word.toLowerCase();
  const max = Math.max(1, Math.floor(w.length / 3));
  const scored: { c: string; d: number }[] = [];
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase(), max);
    if (d <= max) scored.push({ c, d });
  }
  return scored.sort((a, b) => a.d - b.d || a.c.localeCompare(b.c)).slice(0, n).map((s) => s.c);
}
