/** `cmf-pools lint`: the language service's diagnostics for files, globs or stdin, as text or JSON. */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { glob, isDynamicPattern } from 'tinyglobby';
import { NEWEST_CMF_VERSION } from '../../cmf-model/src/releases';
import { type PoolDefaults, type PoolDiagnostic, type PoolSettings, ResolvedSettings, catalogue, lint, normalizeSettings } from '../../language-service/src/index';
import { parse, UsageError } from './args';
import { CONNECTION_OPTIONS, withCmf } from './connect';
import { defaultsFromCmf, defaultsFromFile } from './environment';
import type { CliIo } from './main';

export const LINT_HELP = `Usage: cmf-pools lint [options] <file|glob|->...

Checks compute-pool files, JSON or YAML, with the same rules as the editor: the compute-pool schema and
CMF's own rules (fields CMF manages, reserved volumes, cp-flink-sql images, shared/dedicated
differences, Flink configuration keys and values). "-" reads one file from standard input (YAML unless
it starts with "{" or "[").

A YAML file may hold several documents (---): each compute pool in it is checked (CMF's ComputePool,
or a Confluent for Kubernetes FlinkComputePool), other documents only for YAML syntax; lines and
columns are the file's.

Files named directly are always checked. Files found through a glob are checked when they hold a
compute pool: a document whose kind is ComputePool or FlinkComputePool, or a name matching
cmfPools.files (default **/*.pool.json, **/*.pool.yaml, **/*.pool.yml).

Options:
  --format text|json      text (default): one line per problem, "file:line:col severity code message",
                          then a summary. json: [{ "file", "diagnostics": [{ "range" (0-based, as in
                          LSP), "severity", "code", "message" }] }]
  --settings FILE         read cmfPools.rules, cmfPools.allowedImages, cmfPools.files and
                          cmfPools.cmfVersion from a VS Code settings file (default:
                          .vscode/settings.json when it exists), so the CLI and the editor agree
  --no-settings           ignore .vscode/settings.json
  --rule CODE=SEVERITY    set a rule's severity: error, warning, info, hint or off (repeatable;
                          wins over the settings file), e.g. --rule image-unverified=off
  --allowed-image GLOB    an image known to be built on cp-flink-sql (repeatable), e.g.
                          --allowed-image 'registry.example.com/flink/*'
  --cmf-version VERSION   the CMF version the pools deploy to (e.g. 2.4 or 2.4.1; wins over the
                          settings file): which Flink lines and cp-flink-sql builds it runs. Default:
                          the newest CMF these rules know (${NEWEST_CMF_VERSION})
  --environment-defaults FILE
                          check each pool as CMF deploys it: over the computePoolDefaults of an
                          environment, from a JSON or YAML file holding the Environment (as CMF
                          returns it) or its computePoolDefaults ({"clusterSpec": ...})
  --environment NAME      the same, read from CMF: the environment's computePoolDefaults, and CMF's
                          own version (CMF 2.2 and later say it; it wins over --cmf-version). Takes
                          the connection options of the other commands (--url or CONFLUENT_CMF_URL,
                          TLS files, CMF_POOLS_TOKEN); see "cmf-pools apply --help"
  -h, --help              show this help

Exit status: 1 if any error was found, 0 otherwise (warnings do not fail), 2 for a usage error or
a file that cannot be read (named in the message).

Rules (code, default severity; set them with --rule or cmfPools.rules):
${rulesHelp()}`;

/** The rule catalogue, from the rule modules themselves: one entry per code, its summary indented below it. */
function rulesHelp(): string {
  return catalogue()
    .map((r) => `  ${r.code} (${r.severity})\n${wrap(r.summary, 96, '      ')}`)
    .join('\n')
    .concat('\n');
}

function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}

const SEVERITY_NAMES = ['', 'error', 'warning', 'info', 'hint'] as const;

/**
 * A file's text as an editor shows it: without a leading UTF-8 byte order mark (editors hide it), so lines and
 * columns are the ones the user sees. The engine reads a mark as if it were not there either way.
 */
export function withoutByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

interface LintResult {
  file: string;
  diagnostics: { range: PoolDiagnostic['range']; severity: string; code: string; message: string }[];
}

