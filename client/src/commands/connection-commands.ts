/**
 * Add, Edit, Remove and Select connections. One wizard serves Add and Edit (Edit starts from the current
 * values). Secrets are asked for with password inputs and go to SecretStorage through the registry; turning
 * TLS verification off needs its own modal confirmation. No vscode import.
 */
import { CmfClient } from '../../../cmf-client/src/client';
import type { Environment } from '../../../cmf-model/src/types';
import { checkConnectionName, checkConnectionUrl, describeConnection, type ConnectionConfig, type AuthKind } from '../connections/config';
import type { ConnectionSecrets } from '../connections/registry';
import { proxyOverride } from '../connections/proxy';
import { reportFailure, type CommandContext } from './context';

type TlsChoice = 'system' | 'ca' | 'insecure';
const DISABLE_VERIFICATION = 'Turn Off Verification';

/** Asks for TLS verification to be turned off; resolves true only on the explicit button. */
async function confirmInsecure(ctx: CommandContext, name: string): Promise<boolean> {
  const choice = await ctx.ui.confirm(
    `Turn off TLS certificate verification for connection '${name}'?`,
    "The extension will accept any certificate from this server, so anyone on the network path can read and change the traffic — including the bearer token — and impersonate CMF. Prefer the CA certificate that issued CMF's certificate. This applies to this connection only, and it shows a warning badge in the explorer.",
    DISABLE_VERIFICATION,
  );
  return choice === DISABLE_VERIFICATION;
}

