/**
 * fast-check arbitraries for the fuzzer: documents (real pools, edited pools, pool-shaped random values,
 * random JSON, random bytes, token soup, the hostile documents) and editor sessions over stdio (bursts
 * of ranged edits with increasing, stale or shuffled versions, whole-text replacements, close and
 * reopen, settings changes). Edits are relative (a position is a fraction of the text), so a session is
 * a pure value: the same seed replays the same session on any text.
 */
import fc from 'fast-check';
import { hostileDocuments, seedDocuments, TOKENS, YAML_TOKENS, yamlSeedDocuments } from './corpus';

/** One edit: replace `del` characters at `at` (a fraction of the text length) with `insert`. */
export interface Edit {
  at: number;
  del: number;
  insert: string;
  /** Send a position outside the document (past the end, past a line's end, or negative). */
  wild?: 'past-end' | 'past-line' | 'negative';
  /**
   * YAML sessions: a keystroke in a block value (`key: value`) instead, the one `at` picks among the document's,
   * at the place in it that the rest of `at` picks, deleting up to `del` characters of it (see server-fuzz.ts).
   */
  inValue?: boolean;
}

const token = fc.constantFrom(...TOKENS);

/** Text to insert: mostly what people type, sometimes anything. */
const insertion: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: token },
  { weight: 3, arbitrary: fc.array(token, { minLength: 1, maxLength: 8 }).map((t) => t.join('')) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: fc.nat({ max: 5000 }).map((n) => 'x'.repeat(n)) },
);

export const edit: fc.Arbitrary<Edit> = fc
  .record({
    at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
    del: fc.oneof({ weight: 8, arbitrary: fc.nat({ max: 8 }) }, { weight: 2, arbitrary: fc.nat({ max: 200 }) }, { weight: 1, arbitrary: fc.nat({ max: 100_000 }) }),
    insert: insertion,
    wild: fc.oneof({ weight: 30, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('past-end' as const, 'past-line' as const, 'negative' as const) }),
  })
  .map((e) => (e.wild === undefined ? { at: e.at, del: e.del, insert: e.insert } : e));

/** Applies an edit to a string (positions clamped into it). */
function applyEdit(text: string, e: Edit): string {
  const at = Math.floor(e.at * (text.length + 1));
  return text.slice(0, at) + e.insert + text.slice(Math.min(text.length, at + e.del));
}

const seedDoc = fc.constantFrom(...seedDocuments());

/** Values that break code which treats document values as plain strings or plain objects. */
const awkwardValue: fc.Arbitrary<unknown> = fc.constantFrom<unknown>(
  { toString: 1 },
  { toString: 'x', valueOf: 'y' },
  { __proto__x: 1, constructor: 'c', hasOwnProperty: 2 },
  JSON.parse('{"__proto__": {"kind": "ComputePool"}}'),
  [{ toString: null }],
  Number.MAX_SAFE_INTEGER * 1e300,
  -0,
  '',
  '\u0000',
  'x'.repeat(10_000),
);

/** A real pool with a few values replaced by random JSON or dictionary values. */
const poolShaped: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(...seedDocuments().map((t) => JSON.parse(t) as unknown)),
    fc.array(fc.tuple(fc.nat(), fc.oneof(fc.jsonValue({ maxDepth: 3 }), token.map((t) => t.replace(/^"|"$/g, '')), awkwardValue)), { minLength: 1, maxLength: 6 }),
    fc.constantFrom(0, 1, 2, '\t'),
  )
  .map(([pool, changes, indent]) => {
    const copy = structuredClone(pool) as Record<string, unknown>;
    for (const [pick, value] of changes) {
      const slots: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
      const walk = (v: unknown): void => {
        if (Array.isArray(v)) {
          v.forEach((x, i) => {
            slots.push({ parent: v, key: i });
            walk(x);
          });
        } else if (v && typeof v === 'object') {
          for (const [k, x] of Object.entries(v)) {
            slots.push({ parent: v as Record<string, unknown>, key: k });
            walk(x);
          }
        }
      };
      walk(copy);
      if (!slots.length) break;
      const { parent, key } = slots[pick % slots.length];
      // A fresh copy each time (a shared one could end up inside itself); JSON keeps "__proto__" an own key.
      (parent as Record<string | number, unknown>)[key] = value === undefined ? null : JSON.parse(JSON.stringify(value) ?? 'null');
    }
    return JSON.stringify(copy, null, indent === 0 ? undefined : indent);
  });

