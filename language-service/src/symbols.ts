/**
 * Document symbols (the outline): the pool by name, its type, the clusterSpec sections, each Flink option
 * (flattened keys, so a nested flinkConfiguration shows as Flink reads it), and each pod-template
 * container and volume. Built from the document model, so it follows a broken file as far as the front end
 * could read it, and is the same for every format.
 */
import { type DocumentSymbol, type Range, SymbolKind } from 'vscode-languageserver-types';
import { CFK_KIND, poolKindOf } from '../../cmf-model/src/facts';
import { isObject } from '../../cmf-model/src/json';
import { type JsonPath, type SourceDocument, type Span, joinSpans, spanRange } from './document/model';

function scalarText(v: unknown): string | undefined {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null ? String(v) : undefined;
}

class Outline {
  constructor(private readonly doc: SourceDocument) {}

  private range(span: Span): Range {
    return spanRange(this.doc.file, span);
  }

  /** The properties of the object at `path` that the document locates, in document order. */
  entries(path: JsonPath, value: unknown): { key: string; value: unknown; path: JsonPath; keyAt: Span; whole: Span }[] {
    if (!isObject(value)) return [];
    const out: { key: string; value: unknown; path: JsonPath; keyAt: Span; whole: Span }[] = [];
    for (const [key, v] of Object.entries(value)) {
      const p = [...path, key];
      const k = this.doc.keySpan(p);
      const val = this.doc.valueSpan(p);
      if (k && val) out.push({ key, value: v, path: p, keyAt: k, whole: joinSpans(k, val) });
    }
    return out.sort((a, b) => a.keyAt.offset - b.keyAt.offset);
  }

  /** A symbol for one property: its range the whole property, its selection the key. */
  property(e: { key: string; value: unknown; keyAt: Span; whole: Span }, kind: SymbolKind, name?: string, detail?: string, children?: DocumentSymbol[]): DocumentSymbol {
    const s: DocumentSymbol = { name: name ?? e.key, kind, range: this.range(e.whole), selectionRange: this.range(e.keyAt) };
    const d = detail ?? scalarText(e.value);
    if (d !== undefined && d !== '') s.detail = d;
    if (children && children.length) s.children = children;
    return s;
  }

  /** Each Flink option, flattened: nested objects contribute `a.b.c` entries. Iterative (no recursion limit). */
  flinkOptions(path: JsonPath, config: unknown): DocumentSymbol[] {
    const out: DocumentSymbol[] = [];
    const queue: { path: JsonPath; value: unknown; prefix: string }[] = [{ path, value: config, prefix: '' }];
    while (queue.length) {
      const { path: p, value, prefix } = queue.shift()!;
      for (const e of this.entries(p, value)) {
        const key = prefix + e.key;
        if (isObject(e.value)) queue.push({ path: e.path, value: e.value, prefix: key + '.' });
        else out.push(this.property(e, SymbolKind.Key, key));
      }
    }
    return out;
  }

  /** The containers and volumes of a pod template. */
  podTemplate(path: JsonPath, template: unknown): DocumentSymbol[] {
    const spec = isObject(template) ? template.spec : undefined;
    const out: DocumentSymbol[] = [];
    if (!isObject(spec)) return out;
    for (const list of ['initContainers', 'containers', 'volumes']) {
      const items = spec[list];
      if (!Array.isArray(items)) continue;
      items.forEach((item, i) => {
        const itemPath = [...path, 'spec', list, i];
        const span = this.doc.valueSpan(itemPath);
        if (!isObject(item) || !span) return;
        const isVolume = list === 'volumes';
        // A volume's detail is its source: the one property beside `name` (secret, configMap, emptyDir, ...).
        const source = isVolume ? this.entries(itemPath, item).find((e) => e.key !== 'name')?.key : scalarText(item.image);
        const nameSpan = this.doc.valueSpan([...itemPath, 'name']);
        out.push({
          name: typeof item.name === 'string' && item.name ? item.name : `${list}[${i}]`,
          detail: [isVolume ? 'volume' : list === 'initContainers' ? 'init container' : 'container', source].filter(Boolean).join(' · '),
          kind: isVolume ? SymbolKind.File : SymbolKind.Class,
          range: this.range(span),
          selectionRange: this.range(nameSpan && 'name' in item ? nameSpan : span),
        });
      });
    }
    return out;
  }