/** The Add/Edit wizard. Resolves to the saved connection, or undefined when the user cancelled. */
async function connectionWizard(ctx: CommandContext, existing?: ConnectionConfig): Promise<ConnectionConfig | undefined> {
  const title = existing ? `Edit CMF connection '${existing.name}'` : 'Add a CMF connection';
  const others = ctx.registry.list().map((c) => c.name).filter((n) => n !== existing?.name);
  const name = await ctx.ui.input({ title, prompt: 'A name for this connection', value: existing?.name, placeHolder: 'e.g. prod, staging-eu', validate: (v) => checkConnectionName(v, others) });
  if (name === undefined) return undefined;
  const url = await ctx.ui.input({ title, prompt: "CMF's URL", value: existing?.url, placeHolder: 'https://cmf.example.com:8080', validate: checkConnectionUrl });
  if (url === undefined) return undefined;
  const config: ConnectionConfig = { name: name.trim(), url: url.trim().replace(/\/+$/, ''), auth: 'none', ...(existing?.local ? { local: true } : {}) };
  const secrets: ConnectionSecrets = {};

  if (config.url.startsWith('https:')) {
    const tls = await ctx.ui.pick<TlsChoice>(
      [
        { label: "Verify CMF's certificate with the system's CAs", value: 'system', picked: !existing?.caPath && !existing?.insecureSkipVerify },
        { label: 'Verify it with a CA certificate file…', description: existing?.caPath, value: 'ca', picked: !!existing?.caPath },
        { label: '$(warning) Do not verify the certificate (insecure)', value: 'insecure', picked: !!existing?.insecureSkipVerify },
      ],
      { title, placeHolder: 'TLS: how to trust CMF' },
    );
    if (tls === undefined) return undefined;
    if (tls === 'ca') {
      const ca = await ctx.ui.pickFile({ title: 'The CA certificate (PEM) that issued CMF\'s certificate', filters: { 'PEM certificates': ['pem', 'crt', 'cer'], 'All files': ['*'] } });
      if (ca === undefined) return undefined;
      config.caPath = ca;
    } else if (tls === 'insecure') {
      // Confirmed again whenever it is turned on (not when an insecure connection is edited and kept so).
      if (!existing?.insecureSkipVerify && !(await confirmInsecure(ctx, config.name))) return undefined;
      config.insecureSkipVerify = true;
    }
    const mtls = await ctx.ui.pick<boolean>(
      [
        { label: 'No client certificate', value: false, picked: !existing?.clientCertPath },
        { label: 'Use a client certificate (mTLS)…', description: existing?.clientCertPath, value: true, picked: !!existing?.clientCertPath },
      ],
      { title, placeHolder: 'TLS: client certificate' },
    );
    if (mtls === undefined) return undefined;
    if (mtls) {
      const cert = await ctx.ui.pickFile({ title: 'Client certificate (PEM)', filters: { 'PEM certificates': ['pem', 'crt', 'cer'], 'All files': ['*'] } });
      if (cert === undefined) return undefined;
      const key = await ctx.ui.pickFile({ title: 'Client private key (PEM)', filters: { 'PEM keys': ['pem', 'key'], 'All files': ['*'] } });
      if (key === undefined) return undefined;
      config.clientCertPath = cert;
      config.clientKeyPath = key;
      const hadPassphrase = existing ? await ctx.registry.hasSecret(existing.name, 'keyPassphrase') : false;
      const pass = await ctx.ui.input({
        title,
        prompt: hadPassphrase ? 'Passphrase of the client key (leave empty to keep the stored one)' : 'Passphrase of the client key (leave empty if it has none). Kept in the secret store.',
        password: true,
        allowEmpty: true,
      });
      if (pass === undefined) return undefined;
      secrets.keyPassphrase = pass ? pass : hadPassphrase ? undefined : null;
    }
  }

  const auth = await ctx.ui.pick<AuthKind>(
    [
      { label: 'No authentication', detail: "CMF's default: authentication disabled (or mTLS only).", value: 'none', picked: existing?.auth === 'none' },
      { label: 'Bearer token', detail: 'An OAuth token (from OIDC or MDS), kept in the secret store.', value: 'token', picked: existing?.auth === 'token' },
      { label: 'A command that prints a token', detail: 'Run on first use and again when CMF answers 401, like kubectl credential plugins.', value: 'command', picked: existing?.auth === 'command' },
    ],
    { title, placeHolder: 'Authentication' },
  );
  if (auth === undefined) return undefined;
  config.auth = auth;
  if (auth === 'token') {
    const had = existing ? await ctx.registry.hasSecret(existing.name, 'token') : false;
    const token = await ctx.ui.input({
      title,
      prompt: had ? 'Bearer token (leave empty to keep the stored one)' : 'Bearer token (kept in the secret store, never in settings)',
      password: true,
      allowEmpty: had,
      validate: (v) => (/[\r\n]/.test(v) ? 'The token must be one line.' : undefined),
    });
    if (token === undefined) return undefined;
    if (token.trim()) secrets.token = token.trim().replace(/^Bearer\s+/i, '');
    else if (!had) return undefined;
  } else if (auth === 'command') {
    const cmd = await ctx.ui.input({
      title,
      prompt: 'A command that prints a bearer token (raw, or JSON with status.token / access_token / token)',
      value: existing?.tokenCommand,
      placeHolder: 'e.g. my-oidc-login --print-token',
      validate: (v) => (v.trim() ? undefined : 'Enter a command.'),
    });
    if (cmd === undefined) return undefined;
    config.tokenCommand = cmd.trim();
  }

  // The default environment: read from CMF with these settings, before anything is saved.
  const envs = await probeEnvironments(ctx, config, secrets, existing);
  if (envs === 'cancel') return undefined;
  if (Array.isArray(envs) && envs.length) {
    const env = await ctx.ui.pick<string>(
      [{ label: 'No default environment', value: '' }, ...envs.map((e) => ({ label: e.name, description: e.kubernetesNamespace, value: e.name, picked: e.name === existing?.defaultEnvironment }))],
      { title, placeHolder: 'Default environment (selected with this connection)' },
    );
    if (env === undefined) return undefined;
    if (env) config.defaultEnvironment = env;
  } else if (existing?.defaultEnvironment) config.defaultEnvironment = existing.defaultEnvironment;
  if (existing?.timeoutSeconds) config.timeoutSeconds = existing.timeoutSeconds;

  await ctx.registry.save(config, secrets, existing?.name);
  ctx.log.info(`Saved connection '${config.name}': ${describeConnection(config)}`);
  return config;
}

