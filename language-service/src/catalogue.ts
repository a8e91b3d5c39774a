/**
 * The rule catalogue: every diagnostic code the language service can produce, its default severity
 * and a one-line summary. Codes are public interface: users set their severity in `cmfPools.rules`.
 */

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';

export interface RuleInfo {
  readonly code: string;
  readonly severity: Severity;
  readonly summary: string;
}

const rules: RuleInfo[] = [
  { code: 'invalid-json', severity: 'error', summary: 'The text is not JSON (reported by the CLI; the editor leaves syntax errors to VS Code).' },
  { code: 'too-deep', severity: 'error', summary: 'The document nests deeper than any compute pool can; it is not validated further.' },
  { code: 'schema/additionalProperties', severity: 'warning', summary: 'A property the compute-pool schema does not know (often a typo).' },
  { code: 'schema/<keyword>', severity: 'error', summary: 'Any other schema violation, by JSON Schema keyword: schema/required, schema/enum, schema/type, ...' },
  { code: 'image-missing', severity: 'warning', summary: 'clusterSpec.image is not set: CMF falls back to the environment\'s computePoolDefaults, or rejects the pool.' },
  { code: 'forbidden-field', severity: 'error', summary: 'clusterSpec.serviceAccount or clusterSpec.job is set; CMF manages them.' },
  { code: 'reserved-volume', severity: 'error', summary: 'A pod template uses a volume name or mount path CMF reserves for itself.' },
  { code: 'image-not-cp-flink-sql', severity: 'error', summary: 'The image is a known Flink image that is not confluentinc/cp-flink-sql.' },
  { code: 'image-unverified', severity: 'warning', summary: 'The image is not confluentinc/cp-flink-sql and may or may not be built on it (cmfPools.allowedImages silences it).' },
  { code: 'shared-image-too-old', severity: 'error', summary: 'A SHARED pool uses a cp-flink-sql 1.19 build older than 1.19-cp7.' },
  { code: 'image-flink-version-mismatch', severity: 'warning', summary: 'The image\'s Flink version differs from clusterSpec.flinkVersion.' },
  { code: 'state-on-dedicated', severity: 'error', summary: 'spec.state is set on a DEDICATED pool; only shared pools have a state.' },
  { code: 'mode-on-dedicated', severity: 'warning', summary: 'clusterSpec.mode is set on a DEDICATED pool; modes apply to shared pools.' },
  { code: 'replicas-ignored-native', severity: 'warning', summary: 'taskManager.replicas on a SHARED pool in native mode does not set the TaskManager count.' },
  { code: 'invalid-resource', severity: 'error', summary: 'A cpu, memory or ephemeralStorage value that the operator cannot parse.' },
  { code: 'invalid-name', severity: 'error', summary: 'metadata.name is not a valid cluster name (or too long for a SHARED pool).' },
  { code: 'server-managed-field', severity: 'warning', summary: 'status, metadata.uid or a timestamp in a file; CMF sets them.' },
  { code: 'flink-config-unknown-key', severity: 'warning', summary: 'A flinkConfiguration key Flink does not know for the pool\'s Flink version.' },
  { code: 'flink-config-deprecated-key', severity: 'warning', summary: 'A deprecated flinkConfiguration key; use its replacement.' },
  { code: 'flink-config-invalid-value', severity: 'error', summary: 'A flinkConfiguration value that does not parse as the option\'s type.' },
  { code: 'ha-incomplete', severity: 'warning', summary: 'high-availability.type is set without high-availability.storageDir.' },
  { code: 'ha-recommended', severity: 'info', summary: 'A SHARED pool without Kubernetes high availability loses statement state if its cluster fails.' },
];

export const RULES: ReadonlyMap<string, RuleInfo> = new Map(rules.map((r) => [r.code, r]));

/** Default severity of a code; `schema/*` codes default to error except unknown properties. */
export function defaultSeverity(code: string): Severity {
  const rule = RULES.get(code);
  if (rule) return rule.severity;
  return code.startsWith('schema/') ? 'error' : 'warning';
}
