/**
 * The user, played by the test: for the duration of `withPrompts`, the extension's notifications,
 * confirmations, quick picks and input boxes are answered by rules instead of being shown, and
 * `env.openExternal` records the URL instead of opening a browser.
 *
 * It replaces `window.showInformationMessage`, `showWarningMessage`, `showErrorMessage`, `showQuickPick`,
 * `createQuickPick` (the extension's picker: it pre-selects the current value) and `showInputBox` on the
 * `vscode` API object the extension itself holds: VS Code gives each extension one API object, and this
 * suite's bundle (dist/e2e/) lies inside the extension under development, so it gets the same one. Nothing
 * here is reachable through a setting: the answers exist only in this test code, while a test runs.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from './harness';

export type PromptKind = 'info' | 'warning' | 'error' | 'pick' | 'input';

export interface Prompt {
  kind: PromptKind;
  /** The message; for a pick or an input box, its title and placeholder (or prompt), joined by ": ". */
  message: string;
  modal: boolean;
  detail?: string;
  /** Button labels, or the quick pick's item labels. */
  choices: string[];
  password?: boolean;
  /** What the test answered (undefined: dismissed or cancelled). */
  answer?: string;
}

export interface Rule {
  kind: PromptKind;
  match: RegExp;
  /** A button or item label, an input's value, or a function of the prompt; undefined dismisses it. */
  answer?: string | ((p: Prompt) => string | undefined);
}

/** What a `withPrompts` block saw. */
export class Prompts {
  readonly shown: Prompt[] = [];
  /** Modal messages, picks and inputs that no rule answered (they were cancelled), and rejected answers. */
  readonly unexpected: string[] = [];
  /** URLs given to env.openExternal. */
  readonly opened: string[] = [];

  constructor(private readonly rules: Rule[]) {}

  /** Answers a prompt by the first rule that matches it, and records it. */
  decide(p: Prompt): string | undefined {
    const rule = this.rules.find((r) => r.kind === p.kind && r.match.test(p.message));
    p.answer = typeof rule?.answer === 'function' ? rule.answer(p) : rule?.answer;
    this.shown.push(p);
    if (!rule && (p.modal || p.kind === 'pick' || p.kind === 'input')) this.unexpected.push(`${p.kind} nobody expected: ${p.message}`);
    if (p.answer !== undefined && p.kind !== 'input' && !p.choices.includes(p.answer)) {
      this.unexpected.push(`"${p.answer}" is not one of the choices of ${p.kind} "${p.message}": ${p.choices.join(', ')}`);
    }
    return p.answer;
  }

  assertNoUnexpected(): void {
    assert.deepEqual(this.unexpected, [], 'every prompt was one the test expected');
  }

  /** The prompts of a kind whose message matches. */
  find(kind: PromptKind, match: RegExp): Prompt[] {
    return this.shown.filter((p) => p.kind === kind && match.test(p.message));
  }

  /** Waits until a prompt of this kind matching `match` has been shown (notifications may come after a command returns). */
  waitFor(kind: PromptKind, match: RegExp, timeoutMs = 15_000): Promise<Prompt> {
    return waitFor(`a ${kind} message matching ${match} (seen: ${this.shown.map((p) => `${p.kind}: ${p.message}`).join(' | ') || 'none'})`, () => this.find(kind, match)[0], timeoutMs);
  }
}

type Mutable = Record<string, unknown>;

