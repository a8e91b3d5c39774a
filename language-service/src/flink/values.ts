/**
 * Value parsers that behave like the Java code that will eventually read the value: Flink's `TimeUtils`,
 * `MemorySize` and `ConfigurationUtils`, Kubernetes' `resource.Quantity`, and the Flink Kubernetes Operator's
 * `FlinkConfigBuilder.parseResourceMemoryString`. Pure functions; nothing here throws on any input.
 *
 * Numbers are returned as JS `number`s: exact up to 2^53, approximate beyond (Flink's own range is 2^63 - 1 and
 * overflow is rejected exactly, with BigInt, before converting).
 */
import type { FlinkOption } from './options';

const LONG_MAX = 9223372036854775807n;
const INT_MIN = -2147483648n;
const INT_MAX = 2147483647n;

/** Java's String.trim(): strips code points <= U+0020 at both ends (not Unicode whitespace such as U+00A0). */
export function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return s.slice(start, end);
}

/** Leading ASCII digits and the rest, trimmed and lower-cased (the shape shared by TimeUtils and MemorySize). */
function splitNumberAndUnit(text: string): { value: bigint; unit: string } | undefined {
  if (typeof text !== 'string') return undefined;
  const trimmed = javaTrim(text);
  let pos = 0;
  while (pos < trimmed.length && trimmed.charCodeAt(pos) >= 0x30 && trimmed.charCodeAt(pos) <= 0x39) pos++;
  if (pos === 0) return undefined; // empty, or "text does not start with a number" (also '-1s', '+1s', 'PT10S')
  const value = BigInt(trimmed.slice(0, pos));
  if (value > LONG_MAX) return undefined; // Long.parseLong overflow
  // Java: substring(pos).trim().toLowerCase(Locale.US)
  return { value, unit: javaTrim(trimmed.slice(pos)).toLowerCase() };
}

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
// Memory sizes: org.apache.flink.configuration.MemorySize.parse

const MEMORY_UNITS: ReadonlyMap<string, bigint> = new Map<string, bigint>([
  ['b', 1n], ['bytes', 1n],
  ['k', 1024n], ['kb', 1024n], ['kibibytes', 1024n],
  ['m', 1024n ** 2n], ['mb', 1024n ** 2n], ['mebibytes', 1024n ** 2n],
  ['g', 1024n ** 3n], ['gb', 1024n ** 3n], ['gibibytes', 1024n ** 3n],
  ['t', 1024n ** 4n], ['tb', 1024n ** 4n], ['tebibytes', 1024n ** 4n],
]);

/** The unit labels parseMemorySize accepts. */
export const MEMORY_UNIT_LABELS: readonly string[] = [...MEMORY_UNITS.keys()];

/**
 * Flink's MemorySize.parse: trim; ASCII digits (integer only); optional whitespace; optional case-insensitive unit
 * b|bytes|k|kb|kibibytes|m|mb|mebibytes|g|gb|gibibytes|t|tb|tebibytes (binary multiples; no unit = bytes).
 * Returns bytes as a number, or undefined where Flink throws (including results beyond 2^63 - 1).
 */
export function parseMemorySize(text: string): number | undefined {
  const parsed = splitNumberAndUnit(text);
  if (!parsed) return undefined;
  const multiplier = parsed.unit === '' ? 1n : MEMORY_UNITS.get(parsed.unit);
  if (multiplier === undefined) return undefined;
  const bytes = parsed.value * multiplier;
  if (bytes > LONG_MAX) return undefined;
  return Number(bytes);
}

// ---------------------------------------------------------------------------------------------------------------
// Kubernetes quantities

const QUANTITY_SUFFIX: ReadonlyMap<string, number> = new Map<string, number>([
  ['', 1],
  ['Ki', 2 ** 10], ['Mi', 2 ** 20], ['Gi', 2 ** 30], ['Ti', 2 ** 40], ['Pi', 2 ** 50], ['Ei', 2 ** 60],
  ['n', 1e-9], ['u', 1e-6], ['m', 1e-3], ['k', 1e3], ['M', 1e6], ['G', 1e9], ['T', 1e12], ['P', 1e15], ['E', 1e18],
]);
/** <signedNumber><suffix>; suffix: binary SI, decimal SI, or a decimal exponent e<int>/E<int>. No whitespace. */
const QUANTITY_RE = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

/**
 * Kubernetes resource.Quantity (apimachinery's grammar: sign, decimal number, then one of Ki Mi Gi Ti Pi Ei,
 * n u m "" k M G T P E, or an exponent e3/E-3). Returns the amount in base units (bytes for memory, cores for CPU:
 * '500m' is 0.5), or undefined if it is not a quantity ('1.5 Gi', 'K', '1KB', '').
 */
export function parseKubernetesQuantity(text: string): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = QUANTITY_RE.exec(text);
  if (!m) return undefined;
  const amount = Number(m[1]);
  const suffix = m[2] ?? '';
  let result: number;
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && suffix !== 'Ei') {
    const exponent = Number(suffix.slice(1));
    if (!Number.isSafeInteger(exponent)) return undefined;
    result = amount * 10 ** exponent;
  } else {
    const factor = QUANTITY_SUFFIX.get(suffix);
    if (factor === undefined) return undefined;
    result = amount * factor;
  }
  return Number.isFinite(result) ? result : undefined;
}

/**
 * The Flink Kubernetes Operator's FlinkConfigBuilder.parseResourceMemoryString (operator 1.15), which reads
 * `spec.{jobManager,taskManager}.resource.memory`: first Flink's MemorySize.parse ('1024m' is 1 GiB, not milli);
 * if that fails, a fabric8 Quantity of the string upper-cased, with a trailing 'B' dropped and a trailing 'I' turned
 * into 'i' ('2gi' -> '2Gi', '2GiB' -> '2Gi', '1.5g' -> '1.5G' = 1.5e9 bytes). The result is truncated to whole
 * bytes and must not be negative (Flink's MemorySize rejects negative sizes). Returns bytes or undefined.
 */
export function parseResourceMemory(text: string): number | undefined {
  if (typeof text !== 'string') return undefined;
  const flink = parseMemorySize(text);
  if (flink !== undefined) return flink;
  let q = text.toUpperCase();
  if (q.endsWith('B')) q = q.slice(0, -1);
  if (q.endsWith('I')) q = q.slice(0, -1) + 'i';
  // After upper-casing only the unit letters K M G T P E (and Ki..Ei) can remain; 'K' alone is not a K8s suffix.
  const quantity = parseKubernetesQuantity(q);
  if (quantity === undefined) return undefined;
  const bytes = Math.trunc(quantity);
  if (bytes < 0 || bytes > Number(LONG_MAX)) return undefined;
  return bytes;
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

export function isJavaDouble(value: string): boolean {
  return JAVA_FLOAT_RE.test(javaTrim(value));
}

/** Java's Character.isWhitespace: Unicode space separators except no-break spaces, plus \t \n \v \f \r and U+001C..U+001F. */
function isJavaWhitespace(c: string): boolean {
  if (c === '\u00a0' || c === '\u2007' || c === '\u202f') return false;
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
