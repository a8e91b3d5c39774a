/**
 * Big documents (issue 14), in JSON and in YAML, over stdio with the built server unless a row says otherwise:
 *
 *  1. A 780 KB pool with 20,000 unknown flinkConfiguration keys: `lint` in process (what `cmf-pools lint` does), the
 *     server's first diagnostics after opening it, and hover, completion and code actions while it is open and being
 *     edited (a keystroke, then the request 0 to 40 ms later, so requests land in the middle of a validation).
 *  2. The 300 KiB pool mid-edit (it does not parse): a keystroke, then completion, hover or code actions.
 *  3. A 50 MB pool: every request, the first diagnostics, and the server's peak resident memory (VmHWM).
 *
 * Beside each, measured in the same run: VS Code's JSON language service (vscode-json-languageservice, in process,
 * against our schema) for JSON, and Red Hat's yaml-language-server (in process, or over stdio with a time limit for
 * the 50 MB document) for YAML; for the pool mid-edit, also our own service in process with each version parsed in
 * full (the approach before versions were re-read from the previous parse). Keystroke-to-diagnostics on the seed pool
 * is bench/keystroke.ts's.
 *
 * Run with `npm run bench` (or `node --import tsx bench/big-documents.ts [unknown-keys|mid-edit|huge] [json|yaml]`).
 * Figures, not assertions.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { getLanguageService as jsonLanguageService, TextDocument as JsonTextDocument } from 'vscode-json-languageservice';
import { getLanguageService as yamlLanguageService } from 'yaml-language-server';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, Position } from 'vscode-languageserver-protocol';
import { codeActionsFor, completionAt, documentSymbolsOf, hoverAt, startServer, type PoolServer } from '../test/lsp/lsp-client';
import { DEFAULT_SETTINGS, type PoolDiagnostic, type PoolFile, ResolvedSettings, codeActions, complete, hover, lint, parse, validate } from '../language-service/src/index';
import { poolSchema } from '../language-service/src/schema';
import { type Format, hugePool, largePoolMidEdit, unknownKeysPool } from './documents';
import { positionAt, printTable, stats } from './measure';

const SCHEMA = path.resolve(__dirname, '../schemas/compute-pool.schema.json');
const YAML_LS = require.resolve('yaml-language-server/bin/yaml-language-server');
const VSCODE_CAPABILITIES = {
  textDocument: {
    completion: {
      completionItem: { snippetSupport: true },
      completionList: { itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'] },
    },
  },
};

const rows: string[][] = [['document', 'measure', 'figure', 'target']];
const ms = (n: number) => (n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(1)} ms`);
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const size = (text: string) => (text.length >= 2 ** 20 ? `${(text.length / 1e6).toFixed(1)} MB` : `${(text.length / 1024).toFixed(0)} KiB`);
const verdict = (ok: boolean, target: string) => `${target}: ${ok ? 'met' : 'NOT met'}`;

function row(document: string, measure: string, figure: string, target = ''): void {
  rows.push([document, measure, figure, target]);
  console.error(`  ${document} | ${measure} | ${figure}${target ? ` | ${target}` : ''}`);
}

function peakRss(pid: number | undefined): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function withTimeout<T>(p: Promise<T>, limit: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p.finally(() => clearTimeout(timer)), new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), limit)))]);
}

const sleep = (n: number) => new Promise((r) => setTimeout(r, n));

async function timed<T>(f: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await f();
  return { value, ms: performance.now() - t0 };
}

/** The offset of `needle` in `text` plus `plus`; fails loudly when the document has no such text. */
function offsetOf(text: string, needle: string, plus = 1): number {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`no ${needle}`);
  return i + plus;
}

/** A keystroke that toggles the TaskManager cpu between 1 and 2 (after flinkConfiguration: earlier ranges stay put). */
function cpuKeystroke(text: string, format: Format): { at: Position; chars: [string, string] } {
  const pattern = format === 'yaml' ? 'cpu: 1' : '"cpu": 1';
  return { at: positionAt(text, offsetOf(text, pattern, pattern.length - 1)), chars: ['2', '1'] };
}

async function openAndWait(server: PoolServer, uri: string, text: string, format: Format): Promise<{ ms: number; diagnostics: Diagnostic[] }> {
  const published = server.next(uri, (p) => p.version === 1);
  const t0 = performance.now();
  server.open(uri, text, 1, format);
  const p = await published;
  return { ms: performance.now() - t0, diagnostics: p.diagnostics };
}

