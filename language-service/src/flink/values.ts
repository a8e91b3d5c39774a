/**
 * Value parsers that behave like the Java code that will eventually read a flinkConfiguration value: Flink's
 * `TimeUtils` and `ConfigurationUtils` (memory sizes and Kubernetes quantities are in cmf-model's quantities,
 * shared with the explorer and the local CMF). Pure functions; nothing here throws on any input.
 *
 * Numbers are returned as JS `number`s: exact up to 2^53, approximate beyond (Flink's own range is 2^63 - 1 and
 * overflow is rejected exactly, with BigInt, before converting).
 */
import type { FlinkOption } from './options';
import { LONG_MAX, javaTrim, parseMemorySize, splitNumberAndUnit } from '../../../cmf-model/src/quantities';

const INT_MIN = -2147483648n;
const INT_MAX = 2147483647n;

// ---------------------------------------------------------------------------------------------------------------
// Durations: org.apache.flink.util.TimeUtils.parseDuration

interface DurationUnit {
  /** Milliseconds per unit. */
  readonly ms: number;
  /** Seconds per unit when java.time.Duration.of(value, unit) multiplies exactly (and so can overflow). */
  readonly seconds?: bigint;
}
const NANOS: DurationUnit = { ms: 1e-6 };
const MICROS: DurationUnit = { ms: 1e-3 };
const MILLIS: DurationUnit = { ms: 1 };
const SECONDS: DurationUnit = { ms: 1000 };
const MINUTES: DurationUnit = { ms: 60_000, seconds: 60n };
const HOURS: DurationUnit = { ms: 3_600_000, seconds: 3600n };
const DAYS: DurationUnit = { ms: 86_400_000, seconds: 86400n };

/**
 * TimeUtils.TimeUnit labels. `singular(x)` contributes x, `plural(x)` contributes x and x + "s":
 * DAYS d, day(s); HOURS h, hour(s); MINUTES min, m, minute(s); SECONDS s, sec(s), second(s);
 * MILLISECONDS ms, milli(s), millisecond(s); MICROSECONDS µs, micro(s), microsecond(s);
 * NANOSECONDS ns, nano(s), nanosecond(s). Note: no "mins", "hr", "hrs", "secs" is accepted ("sec" is plural).
 */
const DURATION_UNITS: ReadonlyMap<string, DurationUnit> = new Map<string, DurationUnit>([
  ['d', DAYS], ['day', DAYS], ['days', DAYS],
  ['h', HOURS], ['hour', HOURS], ['hours', HOURS],
  ['min', MINUTES], ['m', MINUTES], ['minute', MINUTES], ['minutes', MINUTES],
  ['s', SECONDS], ['sec', SECONDS], ['secs', SECONDS], ['second', SECONDS], ['seconds', SECONDS],
  ['ms', MILLIS], ['milli', MILLIS], ['millis', MILLIS], ['millisecond', MILLIS], ['milliseconds', MILLIS],
  ['\u00b5s', MICROS], ['micro', MICROS], ['micros', MICROS], ['microsecond', MICROS], ['microseconds', MICROS],
  ['ns', NANOS], ['nano', NANOS], ['nanos', NANOS], ['nanosecond', NANOS], ['nanoseconds', NANOS],
]);

/** The unit labels parseDuration accepts, for messages and completion. */
export const DURATION_UNIT_LABELS: readonly string[] = [...DURATION_UNITS.keys()];

/**
 * Flink's TimeUtils.parseDuration (1.19, 1.20 and 2.0): trim; ASCII digits (no sign, no fraction); optional
 * whitespace; optional case-insensitive unit; no unit means milliseconds. Returns milliseconds (fractional for µs
 * and ns) or undefined where Flink throws: empty, no leading digit ('-1 s', 'PT10S'), unknown unit ('1.5s' has
 * unit '.5s'), a number beyond 2^63 - 1, or a minutes/hours/days value whose seconds overflow a long.
 */
export function parseDuration(text: string): number | undefined {
  const parsed = splitNumberAndUnit(text);
  if (!parsed) return undefined;
  const unit = parsed.unit === '' ? MILLIS : DURATION_UNITS.get(parsed.unit);
  if (!unit) return undefined;
  if (unit.seconds !== undefined && parsed.value * unit.seconds > LONG_MAX) return undefined; // Math.multiplyExact
  return Number(parsed.value) * unit.ms;
}

// ---------------------------------------------------------------------------------------------------------------
// ConfigurationUtils conversions

/** Java Integer.parseInt / Long.parseLong over ASCII digits: optional sign, at least one digit, nothing else. */
function parseJavaInteger(value: string, min: bigint, max: bigint): bigint | undefined {
  if (!/^[+-]?\d+$/.test(value)) return undefined;
  const n = BigInt(value);
  return n < min || n > max ? undefined : n;
}

