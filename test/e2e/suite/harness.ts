/**
 * What the end-to-end suites share: running mocha inside the extension host, waiting on the editor,
 * and asking the launcher for a screenshot. Runs in the extension host of a real VS Code (code-server
 * or desktop), bundled by scripts/e2e/build.mjs with `vscode` external.
 */
import Mocha from 'mocha';
import { format } from 'node:util';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'cmf-pools.cmf-pools';
const SOURCE = 'cmf-pools';

/**
 * Runs the suites that `load` imports (after mocha's globals exist) and rejects when a test fails:
 * VS Code turns the rejection into the exit code the launcher reports.
 */
export async function runMocha(name: string, load: () => void): Promise<void> {
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => out(format(...args));
  const mocha = new Mocha({ ui: 'tdd', timeout: 60_000, color: false, reporter: 'spec' });
  mocha.suite.emit('pre-require', globalThis, name, mocha);
  mocha.suite.afterEach(async function () {
    const t = this.currentTest;
    if (t?.state === 'failed') await screenshot(`failed-${t.fullTitle()}`);
  });
  load();
  // Room for the editor (and the screenshots): no chat or secondary side bar.
  await Promise.resolve(vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar')).catch(() => undefined);
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  await sent;
  if (failures > 0) throw new Error(`${failures} end-to-end test(s) failed`);
}

const control = process.env.CMF_POOLS_E2E_CONTROL;
let sent: Promise<unknown> = Promise.resolve();

/**
 * A line of the suite's output. To the console (desktop VS Code's launcher prints the extension host's
 * console) and, under code-server, to the launcher too, in order: there the console goes to the
 * workbench log, which the launcher keeps in the run folder and prints only when something fails.
 */
export function out(line: string): void {
  console.log(line);
  if (!control) return;
  sent = sent.then(() => fetch(`${control}/log`, { method: 'POST', body: line, signal: AbortSignal.timeout(5_000) }).then((r) => r.text())).catch(() => undefined);
}

/** A figure the launcher collects (`cmf-pools-e2e <key> <value>`). */
export function report(key: string, value: string | number): void {
  out(`cmf-pools-e2e ${key} ${value}`);
}

/**
 * Asks the launcher to screenshot the browser now (code-server only: the launcher passes its control
 * URL in the environment). Does nothing under desktop VS Code, where no launcher is listening.
 */
export async function screenshot(name: string): Promise<void> {
  if (!control) return;
  await sent;
  try {
    const res = await fetch(`${control}/screenshot?name=${encodeURIComponent(name)}`, { method: 'POST', signal: AbortSignal.timeout(20_000) });
    await res.text();
  } catch (e) {
    out(`screenshot ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * The extension's activation time as VS Code measured it (code loading plus the activate() call), read by
 * the launcher from Developer: Show Running Extensions. Undefined without the code-server launcher.
 */
export async function activationTimeShown(): Promise<number | undefined> {
  if (!control) return undefined;
  await vscode.commands.executeCommand('workbench.action.showRuntimeExtensions');
  try {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    const names = [EXTENSION_ID, String(ext?.packageJSON?.displayName ?? EXTENSION_ID)];
    const query = names.map((n) => `name=${encodeURIComponent(n)}`).join('&');
    const res = await fetch(`${control}/activation-time?${query}`, { method: 'POST', signal: AbortSignal.timeout(20_000) });
    const text = await res.text();
    const ms = res.ok ? /(\d+)\s*ms/.exec(text) : null;
    if (!ms) out(`activation time not read: ${text}`);
    return ms ? Number(ms[1]) : undefined;
  } finally {
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `probe` until it returns something other than undefined; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

export function workspaceFile(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the end-to-end suite needs the test workspace open (test/e2e/workspace)');
  return vscode.Uri.joinPath(folder.uri, relative);
}

/** Our diagnostics on a document (other extensions' are left out). */
export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

export function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

/** `code@line` (1-based), sorted: what a test compares. */
export function summary(diagnostics: readonly vscode.Diagnostic[]): string[] {
  return diagnostics.map((d) => `${codeOf(d)}@${d.range.start.line + 1}`).sort();
}

/** Waits until our diagnostics on `uri` satisfy `ok` (by default: there are some). */
export function diagnosticsOn(uri: vscode.Uri, ok: (d: vscode.Diagnostic[]) => boolean = (d) => d.length > 0, timeoutMs = 30_000): Promise<vscode.Diagnostic[]> {
  return waitFor(`cmf-pools diagnostics on ${uri.path}`, () => {
    const d = ours(uri);
    return ok(d) ? d : undefined;
  }, timeoutMs);
}

export async function open(relative: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(workspaceFile(relative));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** Closes every editor without saving, so each test starts from the files as they are on disk. */
export async function closeAll(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments) {
    if (doc.isDirty) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** The position of the `occurrence`th (0-based) match of `needle` in the document, plus `offset` characters. */
export function positionOf(doc: vscode.TextDocument, needle: string, offset = 0, occurrence = 0): vscode.Position {
  const text = doc.getText();
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" (occurrence ${occurrence}) not found in ${doc.uri.path}`);
  }
  return doc.positionAt(at + offset);
}
