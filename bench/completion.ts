/**
 * Completion latency, as a user feels it: a keystroke (didChange) and then a completion request, timed
 * from the request leaving the client to the answer arriving, over stdio with the built server. Three
 * places: a clusterSpec key, a Flink option key (hundreds of items) and an enum value; the first two are
 * mid-edit (a new `""` key with no colon yet). Beside it, in the same run: our service in process (parse
 * + complete) and VS Code's JSON language service completing against our schema (parse + doComplete).
 *
 * Run with `npm run bench`. Figures, not assertions.
 */
import { performance } from 'node:perf_hooks';
import { getLanguageService, TextDocument as JsonTextDocument } from 'vscode-json-languageservice';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionItem, CompletionList } from 'vscode-languageserver-protocol';
import { startServer, completionAt } from '../test/lsp/lsp-client';
import { complete, parse } from '../language-service/src/index';
import { poolSchema } from '../language-service/src/schema';
import { largePool, seedPool } from './documents';
import { printTable, stats } from './measure';

interface Place {
  name: string;
  text: string;
  offset: number;
}

/** What VS Code's language client announces for completion (vscode-languageclient 9+). */
const VSCODE_COMPLETION = {
  textDocument: {
    completion: {
      completionItem: { snippetSupport: true },
      completionList: { itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'] },
    },
  },
};
const ITEM_DEFAULTS = VSCODE_COMPLETION.textDocument.completion.completionList.itemDefaults;

const SAMPLES = 200;
const WARM_UP = 30;


/** `text` with `insert` placed right after `anchor`; the cursor `cursor` characters into the insertion. */
function placeAfter(name: string, text: string, anchor: string, insert: string, cursor: number): Place {
  const i = text.indexOf(anchor);
  if (i < 0) throw new Error(`${name}: no ${anchor}`);
  const at = i + anchor.length;
  return { name, text: text.slice(0, at) + insert + text.slice(at), offset: at + cursor };
}

function places(doc: string, label: string): Place[] {
  const valueAt = doc.indexOf('"type": "SHARED"') + '"type": "SH'.length;
  return [
    placeAfter(`${label}: clusterSpec key`, doc, '"clusterSpec": {', '\n      "",', '\n      "'.length),
    placeAfter(`${label}: Flink option key`, doc, '"flinkConfiguration": {', '\n        "",', '\n        "'.length),
    { name: `${label}: enum value (spec.type)`, text: doc, offset: valueAt },
  ];
}

function count(r: CompletionList | CompletionItem[] | null): number {
  return !r ? 0 : Array.isArray(r) ? r.length : r.items.length;
}

/** A keystroke elsewhere in the document (the TaskManager cpu toggles 1 <-> 2), so each request meets a new version. */
function keystroke(text: string): { offset: number; chars: [string, string] } {
  const offset = text.indexOf('"cpu": 1') + '"cpu": '.length;
  return { offset, chars: ['2', '1'] };
}

async function overStdio(p: Place): Promise<{ samples: number[]; items: number }> {
  const server = await startServer({}, { capabilities: VSCODE_COMPLETION });
  const uri = `file:///bench/${p.name.replace(/\W+/g, '-')}.pool.json`;
  const opened = server.next(uri);
  server.open(uri, p.text);
  await opened;
  const doc = TextDocument.create(uri, 'json', 1, p.text);
  const position = doc.positionAt(p.offset);
  const k = keystroke(p.text);
  const kPos = doc.positionAt(k.offset);
  const samples: number[] = [];
  let items = 0;
  for (let v = 2; v < SAMPLES + WARM_UP + 2; v++) {
    server.changes(uri, v, [{ range: { start: kPos, end: { line: kPos.line, character: kPos.character + 1 } }, text: k.chars[v % 2]! }]);
    const t0 = performance.now();
    const r = await completionAt(server, uri, position);
    if (v >= WARM_UP + 2) samples.push(performance.now() - t0);
    items = count(r);
  }
  await server.stop();
  return { samples, items };
}

function inProcess(p: Place, f: (text: string, offset: number) => unknown): number[] {
  const k = keystroke(p.text);
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES + WARM_UP; i++) {
    const text = p.text.slice(0, k.offset) + k.chars[i % 2] + p.text.slice(k.offset + 1);
    const t0 = performance.now();
    f(text, p.offset);
    if (i >= WARM_UP) samples.push(performance.now() - t0);
  }
  return samples;
}

async function main(): Promise<void> {
  const json = getLanguageService({});
  json.configure({ validate: false, allowComments: false, schemas: [{ uri: 'https://cmf-pools.dev/schemas/compute-pool.schema.json', fileMatch: ['*.json'], schema: poolSchema() as never }] });
  let version = 0;
  const jsonItems = new Map<string, number>();
  const jsonComplete = async (p: Place, text: string) => {
    const doc = JsonTextDocument.create('file:///bench/pool.json', 'json', ++version, text);
    const r = await json.doComplete(doc, doc.positionAt(p.offset), json.parseJSONDocument(doc));
    jsonItems.set(p.name, r?.items.length ?? 0);
  };
  const ours = (text: string, offset: number) => {
    const doc = TextDocument.create('file:///bench/pool.json', 'json', 1, text);
    return complete(parse(doc), doc.positionAt(offset), { snippets: true, itemDefaults: ITEM_DEFAULTS });
  };

  console.log(`Completion (ms), Node ${process.version}, ${process.arch}; a keystroke, then a completion request, ${SAMPLES} times per place.`);
  console.log('The client announces what VS Code does (snippets, completion list item defaults).\n');
  const rows: string[][] = [['place', 'size', 'measure', 'items', 'median', 'p95']];
  const f = (n: number) => n.toFixed(3);
  for (const p of [...places(seedPool(), 'seed'), ...places(largePool(), 'large')]) {
    const size = `${(p.text.length / 1024).toFixed(1)} KiB`;
    const stdio = await overStdio(p);
    const s = stats(stdio.samples);
    const oursIn = stats(inProcess(p, ours));
    const k = keystroke(p.text);
    const peerSamples: number[] = [];
    for (let i = 0; i < SAMPLES + WARM_UP; i++) {
      const text = p.text.slice(0, k.offset) + k.chars[i % 2] + p.text.slice(k.offset + 1);
      const t0 = performance.now();
      await jsonComplete(p, text);
      if (i >= WARM_UP) peerSamples.push(performance.now() - t0);
    }
    const peer = stats(peerSamples);
    const oursItems = String((ours(p.text, p.offset) as { items: unknown[] }).items.length);
    rows.push([p.name, size, 'cmf-pools, over stdio (end to end)', String(stdio.items), f(s.median), f(s.p95)]);
    rows.push([p.name, size, 'cmf-pools service, in process (parse + complete)', oursItems, f(oursIn.median), f(oursIn.p95)]);
    rows.push([p.name, size, 'vscode-json-languageservice, in process (parse + doComplete)', String(jsonItems.get(p.name) ?? 0), f(peer.median), f(peer.p95)]);
    rows.push([p.name, size, 'target p95 < 20 ms over stdio', '', '', s.p95 < 20 ? 'met' : 'NOT met']);
  }
  printTable(rows, 3);
  console.log('\nThe JSON language service cannot propose Flink option keys: the schema leaves flinkConfiguration keys open (additionalProperties).');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
