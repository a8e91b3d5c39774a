/**
 * Quick fixes. Each fix is checked the same way, in documents indented with 2 spaces, 4 spaces and tabs, and with
 * CRLF line ends:
 * apply its edit, and the result is JSON, laid out exactly as before (the file's indentation kept), the
 * diagnostic it fixes is gone, and no error appears that was not there before. The same fixes are checked in YAML,
 * in block style (its comments kept; also with 4-space indentation and CRLF line ends, which the fix keeps) and in
 * flow style: the document then reads as the JSON fix's result.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, TextEdit } from 'vscode-languageserver-types';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { codeActions } from '../../language-service/src/index';
import { RULES } from '../../language-service/src/rules';
import type { Rule } from '../../language-service/src/rules/rule';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { parseText, validateText } from '../engine';
import { cfkSharedPool, dedicatedPool, lint, sharedPool, type Pool } from '../pools';
import { type PoolDiagnostic, ResolvedSettings, normalizeSettings } from '../../language-service/src/index';

const URI = 'file:///work/pools/fix.pool.json';
/** The JSON layouts every fix is applied in: 2 spaces, 4 spaces, tabs, and 2 spaces with CRLF line ends. */
const LAYOUTS: { indent: number | string; eol: string }[] = [
  { indent: 2, eol: '\n' },
  { indent: 4, eol: '\n' },
  { indent: '\t', eol: '\n' },
  { indent: 2, eol: '\r\n' },
];

function layout(pool: Pool, indent: number | string, eol = '\n'): string {
  return (JSON.stringify(pool, null, indent) + '\n').replace(/\n/g, eol);
}

function actionsFor(text: string, d: PoolDiagnostic): CodeAction[] {
  return codeActions(parseText(text, URI, 'json', 1), [d]);
}

function apply(text: string, action: CodeAction, uri = URI, languageId = 'json'): string {
  const edits = action.edit?.changes?.[uri] as TextEdit[] | undefined;
  assert.ok(edits && edits.length === 1, `${action.title}: one edit`);
  return TextDocument.applyEdits(TextDocument.create(uri, languageId, 1, text), edits);
}

const YAML_URI = 'file:///work/pools/fix.pool.yaml';
/** The pool in YAML: block style with comments around (which a fix keeps), and all in flow style. */
const YAML_LAYOUTS: Record<string, (pool: Pool) => string> = {
  block: (pool) => `# A compute pool, fixed as YAML.\n${stringifyYaml(pool, { lineWidth: 0 })}# the end\n`,
  flow: (pool) => stringifyYaml(pool, { collectionStyle: 'flow', lineWidth: 0 }),
  'block, 4 spaces, CRLF': (pool) => `# A compute pool, fixed as YAML.\n${stringifyYaml(pool, { lineWidth: 0, indent: 4 })}# the end\n`.replace(/\n/g, '\r\n'),
};

/**
 * The same fixes in YAML, block and flow style: the same titles as in JSON, each a single edit that keeps the
 * comments, and after which the document reads as the JSON fix's result, the diagnostic gone, no new error.
 */
function checkYamlFixes(pool: Pool, code: string, nth: number, json: Checked, settings: ResolvedSettings): void {
  for (const [style, write] of Object.entries(YAML_LAYOUTS)) {
    const text = write(pool);
    const before = validateText(text, { uri: YAML_URI, languageId: 'yaml', settings });
    const targets = before.filter((d) => d.code === code);
    const target = targets[nth];
    assert.ok(target, `YAML ${style}: expected a ${code} diagnostic, got ${JSON.stringify(before.map((d) => d.code))}`);
    const actions = codeActions(parseText(text, YAML_URI, 'yaml', 1), [target]);
    assert.deepEqual(actions.map((a) => a.title), json.titles, `YAML ${style}: the fixes offered in JSON`);
    for (const a of actions) {
      const where = `${code} / "${a.title}" / YAML ${style}`;
      const fixed = apply(text, a, YAML_URI, 'yaml');
      assert.deepEqual(parseYaml(fixed), JSON.parse(json.results.get(a.title)!), `${where}: reads as the JSON fix's result:\n${fixed}`);
      if (style === 'block') assert.ok(fixed.startsWith('# A compute pool, fixed as YAML.\n') && fixed.endsWith('# the end\n'), `${where}: comments kept`);
      if (style.includes('CRLF')) {
        assert.ok(fixed.startsWith('# A compute pool, fixed as YAML.\r\n') && fixed.endsWith('# the end\r\n'), `${where}: comments kept`);
        assert.doesNotMatch(fixed, /[^\r]\n/, `${where}: CRLF line ends kept:\n${JSON.stringify(fixed)}`);
        assertIndentKept(text, fixed, 4, where);
      }
      const after = validateText(fixed, { uri: YAML_URI, languageId: 'yaml', reportSyntaxErrors: true, settings });
      assert.ok(after.filter((d) => d.code === code).length < targets.length, `${where}: the diagnostic is gone`);
      const was = errorCounts(before);
      for (const [c, n] of errorCounts(after)) assert.ok(n <= (was.get(c) ?? 0), `${where}: a new error ${c}: ${JSON.stringify(after.filter((d) => d.code === c).map((d) => d.message))}`);
    }
  }
}

