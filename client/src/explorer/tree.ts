/**
 * The explorer's TreeDataProvider over the model (model.ts), one TreeItem class per kind of node, and a
 * FileDecorationProvider for warning badges (TLS verification off, stale data, cluster away). Every field
 * shown comes from the model's NodeView (present.ts), which the tests check without VS Code.
 */
import * as vscode from 'vscode';
import type { ExplorerModel, ExplorerNode } from './model';
import type { NodeView } from './present';
import { terminalSafe } from '../../../cmf-client/src/safe-text';

const TREE_SCHEME = 'cmf-pools-tree';

const COLLAPSIBLE = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
} as const;

/** What every item kind shares: the NodeView copied onto a TreeItem. */
abstract class ViewItem extends vscode.TreeItem {
  constructor(node: ExplorerNode, view: NodeView) {
    // Names, phases and messages come from CMF: labels and descriptions on one line, everything escaped (safe-text.ts).
    super(terminalSafe(view.label), COLLAPSIBLE[view.collapsible]);
    this.id = node.id;
    this.description = view.description === undefined ? undefined : terminalSafe(view.description);
    this.contextValue = view.contextValue;
    this.iconPath = new vscode.ThemeIcon(view.icon.id, view.icon.color ? new vscode.ThemeColor(view.icon.color) : undefined);
    if (view.tooltip) {
      const md = new vscode.MarkdownString(terminalSafe(view.tooltip, { multiline: true }), true);
      md.isTrusted = false;
      this.tooltip = md;
    }
    if (view.command) this.command = { ...view.command };
    // A resource URI only to hang a decoration (badge) on; the label stays ours.
    if (view.decoration) this.resourceUri = decorationUri(node.id);
  }
}

class ConnectionItem extends ViewItem {}
class EnvironmentItem extends ViewItem {}
class PoolItem extends ViewItem {}
class StatementItem extends ViewItem {}
class MessageItem extends ViewItem {}

const ITEM_CLASSES = {
  connection: ConnectionItem,
  environment: EnvironmentItem,
  pool: PoolItem,
  statement: StatementItem,
  message: MessageItem,
} as const;

function decorationUri(id: string): vscode.Uri {
  return vscode.Uri.from({ scheme: TREE_SCHEME, path: '/' + encodeURIComponent(id) });
}

export class PoolTreeProvider implements vscode.TreeDataProvider<ExplorerNode>, vscode.FileDecorationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly decorations = new vscode.EventEmitter<vscode.Uri[] | undefined>();
  readonly onDidChangeFileDecorations = this.decorations.event;
  private readonly sub: { dispose(): void };

  constructor(readonly model: ExplorerModel) {
    this.sub = model.onDidChange((node) => {
      this.changed.fire(node);
      this.decorations.fire(node ? [decorationUri(node.id)] : undefined);
    });
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    return new ITEM_CLASSES[node.kind](node, this.model.view(node));
  }

  getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    return this.model.children(node);
  }

  getParent(node: ExplorerNode): ExplorerNode | undefined {
    return this.model.parent(node);
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== TREE_SCHEME) return undefined;
    const node = this.model.node(decodeURIComponent(uri.path.slice(1)));
    const d = node ? this.model.view(node).decoration : undefined;
    return d ? new vscode.FileDecoration(d.badge, terminalSafe(d.tooltip), new vscode.ThemeColor(d.color)) : undefined;
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
    this.decorations.dispose();
  }
}