/**
 * Java Double.parseDouble / Float.parseFloat: Java-trimmed; optional sign; NaN, Infinity, a decimal with optional
 * exponent, or a hexadecimal float with a binary exponent; decimal and hex forms may end in f/F/d/D.
 */
const JAVA_FLOAT_RE =
  /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?|0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][+-]?\d+[fFdD]?)$/;

function isJavaDouble(value: string): boolean {
  return JAVA_FLOAT_RE.test(javaTrim(value));
}

/** Java's Character.isWhitespace: Unicode space separators except no-break spaces, plus \t \n \v \f \r and U+001C..U+001F. */
function isJavaWhitespace(c: string): boolean {
  if (c === '\u00a0' || c === '\u2007' || c === '\u202f') return false;
  // eslint-disable-next-line no-control-regex -- Java's whitespace includes these control characters
  return /[\t\n\v\f\r\u001c-\u001f]|\p{Zs}|\p{Zl}|\p{Zp}/u.test(c);
}

/**
 * Flink's StructuredOptionsSplitter.splitEscaped(string, delimiter): splits on `delimiter` outside quotes;
 * '...' or "..." quote an element (a doubled quote escapes it); unquoted elements are trimmed; whitespace between
 * tokens is skipped. Returns the elements, or an error message where Flink throws.
 */
export function splitEscaped(text: string, delimiter: string): { items: string[] } | { error: string } {
  type Token = { type: 'quoted' | 'unquoted' | 'delimiter'; text: string; pos: number };
  const tokens: Token[] = [];
  let cursor = 0;
  while (cursor < text.length) {
    const c = text[cursor]!;
    if (c === "'" || c === '"') {
      let out = '';
      let i = cursor + 1;
      let closed = false;
      while (i < text.length) {
        const ch = text[i]!;
        if (ch === c) {
          if (text[i + 1] === c) {
            out += c;
            i += 2;
            continue;
          }
          closed = true;
          i++;
          break;
        }
        out += ch;
        i++;
      }
      if (!closed) return { error: 'a quote is not closed' };
      tokens.push({ type: 'quoted', text: out, pos: cursor });
      cursor = i;
    } else if (c === delimiter) {
      tokens.push({ type: 'delimiter', text: c, pos: cursor });
      cursor++;
    } else if (isJavaWhitespace(c)) {
      cursor++;
    } else {
      let out = '';
      let i = cursor;
      while (i < text.length && text[i] !== delimiter) {
        if (text[i] === "'" || text[i] === '"') return { error: `illegal quoting at position ${i}` };
        out += text[i];
        i++;
      }
      tokens.push({ type: 'unquoted', text: javaTrim(out), pos: cursor });
      cursor = i;
    }
  }
  const items: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    if (t.type === 'quoted') {
      if (next && next.type !== 'delimiter') return { error: `illegal quoting at position ${next.pos}` };
      items.push(t.text);
    } else if (t.type === 'unquoted') {
      items.push(t.text);
    } else if (next && next.type === 'delimiter') {
      items.push('');
    }
  }
  return { items };
}

/** A YAML flow sequence `[a, b]` or mapping `{k: v}` (Flink 1.19+ reads list and map values as YAML first). */
function splitYamlFlow(text: string, open: string, close: string): string[] | undefined {
  const t = text.trim();
  if (!t.startsWith(open) || !t.endsWith(close)) return undefined;
  const inner = t.slice(1, -1);
  if (inner.trim() === '') return [];
  const split = splitEscaped(inner, ',');
  return 'items' in split ? split.items : undefined;
}

function enumMatches(possible: readonly string[], value: string): boolean {
  const v = value.toUpperCase();
  return possible.some((p) => p.toUpperCase() === v);
}

function quote(s: string): string {
  return JSON.stringify(s);
}

function listValues(possible: readonly string[]): string {
  return possible.map(quote).join(', ');
}

const DURATION_HINT = 'expected a duration such as "10 s", "1 min" or "500 ms"';
const MEMORY_HINT = 'expected a memory size such as "512 mb", "1 gb" or "1024m"';

function durationReason(value: string): string {
  const t = javaTrim(value);
  if (t === '') return `empty value; ${DURATION_HINT}`;
  if (/^[+-]/.test(t)) return `a duration cannot be signed; ${DURATION_HINT}`;
  if (/^\d+\s*[.,]\d/.test(t)) return `Flink durations take whole numbers only (use a smaller unit); ${DURATION_HINT}`;
  if (/^P/i.test(t)) return `Flink does not read ISO-8601 durations; ${DURATION_HINT}`;
  const m = /^\d+\s*(.*)$/.exec(t);
  if (m && m[1]) {
    return `unknown duration unit ${quote(m[1])} (units: d, h, min, s, ms, µs, ns and their long forms); ${DURATION_HINT}`;
  }
  if (m) return `the number is too large; ${DURATION_HINT}`;
  return DURATION_HINT;
}