/** Every line a fix adds is indented by `step` below its parent (by 2 below a sequence item's "- "). */
function assertIndentKept(before: string, after: string, step: number, where: string): void {
  const had = new Map<string, number>();
  for (const l of before.split(/\r?\n/)) had.set(l, (had.get(l) ?? 0) + 1);
  const lines = after.split(/\r?\n/);
  const indent = (l: string) => /^ */.exec(l)![0].length;
  lines.forEach((line, i) => {
    const n = had.get(line) ?? 0;
    if (n > 0) return void had.set(line, n - 1);
    if (line.trim() === '' || line.trim().startsWith('#')) return;
    let j = i - 1;
    while (j >= 0 && (lines[j]!.trim() === '' || indent(lines[j]!) >= indent(line))) j--;
    if (j < 0) return;
    const parent = lines[j]!;
    const diff = indent(line) - indent(parent);
    const inItem = parent.trimStart().startsWith('- ');
    assert.ok(diff === step || (inItem && diff === 2), `${where}: "${line}" is indented ${diff} below "${parent}", not ${step}:\n${after}`);
  });
}

function errorCounts(diags: PoolDiagnostic[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const d of diags) if (d.severity === 1) m.set(d.code, (m.get(d.code) ?? 0) + 1);
  return m;
}

interface Checked {
  titles: string[];
  /** the fixed text per title */
  results: Map<string, string>;
}

/**
 * Lints the pool, takes the `nth` diagnostic of `code`, and checks every fix offered for it in every indentation.
 * Returns the titles and the fixed texts (of the 2-space layout).
 */
function checkFixes(pool: Pool, code: string, opts: { nth?: number; minFixes?: number; settings?: Record<string, unknown> } = {}): Checked {
  let checked: Checked | undefined;
  const settings = opts.settings ?? {};
  for (const { indent, eol } of LAYOUTS) {
    const text = layout(pool, indent, eol);
    const before = lint(text, settings);
    const targets = before.filter((d) => d.code === code);
    const target = targets[opts.nth ?? 0];
    assert.ok(target, `expected a ${code} diagnostic, got ${JSON.stringify(before.map((d) => d.code))}`);
    const actions = actionsFor(text, target);
    assert.ok(actions.length >= (opts.minFixes ?? 1), `expected fixes for ${code}`);
    const results = new Map<string, string>();
    for (const a of actions) {
      assert.equal(a.kind, 'quickfix');
      assert.deepEqual(a.diagnostics, [target]);
      const fixed = apply(text, a);
      const where = `${code} / "${a.title}" / indent ${JSON.stringify(indent)}, ${JSON.stringify(eol)}`;
      const value = JSON.parse(fixed) as unknown; // valid JSON
      assert.equal(fixed, layout(value as Pool, indent, eol), `${where}: the file's layout is kept`);
      const after = lint(fixed, settings);
      assert.ok(after.filter((d) => d.code === code).length < targets.length, `${where}: the diagnostic is gone; still: ${JSON.stringify(after.filter((d) => d.code === code).map((d) => d.message))}`);
      const was = errorCounts(before);
      for (const [c, n] of errorCounts(after)) assert.ok(n <= (was.get(c) ?? 0), `${where}: a new error ${c}: ${JSON.stringify(after.filter((d) => d.code === c).map((d) => d.message))}`);
      if (indent === 2 && eol === '\n') results.set(a.title, fixed);
    }
    checked ??= { titles: actions.map((a) => a.title), results };
    assert.ok(actions.filter((a) => a.isPreferred).length <= 1, 'at most one preferred fix');
  }
  checkYamlFixes(pool, code, opts.nth ?? 0, checked!, new ResolvedSettings(normalizeSettings(settings)));
  return checked!;
}

/** The value at a dotted path in the fixed text. */
function valueIn(text: string, ...path: (string | number)[]): unknown {
  let v: any = JSON.parse(text);
  for (const p of path) v = v?.[p];
  return v;
}

function only(c: Checked): string {
  assert.equal(c.results.size, 1, `one fix: ${c.titles.join(' | ')}`);
  return [...c.results.values()][0]!;
}

