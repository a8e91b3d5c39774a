// package.json's contributions against the explorer's contextValues: which commands each kind of node
// offers (the when clauses' regular expressions evaluated on real contextValues), categories, and the
// commands hidden from the palette.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { poolView, connectionView, statementView } from '../../client/src/explorer/present';
import type { ComputePool } from '../../cmf-model/src/types';

const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));
const itemMenu: { command: string; when: string; group?: string }[] = pkg.contributes.menus['view/item/context'];

/** The commands offered for a contextValue (evaluating `view == …` and `viewItem =~ /…/` conjunctions). */
function offered(contextValue: string, inline?: boolean): string[] {
  return itemMenu
    .filter((m) => (inline === undefined ? true : inline === (m.group ?? '').startsWith('inline')))
    .filter((m) =>
      m.when.split('&&').every((term) => {
        const t = term.trim();
        if (t === 'view == cmfPools.explorer') return true;
        const re = /^viewItem =~ \/(.*)\/$/.exec(t);
        if (!re) throw new Error(`unexpected when term: ${t}`);
        return new RegExp(re[1]).test(contextValue);
      }),
    )
    .map((m) => m.command.replace('cmfPools.', ''))
    .filter((c, i, all) => all.indexOf(c) === i)
    .sort();
}

const pool = (type: 'SHARED' | 'DEDICATED', state: 'RUNNING' | 'SUSPENDED' | undefined, phase: string): ComputePool => ({
  apiVersion: 'cmf.confluent.io/v1',
  kind: 'ComputePool',
  metadata: { name: 'p' },
  spec: { type, ...(state ? { state } : {}), clusterSpec: {} },
  status: { phase: phase as never },
});

describe('menus against contextValues', () => {
  it('a running shared pool: suspend and the web UI; a suspended one: resume; a dedicated one: neither', () => {
    assert.deepEqual(offered(poolView(pool('SHARED', 'RUNNING', 'RUNNING')).contextValue), ['copyAsCurl', 'deletePool', 'forceDeletePool', 'openFlinkWebUi', 'openPoolAsFile', 'refresh', 'suspendPool']);
    assert.deepEqual(offered(poolView(pool('SHARED', undefined, 'PENDING')).contextValue), ['copyAsCurl', 'deletePool', 'forceDeletePool', 'openPoolAsFile', 'refresh', 'suspendPool']);
    assert.deepEqual(offered(poolView(pool('SHARED', 'SUSPENDED', 'SUSPENDED')).contextValue), ['copyAsCurl', 'deletePool', 'forceDeletePool', 'openPoolAsFile', 'refresh', 'resumePool']);
    assert.deepEqual(offered(poolView(pool('DEDICATED', undefined, 'DEDICATED')).contextValue), ['copyAsCurl', 'deletePool', 'forceDeletePool', 'openPoolAsFile', 'refresh']);
    // Stale data adds a flag without changing what is offered.
    const stale = pool('SHARED', 'RUNNING', 'RUNNING');
    stale.status!.warning = 'cluster disconnected';
    assert.deepEqual(offered(poolView(stale).contextValue), offered(poolView(pool('SHARED', 'RUNNING', 'RUNNING')).contextValue));
    assert.deepEqual(offered(poolView(pool('SHARED', 'RUNNING', 'RUNNING')).contextValue, true), ['openFlinkWebUi', 'openPoolAsFile']);
  });

  it('connections: edit and remove for configured ones, stop for the local CMF; select inline when not selected', () => {
    const remote = { name: 'x', url: 'https://x', auth: 'none' as const };
    assert.deepEqual(offered(connectionView(remote, false).contextValue), ['editConnection', 'refresh', 'removeConnection', 'selectConnection']);
    assert.deepEqual(offered(connectionView(remote, false).contextValue, true), ['refresh', 'selectConnection']);
    assert.deepEqual(offered(connectionView(remote, true).contextValue, true), ['refresh']);
    assert.deepEqual(offered(connectionView({ ...remote, local: true }, true).contextValue), ['refresh', 'selectConnection', 'stopLocalCmf']);
  });

  it('statements and messages offer no pool commands', () => {
    const s = statementView({ apiVersion: 'v1', kind: 'Statement', metadata: { name: 's' }, spec: { statement: 'SELECT 1', computePoolName: 'p' }, status: { phase: 'RUNNING' } });
    assert.deepEqual(offered(s.contextValue), []);
    assert.deepEqual(offered('message.error.actionable'), []);
  });

  it('every command has the CMF category; item-only commands are hidden from the palette', () => {
    for (const c of pkg.contributes.commands) assert.equal(c.category, 'CMF', c.command);
    const hidden = pkg.contributes.menus.commandPalette.filter((m: { when: string }) => m.when === 'false').map((m: { command: string }) => m.command.replace('cmfPools.', '')).sort();
    assert.deepEqual(hidden, ['copyAsCurl', 'deletePool', 'forceDeletePool', 'openFlinkWebUi', 'openPoolAsFile', 'resumePool', 'selectEnvironment', 'suspendPool']);
  });

  it('connections are a machine setting, restricted in untrusted workspaces', () => {
    assert.equal(pkg.contributes.configuration.properties['cmfPools.connections'].scope, 'machine');
    assert.deepEqual(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations, ['cmfPools.connections']);
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    // No secret has a place in the setting's schema.
    const fields = Object.keys(pkg.contributes.configuration.properties['cmfPools.connections'].items.properties);
    assert.ok(!fields.some((f) => /token$|passphrase|password|secret/i.test(f)), fields.join());
    // Every setting that can point the extension at a server, a CA, a key or a command is restricted (today
    // all of that lives in cmfPools.connections); lint settings are not, so severities apply in any folder.
    const props = pkg.contributes.configuration.properties as Record<string, { items?: { properties?: Record<string, unknown> } }>;
    for (const [key, p] of Object.entries(props)) {
      const pointsSomewhere = Object.keys(p.items?.properties ?? {}).some((f) => /url|path|command/i.test(f));
      assert.equal(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes(key), pointsSomewhere, key);
    }
    assert.match(pkg.capabilities.untrustedWorkspaces.description, /validates pool files.*never from the workspace.*only when you run a command/);
    // Nothing a workspace could start: no task types, no debuggers, activation on JSON documents only.
    assert.equal(pkg.contributes.taskDefinitions, undefined);
    assert.equal(pkg.contributes.debuggers, undefined);
    assert.ok(pkg.activationEvents.every((e: string) => e.startsWith('onLanguage:')), pkg.activationEvents.join());
  });
});