function memoryReason(value: string): string {
  const t = javaTrim(value);
  if (t === '') return `empty value; ${MEMORY_HINT}`;
  if (/^[+-]/.test(t)) return `a memory size cannot be signed; ${MEMORY_HINT}`;
  if (/^\d+\s*[.,]\d/.test(t)) return `Flink memory sizes take whole numbers only (use a smaller unit); ${MEMORY_HINT}`;
  const m = /^\d+\s*(.*)$/.exec(t);
  if (m && m[1]) {
    return `unknown memory unit ${quote(m[1])} (units: b, k/kb, m/mb, g/gb, t/tb, binary multiples); ${MEMORY_HINT}`;
  }
  if (m) return `the size is too large; ${MEMORY_HINT}`;
  return MEMORY_HINT;
}

/**
 * Does `value` (the string form of a flinkConfiguration value) convert to the option's type the way Flink's
 * ConfigurationUtils does? Returns undefined if it does, else a short reason naming the expected form.
 *  - Duration: TimeUtils.parseDuration; MemorySize: MemorySize.parse.
 *  - Integer / Long: Integer.parseInt / Long.parseLong (no whitespace, optional sign, 32/64-bit range).
 *  - Double / Float: Double.parseDouble / Float.parseFloat.
 *  - Boolean: "true" or "false", case-insensitive, nothing else (no trimming).
 *  - Enum: case-insensitive match against possibleValues (no trimming).
 *  - List<Enum>: ';'-separated (StructuredOptionsSplitter), each element an Enum; a YAML flow list is accepted too.
 *  - Map: 'k:v,k2:v2' (each element split on ':' into exactly two parts, keys unique); a YAML flow map too.
 *  - String, List<String>, List<Map>, unknown types: always fine.
 */
export function checkValue(option: FlinkOption, value: string): string | undefined {
  switch (option.type) {
    case 'Duration':
      return parseDuration(value) === undefined ? durationReason(value) : undefined;
    case 'MemorySize':
      return parseMemorySize(value) === undefined ? memoryReason(value) : undefined;
    case 'Integer':
      return parseJavaInteger(value, INT_MIN, INT_MAX) === undefined
        ? /^[+-]?\d+$/.test(value)
          ? 'out of range; expected a whole number between -2147483648 and 2147483647'
          : 'expected a whole number such as "4" (no spaces, no fraction)'
        : undefined;
    case 'Long':
      return parseJavaInteger(value, -LONG_MAX - 1n, LONG_MAX) === undefined
        ? /^[+-]?\d+$/.test(value)
          ? 'out of range; expected a 64-bit whole number'
          : 'expected a whole number such as "1000" (no spaces, no fraction)'
        : undefined;
    case 'Double':
    case 'Float':
      return isJavaDouble(value) ? undefined : 'expected a number such as "0.5", "2" or "1e3"';
    case 'Boolean': {
      const v = value.toUpperCase();
      return v === 'TRUE' || v === 'FALSE' ? undefined : 'expected "true" or "false"';
    }
    case 'Enum': {
      const possible = option.possibleValues ?? [];
      if (possible.length === 0 || enumMatches(possible, value)) return undefined;
      return `expected one of ${listValues(possible)} (case-insensitive)`;
    }
    case 'List<Enum>': {
      const possible = option.possibleValues ?? [];
      if (possible.length === 0) return undefined;
      const yaml = splitYamlFlow(value, '[', ']');
      let items: string[];
      if (yaml) items = yaml;
      else {
        const split = splitEscaped(value, ';');
        if ('error' in split) return `cannot split the list: ${split.error}; expected values separated by ';'`;
        items = split.items;
      }
      const bad = items.find((item) => !enumMatches(possible, item));
      if (bad === undefined) return undefined;
      return `${quote(bad)} is not one of ${listValues(possible)}; expected a ';'-separated list such as ${quote(
        possible.slice(0, 2).join(';'),
      )}`;
    }
    case 'Map': {
      const hint = 'expected key:value pairs separated by commas, such as "k1:v1,k2:v2"';
      if (splitYamlFlow(value, '{', '}')) return undefined;
      const split = splitEscaped(value, ',');
      if ('error' in split) return `cannot split the map: ${split.error}; ${hint}`;
      const seen = new Set<string>();
      for (const item of split.items) {
        const pair = splitEscaped(item, ':');
        if ('error' in pair) return `cannot split ${quote(item)}: ${pair.error}; ${hint}`;
        if (pair.items.length !== 2) return `${quote(item)} is not a key:value pair; ${hint}`;
        const key = pair.items[0]!;
        if (seen.has(key)) return `duplicate key ${quote(key)}; ${hint}`;
        seen.add(key);
      }
      return undefined;
    }
    default:
      return undefined;
  }
}