describe('quick fixes: CMF-managed fields', () => {
  it('forbidden-field removes serviceAccount, and job with its whole object', () => {
    const p = dedicatedPool();
    p.spec.clusterSpec.serviceAccount = 'flink';
    const c = checkFixes(p, 'forbidden-field');
    assert.deepEqual(c.titles, ['Remove spec.clusterSpec.serviceAccount']);
    assert.equal(valueIn(only(c), 'spec', 'clusterSpec', 'serviceAccount'), undefined);
    const q = dedicatedPool();
    q.spec.clusterSpec.job = { jarURI: 'local:///x.jar', parallelism: 2 };
    assert.equal(valueIn(only(checkFixes(q, 'forbidden-field')), 'spec', 'clusterSpec', 'job'), undefined);
  });

  it('forbidden-field as the last property of clusterSpec takes the comma before it', () => {
    const p = dedicatedPool();
    p.spec.clusterSpec.serviceAccount = 'flink'; // added last
    const fixed = only(checkFixes(p, 'forbidden-field'));
    assert.doesNotMatch(fixed, /,\s*}/);
  });

  it('server-managed-field removes status and metadata.uid', () => {
    const p = sharedPool();
    p.status = { phase: 'RUNNING' };
    p.metadata.uid = 'abc';
    const uid = checkFixes(p, 'server-managed-field', { nth: 0 });
    assert.equal(valueIn(only(uid), 'metadata', 'uid'), undefined);
    const status = checkFixes(p, 'server-managed-field', { nth: 1 });
    assert.equal(valueIn(only(status), 'status'), undefined);
  });

  it('state-on-dedicated and mode-on-dedicated remove the property', () => {
    const p = dedicatedPool();
    p.spec.state = 'RUNNING';
    p.spec.clusterSpec.mode = 'native';
    assert.equal(valueIn(only(checkFixes(p, 'state-on-dedicated')), 'spec', 'state'), undefined);
    assert.equal(valueIn(only(checkFixes(p, 'mode-on-dedicated')), 'spec', 'clusterSpec', 'mode'), undefined);
  });

  it('replicas-ignored-native: set standalone mode (preferred) or remove replicas', () => {
    const p = sharedPool();
    p.spec.clusterSpec.taskManager.replicas = 3;
    const c = checkFixes(p, 'replicas-ignored-native', { minFixes: 2 });
    assert.deepEqual(c.titles, ['Set clusterSpec.mode to "standalone" (a fixed TaskManager count)', 'Remove spec.clusterSpec.taskManager.replicas']);
    const [standalone, removed] = [...c.results.values()];
    assert.equal(valueIn(standalone!, 'spec', 'clusterSpec', 'mode'), 'standalone');
    assert.equal(valueIn(standalone!, 'spec', 'clusterSpec', 'taskManager', 'replicas'), 3);
    assert.equal(valueIn(removed!, 'spec', 'clusterSpec', 'taskManager', 'replicas'), undefined);
  });

  it('replicas-ignored-native with "mode": "native" written out replaces it', () => {
    const p = sharedPool();
    p.spec.clusterSpec.mode = 'native';
    p.spec.clusterSpec.taskManager.replicas = 2;
    const c = checkFixes(p, 'replicas-ignored-native', { minFixes: 2 });
    assert.equal(valueIn([...c.results.values()][0]!, 'spec', 'clusterSpec', 'mode'), 'standalone');
  });
});

describe('quick fixes: reserved volumes', () => {
  const withTemplate = (spec: Record<string, unknown>) => {
    const p = sharedPool();
    p.spec.clusterSpec.taskManager.podTemplate = { spec };
    return p;
  };

  it('renames a volume that uses a reserved name, and its mounts, to a free name', () => {
    const p = withTemplate({
      containers: [{ name: 'flink-main-container', volumeMounts: [{ name: 'statement-plan-volume', mountPath: '/data' }] }],
      volumes: [{ name: 'statement-plan-volume', emptyDir: {} }],
    });
    const c = checkFixes(p, 'reserved-volume', { nth: 1 }); // the volume (the mount comes first in the document)
    assert.deepEqual(c.titles, ['Rename volume "statement-plan-volume" to "user-statement-volume" (and its mount)']);
    const fixed = only(c);
    const spec = valueIn(fixed, 'spec', 'clusterSpec', 'taskManager', 'podTemplate', 'spec') as any;
    assert.equal(spec.volumes[0].name, 'user-statement-volume');
    assert.equal(spec.containers[0].volumeMounts[0].name, 'user-statement-volume');
    assert.deepEqual(lint(fixed).filter((d) => d.code === 'reserved-volume'), []);
    // The mount's own diagnostic offers the same rename.
    assert.deepEqual(checkFixes(p, 'reserved-volume', { nth: 0 }).titles, c.titles);
  });

  it('picks a name that is not taken', () => {
    const p = withTemplate({
      containers: [{ name: 'flink-main-container' }],
      volumes: [{ name: 'user-statement-volume', emptyDir: {} }, { name: 'statement-encryption-volume', emptyDir: {} }],
    });
    const fixed = only(checkFixes(p, 'reserved-volume'));
    assert.equal((valueIn(fixed, 'spec', 'clusterSpec', 'taskManager', 'podTemplate', 'spec', 'volumes') as any)[1].name, 'user-statement-volume-2');
  });

  it('removes a mount of CMF\'s own volume when the template has no volume of that name', () => {
    const p = withTemplate({
      containers: [{ name: 'flink-main-container', volumeMounts: [{ name: 'statement-encryption-volume', mountPath: '/data' }] }],
    });
    const c = checkFixes(p, 'reserved-volume');
    assert.deepEqual(c.titles, ["Remove the mount of CMF's statement-encryption-volume"]);
    assert.deepEqual(valueIn(only(c), 'spec', 'clusterSpec', 'taskManager', 'podTemplate', 'spec', 'containers', 0, 'volumeMounts'), []);
  });

  it('moves a mount path off CMF\'s paths, keeping what lies beneath and avoiding paths in use', () => {
    const p = withTemplate({
      containers: [
        {
          name: 'flink-main-container',
          volumeMounts: [
            { name: 'data', mountPath: '/opt/flink/user-data' },
            { name: 'plans', mountPath: '/opt/flink/statement' },
            { name: 'secrets', mountPath: '/opt/flink/statement-secret/keys' },
          ],
        },
      ],
      volumes: [{ name: 'data', emptyDir: {} }, { name: 'plans', emptyDir: {} }, { name: 'secrets', emptyDir: {} }],
    });
    const mounts = (t: string) => (valueIn(t, 'spec', 'clusterSpec', 'taskManager', 'podTemplate', 'spec', 'containers', 0, 'volumeMounts') as any[]).map((m) => m.mountPath);
    const first = checkFixes(p, 'reserved-volume', { nth: 0 });
    assert.deepEqual(first.titles, ['Mount at /opt/flink/user-data-2 instead']);
    assert.deepEqual(mounts(only(first)), ['/opt/flink/user-data', '/opt/flink/user-data-2', '/opt/flink/statement-secret/keys']);
    const second = checkFixes(p, 'reserved-volume', { nth: 1 });
    assert.deepEqual(mounts(only(second)), ['/opt/flink/user-data', '/opt/flink/statement', '/opt/flink/user-data/keys']);
  });
});

