/**
 * What the fuzzer found, kept as regression tests: the session seeds of `npm run fuzz` failures (replayed
 * by `npm run fuzz` first, and the light ones by `npm test`) and minimal documents for the service.
 * A seed replays the same session only as long as arbitraries.ts and corpus.ts generate the same values;
 * each entry therefore also says what it found, and has a seed-free test where one was possible.
 */

export interface SeedRegression {
  seed: number;
  found: string;
  /** Set while the bug is open: `npm test` reports the replay as a todo instead of failing. */
  open?: string;
  /** Too slow for `npm test` (seconds); `npm run fuzz` replays it. */
  heavy?: boolean;
}

export const SEED_REGRESSIONS: SeedRegression[] = [
  {
    seed: 20260968,
    found:
      'A burst of 165 edits to a 4 MB one-line document: the server validated after every change (vscode-jsonrpc hands over one ' +
      'message per turn of the event loop), so the last version\'s diagnostics took minutes. Fixed in server.ts schedule().',
    heavy: true,
  },
  {
    seed: 20260893,
    found:
      'textDocument/codeAction threw "Cannot convert object to primitive value" in code-actions.ts enumFixes (String() of an object value). ' +
      'Fixed in code-actions.ts: values are described without String().',
  },
  {
    seed: 20261656,
    found: 'textDocument/hover threw the same error through codeActions → enumFixes. Fixed with it.',
  },
];

/**
 * Found by the named scenario 'reopened with other text before the first diagnostics' (server-fuzz.ts), run by
 * `npm test` and `npm run fuzz`: a document closed and opened again at the same version with other text while
 * its first validation waited for the client's settings got the old text's diagnostics (ranges outside the new
 * text), and the old text's parse stayed cached for that version, so symbols, hover and completion answered
 * from it too, until the next edit. Fixed in server.ts validate() (it compared versions only).
 */
export const SCENARIO_REGRESSIONS = ['reopened with other text before the first diagnostics'];

/** Documents that made the language service throw. */
export const SERVICE_REGRESSIONS: { name: string; text: string }[] = [
  {
    // flink-config.ts put String(metadata.name) into the ha-incomplete message: JSON.parse gives this object an own toString.
    name: 'metadata.name {"toString": 1} with HA incomplete',
    text: '{"apiVersion":"cmf.confluent.io/v1","kind":"ComputePool","metadata":{"name":{"toString":1}},"spec":{"type":"SHARED","clusterSpec":{"flinkConfiguration":{"high-availability.type":"kubernetes"}}}}',
  },
  {
    // The same through jsonc-parser (a comment makes JSON.parse refuse the text): its objects have no prototype at all.
    name: 'metadata.name {} in a document with a comment, HA incomplete',
    text: '{"apiVersion":"cmf.confluent.io/v1","kind":"ComputePool","metadata":{"name":{}},"spec":{"type":"SHARED","clusterSpec":{"flinkConfiguration":{"high-availability.type":"kubernetes"}}}}\n// a comment',
  },
];
