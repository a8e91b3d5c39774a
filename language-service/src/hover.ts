/**
 * Hover: what the thing under the cursor is. A property's schema description (and, on an enum value, what
 * that value means); a flinkConfiguration key's type, default, description and deprecation; and for a
 * key or value with a diagnostic, what the rule means, how to fix it and which quick fixes exist. Short
 * markdown with a link to CMF's or Flink's documentation.
 */
import { type Hover, type Position, MarkupKind } from 'vscode-languageserver-types';
import { type SourceDocument, pathLabel, spanRange } from './document/model';
import { FLINK_CONFIGURATION, readPool, underFlinkConfiguration } from './pool';
import { descriptionOf, enumValuesOf, schemasAt } from './schema-lookup';
import { ruleInfo } from './rules';
import { CMF_COMPUTE_POOLS_DOCS, type PoolDiagnostic } from './rules/rule';
import { lookupKey, optionSetFor } from './flink/options';
import { describeFlinkKey, flinkConfigDocsUrl } from './flink/docs';
import { validateDocument } from './validate';
import { DEFAULT_SETTINGS, ResolvedSettings } from './settings';
import { codeActions } from './code-actions';


export interface HoverOptions {
  settings?: ResolvedSettings;
  /** The document's diagnostics when the caller has them already (else they are computed). */
  diagnostics?: readonly PoolDiagnostic[];
}

const SEVERITY = ['', 'Error', 'Warning', 'Info', 'Hint'];

function ruleSection(d: PoolDiagnostic, doc: SourceDocument, flinkDocs: string): string {
  const info = ruleInfo(d.code);
  const summary =
    d.code.startsWith('schema/') && d.code !== 'schema/additionalProperties'
      ? `The pool does not have the shape CMF accepts (JSON Schema \`${d.code.slice('schema/'.length)}\`).`
      : info?.summary;
  const link = info?.docs === 'flink' ? `[Flink configuration](${flinkDocs})` : `[CMF: compute pools](${CMF_COMPUTE_POOLS_DOCS})`;
  const fixes = codeActions(doc, [d]).map((a) => a.title);
  const lines = [`**${SEVERITY[d.severity ?? 1]} \`${d.code}\`**${summary ? `: ${summary}` : ''}`, d.message];
  if (info?.help) lines.push(info.help);
  if (fixes.length) lines.push(`Quick fix${fixes.length > 1 ? 'es' : ''}: ${fixes.map((f) => `*${f}*`).join('; ')}.`);
  lines.push(link);
  return lines.join('\n\n');
}

function contains(d: PoolDiagnostic, pos: Position): boolean {
  const { start, end } = d.range;
  const after = pos.line > start.line || (pos.line === start.line && pos.character >= start.character);
  const before = pos.line < end.line || (pos.line === end.line && pos.character <= end.character);
  return after && before;
}

export function hover(doc: SourceDocument, position: Position, options: HoverOptions = {}): Hover | null {
  if (doc.tooDeepAt !== undefined) return null;
  const target = doc.nodeAt(doc.file.offsetAt(position));
  if (!target) return null;
  const { path, isKey } = target;
  const sections: string[] = [];
  const pool = readPool(doc);
  const set = pool?.flinkOptions ?? optionSetFor(undefined);

  if (path.length > FLINK_CONFIGURATION.length && underFlinkConfiguration(path)) {
    // A flinkConfiguration entry: the option its (flattened) key names; a nested group has none.
    const key = path
      .slice(FLINK_CONFIGURATION.length)
      .filter((s) => typeof s === 'string')
      .join('.');
    if (!target.container) sections.push(describeFlinkKey(key, lookupKey(set, key), set));
    else sections.push(`**\`${key}\`**: a group of Flink options, read as \`${key}.*\`.`);
  } else {
    const schemas = schemasAt(path, pool?.kind);
    const description = descriptionOf(schemas);
    const name = path.length ? `**${pathLabel(path.slice(-1))}**` : '**ComputePool**';
    if (description) sections.push(`${name}\n\n${description}`);
    if (!isKey && target.scalar !== undefined) {
      const meaning = enumValuesOf(schemas).find((e) => e.value === target.scalar)?.description;
      if (meaning) sections.push(`\`${JSON.stringify(target.scalar)}\`: ${meaning}`);
    }
  }

  const settings = options.settings ?? new ResolvedSettings(DEFAULT_SETTINGS);
  const diagnostics = options.diagnostics ?? validateDocument(doc, settings);
  for (const d of diagnostics) if (contains(d, position)) sections.push(ruleSection(d, doc, flinkConfigDocsUrl(set.dataVersion)));

  if (sections.length === 0) return null;
  return { contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n---\n\n') }, range: spanRange(doc.file, target.span) };
}