describe('quick fixes: images', () => {
  it('image-not-cp-flink-sql: the newest cp-flink-sql build for flinkVersion', () => {
    const p = dedicatedPool();
    p.spec.clusterSpec.image = 'flink:1.19';
    const c = checkFixes(p, 'image-not-cp-flink-sql');
    assert.deepEqual(c.titles, ['Use confluentinc/cp-flink-sql:1.19-cp11']);
  });

  it('keeps a registry prefix', () => {
    const p = dedicatedPool();
    p.spec.clusterSpec.image = 'registry.example.com/flink:1.19';
    assert.deepEqual(checkFixes(p, 'image-not-cp-flink-sql').titles, ['Use registry.example.com/confluentinc/cp-flink-sql:1.19-cp11']);
  });

  it('image-too-old keeps the registry prefix and the -arm64 suffix', () => {
    const p = sharedPool();
    p.spec.clusterSpec.image = 'my.registry:5000/mirror/confluentinc/cp-flink-sql:1.19-cp5-arm64';
    const c = checkFixes(p, 'image-too-old');
    assert.deepEqual(c.titles, ['Use my.registry:5000/mirror/confluentinc/cp-flink-sql:1.19-cp11-arm64']);
    // A dedicated pool gets it too, and the build proposed is the newest the pool's CMF version is known to run.
    const d = dedicatedPool();
    d.spec.clusterSpec.image = 'confluentinc/cp-flink-sql:1.19-cp5';
    assert.deepEqual(checkFixes(d, 'image-too-old').titles, ['Use confluentinc/cp-flink-sql:1.19-cp11']);
    assert.deepEqual(checkFixes(d, 'image-too-old', { settings: { cmfVersion: '2.3' } }).titles, ['Use confluentinc/cp-flink-sql:1.19-cp8']);
  });

  it('flink-version-unsupported: move to a Flink line the CMF version runs, flinkVersion and image together', () => {
    const p = dedicatedPool();
    p.spec.clusterSpec.flinkVersion = 'v2_3';
    p.spec.clusterSpec.image = 'confluentinc/cp-flink-sql:2.3-cmf2.5-cp1';
    const c = checkFixes(p, 'flink-version-unsupported', { settings: { cmfVersion: '2.4' }, nth: 0 });
    assert.deepEqual(c.titles, ['Set flinkVersion to v1_19 and image to confluentinc/cp-flink-sql:1.19-cp11']);
    const q = dedicatedPool();
    q.spec.clusterSpec.flinkVersion = 'v2_1';
    assert.deepEqual(checkFixes(q, 'flink-version-unsupported', { minFixes: 2 }).titles, [
      'Set flinkVersion to v1_19 and image to confluentinc/cp-flink-sql:1.19-cp11',
      'Set flinkVersion to v2_3 and image to confluentinc/cp-flink-sql:2.3-cmf2.5-cp1',
    ]);
  });

  it('image-flink-version-mismatch: the image for flinkVersion (preferred), or flinkVersion for the image', () => {
    const p = dedicatedPool();
    p.spec.clusterSpec.flinkVersion = 'v2_3';
    const c = checkFixes(p, 'image-flink-version-mismatch', { minFixes: 2 });
    assert.deepEqual(c.titles, ['Use confluentinc/cp-flink-sql:2.3-cmf2.5-cp1', "Set flinkVersion to v1_19 (the image's Flink version)"]);
  });

  it('where flinkVersion has no cp-flink-sql build, offers a flinkVersion that has one', () => {
    const p = dedicatedPool();
    p.spec.clusterSpec.flinkVersion = 'v1_20';
    const c = checkFixes(p, 'image-flink-version-mismatch', { minFixes: 3 });
    assert.deepEqual(c.titles, [
      'Set flinkVersion to v1_19 and image to confluentinc/cp-flink-sql:1.19-cp11',
      'Set flinkVersion to v2_3 and image to confluentinc/cp-flink-sql:2.3-cmf2.5-cp1',
      "Set flinkVersion to v1_19 (the image's Flink version)",
    ]);
    const q = dedicatedPool();
    q.spec.clusterSpec.flinkVersion = 'v1_20';
    q.spec.clusterSpec.image = 'apache/flink:1.20';
    assert.equal(checkFixes(q, 'image-not-cp-flink-sql', { minFixes: 2 }).titles.length, 2);
  });

  it('image-missing sets the image, or flinkVersion and image where there is no build', () => {
    const p = dedicatedPool();
    delete p.spec.clusterSpec.image;
    const c = checkFixes(p, 'image-missing');
    assert.deepEqual(c.titles, ['Set image to confluentinc/cp-flink-sql:1.19-cp11']);
    assert.equal(valueIn(only(c), 'spec', 'clusterSpec', 'image'), 'confluentinc/cp-flink-sql:1.19-cp11');
    p.spec.clusterSpec.flinkVersion = 'v1_20';
    assert.equal(checkFixes(p, 'image-missing', { minFixes: 2 }).titles.length, 2);
    delete p.spec.clusterSpec.flinkVersion;
    assert.equal(checkFixes(p, 'image-missing', { minFixes: 2 }).titles.length, 2);
  });
});

