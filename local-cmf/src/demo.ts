/**
 * The demo's environment names, on their own so that the extension (which runs the local CMF in a process
 * of its own) can name them without bundling the local CMF. CMF requires environment names of at least 4
 * characters (OpenAPI `PostResourceBase.name`, minLength 4), so the development environment is
 * `development`, not `dev`.
 */
export const DEMO_ENVIRONMENTS = { development: 'development', production: 'prod' } as const;
