/**
 * The shipped and test data are what the derive scripts make from reference/: `npm run data -- --check` passes on
 * this checkout (so stale data fails `npm test`), and each script's --check really notices a hand-edited file,
 * names it, writes nothing, and a run without --check writes exactly what is committed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');

function node(args: string[]): Promise<{ status: number | null; out: string; err: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.on('close', (status) => done({ status, out, err }));
  });
}

interface Case {
  script: string;
  /** The committed files the script writes, from the repository root. */
  files: string[];
  /** Arguments that make the script read its default input and write into `dir` instead. */
  args(dir: string): string[];
  /** Where a committed file goes in `dir`. */
  copy(file: string, dir: string): string;
  /** Text in the first file after which the hand edit goes: it must be in the part the script derives. */
  derivedPart?: string;
}

const CASES: Case[] = [
  {
    script: 'scripts/derive-flink-options.mjs',
    files: readdirSync(join(ROOT, 'language-service/data')).map((f) => `language-service/data/${f}`),
    args: (dir) => ['reference/flink-config-options.json', dir],
    copy: (file, dir) => join(dir, file.split('/').pop()!),
  },
  {
    script: 'scripts/derive-schema.mjs',
    files: ['schemas/compute-pool.schema.json'],
    args: (dir) => ['reference/flinkdeployment-crd.yaml', join(dir, 'compute-pool.schema.json')],
    copy: (file, dir) => join(dir, file.split('/').pop()!),
    // Only definitions.podTemplate is derived; the rest of the schema is hand-written.
    derivedPart: '"$comment": "Derived by scripts/derive-schema.mjs',
  },
  {
    script: 'scripts/derive-openapi-excerpt.mjs',
    files: ['test/fixtures/openapi/cmf-openapi-excerpt.json', 'test/fixtures/openapi/compute-pool-examples.json'],
    args: (dir) => ['reference/cmf-openapi.yaml', dir],
    copy: (file, dir) => join(dir, file.split('/').pop()!),
  },
  {
    script: 'scripts/derive-openapi-json.mjs',
    files: ['test/fixtures/openapi/cmf-openapi.json'],
    args: (dir) => ['reference/cmf-openapi.yaml', join(dir, 'cmf-openapi.json')],
    copy: (file, dir) => join(dir, file.split('/').pop()!),
  },
];

describe('derived data', { concurrency: true }, () => {
  it('npm run data -- --check: every derived file is what its script makes from reference/', async () => {
    const r = await node(['scripts/data.mjs', '--check']);
    assert.equal(r.status, 0, `${r.err}${r.out}\nrun npm run data and commit the result`);
    assert.match(r.out, /every derived file is current/);
  });

  it('data.mjs refuses arguments it cannot forward to every script', async () => {
    const r = await node(['scripts/data.mjs', 'reference/cmf-openapi.yaml']);
    assert.equal(r.status, 2);
    assert.match(r.err, /unknown argument reference\/cmf-openapi\.yaml/);
  });

  for (const c of CASES) {
    it(`${c.script} --check names a hand-edited file and writes nothing; without --check it writes what is committed`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'cmf-pools-data-'));
      try {
        mkdirSync(dir, { recursive: true });
        for (const f of c.files) copyFileSync(join(ROOT, f), c.copy(f, dir));
        const edited = c.copy(c.files[0]!, dir);
        const text = readFileSync(edited, 'utf8');
        // A hand edit that keeps the file valid JSON: one character of a string value changed.
        const from = c.derivedPart ? text.indexOf(c.derivedPart) : 0;
        assert.ok(from >= 0, `${c.derivedPart} in ${c.files[0]}`);
        const at = text.slice(from).search(/": ?"/) + from + text.slice(from).match(/": ?"/)![0].length;
        const tampered = text.slice(0, at) + (text[at] === 'x' ? 'y' : 'x') + text.slice(at + 1);
        writeFileSync(edited, tampered);
        JSON.parse(tampered);

        const check = await node([c.script, ...c.args(dir), '--check']);
        assert.equal(check.status, 1, `${check.err}${check.out}`);
        const name = edited.split('/').pop()!;
        const named = check.err.split('\n').filter((l) => /out of date|missing|not derived/.test(l));
        assert.equal(named.length, 1, check.err);
        assert.ok(named[0]!.includes(name), `${named[0]} names ${name}`);
        assert.equal(readFileSync(edited, 'utf8'), tampered, '--check wrote nothing');

        const write = await node([c.script, ...c.args(dir)]);
        assert.equal(write.status, 0, `${write.err}${write.out}`);
        for (const f of c.files) assert.equal(readFileSync(c.copy(f, dir), 'utf8'), readFileSync(join(ROOT, f), 'utf8'), f);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it('derive-flink-options --check names a missing and a left-over file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmf-pools-data-'));
    try {
      const data = join(ROOT, 'language-service/data');
      for (const f of readdirSync(data)) copyFileSync(join(data, f), join(dir, f));
      rmSync(join(dir, 'flink-options-1.20.json'));
      writeFileSync(join(dir, 'flink-options-1.18.json'), '{}\n');
      const r = await node(['scripts/derive-flink-options.mjs', 'reference/flink-config-options.json', dir, '--check']);
      assert.equal(r.status, 1, r.err);
      assert.match(r.err, /flink-options-1\.20\.json is missing/);
      assert.match(r.err, /flink-options-1\.18\.json is not derived any more/);
      assert.deepEqual(readdirSync(dir).sort(), ['flink-option-descriptions.json', 'flink-options-1.18.json', 'flink-options-1.19.json', 'flink-options-2.0.json']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