describe('quick fixes: flinkConfiguration', () => {
  it('flink-config-unknown-key: replace with the close match', () => {
    const p = sharedPool();
    delete p.spec.clusterSpec.flinkConfiguration['taskmanager.numberOfTaskSlots'];
    p.spec.clusterSpec.flinkConfiguration['taskmanager.numberOfTaskSlot'] = '4';
    const c = checkFixes(p, 'flink-config-unknown-key');
    assert.deepEqual(c.titles, ['Replace with "taskmanager.numberOfTaskSlots"']);
    assert.equal(valueIn(only(c), 'spec', 'clusterSpec', 'flinkConfiguration', 'taskmanager.numberOfTaskSlots'), '4');
  });

  it('flink-config-unknown-key in a nested flinkConfiguration renames the nested key', () => {
    const p = dedicatedPool();
    p.spec.clusterSpec.flinkConfiguration = { taskmanager: { numberOfTaskSlot: 4 } };
    const fixed = only(checkFixes(p, 'flink-config-unknown-key'));
    assert.deepEqual(valueIn(fixed, 'spec', 'clusterSpec', 'flinkConfiguration'), { taskmanager: { numberOfTaskSlots: 4 } });
  });

  it('flink-config-unknown-key whose match leaves the nested group moves it to a flat key', () => {
    const p = dedicatedPool();
    p.spec.clusterSpec.flinkConfiguration = { taskmanagr: { numberOfTaskSlots: '4' }, 'execution.checkpointing.interval': '10s' };
    const fixed = only(checkFixes(p, 'flink-config-unknown-key'));
    assert.deepEqual(valueIn(fixed, 'spec', 'clusterSpec', 'flinkConfiguration'), {
      taskmanagr: {},
      'execution.checkpointing.interval': '10s',
      'taskmanager.numberOfTaskSlots': '4',
    });
  });

  it('flink-config-unknown-key whose match is already set: remove the typo', () => {
    const p = sharedPool();
    p.spec.clusterSpec.flinkConfiguration['taskmanager.numberOfTaskSlot'] = '4';
    const c = checkFixes(p, 'flink-config-unknown-key');
    assert.deepEqual(c.titles, ['Remove "taskmanager.numberOfTaskSlot" ("taskmanager.numberOfTaskSlots" is already set)']);
  });

  it('flink-config-deprecated-key: rename to the replacement, or remove it when the replacement is set', () => {
    const p = dedicatedPool();
    p.spec.clusterSpec.flinkConfiguration['state.backend'] = 'rocksdb';
    const c = checkFixes(p, 'flink-config-deprecated-key');
    assert.deepEqual(c.titles, ['Rename to "state.backend.type"']);
    assert.equal(valueIn(only(c), 'spec', 'clusterSpec', 'flinkConfiguration', 'state.backend.type'), 'rocksdb');
    p.spec.clusterSpec.flinkConfiguration['state.backend.type'] = 'hashmap';
    assert.deepEqual(checkFixes(p, 'flink-config-deprecated-key').titles, ['Remove the deprecated "state.backend" ("state.backend.type" is already set)']);
  });

  it('flink-config-deprecated-key on Flink 2.0 and a key split in two', () => {
    const p = dedicatedPool();
    p.spec.clusterSpec.flinkVersion = 'v2_0';
    p.spec.clusterSpec.image = 'confluentinc/cp-flink-sql:2.3-cmf2.5-cp1';
    p.spec.clusterSpec.flinkVersion = 'v2_3';
    p.spec.clusterSpec.flinkConfiguration['state.checkpoints.dir'] = 's3://b/c';
    delete p.spec.clusterSpec.flinkConfiguration['state.savepoints.dir'];
    p.spec.clusterSpec.flinkConfiguration['execution.checkpointing.savepoint-dir'] = 's3://b/s';
    p.spec.clusterSpec.flinkConfiguration['state.backend.local-recovery'] = 'true';
    assert.deepEqual(checkFixes(p, 'flink-config-deprecated-key', { nth: 0 }).titles, ['Rename to "execution.checkpointing.dir"']);
    assert.deepEqual(checkFixes(p, 'flink-config-deprecated-key', { nth: 1, minFixes: 2 }).titles, [
      'Rename to "execution.checkpointing.local-backup.enabled"',
      'Rename to "execution.state-recovery.from-local"',
    ]);
  });

  it('flink-config-invalid-value: each enum constant, or true/false', () => {
    const p = dedicatedPool();
    p.spec.clusterSpec.flinkConfiguration['execution.checkpointing.mode'] = 'exactly once';
    p.spec.clusterSpec.flinkConfiguration['rest.flamegraph.enabled'] = 'yes';
    assert.deepEqual(checkFixes(p, 'flink-config-invalid-value', { nth: 0, minFixes: 2 }).titles, [
      'Set execution.checkpointing.mode to "EXACTLY_ONCE"',
      'Set execution.checkpointing.mode to "AT_LEAST_ONCE"',
    ]);
    assert.equal(checkFixes(p, 'flink-config-invalid-value', { nth: 1, minFixes: 2 }).titles.length, 2);
  });

  it('ha-incomplete adds high-availability.storageDir with a placeholder', () => {
    const p = dedicatedPool();
    p.spec.clusterSpec.flinkConfiguration['high-availability.type'] = 'kubernetes';
    const fixed = only(checkFixes(p, 'ha-incomplete'));
    assert.equal(valueIn(fixed, 'spec', 'clusterSpec', 'flinkConfiguration', 'high-availability.storageDir'), 's3://your-bucket/pool/recovery');
  });

  it('ha-recommended adds Kubernetes HA and a checkpoint directory', () => {
    const p = sharedPool();
    delete p.spec.clusterSpec.flinkConfiguration['high-availability.type'];
    delete p.spec.clusterSpec.flinkConfiguration['high-availability.storageDir'];
    delete p.spec.clusterSpec.flinkConfiguration['state.checkpoints.dir'];
    const fixed = only(checkFixes(p, 'ha-recommended'));
    assert.deepEqual(valueIn(fixed, 'spec', 'clusterSpec', 'flinkConfiguration'), {
      'taskmanager.numberOfTaskSlots': '4',
      'execution.checkpointing.interval': '10s',
      'state.savepoints.dir': 's3://bucket/shared-pool/savepoints',
      'high-availability.type': 'kubernetes',
      'high-availability.storageDir': 's3://your-bucket/shared-pool/recovery',
      'state.checkpoints.dir': 's3://your-bucket/shared-pool/checkpoints',
    });
  });

  it('ha-recommended creates flinkConfiguration when there is none, and uses the 2.x checkpoint key on Flink 2', () => {
    const p = sharedPool();
    delete p.spec.clusterSpec.flinkConfiguration;
    p.spec.clusterSpec.flinkVersion = 'v2_3';
    p.spec.clusterSpec.image = 'confluentinc/cp-flink-sql:2.3-cmf2.5-cp1';
    const fixed = only(checkFixes(p, 'ha-recommended'));
    assert.deepEqual(Object.keys(valueIn(fixed, 'spec', 'clusterSpec', 'flinkConfiguration') as object), [
      'high-availability.type',
      'high-availability.storageDir',
      'execution.checkpointing.dir',
    ]);
  });

  it('ha-recommended sets a nested high-availability.type where it stands', () => {
    const p = sharedPool();
    p.spec.clusterSpec.flinkConfiguration = { 'high-availability': { type: 'NONE' }, 'state.checkpoints.dir': 's3://b/c' };
    const fixed = only(checkFixes(p, 'ha-recommended'));
    assert.deepEqual(valueIn(fixed, 'spec', 'clusterSpec', 'flinkConfiguration'), {
      'high-availability': { type: 'kubernetes' },
      'state.checkpoints.dir': 's3://b/c',
      'high-availability.storageDir': 's3://your-bucket/shared-pool/recovery',
    });
  });
});