export async function lintCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    format: { type: 'string', default: 'text' },
    settings: { type: 'string' },
    'no-settings': { type: 'boolean', default: false },
    rule: { type: 'string', multiple: true, default: [] },
    'allowed-image': { type: 'string', multiple: true, default: [] },
    'cmf-version': { type: 'string' },
    'environment-defaults': { type: 'string' },
    ...CONNECTION_OPTIONS,
  });
  if (values.help) {
    io.out(LINT_HELP);
    return 0;
  }
  const format = values.format;
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be "text" or "json" (got "${format}").`);
  if (positionals.length === 0) throw new UsageError('name at least one file, glob, or "-" for standard input.');

  const settings = new ResolvedSettings(await loadSettings(values, io));
  if (values['environment-defaults'] !== undefined && values.environment !== undefined) {
    throw new UsageError('give either --environment-defaults FILE or --environment NAME (which reads them from CMF), not both.');
  }
  let defaults: PoolDefaults | undefined;
  if (values['environment-defaults'] !== undefined) defaults = await defaultsFromFile(values['environment-defaults'], io);
  else if (values.environment !== undefined) {
    // Read from CMF; a CMF that cannot be reached is a file that cannot be read: exit 2, nothing linted.
    const read = await withCmf('lint', values, io, async (s) => ((defaults = await defaultsFromCmf(s)), 0), { needEnvironment: true });
    if (read !== 0) return 2;
  }
  let exit = 0;
  const results: LintResult[] = [];
  let skipped = 0;

  for (const arg of positionals) {
    const targets: { file: string; explicit: boolean }[] = [];
    if (arg === '-') targets.push({ file: '-', explicit: true });
    else if (isDynamicPattern(arg) && !existsSync(path.resolve(io.cwd, arg))) {
      const found = await glob(arg, { cwd: io.cwd, ignore: ['**/node_modules/**'], dot: false });
      if (found.length === 0) {
        io.err(`cmf-pools lint: no file matches "${arg}".\n`);
        exit = 2;
      }
      targets.push(...found.sort().map((file) => ({ file, explicit: false })));
    } else targets.push({ file: arg, explicit: true });

    for (const { file, explicit } of targets) {
      let text: string;
      try {
        text = withoutByteOrderMark(file === '-' ? await io.readStdin() : await readFile(path.resolve(io.cwd, file), 'utf8'));
      } catch (e) {
        const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as NodeJS.ErrnoException).code === 'EISDIR' ? 'it is a folder' : (e as Error).message;
        io.err(`cmf-pools lint: cannot read ${file}: ${why}.\n`);
        exit = 2;
        continue;
      }
      const linted = lint(text, { path: file === '-' ? 'stdin:' : path.resolve(io.cwd, file), settings, defaults });
      if (!explicit && !linted.isPool) {
        skipped++;
        continue;
      }
      const diagnostics = linted.diagnostics;
      if (diagnostics.some((d) => d.severity === 1) && exit === 0) exit = 1;
      results.push({
        file,
        diagnostics: diagnostics.map((d) => ({ range: d.range, severity: SEVERITY_NAMES[d.severity ?? 1], code: String(d.code), message: d.message })),
      });
    }
  }

  if (format === 'json') io.out(JSON.stringify(results, null, 2) + '\n');
  else io.out(formatText(results, skipped));
  return exit;
}

function formatText(results: LintResult[], skipped: number): string {
  let out = '';
  const count = { error: 0, warning: 0, info: 0, hint: 0 } as Record<string, number>;
  for (const r of results) {
    for (const d of r.diagnostics) {
      count[d.severity]++;
      out += `${r.file === '-' ? '<stdin>' : r.file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code} ${d.message}\n`;
    }
  }
  const files = `${results.length} file${results.length === 1 ? '' : 's'}`;
  const total = count.error + count.warning + count.info + count.hint;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  out += total
    ? `\n${plural(total, 'problem')} (${plural(count.error, 'error')}, ${plural(count.warning, 'warning')}, ${count.info} info, ${plural(count.hint, 'hint')}) in ${files}.\n`
    : `No problems in ${files}.\n`;
  if (skipped) out += `${plural(skipped, 'file')} matched but skipped: not compute pools (no kind ComputePool or FlinkComputePool, and not matching cmfPools.files).\n`;
  return out;
}

export async function loadSettings(
  values: { settings?: string; 'no-settings'?: boolean; rule?: string[]; 'allowed-image'?: string[]; 'cmf-version'?: string },
  io: CliIo,
): Promise<PoolSettings> {
  let raw: Record<string, unknown> = {};
  const file = values.settings ?? (values['no-settings'] ? undefined : '.vscode/settings.json');
  const explicit = values.settings !== undefined;
  if (file && (explicit || existsSync(path.resolve(io.cwd, file)))) {
    let text: string;
    try {
      text = await readFile(path.resolve(io.cwd, file), 'utf8');
    } catch (e) {
      throw new UsageError(`--settings: cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}.`);
    }
    const errors: ParseError[] = [];
    const json = parseJsonc(text, errors, { allowTrailingComma: true });
    if (errors.length || typeof json !== 'object' || json === null) throw new UsageError(`${file} is not a JSON settings file.`);
    // VS Code settings files spell them flat ("cmfPools.rules") or nested ({"cmfPools": {"rules"}}).
    const nested = (json as Record<string, unknown>).cmfPools;
    raw = typeof nested === 'object' && nested !== null ? { ...(nested as object) } : {};
    for (const key of ['files', 'rules', 'allowedImages', 'cmfVersion']) {
      const flat = (json as Record<string, unknown>)[`cmfPools.${key}`];
      if (flat !== undefined) raw[key] = flat;
    }
  }
  const settings = normalizeSettings(raw);
  for (const r of values.rule ?? []) {
    const m = /^([^=]+)=(error|warning|info|hint|off)$/.exec(r);
    if (!m) throw new UsageError(`--rule "${r}" must look like CODE=SEVERITY, with SEVERITY one of error, warning, info, hint, off.`);
    settings.rules[m[1]] = m[2];
  }
  settings.allowedImages.push(...(values['allowed-image'] ?? []));
  const cmfVersion = values['cmf-version'];
  if (cmfVersion !== undefined) {
    if (!/^\s*v?\d+\.\d+/.test(cmfVersion)) throw new UsageError(`--cmf-version "${cmfVersion}" is not a CMF version: use e.g. 2.4 or 2.4.1.`);
    settings.cmfVersion = cmfVersion.trim();
  }
  return settings;
}
