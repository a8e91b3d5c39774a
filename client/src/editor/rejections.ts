/**
 * Diagnostics from CMF's rejection of a deploy, on the fields its messages name. They stay until the file
 * changes or is deployed again; they are CMF's words, so their source is "CMF".
 */
import * as vscode from 'vscode';
import type { FieldProblem } from '../language/pool-language';

export class RejectionDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('cmf-pools-deploy');
  private readonly sub = vscode.workspace.onDidChangeTextDocument((e) => {
    if (e.contentChanges.length && this.collection.has(e.document.uri)) this.collection.delete(e.document.uri);
  });

  set(path: string, problems: FieldProblem[]): void {
    const uri = toUri(path);
    this.collection.set(
      uri,
      problems.map((p) => {
        const d = new vscode.Diagnostic(new vscode.Range(p.range.start.line, p.range.start.character, p.range.end.line, p.range.end.character), p.message, vscode.DiagnosticSeverity.Error);
        d.source = 'CMF';
        d.code = 'cmf-rejected';
        return d;
      }),
    );
  }

  clear(path: string): void {
    this.collection.delete(toUri(path));
  }

  dispose(): void {
    this.sub.dispose();
    this.collection.dispose();
  }
}

function toUri(path: string): vscode.Uri {
  return /^[a-z][a-z0-9+.-]+:/i.test(path) && !/^[a-z]:[\\/]/i.test(path) ? vscode.Uri.parse(path) : vscode.Uri.file(path);
}
