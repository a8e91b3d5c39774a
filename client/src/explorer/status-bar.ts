/** The status-bar item: the selected CMF connection and environment; a click selects another. */
import * as vscode from 'vscode';
import type { ConnectionRegistry } from '../connections/registry';
import { statusText } from './present';

export class ConnectionStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('cmfPools.connection', vscode.StatusBarAlignment.Left, 10);
  private readonly sub: { dispose(): void };

  constructor(private readonly registry: ConnectionRegistry) {
    this.item.name = 'CMF Connection';
    this.sub = registry.onDidChange(() => this.update());
    this.update();
    this.item.show();
  }

  update(): void {
    const s = statusText(this.registry);
    this.item.text = s.text;
    this.item.tooltip = s.tooltip;
    this.item.command = this.registry.list().length ? 'cmfPools.selectConnection' : 'cmfPools.addConnection';
    this.item.backgroundColor = s.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  dispose(): void {
    this.sub.dispose();
    this.item.dispose();
  }
}
