/** Printing for the CMF verbs: `-o json|yaml|table`, aligned tables, ages, diagnostics and yes/no prompts. */
import * as readline from 'node:readline';
import { Document, visit } from 'yaml';
import type { LintDiagnostic } from '../../cmf-client/src/lifecycle';
import { hasUnsafeCharacters, terminalSafe } from '../../cmf-client/src/safe-text';
import { UsageError } from './args';
import type { CliIo } from './main';

export type OutputFormat = 'json' | 'yaml' | 'table';
const OUTPUT_FORMATS: readonly OutputFormat[] = ['json', 'yaml', 'table'];

export function outputFormat(value: string | undefined): OutputFormat {
  const v = value ?? 'table';
  if (!OUTPUT_FORMATS.includes(v as OutputFormat)) throw new UsageError(`-o/--output must be json, yaml or table (got "${v}").`);
  return v as OutputFormat;
}

/**
 * JSON (two-space) or YAML of a value, ending with a newline. A YAML string holding a control, bidi or invisible
 * character is double-quoted, where the escapes `main` writes for them (`\u202E`) are YAML's own: the output parses
 * back to the value.
 */
export function serialize(value: unknown, format: 'json' | 'yaml'): string {
  if (format === 'json') return JSON.stringify(value, null, 2) + '\n';
  const doc = new Document(value);
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && hasUnsafeCharacters(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString({ lineWidth: 0 });
}

/** Columns padded to their widest cell; the last column is not padded. Each cell is one line, escaped. */
export function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows].map((r) => r.map((c) => terminalSafe(c)));
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('   ').trimEnd()).join('\n') + '\n';
}

/** kubectl-style age of a timestamp: 45s, 12m, 3h20m, 2d4h. */
export function age(timestamp: string | undefined, now = Date.now()): string {
  if (!timestamp) return '-';
  const t = Date.parse(timestamp);
  if (Number.isNaN(t)) return '-';
  const s = Math.max(0, Math.floor((now - t) / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d}d${h % 24}h` : `${d}d`;
}

/** A single line, at most `max` characters. */
export function oneLine(text: string | undefined, max = 80): string {
  if (!text) return '';
  const s = text.replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

const SEVERITY = ['', 'error', 'warning', 'info', 'hint'];

/** `file:line:col severity code message` lines, as `cmf-pools lint` prints them. */
export function diagnosticLines(file: string, diagnostics: readonly LintDiagnostic[]): string {
  return diagnostics.map((d) => `${terminalSafe(file)}:${d.range.start.line + 1}:${d.range.start.character + 1} ${SEVERITY[d.severity ?? 1]} ${d.code} ${terminalSafe(d.message)}\n`).join('');
}

export function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Can the CLI ask the user? (Standard input and standard error are terminals.) */
export function isInteractive(io: CliIo): boolean {
  return io.interactive ?? (!!process.stdin.isTTY && !!process.stderr.isTTY);
}

/** Asks a yes/no question on the terminal (standard error); only "y" or "yes" is a yes. */
export async function confirm(io: CliIo, question: string): Promise<boolean> {
  if (io.confirm) return io.confirm(question);
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await new Promise<string>((resolve) => {
      rl.question(`${question} [y/N] `, resolve);
      rl.once('close', () => resolve(''));
    });
    return /^\s*y(es)?\s*$/i.test(answer);
  } finally {
    rl.close();
  }
}