describe('quick fixes: what CMF does in the field', () => {
  it('pod-template-envelope removes apiVersion and kind from clusterSpec.podTemplate in one edit', () => {
    const p = dedicatedPool();
    p.spec.clusterSpec.podTemplate = { apiVersion: 'v1', kind: 'Pod', spec: { containers: [{ name: 'flink-main-container' }] } };
    for (const nth of [0, 1]) {
      const c = checkFixes(p, 'pod-template-envelope', { nth });
      assert.deepEqual(c.titles, ['Remove apiVersion and kind from clusterSpec.podTemplate']);
      assert.deepEqual(valueIn(only(c), 'spec', 'clusterSpec', 'podTemplate'), { spec: { containers: [{ name: 'flink-main-container' }] } });
    }
    // Only kind: only kind goes; a template left with nothing is an empty object.
    const q = dedicatedPool();
    q.spec.clusterSpec.podTemplate = { kind: 'Pod' };
    const c = checkFixes(q, 'pod-template-envelope');
    assert.deepEqual(c.titles, ['Remove kind from clusterSpec.podTemplate']);
    assert.deepEqual(valueIn(only(c), 'spec', 'clusterSpec', 'podTemplate'), {});
  });

  it('component-pod-template-envelope removes them from a JobManager or TaskManager template', () => {
    const p = sharedPool();
    p.spec.clusterSpec.taskManager.podTemplate = { apiVersion: 'v1', metadata: { labels: { a: 'b' } } };
    const c = checkFixes(p, 'component-pod-template-envelope');
    assert.deepEqual(c.titles, ['Remove apiVersion from clusterSpec.taskManager.podTemplate']);
    assert.deepEqual(valueIn(only(c), 'spec', 'clusterSpec', 'taskManager', 'podTemplate'), { metadata: { labels: { a: 'b' } } });
  });

  it('resource-memory-missing sets the memory, creating resource (or the component) when it is missing', () => {
    const p = dedicatedPool();
    delete p.spec.clusterSpec.jobManager.resource.memory;
    const c = checkFixes(p, 'resource-memory-missing');
    assert.deepEqual(c.titles, ['Set jobManager.resource.memory to "1024m"']);
    assert.equal(valueIn(only(c), 'spec', 'clusterSpec', 'jobManager', 'resource', 'memory'), '1024m');
    const q = dedicatedPool();
    delete q.spec.clusterSpec.taskManager;
    const d = checkFixes(q, 'resource-memory-missing');
    assert.deepEqual(d.titles, ['Set taskManager.resource.memory to "1024m"']);
    assert.deepEqual(valueIn(only(d), 'spec', 'clusterSpec', 'taskManager'), { resource: { memory: '1024m' } });
  });

  it('insert-needs-checkpointing sets execution.checkpointing.interval to "10 s", creating flinkConfiguration when there is none', () => {
    const p = dedicatedPool();
    delete p.spec.clusterSpec.flinkConfiguration['execution.checkpointing.interval'];
    const c = checkFixes(p, 'insert-needs-checkpointing');
    assert.deepEqual(c.titles, ['Set execution.checkpointing.interval to "10 s"']);
    assert.equal(valueIn(only(c), 'spec', 'clusterSpec', 'flinkConfiguration', 'execution.checkpointing.interval'), '10 s');
    const q = dedicatedPool();
    delete q.spec.clusterSpec.flinkConfiguration;
    assert.deepEqual(valueIn(only(checkFixes(q, 'insert-needs-checkpointing')), 'spec', 'clusterSpec', 'flinkConfiguration'), { 'execution.checkpointing.interval': '10 s' });
  });

  it('stateless-stop-resume adds the missing directories with placeholders, under the keys of the pool\'s Flink version', () => {
    const p = sharedPool();
    delete p.spec.clusterSpec.flinkConfiguration['state.savepoints.dir'];
    const c = checkFixes(p, 'stateless-stop-resume');
    assert.deepEqual(c.titles, ['Add state.savepoints.dir (placeholder locations to fill in)']);
    assert.equal(valueIn(only(c), 'spec', 'clusterSpec', 'flinkConfiguration', 'state.savepoints.dir'), 's3://your-bucket/shared-pool/savepoints');
    const q = dedicatedPool();
    q.spec.clusterSpec.flinkVersion = 'v2_3';
    q.spec.clusterSpec.image = 'confluentinc/cp-flink-sql:2.3-cmf2.5-cp1';
    q.spec.clusterSpec.flinkConfiguration = { 'execution.checkpointing.interval': '10s' };
    const d = checkFixes(q, 'stateless-stop-resume');
    assert.deepEqual(d.titles, ['Add execution.checkpointing.dir and execution.checkpointing.savepoint-dir (placeholder locations to fill in)']);
  });
});

