/** The seed of `npm run fuzz` and of its short version in `npm test`, unless --seed says otherwise. */
export const DEFAULT_SEED = 20260700;