// ---------------------------------------------------------------------------------------------------------------
// Peers

function jsonPeer() {
  const ls = jsonLanguageService({});
  // A copy: the JSON language service resolves $refs into the schema object it is given, which ajv then cannot walk.
  const schema = JSON.parse(JSON.stringify(poolSchema()));
  ls.configure({ validate: true, allowComments: false, schemas: [{ uri: 'https://cmf-pools.dev/schemas/compute-pool.schema.json', fileMatch: ['*.json'], schema }] });
  let version = 0;
  const doc = (text: string) => JsonTextDocument.create('file:///bench/pool.pool.json', 'json', ++version, text);
  return {
    async validate(text: string) {
      const d = doc(text);
      return ls.doValidation(d, ls.parseJSONDocument(d));
    },
    async hover(text: string, offset: number) {
      const d = doc(text);
      return ls.doHover(d, d.positionAt(offset), ls.parseJSONDocument(d));
    },
    async complete(text: string, offset: number) {
      const d = doc(text);
      return ls.doComplete(d, d.positionAt(offset), ls.parseJSONDocument(d));
    },
  };
}

function yamlPeer() {
  const schema = JSON.parse(readFileSync(SCHEMA, 'utf8'));
  const ls = yamlLanguageService({ schemaRequestService: async () => JSON.stringify(schema), workspaceContext: { resolveRelativePath: (p: string) => p } });
  ls.configure({ validate: true, hover: true, completion: true, schemas: [{ uri: `file://${SCHEMA}`, fileMatch: ['*.pool.yaml'], schema }] });
  let version = 0;
  const doc = (text: string) => TextDocument.create('file:///bench/pool.pool.yaml', 'yaml', ++version, text);
  return {
    async validate(text: string) {
      return ls.doValidation(doc(text), false);
    },
    async hover(text: string, offset: number) {
      const d = doc(text);
      return ls.doHover(d, d.positionAt(offset));
    },
    async complete(text: string, offset: number) {
      const d = doc(text);
      return ls.doComplete(d, d.positionAt(offset), false);
    },
  };
}

type Peer = ReturnType<typeof jsonPeer>;
const peerName = (format: Format) => (format === 'json' ? 'vscode-json-languageservice' : 'yaml-language-server');
const peerFor = (format: Format): Peer => (format === 'json' ? jsonPeer() : yamlPeer());

/** The peer's p95 for `f` on `text` with the cpu keystroke applied, in process. */
async function peerP95(text: string, format: Format, samples: number, f: (text: string) => Promise<unknown>): Promise<number> {
  const k = cpuKeystroke(text, format);
  const at = TextDocument.create('file:///x', format, 1, text).offsetAt(k.at);
  const out: number[] = [];
  for (let i = 0; i < samples + 5; i++) {
    const t = text.slice(0, at) + k.chars[i % 2] + text.slice(at + 1);
    const t0 = performance.now();
    await f(t);
    if (i >= 5) out.push(performance.now() - t0);
  }
  return stats(out).p95;
}

/**
 * Our service in process, a keystroke at a time (the cpu keystroke, then `request` on the parse of that version): each
 * version parsed from the previous one's parse, as the server does, or in full (the approach before re-reading).
 */
function oursP95(text: string, format: Format, samples: number, fromPrevious: boolean, request: (parsed: PoolFile, diagnostics: PoolDiagnostic[]) => unknown): number {
  const k = cpuKeystroke(text, format);
  const uri = `file:///bench/in-process.pool.${format}`;
  const at = TextDocument.create(uri, format, 0, text).offsetAt(k.at);
  const settings = new ResolvedSettings(DEFAULT_SETTINGS);
  let previous: PoolFile | undefined = parse(TextDocument.create(uri, format, 0, text));
  const out: number[] = [];
  for (let i = 0; i < samples + 5; i++) {
    const file = TextDocument.create(uri, format, i + 1, text.slice(0, at) + k.chars[i % 2] + text.slice(at + 1));
    const t0 = performance.now();
    const parsed = parse(file, fromPrevious ? previous : undefined);
    request(parsed, validate(parsed, settings, { path: `/bench/in-process.pool.${format}` }));
    if (i >= 5) out.push(performance.now() - t0);
    previous = parsed;
  }
  return stats(out).p95;
}

