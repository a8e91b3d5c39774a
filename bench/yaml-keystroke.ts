/**
 * Keystroke to diagnostics for pools written in YAML, over stdio: the seed pool and the 300 KiB pool as YAML
 * files, against our JSON path on the same pools (target: YAML within 2x of JSON), and beside them, in the same
 * run, Red Hat's yaml-language-server (npm) validating the same YAML against our schema (target: faster than
 * it): over stdio, as the YAML extension runs it (which includes its fixed 200 ms validation delay), and in
 * process (its doValidation alone, beside our full parse and validate alone), so the work is compared too. The
 * server parses a version from the previous one's parse (a keystroke in a value is not parsed again): in process,
 * that is a row of its own.
 *
 * Run with `npm run bench`. Figures, not assertions.
 */
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from 'yaml-language-server';
import { validateText } from '../test/engine';
import { DEFAULT_SETTINGS, ResolvedSettings } from '../language-service/src/settings';
import { type PoolFile, parse, poolText, validate } from '../language-service/src/index';
import { startServer } from '../test/lsp/lsp-client';
import { largePool, seedPool } from './documents';
import { cpuKeystroke, keystrokesOverStdio, printTable, stats, type KeystrokeCase, type Stats } from './measure';

const SCHEMA = path.resolve(__dirname, '../schemas/compute-pool.schema.json');
const YAML_LS = require.resolve('yaml-language-server/bin/yaml-language-server');

async function ours(c: KeystrokeCase, language: 'json' | 'yaml'): Promise<number[]> {
  const server = await startServer({});
  const samples = await keystrokesOverStdio(server, `file:///bench/${c.name}.pool.${language}`, language, c);
  await server.stop();
  return samples;
}

/** yaml-language-server with our schema for *.pool.yaml, as the YAML extension runs it (hover and completion off do not matter here). */
async function peer(c: KeystrokeCase): Promise<number[]> {
  const yaml = { validate: true, hover: false, completion: false, format: { enable: false }, schemas: { [`file://${SCHEMA}`]: '*.pool.yaml' }, schemaStore: { enable: false } };
  const server = await startServer({}, { serverPath: YAML_LS, configuration: (section) => (section === 'yaml' ? yaml : section === 'http' ? { proxyStrictSSL: true } : {}) });
  void server.connection.sendNotification('workspace/didChangeConfiguration', { settings: { yaml } });
  // yaml-language-server publishes without a version: each keystroke waits for the next publish.
  const samples = await keystrokesOverStdio(server, `file:///bench/${c.name}.pool.yaml`, 'yaml', c, false);
  const last = server.published.at(-1);
  if (last && last.diagnostics.length > 0) console.error(`note: yaml-language-server reports ${last.diagnostics.length} problems on ${c.name}: ${last.diagnostics[0]!.message}`);
  await server.stop();
  return samples;
}

/** Our parse and validate, in process, on each edit of the text. */
function oursInProcess(c: KeystrokeCase): number[] {
  const settings = new ResolvedSettings(DEFAULT_SETTINGS);
  const samples: number[] = [];
  for (let i = 0; i < c.edits + 20; i++) {
    const text = c.text.slice(0, c.at) + c.chars[i % 2] + c.text.slice(c.at + 1);
    const t0 = performance.now();
    validateText(text, { settings, languageId: 'yaml', path: '/bench/pool.pool.yaml' });
    if (i >= 20) samples.push(performance.now() - t0);
  }
  return samples;
}

/** Our parse and validate, in process, on each edit of the text, as the server does it: the parse from the previous version's parse. */
function oursFromPreviousInProcess(c: KeystrokeCase): number[] {
  const settings = new ResolvedSettings(DEFAULT_SETTINGS);
  const uri = 'file:///bench/pool.pool.yaml';
  let previous: PoolFile = parse(TextDocument.create(uri, 'yaml', 1, c.text));
  const samples: number[] = [];
  for (let i = 0; i < c.edits + 20; i++) {
    const text = c.text.slice(0, c.at) + c.chars[i % 2] + c.text.slice(c.at + 1);
    const doc = TextDocument.create(uri, 'yaml', i + 2, text);
    const t0 = performance.now();
    previous = parse(doc, previous);
    validate(previous, settings, { path: '/bench/pool.pool.yaml' });
    if (i >= 20) samples.push(performance.now() - t0);
  }
  return samples;
}

