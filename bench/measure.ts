/** What the benchmarks share: percentiles, positions, the printed table, and keystrokes timed over stdio. */
import { performance } from 'node:perf_hooks';
import type { PoolServer } from '../test/lsp/lsp-client';

export interface Stats {
  median: number;
  p95: number;
}

export function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { median: q(0.5), p95: q(0.95) };
}

export function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** Prints rows as columns: the first `left` columns left-aligned (names), the rest right-aligned (figures). */
export function printTable(rows: string[][], left: number): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  for (const r of rows) console.log(r.map((cell, i) => (i >= left ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  '));
}

/** A document and the single character that edits toggle between two values. */
export interface KeystrokeCase {
  name: string;
  text: string;
  at: number;
  chars: [string, string];
  edits: number;
}

/** A case that toggles the integer part of the TaskManager cpu (`cpu` written as `pattern` finds it). */
export function cpuKeystroke(name: string, text: string, edits: number, pattern: string): KeystrokeCase {
  const i = text.indexOf(pattern);
  if (i < 0) throw new Error(`no ${pattern} in ${name}`);
  return { name, text, at: i + pattern.length - 1, chars: ['2', '1'], edits };
}

/**
 * Keystroke to diagnostics over stdio: from the didChange leaving the client to the publishDiagnostics for that
 * version arriving (`versioned`: the server says which version it validated; otherwise the next publish counts).
 */
export async function keystrokesOverStdio(server: PoolServer, uri: string, languageId: string, c: KeystrokeCase, versioned = true): Promise<number[]> {
  const opened = server.next(uri);
  server.open(uri, c.text, 1, languageId);
  await opened;
  const pos = positionAt(c.text, c.at);
  const samples: number[] = [];
  const warmUp = 30; // a user's first keystrokes warm the server's JIT; they are not counted
  for (let v = 2; v < c.edits + warmUp + 2; v++) {
    const published = server.next(uri, (p) => !versioned || p.version === v);
    const t0 = performance.now();
    server.changes(uri, v, [{ range: { start: pos, end: { line: pos.line, character: pos.character + 1 } }, text: c.chars[v % 2]! }]);
    await published;
    if (v >= warmUp + 2) samples.push(performance.now() - t0);
  }
  return samples;
}
