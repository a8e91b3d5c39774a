/**
 * The YAML front end on the 300 KiB pool (largePool) written as YAML, block and flow: parsing it into document
 * models, and locating the key and value of every one of its paths; beside it, yaml's own parseAllDocuments (and
 * with toJS, which the front end also does), and the JSON front end on the same pool as JSON.
 *
 * Run with `node --import tsx bench/yaml-front-end.ts`. Figures, not assertions.
 */
import { performance } from 'node:perf_hooks';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { type Document, parseAllDocuments, stringify } from 'yaml';
import { JsonDocument } from '../language-service/src/document/json';
import type { JsonPath, SourceDocument } from '../language-service/src/document/model';
import { parseYamlFile } from '../language-service/src/document/yaml';
import { largePool } from './documents';

function allPaths(v: unknown, at: JsonPath = [], out: JsonPath[] = []): JsonPath[] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => allPaths(x, [...at, i], out));
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) allPaths((v as Record<string, unknown>)[k], [...at, k], out);
  return out;
}

/** The median of `runs` timings of `f`, after a few runs to warm up. */
function median(f: () => void, runs = 25): number {
  for (let i = 0; i < 5; i++) f();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    samples.push(performance.now() - t0);
  }
  return samples.sort((a, b) => a - b)[runs >> 1];
}

function lookUpAll(d: SourceDocument, paths: JsonPath[]): void {
  for (const p of paths) if (!d.keySpan(p) || !d.valueSpan(p)) throw new Error(`not located: ${JSON.stringify(p)}`);
}

const json = largePool();
const pool = JSON.parse(json);
const paths = allPaths(pool);
const kib = (s: string) => `${(s.length / 1024).toFixed(0)} KiB`;
const ms = (n: number) => `${n.toFixed(1)} ms`;
const rows: [string, string, string][] = [];

const jsonFile = TextDocument.create('file:///bench/large.json', 'json', 1, json);
rows.push(['JSON front end (JsonDocument)', kib(json), ms(median(() => new JsonDocument(jsonFile)))]);
rows.push(['  + key and value of every path', '', ms(median(() => lookUpAll(new JsonDocument(jsonFile), paths)))]);
const warmJson = new JsonDocument(jsonFile);
lookUpAll(warmJson, paths);
rows.push(['  every path again (cached)', '', ms(median(() => lookUpAll(warmJson, paths)))]);

for (const [style, text] of [
  ['block', stringify(pool)],
  ['flow', stringify(pool, { collectionStyle: 'flow' })],
] as const) {
  const file = TextDocument.create('file:///bench/large.yaml', 'yaml', 1, text);
  rows.push([`yaml parseAllDocuments, ${style}`, kib(text), ms(median(() => parseAllDocuments(text)))]);
  rows.push(['  + toJS', '', ms(median(() => (parseAllDocuments(text) as Document.Parsed[])[0].toJS()))]);
  rows.push([`YAML front end (parseYamlFile), ${style}`, kib(text), ms(median(() => parseYamlFile(file)))]);
  rows.push(['  + key and value of every path', '', ms(median(() => lookUpAll(parseYamlFile(file)[0], paths)))]);
  const warm = parseYamlFile(file)[0];
  lookUpAll(warm, paths);
  rows.push(['  every path again (cached)', '', ms(median(() => lookUpAll(warm, paths)))]);
}

console.log(`largePool(): ${paths.length} paths, medians of 25 runs\n`);
for (const [what, size, time] of rows) console.log(`${what.padEnd(44)} ${size.padStart(8)} ${time.padStart(10)}`);
