/** `cmf-pools lint`: the language service's diagnostics for files, folders, globs or stdin: text, JSON, SARIF or GitHub annotations. */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { NEWEST_CMF_VERSION } from '../../cmf-model/src/releases';
import { type PoolDefaults, type PoolSettings, ResolvedSettings, catalogue, normalizeSettings } from '../../language-service/src/index';
import { CMF_POOLS_VERSION } from '../../cmf-client/src/connection';
import { parse, UsageError } from './args';
import { CONNECTION_HELP, CONNECTION_OPTIONS, withCmf } from './connect';
import { defaultsFromCmf, defaultsFromFile } from './environment';
import { type FileReport, counts, githubCommands, reported, summary, textLines } from './report';
import { sarifLog } from './sarif';
import { checkTarget, resolveTargets } from './targets';
import { repositoryRoot } from './walk';
import type { CliIo } from './main';

export const LINT_HELP = `Usage: cmf-pools lint [options] <file|folder|glob|->...

Checks compute-pool files, JSON or YAML, with the same rules as the editor: the compute-pool schema and
CMF's own rules (fields CMF manages, reserved volumes, cp-flink-sql images, shared/dedicated
differences, Flink configuration keys and values). "-" reads one file from standard input (YAML unless
it starts with "{" or "[").

A YAML file may hold several documents (---): each compute pool in it is checked (CMF's ComputePool,
or a Confluent for Kubernetes FlinkComputePool), other documents only for YAML syntax; lines and
columns are the file's.

Files named directly are always checked. A folder is walked (not node_modules or .git, nor what
.gitignore files ignore, theirs and those of the folders above up to the repository's root), and its
.json, .jsonc, .yaml and .yml files, like the files a glob finds, are checked when they hold a compute
pool, as the editor decides: a document whose kind is ComputePool or FlinkComputePool, or a name
matching cmfPools.files (default **/*.pool.json, **/*.pool.yaml, **/*.pool.yml). Finding none is an
error (exit 2): "No compute-pool files found".

Options:
  --format FORMAT         text (default): one line per problem, "file:line:col severity code message",
                          then a summary.
                          json: [{ "file", "diagnostics": [{ "range" (0-based, as in LSP), "severity",
                          "code", "message" }] }]
                          sarif: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers: every
                          rule, and each problem with its rule, level and region; paths relative to
                          the repository's root (the nearest folder above with a .git)
                          github: GitHub Actions workflow commands ("::error file=...,line=...::..."),
                          shown as annotations on the pull request
  --max-warnings N        exit 1 when there are more than N warnings (as ESLint's flag)
  --pools-only            check a named file only when it holds a compute pool (as a found one), and
                          finding none is fine (exit 0): for hooks given every changed file
                          (pre-commit, lint-staged)
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
                          own version (CMF 2.2 and later say it; it wins over --cmf-version), with
                          the connection below
  -h, --help              show this help

${CONNECTION_HELP}
Exit status: 1 if any error was found (or more warnings than --max-warnings), 0 otherwise (warnings
do not fail), 2 for a usage error, a file that cannot be read (named in the message), or no
compute-pool file found.

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

const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
type LintFormat = (typeof FORMATS)[number];

/** The options of `cmf-pools lint` (shell completion reads them too). */
export const LINT_OPTIONS = {
  format: { type: 'string', default: 'text' },
  'max-warnings': { type: 'string' },
  'pools-only': { type: 'boolean', default: false },
  settings: { type: 'string' },
  'no-settings': { type: 'boolean', default: false },
  rule: { type: 'string', multiple: true, default: [] as string[] },
  'allowed-image': { type: 'string', multiple: true, default: [] as string[] },
  'cmf-version': { type: 'string' },
  'environment-defaults': { type: 'string' },
  ...CONNECTION_OPTIONS,
} as const;

export async function lintCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, LINT_OPTIONS);
  if (values.help) {
    io.out(LINT_HELP);
    return 0;
  }
  const format = values.format as LintFormat;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be "text", "json", "sarif" or "github" (got "${values.format}").`);
  let maxWarnings: number | undefined;
  if (values['max-warnings'] !== undefined) {
    if (!/^\d+$/.test(values['max-warnings'])) throw new UsageError(`--max-warnings must be a whole number, 0 or more (got "${values['max-warnings']}").`);
    maxWarnings = Number(values['max-warnings']);
  }
  const poolsOnly = values['pools-only'];
  if (positionals.length === 0) throw new UsageError('name at least one file, folder, glob, or "-" for standard input.');

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
  const { targets, problems, searched } = await resolveTargets(positionals, io);
  let exit = 0;
  for (const p of problems) {
    io.err(`cmf-pools lint: ${p}.\n`);
    exit = 2;
  }
  const results: FileReport[] = [];
  const unread: { file: string; message: string }[] = [];
  let skipped = 0;
  for (const target of targets) {
    const checked = await checkTarget(poolsOnly ? { ...target, explicit: target.file === '-' } : target, io, settings, defaults);
    if (checked.kind === 'unread') {
      io.err(`cmf-pools lint: cannot read ${checked.file}: ${checked.message}.\n`);
      unread.push({ file: checked.file, message: checked.message });
      exit = 2;
      continue;
    }
    if (checked.kind === 'skipped') {
      skipped++;
      continue;
    }
    const diagnostics = reported(checked.result.diagnostics);
    if (diagnostics.some((d) => d.severity === 'error') && exit === 0) exit = 1;
    results.push({ file: checked.file, diagnostics });
  }

  const none = results.length === 0 && unread.length === 0;
  const root = repositoryRoot(io.cwd) ?? io.cwd;
  if (format === 'json') io.out(JSON.stringify(results, null, 2) + '\n');
  else if (format === 'sarif') io.out(JSON.stringify(sarifLog(results, { cwd: io.cwd, root, version: CMF_POOLS_VERSION, unread, problems }), null, 2) + '\n');
  else if (format === 'github') io.out(githubCommands(results, { cwd: io.cwd, root }));
  else {
    let out = textLines(results);
    if (results.length === 0 && unread.length) out += `No file was checked: ${unread.length} could not be read.\n`;
    else if (!none) out += `${results.some((r) => r.diagnostics.length) ? '\n' : ''}${summary(results, unread.length)}\n`;
    if (skipped && !none) out += `${skipped} file${skipped === 1 ? '' : 's'} found but skipped: not compute pools (no kind ComputePool or FlinkComputePool, and not matching cmfPools.files).\n`;
    io.out(out);
  }
  // In the machine formats, what people read goes to standard error, so standard output stays one document.
  const note = format === 'text' ? io.out : io.err;
  if (none && (targets.length > 0 || problems.length === 0)) {
    if (poolsOnly) {
      note(`No compute-pool files among the ${targets.length} file${targets.length === 1 ? '' : 's'} given.\n`);
    } else {
      const where = searched.length ? ` in ${searched.join(', ')}` : '';
      io.err(`cmf-pools lint: No compute-pool files found${where}${skipped ? ` (${skipped} JSON or YAML file${skipped === 1 ? '' : 's'} looked at: none holds a ComputePool or FlinkComputePool, or matches cmfPools.files)` : ''}.\n`);
      exit = 2;
    }
  } else if (format !== 'text') io.err(`${summary(results, unread.length)}\n`);
  if (maxWarnings !== undefined) {
    const warnings = counts(results).warning;
    if (warnings > maxWarnings) {
      io.err(`cmf-pools lint: ${warnings} warning${warnings === 1 ? '' : 's'}, more than --max-warnings ${maxWarnings} allows.\n`);
      if (exit === 0) exit = 1;
    }
  }
  return exit;
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
