/**
 * How `cmf-pools lint` reports: text for people, JSON for scripts, and GitHub Actions workflow commands (SARIF is in
 * sarif.ts). Paths in GitHub annotations are relative to the repository's root, where the runner looks for them.
 */
import * as path from 'node:path';
import type { PoolDiagnostic } from '../../language-service/src/index';
import { terminalSafe } from '../../cmf-client/src/safe-text';

export type SeverityName = 'error' | 'warning' | 'info' | 'hint';
const SEVERITY_NAMES: readonly SeverityName[] = ['error', 'error', 'warning', 'info', 'hint'];

export interface ReportedDiagnostic {
  /** 0-based, as in LSP; the end is exclusive. */
  range: PoolDiagnostic['range'];
  severity: SeverityName;
  code: string;
  message: string;
}

/** One checked file and its problems (the shape of `--format json`). */
export interface FileReport {
  file: string;
  diagnostics: ReportedDiagnostic[];
}

export function reported(diagnostics: readonly Pick<PoolDiagnostic, 'range' | 'severity' | 'code' | 'message'>[]): ReportedDiagnostic[] {
  return diagnostics.map((d) => ({ range: d.range, severity: SEVERITY_NAMES[d.severity ?? 1] ?? 'error', code: String(d.code), message: d.message }));
}

export function counts(files: readonly FileReport[]): Record<SeverityName, number> {
  const count = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const f of files) for (const d of f.diagnostics) count[d.severity]++;
  return count;
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

/** `file:line:col severity code message` per problem, 1-based. */
export function textLines(files: readonly FileReport[]): string {
  let out = '';
  for (const r of files) {
    for (const d of r.diagnostics) {
      // Messages quote values from the file, and a folder or a glob finds any file name: each shown on one line, escaped.
      out += `${r.file === '-' ? '<stdin>' : terminalSafe(r.file)}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code} ${terminalSafe(d.message)}\n`;
    }
  }
  return out;
}

/** "10 problems (6 errors, 4 warnings, 0 info, 0 hints) in 1 file." or "No problems in 3 files." */
export function summary(files: readonly FileReport[], unread: number): string {
  const count = counts(files);
  const total = count.error + count.warning + count.info + count.hint;
  const checked = `${plural(files.length, 'file')}${unread ? ` (${unread} more could not be read)` : ''}`;
  return total
    ? `${plural(total, 'problem')} (${plural(count.error, 'error')}, ${plural(count.warning, 'warning')}, ${count.info} info, ${plural(count.hint, 'hint')}) in ${checked}.`
    : `No problems in ${checked}.`;
}

/** A value in a workflow command's message, escaped as the Actions runner reads it (actions/toolkit's escapeData). */
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property of a workflow command (escapeProperty): also `:` and `,`, which separate properties. */
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const GITHUB_COMMAND: Record<SeverityName, string> = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' };

/**
 * GitHub Actions workflow commands, one line per problem: `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=<code>::<message>`
 * (info and hints as `notice`), which the runner turns into annotations on the pull request's files. Lines and
 * columns are 1-based and the end column inclusive, as the checks API reads annotations; `file` is relative to
 * `root`, the repository's root (standard input has no file).
 */
export function githubCommands(files: readonly FileReport[], ctx: { cwd: string; root: string }): string {
  let out = '';
  for (const f of files) {
    let file: string | undefined;
    if (f.file !== '-') {
      const abs = path.resolve(ctx.cwd, f.file);
      const rel = path.relative(ctx.root, abs);
      file = (rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel).split(path.sep).join('/');
    }
    for (const d of f.diagnostics) {
      const { start, end } = d.range;
      // An empty range (a missing property, at its parent's key) still marks one character.
      const endColumn = end.line === start.line ? Math.max(end.character, start.character + 1) : end.character + 1;
      const props = [
        ...(file !== undefined ? [`file=${escapeProperty(file)}`] : []),
        `line=${start.line + 1}`,
        `col=${start.character + 1}`,
        `endLine=${end.line + 1}`,
        `endColumn=${endColumn}`,
        `title=${escapeProperty(d.code)}`,
      ];
      out += `::${GITHUB_COMMAND[d.severity]} ${props.join(',')}::${escapeData(d.message)}\n`;
    }
  }
  return out;
}