describe('quick fixes: what CMF does in the field, on a CFK FlinkComputePool (spec.clusterSpec)', () => {
  /** Confluent's CFK example, made clean of the infos it has (checkpointing and both state directories set). */
  const cfk = (): Pool => {
    const p = cfkSharedPool();
    p.spec.clusterSpec.flinkConfiguration = {
      'execution.checkpointing.interval': '10 s',
      'high-availability.type': 'kubernetes',
      'high-availability.storageDir': 's3://bucket/shared-pool/recovery',
      'state.checkpoints.dir': 's3://bucket/shared-pool/checkpoints',
      'state.savepoints.dir': 's3://bucket/shared-pool/savepoints',
    };
    return p;
  };
  const clusterSpec = (fixed: string) => valueIn(fixed, 'spec', 'clusterSpec') as Record<string, any>;

  it('the base CFK pool is clean (in JSON and in YAML)', () => {
    assert.deepEqual(lint(cfk()).map((d) => d.code), []);
  });

  it('pod-template-envelope and component-pod-template-envelope remove the envelope', () => {
    const p = cfk();
    p.spec.clusterSpec.podTemplate = { apiVersion: 'v1', kind: 'Pod', metadata: { labels: { team: 'a' } } };
    p.spec.clusterSpec.jobManager.podTemplate = { kind: 'Pod', spec: { nodeSelector: { pool: 'flink' } } };
    assert.deepEqual(clusterSpec(only(checkFixes(p, 'pod-template-envelope'))).podTemplate, { metadata: { labels: { team: 'a' } } });
    assert.deepEqual(clusterSpec(only(checkFixes(p, 'component-pod-template-envelope'))).jobManager.podTemplate, { spec: { nodeSelector: { pool: 'flink' } } });
  });

  it('resource-memory-missing sets the memory', () => {
    const p = cfk();
    delete p.spec.clusterSpec.taskManager.resource.memory;
    assert.equal(clusterSpec(only(checkFixes(p, 'resource-memory-missing'))).taskManager.resource.memory, '1024m');
  });

  it('insert-needs-checkpointing and stateless-stop-resume add what is missing to flinkConfiguration', () => {
    const p = cfk();
    delete p.spec.clusterSpec.flinkConfiguration['execution.checkpointing.interval'];
    assert.equal(clusterSpec(only(checkFixes(p, 'insert-needs-checkpointing'))).flinkConfiguration['execution.checkpointing.interval'], '10 s');
    const q = cfk();
    delete q.spec.clusterSpec.flinkConfiguration['state.checkpoints.dir'];
    delete q.spec.clusterSpec.flinkConfiguration['state.savepoints.dir'];
    const fixed = clusterSpec(only(checkFixes(q, 'stateless-stop-resume'))).flinkConfiguration;
    assert.equal(fixed['state.checkpoints.dir'], 's3://your-bucket/shared-pool/checkpoints');
    assert.equal(fixed['state.savepoints.dir'], 's3://your-bucket/shared-pool/savepoints');
  });

  it('image-too-old, image-flink-version-mismatch and flink-version-unsupported change the image and flinkVersion', () => {
    const p = cfk();
    p.spec.clusterSpec.image = 'confluentinc/cp-flink-sql:1.19-cp5';
    assert.equal(clusterSpec(only(checkFixes(p, 'image-too-old'))).image, 'confluentinc/cp-flink-sql:1.19-cp11');
    const q = cfk();
    q.spec.clusterSpec.flinkVersion = 'v2_3';
    const mismatch = checkFixes(q, 'image-flink-version-mismatch', { minFixes: 2 });
    assert.equal(clusterSpec(mismatch.results.get(mismatch.titles[0]!)!).image, 'confluentinc/cp-flink-sql:2.3-cmf2.5-cp1');
    const r = cfk();
    r.spec.clusterSpec.flinkVersion = 'v2_1';
    const unsupported = checkFixes(r, 'flink-version-unsupported', { minFixes: 2 });
    assert.deepEqual(clusterSpec(unsupported.results.get(unsupported.titles[0]!)!).flinkVersion, 'v1_19');
  });
});

