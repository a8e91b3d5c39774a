/**
 * How the Flink Kubernetes Operator and Flink read a pool's sizes: Flink's `MemorySize`, Kubernetes'
 * `resource.Quantity`, and the operator's `FlinkConfigBuilder.parseResourceMemoryString` for
 * `resource.memory`. One copy for every part: the rules, the explorer's tooltips and the local CMF's
 * resource summaries. Pure functions; nothing here throws on any input.
 */

/** Long.MAX_VALUE: Flink rejects sizes beyond it. */
export const LONG_MAX = 9223372036854775807n;

/** Java's String.trim(): strips code points <= U+0020 at both ends (not Unicode whitespace such as U+00A0). */
export function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return s.slice(start, end);
}

/** Leading ASCII digits and the rest, trimmed and lower-cased (the shape shared by TimeUtils and MemorySize). */
export function splitNumberAndUnit(text: string): { value: bigint; unit: string } | undefined {
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

