/**
 * A Flink option as a reader sees it in hover and completion documentation: type, default, description,
 * deprecation, and a link to Flink's configuration page for the data version it was read from.
 */
import type { FlinkDataVersion, FlinkOption, FlinkOptionSet, KeyLookup } from './options';

/** Flink's configuration reference for a data version (the pages exist per release line). */
export function flinkConfigDocsUrl(dataVersion: FlinkDataVersion): string {
  return `https://nightlies.apache.org/flink/flink-docs-release-${dataVersion}/docs/deployment/config/`;
}

/** Markdown text made safe: Flink's descriptions use <placeholders> that a renderer would take for HTML. */
function escapeMarkdown(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/</g, '\\<').replace(/>/g, '\\>').replace(/\*/g, '\\*').replace(/_/g, '\\_');
}

/** "Flink 1.19" or "Flink 2.0 (the nearest we have data for; the pool runs 2.3)". */
export function versionNote(set: FlinkOptionSet): string {
  if (set.exact) return `Flink ${set.dataVersion}`;
  if (set.requested) return `Flink ${set.dataVersion} (the nearest version we have data for; the pool runs ${set.requested})`;
  return `Flink ${set.dataVersion} (flinkVersion is not set)`;
}

/** One line: `Duration` · default `10 min`. */
export function optionSummary(option: FlinkOption): string {
  const def = option.default === null || option.default === '' ? 'no default' : `default \`${option.default.replace(/`/g, "'")}\``;
  const values = option.possibleValues?.length ? ` · one of ${option.possibleValues.map((v) => `\`${v}\``).join(', ')}` : '';
  return `\`${option.type}\` · ${def}${values}`;
}

/** The full description of an option key as `lookupKey` found it, in markdown. */
export function describeFlinkKey(key: string, found: KeyLookup, set: FlinkOptionSet): string {
  const link = `[${versionNote(set).replace(/ \(.*/, '')} configuration](${flinkConfigDocsUrl(set.dataVersion)})`;
  const parts: string[] = [`**\`${key}\`** (Flink option)`];
  switch (found.kind) {
    case 'known':
      parts.push(optionSummary(found.option), escapeMarkdown(found.option.description));
      break;
    case 'deprecated': {
      const use = found.replacements?.length
        ? `Use ${found.replacements.map((r) => `\`${r}\``).join(' or ')} instead.`
        : found.replacement
          ? `Use \`${found.replacement}\` instead.`
          : 'It has no replacement; remove it.';
      parts.push(`**Deprecated** in ${versionNote(set)}. ${use}`);
      if (found.option) parts.push(optionSummary(found.option), escapeMarkdown(found.option.description));
      break;
    }
    case 'templated':
      if (found.option) parts.push(`Matches \`${found.option.key}\`.`, optionSummary(found.option), escapeMarkdown(found.option.description));
      else parts.push(`Read by ${escapeMarkdown(found.reason ?? 'a plugin')} (any key below \`${found.pattern.replace(/\*$/, '')}\`).`);
      break;
    case 'unknown': {
      const hint = found.suggestions.length ? ` Did you mean ${found.suggestions.map((s) => `\`${s}\``).join(' or ')}?` : '';
      const elsewhere = found.knownIn?.length ? ` It exists in Flink ${found.knownIn.join(', ')}.` : '';
      parts.push(`Not an option of ${versionNote(set)}.${hint}${elsewhere}`);
      break;
    }
  }
  parts.push(link);
  return parts.join('\n\n');
}
