/**
 * A line diff (Myers' O((N+M)·D) algorithm) and its unified rendering, for showing what `apply` would
 * change. Pure; no vscode import. The VS Code layer shows its own diff editor; the CLI prints this.
 */

export type LineOp = { kind: 'equal' | 'delete' | 'insert'; line: string };

/** Beyond this many differing lines the diff is reported as "replace everything" (bounds time and memory). */
const MAX_EDIT_DISTANCE = 4000;

/** The edit script turning `a` into `b`, line by line. */
export function diffLines(a: readonly string[], b: readonly string[]): LineOp[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const out: LineOp[] = [];
  for (let i = 0; i < start; i++) out.push({ kind: 'equal', line: a[i] });
  out.push(...middle(a.slice(start, endA), b.slice(start, endB)));
  for (let i = endA; i < a.length; i++) out.push({ kind: 'equal', line: a[i] });
  return out;
}

function middle(a: readonly string[], b: readonly string[]): LineOp[] {
  const n = a.length;
  const m = b.length;
  if (n === 0) return b.map((line) => ({ kind: 'insert', line }));
  if (m === 0) return a.map((line) => ({ kind: 'delete', line }));
  const max = Math.min(n + m, MAX_EDIT_DISTANCE);
  const off = max + 1;
  const v = new Int32Array(2 * max + 3);
  // trace[d] holds v[k] for k in [-d-1, d+1] as it was at the start of round d.
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(off - d - 1, off + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1] < v[off + k + 1]) ? v[off + k + 1] : v[off + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n && y >= m) return backtrack(a, b, trace, d);
    }
  }
  // Too different to be worth aligning: everything out, everything in.
  return [...a.map((line): LineOp => ({ kind: 'delete', line })), ...b.map((line): LineOp => ({ kind: 'insert', line }))];
}

function backtrack(a: readonly string[], b: readonly string[], trace: Int32Array[], dEnd: number): LineOp[] {
  const ops: LineOp[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = dEnd; d >= 0; d--) {
    const t = trace[d];
    const at = (k: number) => t[k + d + 1];
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : at(prevK);
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: 'equal', line: a[x - 1] });
      x--;
      y--;
    }
    if (d > 0) {
      if (x === prevX) ops.push({ kind: 'insert', line: b[y - 1] });
      else ops.push({ kind: 'delete', line: a[x - 1] });
    }
    x = prevX;
    y = prevY;
  }
  return ops.reverse();
}

export interface UnifiedDiffOptions {
  /** Label of the old side (`--- ...`). */
  from: string;
  /** Label of the new side (`+++ ...`). */
  to: string;
  /** Unchanged lines shown around each change (default 3). */
  context?: number;
}

/** A unified diff of two texts (`---`/`+++` header, `@@` hunks), or '' when they are equal. */
export function unifiedDiff(oldText: string, newText: string, options: UnifiedDiffOptions): string {
  const a = oldText === '' ? [] : oldText.split('\n');
  const b = newText === '' ? [] : newText.split('\n');
  const ops = diffLines(a, b);
  if (ops.every((o) => o.kind === 'equal')) return '';
  const context = options.context ?? 3;
  // Line numbers (1-based) of each op on both sides.
  const rows = [];
  let la = 1;
  let lb = 1;
  for (const op of ops) {
    rows.push({ ...op, la, lb });
    if (op.kind !== 'insert') la++;
    if (op.kind !== 'delete') lb++;
  }
  const changed = rows.map((r) => r.kind !== 'equal');
  const lines = [`--- ${options.from}`, `+++ ${options.to}`];
  let i = 0;
  while (i < rows.length) {
    if (!changed[i]) {
      i++;
      continue;
    }
    // A hunk: from `context` lines before this change to `context` lines after the last change that is
    // within 2·context lines of the previous one.
    const begin = Math.max(0, i - context);
    let end = i;
    for (let j = i; j < rows.length; j++) {
      if (changed[j]) end = j;
      else if (j - end > 2 * context) break;
    }
    const stop = Math.min(rows.length, end + context + 1);
    const hunk = rows.slice(begin, stop);
    const oldCount = hunk.filter((r) => r.kind !== 'insert').length;
    const newCount = hunk.filter((r) => r.kind !== 'delete').length;
    const oldStart = oldCount ? hunk.find((r) => r.kind !== 'insert')!.la : hunk[0].la - 1;
    const newStart = newCount ? hunk.find((r) => r.kind !== 'delete')!.lb : hunk[0].lb - 1;
    lines.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`);
    for (const r of hunk) lines.push(`${r.kind === 'equal' ? ' ' : r.kind === 'delete' ? '-' : '+'}${r.line}`);
    i = stop;
  }
  return lines.join('\n') + '\n';
}