/** yaml-language-server's doValidation alone (its parse and schema validation), in process. */
async function peerInProcess(c: KeystrokeCase): Promise<number[]> {
  const schema = JSON.parse(readFileSync(SCHEMA, 'utf8'));
  const ls = getLanguageService({
    schemaRequestService: async () => JSON.stringify(schema),
    workspaceContext: { resolveRelativePath: (p: string) => p },
  });
  ls.configure({ validate: true, hover: false, completion: false, schemas: [{ uri: `file://${SCHEMA}`, fileMatch: ['*.pool.yaml'], schema }] });
  const samples: number[] = [];
  for (let i = 0; i < c.edits + 20; i++) {
    const text = c.text.slice(0, c.at) + c.chars[i % 2] + c.text.slice(c.at + 1);
    const doc = TextDocument.create('file:///bench/pool.pool.yaml', 'yaml', i + 1, text);
    const t0 = performance.now();
    await ls.doValidation(doc, false);
    if (i >= 20) samples.push(performance.now() - t0);
  }
  return samples;
}

async function main(): Promise<void> {
  const documents = [
    { name: 'seed', json: seedPool(), edits: 300 },
    { name: 'large', json: largePool(), edits: 100 },
  ];
  console.log(`YAML keystroke to diagnostics over stdio (ms), Node ${process.version}, ${process.arch}; one edit at a time.\n`);
  const rows: string[][] = [['document', 'size', 'measure', 'median', 'p95']];
  const f = (n: number) => n.toFixed(3);
  const ratio = (a: Stats, b: Stats) => [(a.median / b.median).toFixed(2) + '×', (a.p95 / b.p95).toFixed(2) + '×'];
  for (const d of documents) {
    const yamlText = poolText(JSON.parse(d.json), 'yaml');
    if (JSON.stringify(parseYaml(yamlText)) !== JSON.stringify(JSON.parse(d.json))) throw new Error(`${d.name}: the YAML is not the same pool`);
    const jsonCase = cpuKeystroke(d.name, d.json, d.edits, '"cpu": 1');
    const yamlCase = cpuKeystroke(d.name, yamlText, d.edits, 'cpu: 1');
    const json = stats(await ours(jsonCase, 'json'));
    const yaml = stats(await ours(yamlCase, 'yaml'));
    const other = stats(await peer(yamlCase));
    const yamlIn = stats(oursInProcess(yamlCase));
    const yamlFromPrevious = stats(oursFromPreviousInProcess(yamlCase));
    const otherIn = stats(await peerInProcess(yamlCase));
    const size = `${(yamlText.length / 1024).toFixed(1)} KiB`;
    rows.push([d.name, size, 'cmf-pools, YAML', f(yaml.median), f(yaml.p95)]);
    rows.push([d.name, `${(d.json.length / 1024).toFixed(1)} KiB`, 'cmf-pools, the same pool in JSON', f(json.median), f(json.p95)]);
    rows.push([d.name, size, 'yaml-language-server with our schema (incl. its 200 ms delay)', f(other.median), f(other.p95)]);
    rows.push([d.name, size, 'ratio: YAML / JSON over stdio (target ≤ 2×)', ...ratio(yaml, json)]);
    rows.push([d.name, size, 'ratio: yaml-language-server / cmf-pools over stdio (target > 1×)', ...ratio(other, yaml)]);
    rows.push([d.name, size, 'cmf-pools parse + validate, in process', f(yamlIn.median), f(yamlIn.p95)]);
    rows.push([d.name, size, 'cmf-pools parse from the previous version + validate, in process', f(yamlFromPrevious.median), f(yamlFromPrevious.p95)]);
    rows.push([d.name, size, 'yaml-language-server doValidation, in process', f(otherIn.median), f(otherIn.p95)]);
    rows.push([d.name, size, 'ratio: yaml-language-server / cmf-pools in process (target > 1×)', ...ratio(otherIn, yamlIn)]);
  }
  printTable(rows, 3);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