// ---------------------------------------------------------------------------------------------------------------
// 1. 20,000 unknown keys

async function unknownKeys(format: Format): Promise<void> {
  const text = unknownKeysPool(format);
  const name = `20,000 unknown keys, ${format} (${size(text)})`;
  const uri = `file:///bench/unknown-keys.pool.${format}`;

  const settings = new ResolvedSettings(DEFAULT_SETTINGS);
  const linted = await timed(async () => lint(text, { path: `/bench/unknown-keys.pool.${format}`, settings }));
  const unknown = linted.value.diagnostics.filter((d) => d.code === 'flink-config-unknown-key');
  row(name, `lint, in process (${unknown.length} unknown-key warnings)`, ms(linted.ms), verdict(linted.ms < 1000, '< 1 s'));
  const peer = peerFor(format);
  const peerValidate = await timed(() => peer.validate(text));
  row(name, `${peerName(format)} validation, in process (${peerValidate.value.length} problems)`, ms(peerValidate.ms));

  const server = await startServer({}, { capabilities: VSCODE_CAPABILITIES });
  const opened = await openAndWait(server, uri, text, format);
  row(name, `server: open to diagnostics (${opened.diagnostics.length})`, ms(opened.ms), verdict(opened.ms < 1000, '< 1 s'));

  // Requests while the document is edited: a keystroke, then a request 0 to 40 ms later.
  const k = cpuKeystroke(text, format);
  const unknownKey = format === 'yaml' ? 'table.setting-10002:' : '"table.setting-10002"';
  const hoverAt_ = positionAt(text, offsetOf(text, unknownKey, 2));
  const slotsKey = format === 'yaml' ? 'taskmanager.numberOfTaskSlots:' : '"taskmanager.numberOfTaskSlots"';
  const completeAt_ = positionAt(text, offsetOf(text, slotsKey, 6));
  const diagnostic = opened.diagnostics.find((d) => d.range.start.line === hoverAt_.line) ?? opened.diagnostics[0]!;
  const kinds: Record<string, () => Promise<unknown>> = {
    hover: () => hoverAt(server, uri, hoverAt_),
    completion: () => completionAt(server, uri, completeAt_),
    'code actions': () => codeActionsFor(server, uri, diagnostic.range, [diagnostic]),
  };
  const samples: Record<string, number[]> = { hover: [], completion: [], 'code actions': [] };
  const delays = [0, 5, 10, 20, 40];
  let version = 1;
  const rounds = 15;
  const deadline = performance.now() + 120_000;
  for (let i = 0; i < rounds && performance.now() < deadline; i++) {
    for (const [kind, request] of Object.entries(kinds)) {
      version++;
      const published = server.next(uri, (p) => p.version === version);
      server.changes(uri, version, [{ range: { start: k.at, end: { line: k.at.line, character: k.at.character + 1 } }, text: k.chars[version % 2]! }]);
      await sleep(delays[i % delays.length]!);
      const r = await timed(request);
      samples[kind]!.push(r.ms);
      await withTimeout(published, 60_000);
    }
  }
  for (const [kind, s] of Object.entries(samples)) {
    const st = stats(s);
    const max = Math.max(...s);
    row(name, `server: ${kind} while edited (${s.length}: p95 / max)`, `${ms(st.p95)} / ${ms(max)}`, verdict(max < 100, 'max < 100 ms'));
  }
  row(name, 'server: peak RSS', mib(peakRss(server.process.pid)));
  await server.stop();
  const peerSamples = format === 'yaml' ? 5 : 15;
  const hoverOffset = offsetOf(text, unknownKey, 2);
  const completeOffset = offsetOf(text, slotsKey, 6);
  row(name, `${peerName(format)}: parse + hover, in process (${peerSamples}: p95)`, ms(await peerP95(text, format, peerSamples, (t) => peer.hover(t, hoverOffset))));
  row(name, `${peerName(format)}: parse + complete, in process (${peerSamples}: p95)`, ms(await peerP95(text, format, peerSamples, (t) => peer.complete(t, completeOffset))));
}

// ---------------------------------------------------------------------------------------------------------------
// 2. The 300 KiB pool mid-edit