const bytes: fc.Arbitrary<string> = fc
  .tuple(fc.uint8Array({ maxLength: 3000 }), fc.constantFrom('latin1' as const, 'utf8' as const))
  .map(([b, enc]) => Buffer.from(b).toString(enc));

const hostileDoc: fc.Arbitrary<string> = fc.constantFrom(...Object.values(hostileDocuments()));

/** Any document, small or (when `hostile`) the big named ones too. */
export function document(opts: { hostile?: boolean } = {}): fc.Arbitrary<string> {
  const small: fc.WeightedArbitrary<string>[] = [
    { weight: 4, arbitrary: seedDoc },
    { weight: 6, arbitrary: fc.tuple(seedDoc, fc.array(edit, { minLength: 1, maxLength: 12 })).map(([t, es]) => es.reduce(applyEdit, t)) },
    { weight: 4, arbitrary: poolShaped },
    { weight: 2, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v, null, 2)) },
    { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify({ kind: 'ComputePool', spec: v })) },
    { weight: 1, arbitrary: bytes },
    { weight: 1, arbitrary: fc.array(token, { maxLength: 60 }).map((t) => t.join('')) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
  ];
  return opts.hostile ? fc.oneof(...small, { weight: 1, arbitrary: hostileDoc }) : fc.oneof(...small);
}

// ---------------------------------------------------------------------------------------------------------
// Sessions over stdio

type Versioning = 'increasing' | 'stale' | 'shuffled';

export type Step =
  /** Ranged edits sent back to back (or, `paced`, spread over about a second), then the diagnostics checked. */
  | { kind: 'burst'; edits: Edit[]; versioning: Versioning; paced: boolean; requestsMidBurst: boolean }
  /** One whole-text change. */
  | { kind: 'replace'; text: string }
  /** didClose, then didOpen again at version 1 with the text as it was (or with `text`). */
  | { kind: 'reopen'; text?: string }
  /** New `cmfPools.rules` for the client to answer with, and didChangeConfiguration. */
  | { kind: 'settings'; rules: Record<string, string> }
  /** Wait, without waiting for diagnostics: the server is left mid-work for the next step. */
  | { kind: 'pause'; ms: number };

export interface Session {
  /** Which kind of URI the document lives at (a *.pool.json file, another file, untitled). */
  uri: 0 | 1 | 2 | 3;
  /** The document's language (default json): a YAML session's URIs end in .yaml. */
  language?: 'yaml';
  text: string;
  steps: Step[];
  /** Wait for the first diagnostics before the first step (default true). */
  settleAfterOpen?: boolean;
  /** The client answers workspace/configuration this late (a busy extension host); default at once. */
  settingsDelayMs?: number;
}

const RULE_CODES = ['schema/*', 'image-unverified', 'ha-recommended', 'invalid-name', 'flink-config-unknown-key', 'forbidden-field', 'no-such-code'];

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      kind: fc.constant('burst' as const),
      edits: fc.oneof({ weight: 3, arbitrary: fc.array(edit, { minLength: 1, maxLength: 20 }) }, { weight: 2, arbitrary: fc.array(edit, { minLength: 50, maxLength: 100 }) }),
      versioning: fc.constantFrom<Versioning>('increasing', 'increasing', 'increasing', 'increasing', 'stale', 'shuffled'),
      paced: fc.constant(false),
      requestsMidBurst: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('replace' as const), text: document() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reopen' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('settings' as const),
      rules: fc.dictionary(fc.constantFrom(...RULE_CODES), fc.constantFrom('error', 'warning', 'info', 'hint', 'off', 'bogus')),
    }),
  },
);

export function session(opts: { hostile?: boolean; maxSteps?: number } = {}): fc.Arbitrary<Session> {
  return fc.record({
    uri: fc.constantFrom<Session['uri']>(0, 0, 1, 2, 3),
    text: document(opts),
    steps: fc.array(step, { minLength: 1, maxLength: opts.maxSteps ?? 8 }),
  });
}

