/**
 * A connection's token command: a command line that prints a fresh bearer token, like kubectl's
 * credential plugins. It comes only from user or machine settings (`cmfPools.connections` is not a
 * workspace setting), so a workspace cannot make the extension run a command.
 *
 * The output is a secret: it is never logged, and error messages carry at most the command's exit status
 * and the last line of its stderr, with anything token-like removed.
 */
import { spawn } from 'node:child_process';
import { redactText } from '../../../cmf-client/src/errors';

const TOKEN_COMMAND_TIMEOUT_MS = 60_000;
const MAX_OUTPUT = 1024 * 1024;

class TokenCommandError extends Error {
  override readonly name = 'TokenCommandError';
}

/** The token in a command's stdout: raw text, or JSON with status.token (ExecCredential), access_token, token or id_token. */
export function tokenFromOutput(stdout: string): string {
  const text = stdout.trim();
  if (text.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new TokenCommandError('The token command printed something that starts like JSON but is not valid JSON.');
    }
    const o = parsed as { status?: { token?: unknown }; access_token?: unknown; token?: unknown; id_token?: unknown };
    const t = o.status?.token ?? o.access_token ?? o.token ?? o.id_token;
    if (typeof t !== 'string' || !t.trim()) {
      throw new TokenCommandError('The token command printed JSON without a token (looked for status.token, access_token, token and id_token).');
    }
    return t.trim();
  }
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (lines.length === 0) throw new TokenCommandError('The token command printed nothing on stdout.');
  if (lines.length > 1) throw new TokenCommandError(`The token command printed ${lines.length} lines; it must print only the token (or JSON).`);
  return lines[0].replace(/^Bearer\s+/i, '');
}

export interface TokenCommandOptions {
  timeoutMs?: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** Runs `command` with the shell and returns the token it prints. Rejects with a TokenCommandError. */
export function runTokenCommand(command: string, opts: TokenCommandOptions = {}): Promise<string> {
  const timeoutMs = opts.timeoutMs ?? TOKEN_COMMAND_TIMEOUT_MS;
  return new Promise<string>((resolve, reject) => {
    let child;
    try {
      child = spawn(command, { shell: true, cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    } catch (e) {
      reject(new TokenCommandError(`Could not start the token command: ${(e as Error).message}`));
      return;
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      f();
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(() => reject(new TokenCommandError(`The token command did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped.`)));
    }, timeoutMs);
    child.stdout.on('data', (b: Buffer) => {
      outBytes += b.length;
      if (outBytes <= MAX_OUTPUT) out.push(b);
    });
    child.stderr.on('data', (b: Buffer) => {
      errBytes += b.length;
      if (errBytes <= 64 * 1024) err.push(b);
    });
    child.on('error', (e) => finish(() => reject(new TokenCommandError(`Could not run the token command: ${e.message}`))));
    child.on('close', (code, signal) => {
      const stdout = Buffer.concat(out).toString('utf8');
      if (code !== 0) {
        const lastLine = Buffer.concat(err).toString('utf8').trim().split(/\r?\n/).pop() ?? '';
        const said = lastLine ? `: ${redactText(lastLine, [stdout.trim()]).slice(0, 300)}` : '';
        finish(() => reject(new TokenCommandError(`The token command failed (${signal ? `signal ${signal}` : `exit status ${code}`})${said}`)));
        return;
      }
      if (outBytes > MAX_OUTPUT) return finish(() => reject(new TokenCommandError('The token command printed more than 1 MiB; it must print only the token.')));
      try {
        const token = tokenFromOutput(stdout);
        finish(() => resolve(token));
      } catch (e) {
        finish(() => reject(e));
      }
    });
  });
}
