// `npm start` (after `npm run build`): runs the local CMF with demo data on http://127.0.0.1:8080 and says
// what to try. Ctrl-C stops it. Options after `--` go to the local CMF (`npm start -- --port 0`).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

const LOCAL_CMF = 'dist/local-cmf.js';
if (!existsSync(LOCAL_CMF)) {
  console.error(`${LOCAL_CMF} is missing: run "npm run build" first (npm start does).`);
  process.exit(1);
}

const args = ['--port', '8080', '--seed', 'demo', '--quiet', ...process.argv.slice(2)];
const child = spawn(process.execPath, [LOCAL_CMF, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });

// The local CMF prints its URL as the first line on stdout once it listens.
createInterface({ input: child.stdout }).once('line', (url) => {
  const env = 'development';
  const cli = `npx cmf-pools`;
  const conn = `--url ${url} --environment ${env}`;
  console.log(`
The local CMF is running on ${url} with demo data (environments "development" and "prod").
Try:
  ${cli} list ${conn}
  ${cli} statements ${conn}
  ${cli} get interactive ${conn}
  ${cli} suspend sandbox ${conn}     (then: resume sandbox --wait)
  ${cli} apply -f examples/shared.pool.json --dry-run ${conn}
  ${cli} delete interactive ${conn}  (blocked: a statement is RUNNING on it)
Or set CONFLUENT_CMF_URL=${url} and leave out --url. In VS Code, press F5 ("Run Extension").
Press Ctrl-C to stop.`);
});

for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(signal ? 0 : (code ?? 0)));
