/**
 * What each bundle holds (esbuild's metafiles, written by `npm run build`, which `npm test` runs first): the
 * extension holds no validator, no local CMF and no vendor library (those load from their own bundles on first
 * use), and stays under its size budget.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../lsp/lsp-client';

const DIST = join(__dirname, '../../dist');

interface Metafile {
  outputs: Record<string, { entryPoint?: string; imports: { path: string; external?: boolean }[]; inputs: Record<string, { bytesInOutput: number }> }>;
}

function bundle(name: string): { inputs: string[]; externals: string[] } {
  const meta = JSON.parse(readFileSync(join(DIST, 'meta', `${name}.json`), 'utf8')) as Metafile;
  const output = Object.entries(meta.outputs).find(([file]) => file.endsWith(`${name}.js`))![1];
  return {
    inputs: Object.entries(output.inputs).filter(([, v]) => v.bytesInOutput > 0).map(([k]) => k),
    externals: output.imports.filter((i) => i.external).map((i) => i.path),
  };
}

describe('bundles', () => {
  it('dist/extension.js holds only the extension: no engine, no local CMF, no vendor library', () => {
    const { inputs, externals } = bundle('extension');
    // Our parts in it (package.json: the version in the User-Agent).
    const ours = new Set(inputs.filter((f) => !f.includes('node_modules/')).map((f) => f.split('/')[0]));
    assert.deepEqual([...ours].sort(), ['client', 'cmf-client', 'cmf-model', 'package.json', 'server']);
    assert.deepEqual(inputs.filter((f) => f.startsWith('server/')), ['server/src/protocol.ts']);
    for (const lib of ['ajv', 'jsonc-parser', 'undici', 'vscode-languageclient', 'vscode-languageserver', 'yaml']) {
      assert.deepEqual(inputs.filter((f) => f.includes(`node_modules/${lib}/`)), [], `${lib} is not in the extension bundle`);
    }
    assert.deepEqual(externals.filter((e) => e !== 'vscode' && !e.startsWith('node:')).sort(), ['./language-client.js', './undici.js']);
  });

  it('dist/extension.js is at most 300 KB', () => {
    const size = statSync(join(DIST, 'extension.js')).size;
    assert.ok(size <= 300_000, `${size} bytes`);
  });

  it('the vendor bundles hold what the extension loads from them; the LSP library is in one of them only', () => {
    const client = bundle('language-client');
    assert.ok(client.inputs.some((f) => f.includes('node_modules/vscode-languageclient/')));
    const protocol = bundle('lsp-protocol').inputs;
    for (const other of [client.inputs, bundle('server').inputs]) {
      assert.deepEqual(other.filter((f) => /node_modules\/vscode-(jsonrpc|languageserver-protocol)\//.test(f)), [], 'the LSP library comes from dist/lsp-protocol.js');
    }
    assert.ok(protocol.some((f) => f.includes('node_modules/vscode-jsonrpc/')) && protocol.some((f) => f.includes('node_modules/vscode-languageserver-protocol/')));
    const undici = bundle('undici').inputs;
    assert.ok(undici.some((f) => f.endsWith('undici/lib/dispatcher/agent.js')));
    assert.ok(!undici.some((f) => f.endsWith('undici/lib/dispatcher/proxy-agent.js')), "no undici proxy agent: the client's connector tunnels through proxies itself");
    assert.deepEqual(undici.filter((f) => f.includes('undici/lib/web/')), [], 'no fetch, WebIDL or FormData: the bodies sent are JSON text');
    assert.ok(undici.includes('no-formdata-bodies:fetch-body'), "the stub in the place of fetch's body code");
  });

  it("the extension's undici bundle makes requests (it carries only llhttp's SIMD build)", async () => {
    const { Agent } = require(join(DIST, 'undici.js')) as typeof import('undici');
    const server = createServer((_req, res) => res.end('pong'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const agent = new Agent();
    try {
      const r = await agent.request({ origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, path: '/', method: 'GET' });
      assert.equal(r.statusCode, 200);
      assert.equal(await r.body.text(), 'pong');
    } finally {
      await agent.close();
      server.close();
    }
  });

  it('the language server reads its schema and Flink data at run time instead of bundling them', () => {
    const { inputs } = bundle('server');
    assert.deepEqual(inputs.filter((f) => f.endsWith('.json') && !f.startsWith('node_modules/')), []);
  });

  it('the language server and the CLI run from their bundles and compressed data alone, without node_modules', async () => {
    const root = join(__dirname, '../..');
    const dir = mkdtempSync(join(tmpdir(), 'cmf-pools-bundles-'));
    try {
      for (const p of ['dist/server.js', 'dist/server.js.br', 'dist/lsp-protocol.js', 'dist/lsp-protocol.js.br', 'dist/cli.js', 'dist/data', 'examples/bad/shared-bad.pool.json']) cpSync(join(root, p), join(dir, p), { recursive: true });
      const lint = spawnSync(process.execPath, [join(dir, 'dist/cli.js'), 'lint', '--format', 'json', 'examples/bad/shared-bad.pool.json'], { cwd: dir, encoding: 'utf8' });
      assert.equal(lint.status, 1, lint.stderr);
      const [result] = JSON.parse(lint.stdout) as { diagnostics: { code: string }[] }[];
      assert.ok(result!.diagnostics.some((d) => d.code === 'schema/additionalProperties'), 'the precompiled schema validator ran');
      assert.ok(result!.diagnostics.some((d) => d.code === 'flink-config-unknown-key'), 'the Flink data was read');
      const server = await startServer({}, { serverPath: join(dir, 'dist/server.js') });
      try {
        const uri = 'file:///w/shared-bad.pool.json';
        const published = server.next(uri);
        server.open(uri, readFileSync(join(dir, 'examples/bad/shared-bad.pool.json'), 'utf8'));
        const codes = (await published).diagnostics.map((d) => String(d.code));
        assert.ok(codes.includes('schema/additionalProperties') && codes.includes('reserved-volume'), codes.join(', '));
        assert.equal(server.stderr(), '');
      } finally {
        await server.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
