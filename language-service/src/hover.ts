/**
 * Hover: what the thing under the cursor is. A property's schema description (and, on an enum value, what
 * that value means); a flinkConfiguration key's type, default, description and deprecation; and for a
 * key or value with a diagnostic, what the rule means, how to fix it and which quick fixes exist. Short
 * markdown with a link to CMF's or Flink's documentation.
 */
import { type Node, findNodeAtOffset, getNodePath } from 'jsonc-parser';
import { type Hover, type Position, MarkupKind } from 'vscode-languageserver-types';
import { type JsonPath, type ParsedDocument, pathLabel, rangeAt } from './document';
import { FLINK_CONFIGURATION, readPool } from './pool';
import { descriptionOf, enumValuesOf, schemasAt } from './schema-lookup';
import { RULES } from './catalogue';
import { lookupKey, optionSetFor } from './flink/options';
import { describeFlinkKey, flinkConfigDocsUrl } from './flink/docs';
import { validateParsed, type PoolDiagnostic } from './service';
import { DEFAULT_SETTINGS, ResolvedSettings } from './settings';
import { codeActions } from './code-actions';

export const CMF_COMPUTE_POOLS_DOCS = 'https://docs.confluent.io/platform/current/flink/configure/compute-pools.html';

export interface HoverOptions {
  settings?: ResolvedSettings;
  /** The document's diagnostics when the caller has them already (else they are computed). */
  diagnostics?: readonly PoolDiagnostic[];
}

interface Target {
  node: Node;
  path: JsonPath;
  isKey: boolean;
}

/** The key or value under `offset`, with its document path. */
function targetAt(root: Node, offset: number): Target | undefined {
  const node = findNodeAtOffset(root, offset, true);
  if (!node) return undefined;
  // Inside an object or array but on none of its members: nothing to say (its braces still hover).
  if ((node.type === 'object' || node.type === 'array') && offset > node.offset && offset < node.offset + node.length - 1) return undefined;
  const parent = node.parent;
  if (parent?.type === 'property' && parent.children?.[0] === node) {
    const objectPath = parent.parent ? getNodePath(parent.parent) : [];
    return { node, path: [...objectPath, String(node.value)], isKey: true };
  }
  if (node.type === 'property') return undefined; // between a key and its value
  return { node, path: getNodePath(node), isKey: false };
}

const SEVERITY = ['', 'Error', 'Warning', 'Info', 'Hint'];

function ruleSection(d: PoolDiagnostic, parsed: ParsedDocument, flinkDocs: string): string {
  const summary =
    RULES.get(d.code)?.summary ??
    (d.code.startsWith('schema/') ? `The pool does not have the shape CMF accepts (JSON Schema \`${d.code.slice('schema/'.length)}\`).` : undefined);
  const link = d.code.startsWith('flink-config-') ? `[Flink configuration](${flinkDocs})` : `[CMF: compute pools](${CMF_COMPUTE_POOLS_DOCS})`;
  const fixes = codeActions(parsed, [d]).map((a) => a.title);
  const lines = [`**${SEVERITY[d.severity ?? 1]} \`${d.code}\`**${summary ? `: ${summary}` : ''}`, d.message];
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

export function hover(parsed: ParsedDocument, position: Position, options: HoverOptions = {}): Hover | null {
  if (parsed.tooDeepAt !== undefined) return null;
  const root = parsed.tree();
  if (!root) return null;
  const target = targetAt(root, parsed.text.offsetAt(position));
  if (!target) return null;
  const { node, path, isKey } = target;
  const sections: string[] = [];
  const pool = readPool(parsed);
  const set = pool?.flinkOptions ?? optionSetFor(undefined);

  const underConfig = path.length > FLINK_CONFIGURATION.length && FLINK_CONFIGURATION.every((s, i) => path[i] === s);
  if (underConfig) {
    // A flinkConfiguration entry: the option its (flattened) key names; a nested group has none.
    const valueNode = isKey ? node.parent?.children?.[1] : node;
    const leaf = !valueNode || (valueNode.type !== 'object' && valueNode.type !== 'array');
    const key = path
      .slice(FLINK_CONFIGURATION.length)
      .filter((s) => typeof s === 'string')
      .join('.');
    if (leaf) sections.push(describeFlinkKey(key, lookupKey(set, key), set));
    else sections.push(`**\`${key}\`**: a group of Flink options, read as \`${key}.*\`.`);
  } else {
    const schemas = schemasAt(path);
    const description = descriptionOf(schemas);
    const name = path.length ? `**${pathLabel(path.slice(-1))}**` : '**ComputePool**';
    if (description) sections.push(`${name}\n\n${description}`);
    if (!isKey && node.type !== 'object' && node.type !== 'array') {
      const meaning = enumValuesOf(schemas).find((e) => e.value === node.value)?.description;
      if (meaning) sections.push(`\`${JSON.stringify(node.value)}\`: ${meaning}`);
    }
  }

  const settings = options.settings ?? new ResolvedSettings(DEFAULT_SETTINGS);
  const diagnostics = options.diagnostics ?? validateParsed(parsed, settings);
  for (const d of diagnostics) if (contains(d, position)) sections.push(ruleSection(d, parsed, flinkConfigDocsUrl(set.dataVersion)));

  if (sections.length === 0) return null;
  return {
    contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n---\n\n') },
    range: rangeAt(parsed.text, node.offset, node.length),
  };
}