/** Tries the connection: its environments, or 'skip' when the user saves it anyway, or 'cancel'. */
async function probeEnvironments(ctx: CommandContext, config: ConnectionConfig, secrets: ConnectionSecrets, existing?: ConnectionConfig): Promise<Environment[] | 'skip' | 'cancel'> {
  const token = secrets.token ?? undefined;
  let client: CmfClient | undefined;
  try {
    return await ctx.ui.withProgress(`Connecting to ${config.url}`, true, async (_p, signal) => {
      // A throwaway client with the new settings; a stored token is used only when the wizard kept it.
      const storedToken = config.auth === 'token' && token === undefined && existing ? await storedSecret(ctx, existing.name, 'token') : undefined;
      const storedPass = config.clientKeyPath && secrets.keyPassphrase === undefined && existing ? await storedSecret(ctx, existing.name, 'keyPassphrase') : undefined;
      client = new CmfClient(
        {
          url: config.url,
          caPath: config.caPath,
          clientCertPath: config.clientCertPath,
          clientKeyPath: config.clientKeyPath,
          clientKeyPassphrase: (secrets.keyPassphrase ?? storedPass) || undefined,
          insecureSkipVerify: config.insecureSkipVerify,
          token: config.auth === 'token' ? (token ?? storedToken) : undefined,
          timeoutMs: 15_000,
        },
        { proxy: proxyOverride(ctx.registry.proxySettings()), useSystemCa: true, retry: { retries: 0 } },
      );
      if (config.auth === 'command') return [] as Environment[]; // the command runs on first real use, not in the wizard
      return client.listEnvironments({ signal });
    });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    ctx.log.warn(`Trying connection '${config.name}': ${message}`);
    const choice = await ctx.ui.warn(`Could not reach CMF with these settings: ${message}`, 'Save Anyway');
    return choice === 'Save Anyway' ? 'skip' : 'cancel';
  } finally {
    await client?.close();
  }
}

function storedSecret(ctx: CommandContext, name: string, kind: 'token' | 'keyPassphrase'): Promise<string | undefined> {
  return ctx.registry.secret(name, kind);
}

export async function addConnection(ctx: CommandContext): Promise<ConnectionConfig | undefined> {
  const c = await connectionWizard(ctx);
  if (c) {
    await ctx.registry.select(c.name);
    void ctx.ui.info(`Connection '${c.name}' added and selected.`);
  }
  return c;
}

export async function editConnection(ctx: CommandContext, name?: string): Promise<ConnectionConfig | undefined> {
  const existing = name ? ctx.registry.get(name) : await pickConnection(ctx, 'Edit which connection?');
  if (!existing) return undefined;
  return connectionWizard(ctx, existing);
}

export async function removeConnection(ctx: CommandContext, name?: string): Promise<boolean> {
  const c = name ? ctx.registry.get(name) : await pickConnection(ctx, 'Remove which connection?');
  if (!c) return false;
  const choice = await ctx.ui.confirm(
    `Remove connection '${c.name}'?`,
    `${describeConnection(c)}. Its settings and its secrets (token, key passphrase) are removed from VS Code. Nothing on CMF changes.`,
    'Remove',
  );
  if (choice !== 'Remove') return false;
  await ctx.registry.remove(c.name);
  return true;
}

async function pickConnection(ctx: CommandContext, placeHolder: string): Promise<ConnectionConfig | undefined> {
  const list = ctx.registry.list();
  if (list.length === 0) {
    void ctx.ui.info('There are no CMF connections yet. Add one with "CMF: Add Connection".');
    return undefined;
  }
  return ctx.ui.pick(
    list.map((c) => ({ label: c.name, description: describeConnection(c), value: c })),
    { title: 'CMF connections', placeHolder },
  );
}

/** Picks a connection, then one of its environments, and selects both. */
export async function selectConnection(ctx: CommandContext, name?: string): Promise<boolean> {
  const c = name ? ctx.registry.get(name) : await pickConnection(ctx, 'Select a connection');
  if (!c) return false;
  let envs: Environment[];
  try {
    envs = await ctx.ui.withProgress(`Reading the environments of '${c.name}'`, true, async (_p, signal) => (await ctx.registry.client(c.name)).listEnvironments({ signal }));
  } catch (e) {
    await ctx.registry.select(c.name);
    await reportFailure(ctx, `Reading the environments of connection '${c.name}'`, e);
    return true;
  }
  const env = envs.length === 1
    ? envs[0].name
    : await ctx.ui.pick(
        envs.map((e) => ({ label: e.name, description: e.name === c.defaultEnvironment ? 'default' : e.kubernetesNamespace, value: e.name, picked: e.name === c.defaultEnvironment })),
        { title: `Environment on '${c.name}'`, placeHolder: 'Pool files are validated against and deployed to this environment' },
      );
  if (env === undefined && envs.length > 1) return false;
  await ctx.registry.select(c.name, env);
  return true;
}

export async function selectEnvironment(ctx: CommandContext, connection: string, environment: string): Promise<void> {
  await ctx.registry.select(connection, environment);
}
