// The cmf-pools CLI as an npm package of its own, runnable without VS Code or this repository:
//
//   npm run build && node scripts/pack-cli.mjs [--out DIR]     (npm run pack:cli)
//
// writes DIR/package/ (default DIR: dist/npm) and packs it with `npm pack` into DIR/cmf-pools-<version>.tgz, whose
// path it prints. The root package.json is the VS Code extension's manifest (and private tooling), so the CLI's
// package.json is made here: the same name and version, its own `bin`, `engines` node >= 20, no dependencies at all
// (dist/cli.js bundles everything it runs; test/cli/package.test.ts installs the tarball offline and runs it), and a
// `files` allow-list: the bundle, the data it reads (the schemas and the Flink option data, brotli-compressed as the
// bundle reads them; not the option descriptions, which only hover and completion show), the JSON schemas for
// editors, README.md (cli/README.md) and LICENSE.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.indexOf('--out');
const out = resolve(outArg >= 0 ? process.argv[outArg + 1] : join(ROOT, 'dist', 'npm'));
const pkgDir = join(out, 'package');
const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/** What the bundle reads at run time (language-service/src/data-files.ts): dist/data/<file>.br. */
const DATA = readdirSync(join(ROOT, 'dist', 'data')).filter((f) => f.endsWith('.br') && f !== 'flink-option-descriptions.json.br');
const SCHEMAS = ['compute-pool.schema.json', 'flink-compute-pool.schema.json'];

if (!existsSync(join(ROOT, 'dist', 'cli.js'))) {
  console.error('scripts/pack-cli.mjs: dist/cli.js is missing: run npm run build first.');
  process.exit(1);
}

rmSync(pkgDir, { recursive: true, force: true });
mkdirSync(join(pkgDir, 'dist', 'data'), { recursive: true });
mkdirSync(join(pkgDir, 'schemas'), { recursive: true });
// The bundle as built, without the line that points to its source map (not shipped).
const bundle = readFileSync(join(ROOT, 'dist', 'cli.js'), 'utf8').replace(/\n\/\/# sourceMappingURL=cli\.js\.map\s*$/, '\n');
writeFileSync(join(pkgDir, 'dist', 'cli.js'), bundle, { mode: 0o755 });
for (const f of DATA) copyFileSync(join(ROOT, 'dist', 'data', f), join(pkgDir, 'dist', 'data', f));
for (const f of SCHEMAS) copyFileSync(join(ROOT, 'schemas', f), join(pkgDir, 'schemas', f));
copyFileSync(join(ROOT, 'cli', 'README.md'), join(pkgDir, 'README.md'));
copyFileSync(join(ROOT, 'LICENSE'), join(pkgDir, 'LICENSE'));

const manifest = {
  name: root.name,
  version: root.version,
  description:
    "The cmf-pools command line: checks Confluent Manager for Apache Flink compute pools (ComputePool, and Confluent for Kubernetes FlinkComputePool) in JSON and YAML with CMF's rules, for CI (SARIF, GitHub annotations), and applies and diffs them against CMF.",
  license: root.license,
  keywords: ['cmf', 'compute pool', 'confluent', 'flink', 'kubernetes', 'lint', 'sarif', 'gitops', 'cli'],
  homepage: 'https://www.npmjs.com/package/cmf-pools',
  bin: { 'cmf-pools': 'dist/cli.js' },
  engines: { node: '>=20' },
  files: ['dist/cli.js', ...DATA.map((f) => `dist/data/${f}`), ...SCHEMAS.map((f) => `schemas/${f}`)],
};
writeFileSync(join(pkgDir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');

// --json: the tarball's name and files, whatever npm prints besides. No scripts: the manifest has none.
const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out], { cwd: pkgDir, encoding: 'utf8' }));
console.log(join(out, packed[0].filename));
