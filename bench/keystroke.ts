/**
 * Keystroke to diagnostics, as a user feels it: one edit at a time, from the didChange leaving the
 * client to the publishDiagnostics for that version arriving, over stdio with the built server.
 * Beside it, in the same run: VS Code's JSON language service validating the same text against our
 * schema (parse + validate, in process, no transport), our service in process, and JSON.parse as the floor.
 *
 * Run with `npm run bench`. Figures, not assertions.
 */
import { performance } from 'node:perf_hooks';
import { getLanguageService, TextDocument as JsonTextDocument } from 'vscode-json-languageservice';
import { startServer } from '../test/lsp/lsp-client';
import { validateText } from '../test/engine';
import { poolSchema } from '../language-service/src/schema';
import { DEFAULT_SETTINGS, ResolvedSettings } from '../language-service/src/settings';
import { largePool, seedPool } from './documents';
import { cpuKeystroke, keystrokesOverStdio, printTable, stats, type KeystrokeCase } from './measure';

type Case = KeystrokeCase;

const makeCase = (name: string, text: string, edits: number): Case => cpuKeystroke(name, text, edits, '"cpu": 1');

async function overStdio(c: Case): Promise<number[]> {
  const server = await startServer({});
  const samples = await keystrokesOverStdio(server, `file:///bench/${c.name}.json`, 'json', c);
  await server.stop();
  return samples;
}

function inProcess(c: Case, f: (text: string) => unknown): number[] {
  const samples: number[] = [];
  for (let i = 0; i < c.edits; i++) {
    const text = c.text.slice(0, c.at) + c.chars[i % 2] + c.text.slice(c.at + 1);
    const t0 = performance.now();
    f(text);
    samples.push(performance.now() - t0);
  }
  return samples;
}

async function main(): Promise<void> {
  const json = getLanguageService({});
  json.configure({ validate: true, allowComments: false, schemas: [{ uri: 'https://cmf-pools.dev/schemas/compute-pool.schema.json', fileMatch: ['*.json'], schema: poolSchema() as never }] });
  let jsonVersion = 0;
  const jsonValidate = async (text: string) => {
    const doc = JsonTextDocument.create('file:///bench/pool.json', 'json', ++jsonVersion, text);
    return json.doValidation(doc, json.parseJSONDocument(doc));
  };

  // The server compiles settings once per document; so does the in-process measure.
  const settings = new ResolvedSettings(DEFAULT_SETTINGS);
  const ours = (t: string) => validateText(t, { settings });
  const cases = [makeCase('seed', seedPool(), 300), makeCase('large', largePool(), 100)];
  console.log(`Keystroke to diagnostics (ms), Node ${process.version}, ${process.arch}; one edit at a time.\n`);
  const rows: string[][] = [['document', 'size', 'measure', 'median', 'p95']];
  for (const c of cases) {
    // Warm-up so that start-up (schema compile, JIT) is not counted as a keystroke.
    inProcess({ ...c, edits: 20 }, ours);
    for (let i = 0; i < 20; i++) await jsonValidate(c.text);

    const stdio = stats(await overStdio(c));
    const oursInProcess = stats(inProcess(c, ours));
    const jsonSamples: number[] = [];
    for (let i = 0; i < c.edits; i++) {
      const text = c.text.slice(0, c.at) + c.chars[i % 2] + c.text.slice(c.at + 1);
      const t0 = performance.now();
      await jsonValidate(text);
      jsonSamples.push(performance.now() - t0);
    }
    const peer = stats(jsonSamples);
    const floor = stats(inProcess(c, (t) => JSON.parse(t)));
    const size = `${(c.text.length / 1024).toFixed(1)} KiB`;
    const f = (n: number) => n.toFixed(3);
    rows.push([c.name, size, 'cmf-pools, over stdio (end to end)', f(stdio.median), f(stdio.p95)]);
    rows.push([c.name, size, 'cmf-pools service, in process', f(oursInProcess.median), f(oursInProcess.p95)]);
    rows.push([c.name, size, 'vscode-json-languageservice parse+validate', f(peer.median), f(peer.p95)]);
    rows.push([c.name, size, 'JSON.parse (floor)', f(floor.median), f(floor.p95)]);
    const ratio = (a: { median: number; p95: number }, b: { median: number; p95: number }) => [(a.median / b.median).toFixed(2) + '×', (a.p95 / b.p95).toFixed(2) + '×'];
    rows.push([c.name, size, 'ratio: JSON language service / cmf-pools over stdio', ...ratio(peer, stdio)]);
    rows.push([c.name, size, 'ratio: JSON language service / cmf-pools in process', ...ratio(peer, oursInProcess)]);
    const target = c.name === 'seed' ? 2 : 20;
    rows.push([c.name, size, `target p95 < ${target} ms over stdio`, '', stdio.p95 < target ? 'met' : 'NOT met']);
  }
  printTable(rows, 3);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
