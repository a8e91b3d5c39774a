/**
 * CMF: New Compute Pool File. Asks dedicated or shared and a name, then opens a new, valid pool file
 * (untitled, named `<name>.pool.json` in the first workspace folder so that saving suggests that name).
 * The pool itself comes from the language server (the engine's new-pool.ts), so it is exactly what the
 * linter accepts. The VS Code API is passed in: no vscode import here, and the flow is tested with a fake.
 */
import type * as Vscode from 'vscode';
import { poolNameProblem, type PoolType } from '../../../cmf-model/src/facts';
import type { PoolLanguage } from '../language/pool-language';

export const NEW_POOL_FILE_COMMAND = 'cmfPools.newPoolFile';

/** What the command needs from the editor. */
export interface NewPoolFileHost {
  pickType(): Promise<PoolType | undefined>;
  askName(type: PoolType, suggested: string, validate: (name: string) => string | undefined): Promise<string | undefined>;
  /** The new pool's text (the language server writes it). */
  newPool(type: PoolType, name: string): Promise<string>;
  /** Opens an editor on new, unsaved content. */
  open(fileName: string, content: string): Promise<void>;
}

export type NewPoolFileOutcome = { kind: 'opened'; fileName: string; content: string } | { kind: 'cancelled' };

export async function newPoolFile(host: NewPoolFileHost): Promise<NewPoolFileOutcome> {
  const type = await host.pickType();
  if (!type) return { kind: 'cancelled' };
  const name = await host.askName(type, type === 'SHARED' ? 'shared-pool' : 'pool', (n) => poolNameProblem(n, type));
  if (name === undefined || poolNameProblem(name, type) !== undefined) return { kind: 'cancelled' };
  const fileName = `${name}.pool.json`;
  const content = await host.newPool(type, name);
  await host.open(fileName, content);
  return { kind: 'opened', fileName, content };
}

/** The host over VS Code's API. */
function vscodeHost(vscode: typeof Vscode, language: PoolLanguage): NewPoolFileHost {
  return {
    newPool: (type, name) => language.newPool({ type, name }),
    async pickType() {
      const picked = await vscode.window.showQuickPick(
        [
          { label: 'Shared', description: 'SHARED', detail: 'One long-lived Flink session cluster for all statements: fast to start, for interactive queries.', type: 'SHARED' as const },
          { label: 'Dedicated', description: 'DEDICATED', detail: 'A Flink cluster in application mode per statement: isolated, for long-running production statements.', type: 'DEDICATED' as const },
        ],
        { title: 'New Compute Pool File', placeHolder: 'Which type of compute pool?' },
      );
      return picked?.type;
    },
    askName(type, suggested, validate) {
      return Promise.resolve(
        vscode.window.showInputBox({
          title: `New ${type === 'SHARED' ? 'Shared' : 'Dedicated'} Compute Pool File`,
          prompt: 'The pool\'s name (metadata.name)',
          value: suggested,
          validateInput: (v) => validate(v) ?? null,
        }),
      );
    },
    async open(fileName, content) {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      let doc: Vscode.TextDocument;
      if (folder && folder.scheme === 'file') {
        // An untitled document with a path: Save proposes <folder>/<name>.pool.json (or -2, -3... if that exists).
        let target = vscode.Uri.joinPath(folder, fileName);
        for (let i = 2; await exists(vscode, target); i++) target = vscode.Uri.joinPath(folder, fileName.replace(/\.pool\.json$/, `-${i}.pool.json`));
        doc = await vscode.workspace.openTextDocument(target.with({ scheme: 'untitled' }));
        const edit = new vscode.WorkspaceEdit();
        edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), content);
        await vscode.workspace.applyEdit(edit);
      } else {
        doc = await vscode.workspace.openTextDocument({ language: 'json', content });
      }
      await vscode.window.showTextDocument(doc);
    },
  };
}

async function exists(vscode: typeof Vscode, uri: Vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** Registers the command; `vscode` is the extension's import of the API. */
export function registerNewPoolFile(vscode: typeof Vscode, language: PoolLanguage): Vscode.Disposable {
  return vscode.commands.registerCommand(NEW_POOL_FILE_COMMAND, async () => {
    try {
      await newPoolFile(vscodeHost(vscode, language));
    } catch (e) {
      void vscode.window.showErrorMessage(`Could not create the compute pool file: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
}