export function uriFor(kind: Session['uri'], n: number, language: 'json' | 'yaml' = 'json'): string {
  const ext = language === 'yaml' ? 'yaml' : 'json';
  switch (kind) {
    case 0:
      return `file:///fuzz/pools/s${n}.pool.${ext}`;
    case 1:
      return `file:///fuzz/other/s${n}.${ext}`;
    case 2:
      return `untitled:Untitled-${n}`;
    default:
      return `file:///fuzz/with%20space/%C3%BCber-${n}.pool.${ext}`;
  }
}

// ---------------------------------------------------------------------------------------------------------
// YAML sessions: their own arbitraries, so the JSON sessions' seeds replay the same sessions as before

const yamlToken = fc.constantFrom(...YAML_TOKENS);

/** A keystroke in a value: mostly what values are made of. */
const valueKeystroke: fc.Arbitrary<Edit> = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
  del: fc.nat({ max: 2 }),
  insert: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('0', '1', '5', 'a', 'x', 'm', 'Gi', '.', '-') }, { weight: 1, arbitrary: yamlToken }, { weight: 1, arbitrary: fc.constant('') }),
  inValue: fc.constant(true),
});

/** One edit of a YAML document: what people type in YAML, sometimes anything, and often a keystroke in a value. */
const yamlEdit: fc.Arbitrary<Edit> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
      del: fc.oneof({ weight: 8, arbitrary: fc.nat({ max: 4 }) }, { weight: 2, arbitrary: fc.nat({ max: 200 }) }),
      insert: fc.oneof(
        { weight: 6, arbitrary: yamlToken },
        { weight: 2, arbitrary: fc.array(yamlToken, { minLength: 1, maxLength: 6 }).map((t) => t.join('')) },
        { weight: 2, arbitrary: insertion },
      ),
    }),
  },
  { weight: 1, arbitrary: valueKeystroke },
);

const yamlSeedDoc = fc.constantFrom(...yamlSeedDocuments());

/** YAML documents: real pools as YAML, edited ones, YAML token soup, and (when `hostile`) the hostile documents under 1 MB, read as YAML. */
function yamlDocument(opts: { hostile?: boolean } = {}): fc.Arbitrary<string> {
  const small: fc.WeightedArbitrary<string>[] = [
    { weight: 4, arbitrary: yamlSeedDoc },
    { weight: 6, arbitrary: fc.tuple(yamlSeedDoc, fc.array(yamlEdit, { minLength: 1, maxLength: 12 })).map(([t, es]) => es.reduce(applyEdit, t)) },
    { weight: 1, arbitrary: fc.array(yamlToken, { maxLength: 60 }).map((t) => t.join('')) },
  ];
  const hostile = Object.values(hostileDocuments()).filter((t) => t.length < 1_000_000);
  return opts.hostile ? fc.oneof(...small, { weight: 1, arbitrary: fc.constantFrom(...hostile) }) : fc.oneof(...small);
}

const yamlStep: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      kind: fc.constant('burst' as const),
      edits: fc.oneof(
        { weight: 3, arbitrary: fc.array(yamlEdit, { minLength: 1, maxLength: 20 }) },
        { weight: 2, arbitrary: fc.array(yamlEdit, { minLength: 50, maxLength: 100 }) },
        { weight: 3, arbitrary: fc.array(valueKeystroke, { minLength: 1, maxLength: 40 }) },
      ),
      versioning: fc.constantFrom<Versioning>('increasing', 'increasing', 'increasing', 'increasing', 'stale', 'shuffled'),
      paced: fc.constant(false),
      requestsMidBurst: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('replace' as const), text: yamlDocument() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reopen' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('settings' as const),
      rules: fc.dictionary(fc.constantFrom(...RULE_CODES), fc.constantFrom('error', 'warning', 'info', 'hint', 'off', 'bogus')),
    }),
  },
);

/** A session on a YAML document (languageId yaml). */
export function yamlSession(opts: { hostile?: boolean; maxSteps?: number } = {}): fc.Arbitrary<Session> {
  return fc
    .record({
      uri: fc.constantFrom<Session['uri']>(0, 0, 1, 2, 3),
      text: yamlDocument(opts),
      steps: fc.array(yamlStep, { minLength: 1, maxLength: opts.maxSteps ?? 8 }),
    })
    .map((s) => ({ ...s, language: 'yaml' as const }));
}
