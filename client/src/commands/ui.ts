/**
 * The seam between command logic and VS Code: everything a command asks of the user or shows them.
 * vscode-ui.ts implements it with VS Code's API; tests pass a fake that answers as scripted and records
 * what was shown. No vscode import here.
 */

export interface PickItem<T> {
  label: string;
  description?: string;
  detail?: string;
  value: T;
  picked?: boolean;
}

export interface InputOptions {
  title: string;
  prompt: string;
  value?: string;
  placeHolder?: string;
  password?: boolean;
  /** Returns a message while the value is not acceptable. */
  validate?: (value: string) => string | undefined;
  /** Accept an empty value (otherwise empty counts as cancel). */
  allowEmpty?: boolean;
}

export interface ProgressReporter {
  report(message: string): void;
}

/** A document shown side by side; `text` is shown read-only, `path` opens the real file. */
export type DiffSide = { title: string; text: string; language?: string } | { title: string; path: string };

export interface Ui {
  /**
   * A modal confirmation. Resolves to the chosen action's label, or undefined when cancelled (Escape, the
   * close button or "Cancel").
   */
  confirm(message: string, detail: string, ...actions: string[]): Promise<string | undefined>;
  /** Non-modal notifications; resolve to the clicked action. */
  info(message: string, ...actions: string[]): Promise<string | undefined>;
  warn(message: string, ...actions: string[]): Promise<string | undefined>;
  error(message: string, ...actions: string[]): Promise<string | undefined>;
  pick<T>(items: PickItem<T>[], options: { title: string; placeHolder?: string }): Promise<T | undefined>;
  input(options: InputOptions): Promise<string | undefined>;
  /** Asks for a file; resolves to its path. */
  pickFile(options: { title: string; filters?: Record<string, string[]> }): Promise<string | undefined>;
  /** Runs `task` with a progress notification; `signal` aborts when the user cancels. */
  withProgress<T>(title: string, cancellable: boolean, task: (progress: ProgressReporter, signal: AbortSignal) => Promise<T>): Promise<T>;
  diff(left: DiffSide, right: DiffSide, title: string): Promise<void>;
  /** Opens a new untitled editor with this content. */
  openUntitled(text: string, language: string): Promise<void>;
  copy(text: string): Promise<void>;
  openExternal(url: string): Promise<boolean>;
  showLog(): void;
  /** Runs another registered command (reveal in tree, show problems, ...). */
  run(command: string, ...args: unknown[]): Promise<unknown>;
}

/** Label of the "Show Log" button on failure notifications. */
export const SHOW_LOG = 'Show Log';
