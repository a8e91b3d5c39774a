/**
 * The registry's ports over VS Code: `cmfPools.connections` read from user (and remote-machine) settings
 * only — never from a workspace, trusted or not — SecretStorage for secrets, workspaceState for the
 * selection, and VS Code's proxy settings.
 */
import * as vscode from 'vscode';
import type { SecretPort, SettingsPort, StatePort } from './registry';
import type { VsCodeProxySettings } from './proxy';
import { userConnections } from './config';
import { terminalSafe } from '../../../cmf-client/src/safe-text';

export class VsCodeSettings implements SettingsPort {
  readConnections(): unknown {
    // `inspect` so that a workspace value is never used, even if VS Code were to apply one: the setting is
    // declared with scope `machine`, and is a restricted setting for untrusted workspaces, too.
    return userConnections(vscode.workspace.getConfiguration('cmfPools').inspect<unknown>('connections'));
  }

  async writeConnections(value: Record<string, unknown>[]): Promise<void> {
    await vscode.workspace.getConfiguration('cmfPools').update('connections', value, vscode.ConfigurationTarget.Global);
  }

  proxy(): VsCodeProxySettings {
    const http = vscode.workspace.getConfiguration('http');
    return {
      proxy: http.get<string>('proxy') || undefined,
      noProxy: http.get<string[]>('noProxy') ?? [],
      proxySupport: http.get<string>('proxySupport'),
    };
  }
}

export function secretPort(secrets: vscode.SecretStorage): SecretPort {
  return {
    get: (k) => secrets.get(k),
    store: (k, v) => secrets.store(k, v),
    delete: (k) => secrets.delete(k),
  };
}

export function statePort(memento: vscode.Memento): StatePort {
  return { get: (k) => memento.get(k), update: (k, v) => memento.update(k, v) };
}

/**
 * The LogOutputChannel as the registry's logger (VS Code adds timestamps and levels). Each message is one line with
 * control, bidi and invisible characters shown escaped (safe-text.ts): text from CMF cannot forge a log line.
 */
export function channelLogger(channel: vscode.LogOutputChannel) {
  return {
    info: (m: string) => channel.info(terminalSafe(m)),
    warn: (m: string) => channel.warn(terminalSafe(m)),
    error: (m: string) => channel.error(terminalSafe(m)),
  };
}
