/**
 * The Ui seam (ui.ts) implemented with VS Code's API. Read-only documents for diffs are served from
 * memory under the `cmf-pools-diff:` scheme.
 */
import * as vscode from 'vscode';
import type { DiffSide, InputOptions, PickItem, ProgressReporter, Ui } from './ui';
import { terminalSafe } from '../../../cmf-client/src/safe-text';

/**
 * Text shown in notifications, modals and progress: it holds names and messages from CMF and from files, so control,
 * bidi and invisible characters are shown escaped (safe-text.ts); our own line breaks stay. Action labels are ours.
 */
function shown(text: string): string {
  return terminalSafe(text, { multiline: true });
}

export const DIFF_SCHEME = 'cmf-pools-diff';

/** Read-only in-memory documents for the left/right sides of diffs. Keeps the last 50. */
export class DiffDocuments implements vscode.TextDocumentContentProvider {
  private readonly docs = new Map<string, string>();
  private n = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.path) ?? '';
  }

  add(title: string, text: string): vscode.Uri {
    const path = `/${++this.n}/${title.replace(/[\\/:*?"<>|]+/g, '_')}.json`;
    this.docs.set(path, text);
    if (this.docs.size > 50) this.docs.delete(this.docs.keys().next().value as string);
    return vscode.Uri.from({ scheme: DIFF_SCHEME, path });
  }
}

export class VsCodeUi implements Ui {
  constructor(
    private readonly docs: DiffDocuments,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async confirm(message: string, detail: string, ...actions: string[]): Promise<string | undefined> {
    return vscode.window.showWarningMessage(shown(message), { modal: true, detail: shown(detail) }, ...actions);
  }

  info(message: string, ...actions: string[]): Promise<string | undefined> {
    return Promise.resolve(vscode.window.showInformationMessage(shown(message), ...actions));
  }

  warn(message: string, ...actions: string[]): Promise<string | undefined> {
    return Promise.resolve(vscode.window.showWarningMessage(shown(message), ...actions));
  }

  error(message: string, ...actions: string[]): Promise<string | undefined> {
    return Promise.resolve(vscode.window.showErrorMessage(shown(message), ...actions));
  }

  async pick<T>(items: PickItem<T>[], options: { title: string; placeHolder?: string }): Promise<T | undefined> {
    const one = (s: string | undefined) => (s === undefined ? undefined : terminalSafe(s));
    const qp = items.map((i) => ({ label: terminalSafe(i.label), description: one(i.description), detail: one(i.detail), picked: i.picked, value: i.value }));
    const active = qp.find((i) => i.picked);
    return new Promise<T | undefined>((resolve) => {
      const p = vscode.window.createQuickPick<(typeof qp)[number]>();
      p.title = options.title;
      p.placeholder = options.placeHolder;
      p.items = qp;
      p.ignoreFocusOut = true;
      if (active) p.activeItems = [active];
      let done = false;
      p.onDidAccept(() => {
        done = true;
        resolve(p.selectedItems[0]?.value);
        p.hide();
      });
      p.onDidHide(() => {
        if (!done) resolve(undefined);
        p.dispose();
      });
      p.show();
    });
  }

  async input(o: InputOptions): Promise<string | undefined> {
    const v = await vscode.window.showInputBox({
      title: o.title,
      prompt: o.prompt,
      value: o.value,
      placeHolder: o.placeHolder,
      password: o.password,
      ignoreFocusOut: true,
      validateInput: o.validate ? (value) => (value === '' && o.allowEmpty ? undefined : o.validate!(value)) : undefined,
    });
    if (v === undefined) return undefined;
    if (v === '' && !o.allowEmpty) return undefined;
    return v;
  }

  async pickFile(options: { title: string; filters?: Record<string, string[]> }): Promise<string | undefined> {
    const r = await vscode.window.showOpenDialog({ title: options.title, canSelectFiles: true, canSelectFolders: false, canSelectMany: false, filters: options.filters });
    return r?.[0]?.fsPath;
  }

  withProgress<T>(title: string, cancellable: boolean, task: (progress: ProgressReporter, signal: AbortSignal) => Promise<T>): Promise<T> {
    return Promise.resolve(
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: shown(title), cancellable }, (progress, token) => {
        const ac = new AbortController();
        const sub = token.onCancellationRequested(() => ac.abort());
        return task({ report: (message) => progress.report({ message: shown(message) }) }, ac.signal).finally(() => sub.dispose());
      }),
    );
  }

  async diff(left: DiffSide, right: DiffSide, title: string): Promise<void> {
    const uri = (s: DiffSide) => ('path' in s ? (/^[a-z][a-z0-9+.-]+:/i.test(s.path) && !/^[a-z]:[\\/]/i.test(s.path) ? vscode.Uri.parse(s.path) : vscode.Uri.file(s.path)) : this.docs.add(s.title, s.text));
    await vscode.commands.executeCommand('vscode.diff', uri(left), uri(right), title, { preview: true });
  }

  async openUntitled(text: string, language: string): Promise<void> {
    const doc = await vscode.workspace.openTextDocument({ content: text, language });
    await vscode.window.showTextDocument(doc);
  }

  async copy(text: string): Promise<void> {
    await vscode.env.clipboard.writeText(text);
  }

  async openExternal(url: string): Promise<boolean> {
    return vscode.env.openExternal(vscode.Uri.parse(url));
  }

  showLog(): void {
    this.log.show(true);
  }

  run(command: string, ...args: unknown[]): Promise<unknown> {
    return Promise.resolve(vscode.commands.executeCommand(command, ...args));
  }
}