/** Runs `fn` with the extension's prompts answered by `rules`; restores VS Code's own afterwards. */
export async function withPrompts<T>(rules: Rule[], fn: (prompts: Prompts) => Promise<T>): Promise<T> {
  const prompts = new Prompts(rules);
  const window = vscode.window as unknown as Mutable;
  const env = vscode.env as unknown as Mutable;
  const saved: [Mutable, string, unknown][] = [];
  const replace = (target: Mutable, name: string, value: unknown) => {
    saved.push([target, name, target[name]]);
    target[name] = value;
    assert.equal(target[name], value, `vscode.${target === env ? 'env' : 'window'}.${name} can be replaced for the test`);
  };

  const message = (kind: 'info' | 'warning' | 'error') =>
    (text: string, ...rest: unknown[]): Thenable<unknown> => {
      let options: vscode.MessageOptions | undefined;
      if (rest.length && typeof rest[0] === 'object' && rest[0] !== null && !('title' in rest[0])) options = rest.shift() as vscode.MessageOptions;
      const items = rest.filter((i) => i !== undefined) as (string | vscode.MessageItem)[];
      const labels = items.map((i) => (typeof i === 'string' ? i : i.title));
      const answer = prompts.decide({ kind, message: text, modal: !!options?.modal, detail: options?.detail, choices: labels });
      const at = answer === undefined ? -1 : labels.indexOf(answer);
      return Promise.resolve(at >= 0 ? items[at] : undefined);
    };
  replace(window, 'showInformationMessage', message('info'));
  replace(window, 'showWarningMessage', message('warning'));
  replace(window, 'showErrorMessage', message('error'));

  const label = (i: string | vscode.QuickPickItem) => (typeof i === 'string' ? i : i.label);
  const titled = (title?: string, text?: string) => [title, text].filter(Boolean).join(': ');
  replace(window, 'showQuickPick', async (items: readonly (string | vscode.QuickPickItem)[] | Thenable<readonly (string | vscode.QuickPickItem)[]>, options?: vscode.QuickPickOptions) => {
    const list = await items;
    const answer = prompts.decide({ kind: 'pick', message: titled(options?.title, options?.placeHolder), modal: false, choices: list.map(label) });
    return list.find((i) => label(i) === answer);
  });
  replace(window, 'createQuickPick', () => {
    const accept = new vscode.EventEmitter<void>();
    const hide = new vscode.EventEmitter<void>();
    let hidden = false;
    const qp = {
      title: undefined as string | undefined,
      placeholder: undefined as string | undefined,
      items: [] as vscode.QuickPickItem[],
      activeItems: [] as vscode.QuickPickItem[],
      selectedItems: [] as vscode.QuickPickItem[],
      value: '',
      ignoreFocusOut: false,
      canSelectMany: false,
      busy: false,
      enabled: true,
      onDidAccept: accept.event,
      onDidHide: hide.event,
      onDidChangeValue: new vscode.EventEmitter<string>().event,
      onDidChangeActive: new vscode.EventEmitter<readonly vscode.QuickPickItem[]>().event,
      onDidChangeSelection: new vscode.EventEmitter<readonly vscode.QuickPickItem[]>().event,
      onDidTriggerButton: new vscode.EventEmitter<vscode.QuickInputButton>().event,
      onDidTriggerItemButton: new vscode.EventEmitter<vscode.QuickPickItemButtonEvent<vscode.QuickPickItem>>().event,
      buttons: [],
      show() {
        setTimeout(() => {
          const answer = prompts.decide({ kind: 'pick', message: titled(qp.title, qp.placeholder), modal: false, choices: qp.items.map(label) });
          const item = qp.items.find((i) => i.label === answer);
          if (item) {
            qp.selectedItems = [item];
            accept.fire();
          } else qp.hide();
        }, 0);
      },
      hide() {
        if (hidden) return;
        hidden = true;
        hide.fire();
      },
      dispose() {
        accept.dispose();
        hide.dispose();
      },
    };
    return qp;
  });
  replace(window, 'showInputBox', async (options?: vscode.InputBoxOptions) => {
    const p: Prompt = { kind: 'input', message: titled(options?.title, options?.prompt), modal: false, choices: [], password: !!options?.password };
    const answer = prompts.decide(p);
    if (answer === undefined) return undefined;
    const problem = await options?.validateInput?.(answer);
    const text = typeof problem === 'string' ? problem : problem?.message;
    if (text) {
      prompts.unexpected.push(`input "${p.message}" rejected the test's answer: ${text}`);
      return undefined;
    }
    return answer;
  });
  replace(env, 'openExternal', async (uri: vscode.Uri) => {
    prompts.opened.push(uri.toString(true));
    return true;
  });

  try {
    return await fn(prompts);
  } finally {
    for (const [target, name, value] of saved.reverse()) target[name] = value;
  }
}