describe('quick fixes: schema and name', () => {
  it('schema/additionalProperties: replace with the closest property (preferred) or remove', () => {
    const p = dedicatedPool();
    p.spec.clusterSpec.jobManager.replica = 1;
    const c = checkFixes(p, 'schema/additionalProperties', { minFixes: 2 });
    assert.deepEqual(c.titles, ['Replace "replica" with "replicas"', 'Remove "replica"']);
  });

  it('schema/additionalProperties does not offer a name that is already there', () => {
    const p = dedicatedPool();
    p.spec.clusterSpec.jobManager.replica = 1;
    p.spec.clusterSpec.jobManager.replicas = 1;
    assert.deepEqual(checkFixes(p, 'schema/additionalProperties').titles, ['Remove "replica"']);
  });

  it('invalid-name renames the pool to the suggested name', () => {
    const p = sharedPool();
    p.metadata.name = 'Shared_Pool';
    const fixed = only(checkFixes(p, 'invalid-name'));
    assert.equal(valueIn(fixed, 'metadata', 'name'), 'shared-pool');
  });

  it('schema/enum: only the right case when that is the mistake, else each allowed value', () => {
    const p = dedicatedPool();
    p.spec.clusterSpec.imagePullPolicy = 'always';
    assert.deepEqual(checkFixes(p, 'schema/enum').titles, ['Set spec.clusterSpec.imagePullPolicy to "Always"']);
    p.spec.clusterSpec.imagePullPolicy = 'sometimes';
    assert.equal(checkFixes(p, 'schema/enum', { minFixes: 3 }).titles.length, 3);
  });
});

describe('quick fixes: robustness', () => {
  it('keeps CRLF line ends', () => {
    const p = dedicatedPool();
    p.spec.state = 'RUNNING';
    delete p.spec.clusterSpec.image;
    const text = layout(p, 2, '\r\n');
    for (const code of ['state-on-dedicated', 'image-missing']) {
      const d = lint(text).find((x) => x.code === code)!;
      const fixed = apply(text, actionsFor(text, d)[0]!);
      assert.doesNotMatch(fixed.replace(/\r\n/g, ''), /\n/, code);
      assert.equal(fixed, layout(JSON.parse(fixed), 2, '\r\n'), code);
    }
  });

  it('ignores diagnostics of other sources and fixes whose target is gone', () => {
    const p = dedicatedPool();
    p.spec.clusterSpec.serviceAccount = 'x';
    const text = layout(p, 2);
    const d = lint(text).find((x) => x.code === 'forbidden-field')!;
    assert.deepEqual(actionsFor(text, { ...d, source: 'json' } as unknown as PoolDiagnostic), []);
    const clean = layout(dedicatedPool(), 2);
    assert.deepEqual(actionsFor(clean, d), []);
    assert.deepEqual(actionsFor(clean, { ...d, data: { path: 'nonsense' } }), []);
    assert.deepEqual(actionsFor(clean, { ...d, data: undefined }), []);
  });

  it('never throws on values String() cannot print (an own toString; jsonc-parser\'s prototype-free objects)', () => {
    const p = dedicatedPool();
    p.spec.clusterSpec.imagePullPolicy = { toString: 1 };
    p.spec.clusterSpec.flinkConfiguration['execution.checkpointing.mode'] = { toString: 1 };
    for (const text of [layout(p, 2), layout(p, 2) + '// a comment: jsonc-parser reads this one\n']) {
      const diags = lint(text);
      assert.ok(diags.some((d) => d.code === 'schema/enum'));
      const actions = codeActions(parseText(text, URI, 'json', 1), diags);
      for (const a of actions.filter((x) => x.diagnostics![0]!.code === 'schema/enum')) JSON.parse(apply(text, a).replace(/\/\/.*\n$/, ''));
    }
  });

  it('every fixable code has a test here', () => {
    // The codes the issue lists, plus the extras; a new fix needs a case above.
    // Every code a rule module has a fix builder for.
    const cases = RULES.flatMap((rule) => Object.keys((rule as Rule).fixes ?? {}));
    assert.ok(cases.length >= 15, `${cases.length} fixable codes`);
    // Here, or in a test file of the rule's own that applies its fixes (codeActions) in the same layouts.
    const files = readdirSync(__dirname).filter((f) => f.endsWith('.test.ts')).map((f) => readFileSync(path.join(__dirname, f), 'utf8'));
    const tested = files.filter((t) => t === readFileSync(__filename, 'utf8') || (t.includes('codeActions(') && t.includes("'\\r\\n'"))).join('\n');
    for (const c of cases) assert.match(tested, new RegExp(`'${c}'`), c);
  });
});
