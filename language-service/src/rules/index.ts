/**
 * The rule registry: every rule module, in the order the checks run. The catalogue, the quick-fix dispatch and
 * `RuleCode` are read from these modules, so adding a rule means adding its module here and nothing else.
 */
import { duplicateKeysRule } from './duplicate-keys';
import { flinkKeysRule } from './flink-keys';
import { highAvailabilityRule } from './high-availability';
import { imageRule } from './image';
import { limitsRule } from './limits';
import { managedFieldsRule } from './managed-fields';
import { nameRule } from './name';
import { podTemplateEnvelopeRule } from './pod-template-envelope';
import { poolTypeRule } from './pool-type';
import { reservedVolumesRule } from './reserved-volumes';
import { resourcesRule } from './resources';
import type { Rule, RuleInfo, Severity } from './rule';
import { schemaRule } from './schema';
import { secretsRule } from './secrets';
import { statementsRule } from './statements';
import { syntaxRule } from './syntax';

/** Every rule, in the order its checks run (syntax first: nothing else runs on a document too deep to read). */
export const RULES = [
  syntaxRule,
  limitsRule,
  schemaRule,
  duplicateKeysRule,
  managedFieldsRule,
  podTemplateEnvelopeRule,
  reservedVolumesRule,
  imageRule,
  poolTypeRule,
  resourcesRule,
  nameRule,
  flinkKeysRule,
  secretsRule,
  highAvailabilityRule,
  statementsRule,
] as const;

type CodesOf<R> = R extends Rule<infer C> ? C : never;

/** Every diagnostic code the engine can report (`schema/` codes name the JSON Schema keyword). */
export type RuleCode = CodesOf<(typeof RULES)[number]>;

/** The catalogue: each code with its default severity and summary, in the order of the modules. */
export const CATALOGUE: ReadonlyMap<RuleCode, RuleInfo> = new Map(RULES.flatMap((rule) => Object.entries(rule.codes as Record<string, RuleInfo>) as [RuleCode, RuleInfo][]));

/** The catalogue entry of a code (schema codes without their own entry share `schema/<keyword>`). */
export function ruleInfo(code: string): RuleInfo | undefined {
  return CATALOGUE.get(code as RuleCode) ?? (code.startsWith('schema/') ? CATALOGUE.get('schema/<keyword>') : undefined);
}

/** The module that reports `code`. */
export function ruleFor(code: string): Rule | undefined {
  if (code.startsWith('schema/')) return schemaRule as Rule;
  return RULES.find((rule) => Object.prototype.hasOwnProperty.call(rule.codes, code)) as Rule | undefined;
}

/** Default severity of a code; unknown codes are warnings. */
export function defaultSeverity(code: string): Severity {
  return ruleInfo(code)?.severity ?? 'warning';
}
