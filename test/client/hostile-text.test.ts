// Terminal injection in the extension: a CMF whose names, status messages, warnings, statement details and error
// messages carry ANSI escape sequences, carriage returns, line feeds, bidirectional controls (U+202E) and invisible
// characters. The real extension, activated over the fake VS Code (vscode-fake.ts), shows the explorer and runs
// Suspend and Delete against it; everything it wrote at the VS Code boundary — tree labels, descriptions, tooltips
// and badges, notifications and modals, progress, the log — shows those characters as visible escapes.
import { host, fakeContext, deactivate } from './vscode-fake';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as extension from '../../client/src/extension';
import type { PoolNode } from '../../client/src/explorer/model';
import { json, serve, type TestServer } from '../cmf/recording-server';
import { namedSharedPool } from '../pools';

const HOSTILE = '\u001b[2J\rOK: all good\u001b[0m\nOK: fake line\u202Eevil.json\u009b31m\u200b\u0007';
/** Characters that must never reach VS Code raw (line feeds are allowed in our own multi-line texts, tooltips and modals). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const RAW = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]/;
/** In a single-line place (a tree label or description, a log line), a line feed is not allowed either. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const RAW_LINE = /[\u0000-\u001F\u007F-\u009F\u061C\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]/;

const EVIL = `evil${HOSTILE}`;
const pools = [
  { ...namedSharedPool(EVIL), metadata: { name: EVIL }, status: { phase: 'RUNNING', message: HOSTILE, warning: HOSTILE } },
  { ...namedSharedPool('plain'), status: { phase: 'RUNNING', message: 'fine' } },
];
const statements = [
  { apiVersion: 'cmf.confluent.io/v1', kind: 'Statement', metadata: { name: `s${HOSTILE}` }, spec: { statement: `SELECT '${HOSTILE}'`, computePoolName: EVIL }, status: { phase: 'RUNNING', detail: HOSTILE, warning: HOSTILE } },
];

function hostileCmf(): Promise<TestServer> {
  return serve((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = decodeURIComponent(url.pathname.replace('/cmf/api/v1', ''));
    const first = url.searchParams.get('page') === '0';
    if (path === '/environments') return json(res, 200, { items: first ? [{ name: 'dev', kubernetesNamespace: 'flink' }] : [] });
    if (path === '/environments/dev') return json(res, 200, { name: 'dev', kubernetesNamespace: 'flink' });
    if (path === '/environments/dev/compute-pools') return json(res, 200, { items: first ? pools : [] });
    if (path === '/environments/dev/statements') {
      const pool = url.searchParams.get('compute-pool');
      return json(res, 200, { items: first ? statements.filter((s) => !pool || s.spec.computePoolName === pool) : [] });
    }
    const m = /^\/environments\/dev\/compute-pools\/(.+)$/s.exec(path);
    if (m && req.method === 'GET') return json(res, 200, pools.find((p) => p.metadata.name === m[1]) ?? pools[1]);
    json(res, 500, { errors: [{ message: `NullPointerException: ${HOSTILE}` }] });
  });
}

describe('text from CMF is shown escaped everywhere the extension shows it', () => {
  let cmf: TestServer;
  const context = fakeContext();

  before(async () => {
    cmf = await hostileCmf();
    host.settings.globalValue['cmfPools.connections'] = [{ name: 'hostile', url: cmf.url, defaultEnvironment: 'dev' }];
    await extension.activate(context as never);
  });
  after(async () => {
    await deactivate(extension, context);
    await cmf.close();
  });

  it('the tree, notifications, modals and the log carry no control, bidi or invisible character', async () => {
    const items = await host.treeItems('cmfPools.explorer');
    const evil = items.find((i) => (i.node as PoolNode).kind === 'pool' && (i.node as PoolNode).pool?.metadata.name === EVIL);
    assert.ok(evil, items.map((i) => i.item.label).join(' | '));
    assert.ok(String(evil.item.label).includes('\\u001B[2J\\rOK: all good'), String(evil.item.label));
    const statement = items.find((i) => String(i.item.label).startsWith('s\\u001B'));
    assert.ok(statement, 'the statement is shown, its name escaped');

    // Suspend is blocked by the statement (named in the notification); Suspend of the plain pool is confirmed and
    // fails with CMF's hostile message; Delete of the plain pool too.
    host.answers.message = (_k, _m, actions, modal) => (modal ? actions[0] : undefined);
    const plain = items.find((i) => (i.node as PoolNode).pool?.metadata.name === 'plain')!.node;
    assert.equal(await host.run('cmfPools.suspendPool', evil.node), 'refused');
    assert.equal(await host.run('cmfPools.suspendPool', plain), 'failed');
    assert.equal(await host.run('cmfPools.deletePool', plain), 'failed');
    host.answers.message = undefined;
    const errors = host.recorded.messages.filter((m) => m.kind === 'error').map((m) => m.message);
    assert.ok(errors.some((m) => m.includes('statements use it: s\\u001B[2J\\rOK: all good')), errors.join('\n'));
    assert.ok(errors.some((m) => m.includes('NullPointerException: \\u001B[2J OK: all good')), errors.join('\n'));

    const check = (where: string, text: unknown, line: boolean) => {
      if (typeof text !== 'string') return;
      const m = (line ? RAW_LINE : RAW).exec(text);
      assert.equal(m, null, m ? `${where}: raw U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')} in ${JSON.stringify(text.slice(Math.max(0, m.index - 40), m.index + 20))}` : '');
    };
    for (const { item, decoration } of await host.treeItems('cmfPools.explorer')) {
      check('tree label', item.label, true);
      check('tree description', item.description, true);
      check('tree tooltip', (item.tooltip as { value?: string } | undefined)?.value ?? item.tooltip, false);
      check('badge tooltip', decoration?.tooltip, true);
    }
    for (const m of host.recorded.messages) {
      check(`${m.kind} message`, m.message, false);
      check(`${m.kind} detail`, m.detail, false);
    }
    for (const p of host.recorded.progress) for (const t of [p.title, ...p.reports]) check('progress', t, false);
    for (const l of host.recorded.output) check('log', l, true);
    assert.ok(host.recorded.output.length > 5 && errors.length >= 3);
  });
});
