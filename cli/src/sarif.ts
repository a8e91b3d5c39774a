/**
 * `cmf-pools lint --format sarif`: SARIF 2.1.0 (OASIS), as GitHub code scanning and other SARIF viewers read it. One
 * run: the tool with every rule of the engine (the catalogue, each schema keyword a rule of its own), a result per
 * problem with its rule, level, message and region, and file locations relative to the repository's root
 * (`%SRCROOT%`, given in `originalUriBaseIds`). Checked against the OASIS schema and Microsoft's SARIF Multitool in
 * test/cli/ci-formats.test.ts.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ruleListing, type RuleListing } from '../../language-service/src/index';
import type { FileReport, SeverityName } from './report';

/** The npm package's page: what SARIF viewers link the tool's name to. */
const INFORMATION_URI = 'https://www.npmjs.com/package/cmf-pools';
const SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
const ROOT_ID = '%SRCROOT%';

type SarifLevel = 'error' | 'warning' | 'note';
const LEVEL: Record<SeverityName, SarifLevel> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

interface SarifContext {
  /** Where relative paths in `files` start. */
  cwd: string;
  /** The repository's root: result locations are relative to it. */
  root: string;
  version: string;
  /** Files that could not be read: execution notifications, and the run is not successful. */
  unread: { file: string; message: string }[];
  /** Arguments that named nothing readable (a glob matching no file, a folder that cannot be read): the same. */
  problems?: string[];
}

/** The tool's rule for a code: its catalogue entry, with a description a reader can act on. */
function sarifRule(r: RuleListing) {
  const level = LEVEL[r.severity];
  const full =
    `${r.summary} Reported as ${r.severity} by default; set its severity with "cmfPools.rules" in .vscode/settings.json ` +
    `(read by the editor and the CLI) or "cmf-pools lint --rule ${r.code}=SEVERITY" (error, warning, info, hint or off).`;
  return {
    id: r.code,
    // A friendly name for viewers: "schema/additionalProperties" -> "SchemaAdditionalProperties".
    name: r.code.split(/[^A-Za-z0-9]+/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(''),
    shortDescription: { text: r.summary },
    fullDescription: { text: full },
    defaultConfiguration: { level },
    helpUri: r.docsUrl,
    help: { text: `${full} More: ${r.docsUrl}`, markdown: `${r.summary}\n\nReported as **${r.severity}** by default: set its severity with \`cmfPools.rules\` in \`.vscode/settings.json\` or \`cmf-pools lint --rule ${r.code}=off\`.\n\n[Documentation](${r.docsUrl})` },
  };
}

/** A file's location: relative to the repository's root when it is inside it, an absolute file URI otherwise. */
function artifactLocation(file: string, ctx: SarifContext): { uri: string; uriBaseId?: string } {
  if (file === '-') return { uri: 'stdin' };
  const abs = path.resolve(ctx.cwd, file);
  const rel = path.relative(ctx.root, abs);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return { uri: pathToFileURL(abs).href };
  return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: ROOT_ID };
}

/** The SARIF log of a lint run. */
export function sarifLog(files: readonly FileReport[], ctx: SarifContext): object {
  const listed = ruleListing();
  const rules = listed.map(sarifRule);
  const index = new Map(listed.map((r, i) => [r.code, i]));
  const ruleIndex = (code: string): number => {
    let i = index.get(code);
    if (i === undefined) {
      // A code the listing does not name (a schema keyword it missed): a rule of its own, so every result has one.
      const like = listed.find((r) => r.code.startsWith('schema/') && r.code !== 'schema/additionalProperties');
      const summary = code.startsWith('schema/') ? `The pool breaks the compute-pool schema's "${code.slice(7)}" keyword.` : `${code}.`;
      rules.push(sarifRule({ code, severity: like?.severity ?? 'error', summary, docsUrl: like?.docsUrl ?? INFORMATION_URI }));
      i = rules.length - 1;
      index.set(code, i);
    }
    return i;
  };
  const results = files.flatMap((f) =>
    f.diagnostics.map((d) => ({
      ruleId: d.code,
      ruleIndex: ruleIndex(d.code),
      level: LEVEL[d.severity],
      message: { text: d.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: artifactLocation(f.file, ctx),
            region: {
              startLine: d.range.start.line + 1,
              startColumn: d.range.start.character + 1,
              endLine: d.range.end.line + 1,
              endColumn: d.range.end.character + 1,
            },
          },
        },
      ],
    })),
  );
  return {
    $schema: SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'cmf-pools',
            version: ctx.version,
            semanticVersion: ctx.version,
            informationUri: INFORMATION_URI,
            rules,
          },
        },
        invocations: [
          {
            executionSuccessful: ctx.unread.length === 0 && !ctx.problems?.length,
            ...(ctx.unread.length || ctx.problems?.length
              ? {
                  toolExecutionNotifications: [
                    ...(ctx.problems ?? []).map((p) => ({ level: 'error', message: { text: `${p.charAt(0).toUpperCase()}${p.slice(1)}.` } })),
                    ...ctx.unread.map((u) => ({
                      level: 'error',
                      message: { text: `Cannot read ${u.file === '-' ? 'standard input' : u.file}: ${u.message}.` },
                      ...(u.file === '-' ? {} : { locations: [{ physicalLocation: { artifactLocation: artifactLocation(u.file, ctx) } }] }),
                    })),
                  ],
                }
              : {}),
          },
        ],
        originalUriBaseIds: { [ROOT_ID]: { uri: pathToFileURL(ctx.root).href.replace(/\/?$/, '/') } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}
