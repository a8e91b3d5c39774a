/**
 * What the REST client takes from undici (its Agent and TLS connector; requests go through the
 * agent's own `request`), loaded when the first request is made rather than when this module is: the extension
 * activates without it (its bundle maps this import to dist/undici.js, a vendor bundle of just these parts,
 * scripts/vendor/undici.js), and a workspace that never talks to CMF never loads it.
 */
export type Undici = Pick<typeof import('undici'), 'Agent' | 'buildConnector'>;

let lib: Promise<Undici> | undefined;

export function loadUndici(): Promise<Undici> {
  // A require, not import(): loaded here, on demand (from dist/undici.js in the extension's bundle).
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- on purpose: loaded on first use only
  return (lib ??= Promise.resolve().then(() => require('undici') as Undici));
}