  component(path: JsonPath, component: unknown): DocumentSymbol[] {
    return this.entries(path, component).map((e) => {
      if (e.key === 'resource') {
        const parts = this.entries(e.path, e.value).map((r) => `${r.key} ${scalarText(r.value) ?? '…'}`);
        return this.property(e, SymbolKind.Object, undefined, parts.join(' · '));
      }
      if (e.key === 'podTemplate') return this.property(e, SymbolKind.Object, undefined, undefined, this.podTemplate(e.path, e.value));
      return this.property(e, isObject(e.value) ? SymbolKind.Object : SymbolKind.Property);
    });
  }

  clusterSpec(path: JsonPath, clusterSpec: unknown): DocumentSymbol[] {
    return this.entries(path, clusterSpec).map((e) => {
      switch (e.key) {
        case 'flinkConfiguration': {
          const options = this.flinkOptions(e.path, e.value);
          return this.property(e, SymbolKind.Object, undefined, `${options.length} option${options.length === 1 ? '' : 's'}`, options);
        }
        case 'jobManager':
        case 'taskManager':
          return this.property(e, SymbolKind.Object, undefined, undefined, this.component(e.path, e.value));
        case 'podTemplate':
          return this.property(e, SymbolKind.Object, undefined, undefined, this.podTemplate(e.path, e.value));
        default:
          return this.property(e, isObject(e.value) || Array.isArray(e.value) ? SymbolKind.Object : SymbolKind.Property);
      }
    });
  }
}

/** The outline of a pool document; [] when its value is not an object. */
export function documentSymbols(doc: SourceDocument): DocumentSymbol[] {
  const root = doc.value;
  const rootSpan = doc.valueSpan([]);
  if (doc.tooDeepAt !== undefined || !isObject(root) || !rootSpan) return [];
  const o = new Outline(doc);
  const top = o.entries([], root);
  const metadata = top.find((e) => e.key === 'metadata');
  const spec = top.find((e) => e.key === 'spec');
  const specEntries = spec ? o.entries(spec.path, spec.value) : [];
  const type = specEntries.find((e) => e.key === 'type');
  const state = specEntries.find((e) => e.key === 'state');
  const clusterSpec = specEntries.find((e) => e.key === 'clusterSpec');
  const children: DocumentSymbol[] = [];
  if (type) children.push(o.property(type, SymbolKind.EnumMember));
  if (state) children.push(o.property(state, SymbolKind.EnumMember));
  if (clusterSpec) {
    const version = isObject(clusterSpec.value) ? scalarText(clusterSpec.value.flinkVersion) : undefined;
    children.push(o.property(clusterSpec, SymbolKind.Namespace, undefined, version ? `Flink ${version}` : '', o.clusterSpec(clusterSpec.path, clusterSpec.value)));
  }
  const nameValue = isObject(metadata?.value) ? metadata.value.name : undefined;
  const nameSpan = metadata && isObject(metadata.value) && 'name' in metadata.value ? doc.valueSpan(['metadata', 'name']) : undefined;
  const name = scalarText(nameValue);
  const typeText = scalarText(type?.value);
  return [
    {
      name: name || 'ComputePool',
      detail: `${typeText ? `${typeText} compute pool` : 'compute pool'}${poolKindOf(root) === CFK_KIND ? ' (FlinkComputePool, synced by CFK)' : ''}`,
      kind: SymbolKind.Module,
      range: spanRange(doc.file, rootSpan),
      selectionRange: spanRange(doc.file, nameSpan ?? metadata?.keyAt ?? rootSpan),
      children,
    },
  ];
}
