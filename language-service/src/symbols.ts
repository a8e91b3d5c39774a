/**
 * Document symbols (the outline): the pool by name, its type, the clusterSpec sections, each Flink option
 * (flattened keys, so a nested flinkConfiguration shows as Flink reads it), and each pod-template
 * container and volume. Built from the error-tolerant syntax tree, so the outline follows a broken file.
 */
import type { Node } from 'jsonc-parser';
import { type DocumentSymbol, type Range, SymbolKind } from 'vscode-languageserver-types';
import { type ParsedDocument, property, rangeAt } from './document';

interface Ctx {
  parsed: ParsedDocument;
}

function range(ctx: Ctx, n: Node): Range {
  return rangeAt(ctx.parsed.text, n.offset, n.length);
}

function scalarText(n: Node | undefined): string | undefined {
  if (!n) return undefined;
  if (n.type === 'string' || n.type === 'number' || n.type === 'boolean' || n.type === 'null') return String(n.value);
  return undefined;
}

/** A symbol for one property of an object: its range the whole property, its selection the key. */
function propertySymbol(ctx: Ctx, prop: { property: Node; key: Node; value: Node | undefined }, kind: SymbolKind, name?: string, detail?: string, children?: DocumentSymbol[]): DocumentSymbol {
  const s: DocumentSymbol = {
    name: name ?? String(prop.key.value),
    kind,
    range: range(ctx, prop.property),
    selectionRange: range(ctx, prop.key),
  };
  const d = detail ?? scalarText(prop.value);
  if (d !== undefined && d !== '') s.detail = d;
  if (children && children.length) s.children = children;
  return s;
}

function properties(n: Node | undefined): { property: Node; key: Node; value: Node | undefined }[] {
  if (!n || n.type !== 'object') return [];
  const out: { property: Node; key: Node; value: Node | undefined }[] = [];
  for (const p of n.children ?? []) {
    const key = p.children?.[0];
    if (key && typeof key.value === 'string') out.push({ property: p, key, value: p.children?.[1] });
  }
  return out;
}

/** Each Flink option, flattened: nested objects contribute `a.b.c` entries. Iterative (no recursion limit). */
function flinkOptions(ctx: Ctx, config: Node | undefined): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  const stack: { node: Node; prefix: string }[] = config ? [{ node: config, prefix: '' }] : [];
  while (stack.length) {
    const { node, prefix } = stack.shift()!;
    for (const p of properties(node)) {
      const key = prefix + String(p.key.value);
      if (p.value?.type === 'object') stack.push({ node: p.value, prefix: key + '.' });
      else out.push(propertySymbol(ctx, p, SymbolKind.Key, key));
    }
  }
  return out;
}

/** The containers and volumes of a pod template. */
function podTemplateSymbols(ctx: Ctx, template: Node | undefined): DocumentSymbol[] {
  const spec = property(template, 'spec')?.value;
  const out: DocumentSymbol[] = [];
  for (const list of ['initContainers', 'containers', 'volumes']) {
    const items = property(spec, list)?.value;
    if (items?.type !== 'array') continue;
    (items.children ?? []).forEach((item, i) => {
      if (item.type !== 'object') return;
      const name = property(item, 'name')?.value;
      const isVolume = list === 'volumes';
      // A volume's detail is its source: the one property beside `name` (secret, configMap, emptyDir, ...).
      const source = isVolume ? properties(item).find((p) => p.key.value !== 'name')?.key.value : scalarText(property(item, 'image')?.value);
      out.push({
        name: typeof name?.value === 'string' && name.value ? name.value : `${list}[${i}]`,
        detail: [isVolume ? 'volume' : list === 'initContainers' ? 'init container' : 'container', source].filter(Boolean).join(' · '),
        kind: isVolume ? SymbolKind.File : SymbolKind.Class,
        range: range(ctx, item),
        selectionRange: range(ctx, name ?? item),
      });
    });
  }
  return out;
}

function componentSymbols(ctx: Ctx, component: Node | undefined): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  for (const p of properties(component)) {
    const key = p.key.value as string;
    if (key === 'resource') {
      const parts = properties(p.value).map((r) => `${String(r.key.value)} ${scalarText(r.value) ?? '…'}`);
      out.push(propertySymbol(ctx, p, SymbolKind.Object, undefined, parts.join(' · ')));
    } else if (key === 'podTemplate') {
      out.push(propertySymbol(ctx, p, SymbolKind.Object, undefined, undefined, podTemplateSymbols(ctx, p.value)));
    } else {
      out.push(propertySymbol(ctx, p, p.value?.type === 'object' ? SymbolKind.Object : SymbolKind.Property));
    }
  }
  return out;
}

function clusterSpecSymbols(ctx: Ctx, clusterSpec: Node | undefined): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  for (const p of properties(clusterSpec)) {
    const key = p.key.value as string;
    switch (key) {
      case 'flinkConfiguration': {
        const options = flinkOptions(ctx, p.value);
        out.push(propertySymbol(ctx, p, SymbolKind.Object, undefined, `${options.length} option${options.length === 1 ? '' : 's'}`, options));
        break;
      }
      case 'jobManager':
      case 'taskManager':
        out.push(propertySymbol(ctx, p, SymbolKind.Object, undefined, undefined, componentSymbols(ctx, p.value)));
        break;
      case 'podTemplate':
        out.push(propertySymbol(ctx, p, SymbolKind.Object, undefined, undefined, podTemplateSymbols(ctx, p.value)));
        break;
      default:
        out.push(propertySymbol(ctx, p, p.value?.type === 'object' || p.value?.type === 'array' ? SymbolKind.Object : SymbolKind.Property));
    }
  }
  return out;
}

/** The outline of a pool document; [] when the root is not an object. */
export function documentSymbols(parsed: ParsedDocument): DocumentSymbol[] {
  if (parsed.tooDeepAt !== undefined) return [];
  const root = parsed.tree();
  if (!root || root.type !== 'object') return [];
  const ctx: Ctx = { parsed };
  const metadata = property(root, 'metadata');
  const nameNode = property(metadata?.value, 'name')?.value;
  const spec = property(root, 'spec');
  const type = property(spec?.value, 'type');
  const children: DocumentSymbol[] = [];
  if (type) children.push(propertySymbol(ctx, type, SymbolKind.EnumMember));
  const state = property(spec?.value, 'state');
  if (state) children.push(propertySymbol(ctx, state, SymbolKind.EnumMember));
  const clusterSpec = property(spec?.value, 'clusterSpec');
  if (clusterSpec) {
    const version = scalarText(property(clusterSpec.value, 'flinkVersion')?.value);
    children.push(propertySymbol(ctx, clusterSpec, SymbolKind.Namespace, undefined, version ? `Flink ${version}` : '', clusterSpecSymbols(ctx, clusterSpec.value)));
  }
  const name = scalarText(nameNode);
  const typeText = scalarText(type?.value);
  return [
    {
      name: name || 'ComputePool',
      detail: typeText ? `${typeText} compute pool` : 'compute pool',
      kind: SymbolKind.Module,
      range: range(ctx, root),
      selectionRange: range(ctx, nameNode ?? metadata?.key ?? root),
      children,
    },
  ];
}