async function midEdit(format: Format): Promise<void> {
  const m = largePoolMidEdit(format);
  const name = `300 KiB pool mid-edit, ${format} (${size(m.text)})`;
  const uri = `file:///bench/mid-edit.pool.${format}`;
  const server = await startServer({}, { capabilities: VSCODE_CAPABILITIES });
  const opened = await openAndWait(server, uri, m.text, format);
  const typo = format === 'yaml' ? 'taskmanager.numberOfTaskSlot:' : '"taskmanager.numberOfTaskSlot"';
  const typoAt = positionAt(m.text, offsetOf(m.text, typo, 3));
  const diagnostic = opened.diagnostics.find((d) => d.code === 'flink-config-unknown-key');
  if (!diagnostic) throw new Error(`${name}: no flink-config-unknown-key on the misspelled key`);
  const cursor = positionAt(m.text, m.offset);
  const k = cpuKeystroke(m.text, format);
  const kinds: { kind: string; target: number; request: () => Promise<unknown> }[] = [
    { kind: 'completion', target: 20, request: () => completionAt(server, uri, cursor) },
    { kind: 'hover', target: 50, request: () => hoverAt(server, uri, typoAt) },
    { kind: 'code actions', target: 50, request: () => codeActionsFor(server, uri, diagnostic.range, [diagnostic]) },
  ];
  const SAMPLES = 100;
  const WARM_UP = 15;
  let version = 1;
  for (const { kind, target, request } of kinds) {
    const s: number[] = [];
    let answer: unknown;
    for (let i = 0; i < SAMPLES + WARM_UP; i++) {
      version++;
      server.changes(uri, version, [{ range: { start: k.at, end: { line: k.at.line, character: k.at.character + 1 } }, text: k.chars[version % 2]! }]);
      const r = await timed(request);
      answer = r.value;
      if (i >= WARM_UP) s.push(r.ms);
    }
    const st = stats(s);
    const what = kind === 'completion' ? `${(answer as { items: unknown[] }).items.length} items` : kind === 'hover' ? (answer ? 'answered' : 'no hover') : `${(answer as unknown[]).length} actions`;
    row(name, `server: keystroke, then ${kind} (${what}; median / p95)`, `${ms(st.median)} / ${ms(st.p95)}`, verdict(st.p95 < target, `p95 < ${target} ms`));
  }
  await server.stop();

  const peer = peerFor(format);
  const peerComplete = await peerP95(m.text, format, 30, (t) => peer.complete(t, m.offset));
  const peerHover = await peerP95(m.text, format, 30, (t) => peer.hover(t, TextDocument.create('file:///x', format, 1, t).offsetAt(typoAt)));
  row(name, `${peerName(format)}: parse + complete, in process (p95)`, ms(peerComplete));
  row(name, `${peerName(format)}: parse + hover, in process (p95)`, ms(peerHover));
  // The previous approach beside ours, in process: every version parsed in full, or from the previous one's parse.
  const requests: [string, (p: PoolFile, d: PoolDiagnostic[]) => unknown][] = [
    ['complete', (p) => complete(p, cursor, { snippets: true })],
    ['hover', (p, d) => hover(p, typoAt, { diagnostics: d })],
    ['code actions', (p, d) => codeActions(p, d.filter((x) => x.code === 'flink-config-unknown-key'))],
  ];
  for (const [kind, request] of requests) {
    const full = oursP95(m.text, format, 30, false, request);
    const fromPrevious = oursP95(m.text, format, 30, true, request);
    row(name, `cmf-pools, in process: parse + validate + ${kind} (p95), from the previous parse / in full (before)`, `${ms(fromPrevious)} / ${ms(full)}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 3. A 50 MB pool

async function huge(format: Format): Promise<void> {
  const text = hugePool(format);
  const name = `50 MB pool, ${format} (${size(text)})`;
  const uri = `file:///bench/huge.pool.${format}`;
  const LIMIT = 120_000;
  const server = await startServer({}, { capabilities: VSCODE_CAPABILITIES });
  const published = server.next(uri, (p) => p.version === 1);
  const t0 = performance.now();
  server.open(uri, text, 1, format);
  const first = await withTimeout(published, LIMIT);
  const openMs = performance.now() - t0;
  const what = first === 'timeout' ? 'none' : first.diagnostics.map((d) => String(d.code)).join(', ') || 'no diagnostics';
  row(name, `server: open to diagnostics (${what})`, first === 'timeout' ? `> ${ms(LIMIT)}` : ms(openMs), verdict(first !== 'timeout' && openMs < 1000, '< 1 s'));

  const image = positionAt(text, offsetOf(text, format === 'yaml' ? 'image:' : '"image"', 2));
  const slots = positionAt(text, offsetOf(text, format === 'yaml' ? 'taskmanager.numberOfTaskSlots: ' : '"taskmanager.numberOfTaskSlots": "', format === 'yaml' ? 32 : 34));
  const range = { start: image, end: { line: image.line, character: image.character + 3 } };
  const diagnostic: Diagnostic = { range, message: 'test', code: 'image-unverified', source: 'cmf-pools', severity: 2 };
  const k = cpuKeystroke(text, format);
  const requests: [string, () => Promise<unknown>][] = [
    ['hover', () => hoverAt(server, uri, image)],
    ['completion', () => completionAt(server, uri, slots)],
    ['code actions', () => codeActionsFor(server, uri, range, [diagnostic])],
    ['document symbols', () => documentSymbolsOf(server, uri)],
    [
      'keystroke, then hover',
      () => {
        server.changes(uri, 2, [{ range: { start: k.at, end: { line: k.at.line, character: k.at.character + 1 } }, text: '2' }]);
        return hoverAt(server, uri, image);
      },
    ],
  ];
  for (const [kind, request] of requests) {
    const t = performance.now();
    const r = await withTimeout(request(), LIMIT);
    const took = performance.now() - t;
    const answer = r === 'timeout' ? 'no answer' : r === null || (Array.isArray(r) && r.length === 0) ? 'declined' : 'answered';
    row(name, `server: ${kind} (${answer})`, r === 'timeout' ? `> ${ms(LIMIT)}` : ms(took), verdict(r !== 'timeout' && took < 1000, '< 1 s'));
  }
  const rss = peakRss(server.process.pid);
  row(name, 'server: peak RSS (VmHWM)', mib(rss), verdict(rss > 0 && rss < 2 ** 30, '< 1 GiB'));
  await withTimeout(server.stop(), 30_000);
  if (server.process.exitCode === null) server.process.kill();

  // The peer, on the same text: VS Code's JSON language service in process; yaml-language-server in a process of
  // its own, given a minute (in process, a 50 MB YAML document could take this one down).
  if (format === 'json') {
    const before = process.memoryUsage().rss;
    const peer = jsonPeer();
    const hovered = await timed(() => peer.hover(text, offsetOf(text, '"image"', 2)));
    row(name, `${peerName(format)}: parse + hover, in process (RSS +${mib(process.memoryUsage().rss - before)})`, ms(hovered.ms));
  } else {
    const yaml = { validate: true, hover: true, completion: true, format: { enable: false }, schemas: { [`file://${SCHEMA}`]: '*.pool.yaml' }, schemaStore: { enable: false } };
    const peer = await startServer({}, { serverPath: YAML_LS, configuration: (section) => (section === 'yaml' ? yaml : section === 'http' ? { proxyStrictSSL: true } : {}) });
    void peer.connection.sendNotification('workspace/didChangeConfiguration', { settings: { yaml } });
    peer.open(uri, text, 1, 'yaml');
    const t = performance.now();
    const r = await withTimeout(hoverAt(peer, uri, image), 60_000);
    const took = performance.now() - t;
    row(name, `${peerName(format)}: open, then hover, over stdio (peak RSS ${mib(peakRss(peer.process.pid))})`, r === 'timeout' ? `> ${ms(60_000)}` : ms(took));
    peer.process.kill();
  }
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const [only, onlyFormat] = process.argv.slice(2);
  const formats: Format[] = onlyFormat === 'json' || onlyFormat === 'yaml' ? [onlyFormat] : ['json', 'yaml'];
  const parts: [string, (f: Format) => Promise<void>][] = [
    ['unknown-keys', unknownKeys],
    ['mid-edit', midEdit],
    ['huge', huge],
  ];
  console.log(`Big documents (issue 14), Node ${process.version}, ${process.arch}; over stdio with the built server unless a row says otherwise.\n`);
  for (const [part, run] of parts) {
    if (only && only !== part) continue;
    for (const f of formats) await run(f);
  }
  printTable(rows, 2);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
