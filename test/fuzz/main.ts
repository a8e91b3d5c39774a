/**
 * `npm run fuzz`: the long, seeded fuzzing run of the language service (in process) and of the language
 * server (dist/server.js over stdio). Prints edits per second, the server's peak memory and every failure
 * with the seed that replays it; exits 1 on any failure.
 *
 *   npm run fuzz                                   the default run: 100,000+ edits over stdio, then 150 YAML sessions
 *   npm run fuzz -- --seed 7 --edits 20000         another seed, a shorter run
 *   npm run fuzz -- --yaml-sessions 1000           more sessions on YAML documents
 *   npm run fuzz -- --replay 20260712345           one session again, by the seed a failure printed (YAML ones from 500,000,000)
 *   npm run fuzz -- --service-runs 50000           more documents through the service in process
 */
import { parseArgs } from 'node:util';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fuzzService } from './service-fuzz';
import { fuzzServer } from './server-fuzz';
import { SEED_REGRESSIONS } from './regressions';
import { DEFAULT_SEED } from './seed';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      edits: { type: 'string', default: '100000' },
      sessions: { type: 'string', default: '0' },
      'yaml-sessions': { type: 'string', default: '150' },
      'service-runs': { type: 'string', default: '30000' },
      replay: { type: 'string', multiple: true },
      'max-rss-mb': { type: 'string', default: '1024' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log('Usage: npm run fuzz -- [--seed N] [--edits N] [--sessions N] [--yaml-sessions N] [--service-runs N] [--replay SEED]... [--max-rss-mb N]');
    return 0;
  }
  const seed = Number(values.seed);
  const only = values.replay?.map(Number);
  let failed = false;

  if (!only) {
    const runs = Number(values['service-runs']);
    console.log(`Language service in process: ${runs} documents, seed ${seed}`);
    try {
      const s = fuzzService({ seed, runs, hostile: true });
      console.log(`  ${s.documents} documents, ${s.diagnostics} diagnostics, ${Math.round(s.documents / (s.ms / 1000))} documents/s, no failure`);
    } catch (e) {
      failed = true;
      console.log(`  FAILED (fast-check prints the seed and path to replay it):\n${(e as Error).message}`);
    }
  }

  if (!only) {
    console.log(`Regression sessions: ${SEED_REGRESSIONS.map((s) => s.seed).join(', ')}`);
    const reg = await fuzzServer({ seed, sessions: 0, only: SEED_REGRESSIONS.map((s) => s.seed), hostile: true });
    for (const s of SEED_REGRESSIONS) {
      const f = reg.failures.find((x) => x.seed === s.seed);
      console.log(`  ${s.seed}: ${f ? `FAILS${s.open ? ' (known, open)' : ''}: ${f.message.split('\n')[0].slice(0, 200)}` : 'ok'}`);
    }
    if (reg.failures.length) failed = true;
  }

  const minEdits = Number(values.edits);
  const yamlSessions = Number(values['yaml-sessions']);
  console.log(
    only
      ? `Language server over stdio: replaying ${only.join(', ')}`
      : `Language server over stdio: the named scenarios, then random sessions until ${minEdits} edits, then ${yamlSessions} YAML sessions, seed ${seed}`,
  );
  const maxRss = Number(values['max-rss-mb']) * 2 ** 20;
  const r = await fuzzServer({ seed, sessions: Number(values.sessions), minEdits, yamlSessions, hostile: true, only, maxRssBytes: maxRss, log: (l) => console.log(l) });
  const mib = (b: number) => `${Math.round(b / 2 ** 20)} MiB`;
  console.log('');
  console.log(`  server capabilities exercised: ${r.capabilities.length ? r.capabilities.join(', ') : '(none advertised beyond text sync)'}`);
  console.log(`  sessions ${r.sessions}, steps ${r.steps}, edits ${r.edits}, publishes checked ${r.publishes}`);
  console.log(`  requests: ${Object.entries(r.requests).map(([m, n]) => `${m} ${n}`).join(', ') || 'none'}${r.cancelled ? ` (${r.cancelled} cancelled or overtaken)` : ''}`);
  console.log(`  ${(r.ms / 1000).toFixed(1)} s, ${Math.round(r.edits / (r.ms / 1000))} edits/s`);
  console.log(`  server peak RSS ${mib(r.peakRssBytes)} (limit ${mib(maxRss)}); RSS after the named scenarios ${mib(r.rssAfterScenariosBytes)}, at the end ${mib(r.rssAtEndBytes)}`);
  console.log(`  failures: ${r.failures.length}`);
  if (r.failures.length) {
    failed = true;
    const dir = path.resolve(__dirname, '../../.fuzz-failures');
    mkdirSync(dir, { recursive: true });
    for (const f of r.failures) {
      const file = path.join(dir, `${f.seed}.json`.replace(/[^\w.-]+/g, '_'));
      writeFileSync(file, JSON.stringify(f, null, 2));
      console.log(`  - ${f.seed}: ${f.message.split('\n')[0].slice(0, 300)}\n    session saved to ${path.relative(process.cwd(), file)}`);
    }
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
