/** Hover on the language service: `|` in the text marks the cursor. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ResolvedSettings, hover, normalizeSettings, parse, poolText } from '../../language-service/src/index';
import { validateText } from '../engine';
import { cfkSharedPool, dedicatedPool, sharedPool, text as layout, type Pool } from '../pools';

function hoverAt(src: string, settings: Record<string, unknown> = {}) {
  const offset = src.indexOf('|');
  const text = src.slice(0, offset) + src.slice(offset + 1);
  const doc = TextDocument.create('file:///work/pools/h.pool.json', 'json', 1, text);
  const h = hover(parse(doc), doc.positionAt(offset), { settings: new ResolvedSettings(normalizeSettings(settings)) });
  if (!h) return { value: '', covered: '' };
  const value = (h.contents as { value: string }).value;
  const covered = h.range ? text.slice(doc.offsetAt(h.range.start), doc.offsetAt(h.range.end)) : '';
  return { value, covered };
}

/** The pool's text with `|` put `offset` characters into the first occurrence of `needle`. */
function cursor(pool: Pool, needle: string, offset = 1): string {
  const t = layout(pool);
  const i = t.indexOf(needle);
  assert.ok(i >= 0, needle);
  return t.slice(0, i + offset) + '|' + t.slice(i + offset);
}

describe('hover', () => {
  it('a property: its schema description, on the key', () => {
    const h = hoverAt(cursor(dedicatedPool(), '"flinkVersion"'));
    assert.equal(h.covered, '"flinkVersion"');
    assert.match(h.value, /^\*\*flinkVersion\*\*/);
    assert.match(h.value, /v<major>_<minor>/);
  });

  it('an enum value: the property and what that value means', () => {
    const h = hoverAt(cursor(sharedPool(), '"SHARED"'));
    assert.equal(h.covered, '"SHARED"');
    assert.match(h.value, /`"SHARED"`: One long-lived session cluster/);
  });

  it('a Flink option key: type, default, description and a link to the Flink docs for the version', () => {
    const h = hoverAt(cursor(sharedPool(), '"taskmanager.numberOfTaskSlots"'));
    assert.equal(h.covered, '"taskmanager.numberOfTaskSlots"');
    assert.match(h.value, /\*\*`taskmanager.numberOfTaskSlots`\*\* \(Flink option\)/);
    assert.match(h.value, /`Integer` · default `1`/);
    assert.match(h.value, /number of parallel operator or user function instances/);
    assert.match(h.value, /\(https:\/\/nightlies\.apache\.org\/flink\/flink-docs-release-1\.19\/docs\/deployment\/config\/\)/);
    const p = sharedPool();
    p.spec.clusterSpec.flinkVersion = 'v2_3';
    p.spec.clusterSpec.image = 'confluentinc/cp-flink-sql:2.3-cmf2.5-cp1';
    assert.match(hoverAt(cursor(p, '"taskmanager.numberOfTaskSlots"')).value, /flink-docs-release-2\.0/);
  });

  it('a Flink option value shows the option too', () => {
    const h = hoverAt(cursor(sharedPool(), '"10s"'));
    assert.equal(h.covered, '"10s"');
    assert.match(h.value, /execution\.checkpointing\.interval/);
  });

  it('a deprecated Flink key: its replacement', () => {
    const p = dedicatedPool();
    p.spec.clusterSpec.flinkConfiguration['state.backend'] = 'rocksdb';
    const h = hoverAt(cursor(p, '"state.backend"'));
    assert.match(h.value, /\*\*Deprecated\*\* in Flink 1\.19\. Use `state\.backend\.type` instead\./);
    assert.match(h.value, /Warning `flink-config-deprecated-key`/);
    assert.match(h.value, /Quick fix: \*Rename to "state\.backend\.type"\*/);
  });

  it('a nested Flink key is read flattened; a group says so', () => {
    const p = dedicatedPool();
    p.spec.clusterSpec.flinkConfiguration = { taskmanager: { numberOfTaskSlots: '4' } };
    assert.match(hoverAt(cursor(p, '"numberOfTaskSlots"')).value, /`taskmanager\.numberOfTaskSlots`/);
    assert.match(hoverAt(cursor(p, '"taskmanager"')).value, /a group of Flink options, read as `taskmanager\.\*`/);
  });

  it('a value with a diagnostic: what the rule means, the message, the quick fixes and a CMF link', () => {
    const p = sharedPool();
    p.spec.clusterSpec.image = 'confluentinc/cp-flink-sql:1.19-cp5';
    const h = hoverAt(cursor(p, '"confluentinc/cp-flink-sql:1.19-cp5"', 5));
    assert.match(h.value, /\*\*Error `image-too-old`\*\*: The cp-flink-sql build is older than the floor of the pool's CMF version/);
    assert.match(h.value, /statements fail while their plan loads .* Use confluentinc\/cp-flink-sql:1\.19-cp11\./);
    // The evidence behind the rule: the documentation and the field disagree for dedicated pools; the OpenAPI examples.
    assert.match(h.value, /names the cp7 floor for \*\*shared\*\* pools only/);
    assert.match(h.value, /OpenAPI examples \(`1\.19-cp5`\) get it too/);
    assert.match(h.value, /Quick fix: \*Use confluentinc\/cp-flink-sql:1\.19-cp11\*/);
    assert.match(h.value, /\[CMF: compute pools\]\(https:\/\/docs\.confluent\.io\/platform\/current\/flink\/configure\/compute-pools\.html\)/);
  });

  it('a plain-text secret: the hover shows the pod template\'s secretKeyRef way, and never the value', () => {
    const p = dedicatedPool();
    p.spec.clusterSpec.flinkConfiguration['s3.secret-key'] = 'sEcReT-value';
    const h = hoverAt(cursor(p, '"s3.secret-key"'));
    assert.match(h.value, /\*\*Warning `flink-config-secret`\*\*/);
    assert.match(h.value, /"valueFrom":\{"secretKeyRef":\{"name":"s3-credentials","key":"secret-key"\}\}/);
    assert.match(h.value, /flink-main-container/);
    assert.doesNotMatch(h.value, /sEcReT-value/);
  });

  it('image-too-old and pod-template-envelope say where their evidence comes from', () => {
    const p = dedicatedPool();
    p.spec.clusterSpec.podTemplate = { apiVersion: 'v1' };
    const h = hoverAt(cursor(p, '"apiVersion": "v1"', 2));
    assert.match(h.value, /Error `pod-template-envelope`/);
    assert.match(h.value, /known from deployments, not from CMF's documentation/);
    assert.match(h.value, /Quick fix: \*Remove apiVersion from clusterSpec\.podTemplate\*/);
  });

  it('a Flink value with a diagnostic links to Flink\'s docs', () => {
    const p = dedicatedPool();
    p.spec.clusterSpec.flinkConfiguration['execution.checkpointing.interval'] = '10 seconds please';
    const h = hoverAt(cursor(p, '"10 seconds please"'));
    assert.match(h.value, /Error `flink-config-invalid-value`/);
    assert.match(h.value, /\[Flink configuration\]\(https:\/\/nightlies/);
  });

  it('a rule turned off in the settings is not explained', () => {
    const p = sharedPool();
    p.spec.clusterSpec.image = 'confluentinc/cp-flink-sql:1.19-cp5';
    const h = hoverAt(cursor(p, '"confluentinc/cp-flink-sql:1.19-cp5"', 5), { rules: { 'image-too-old': 'off' } });
    assert.doesNotMatch(h.value, /image-too-old/);
    assert.match(h.value, /\*\*image\*\*/);
  });

  it('Flink descriptions are escaped for markdown', () => {
    const p = dedicatedPool();
    p.spec.clusterSpec.flinkConfiguration['env.pid.dir'] = '/tmp';
    const h = hoverAt(cursor(p, '"env.pid.dir"'));
    assert.match(h.value, /flink-\\<host\\>-\\<process\\>\.pid/);
  });

  it('nothing between tokens, nothing in a document too deep, and no throw at any offset of a broken pool', () => {
    assert.equal(hoverAt('{ "kind": "ComputePool",   |  "spec": {} }').value, '');
    assert.equal(hoverAt('['.repeat(300) + '|' + ']'.repeat(300)).value, '');
    const t = layout(sharedPool()).slice(0, 400) + '\n"x": [1, {"y": ';
    for (let i = 0; i <= t.length; i += 2) hoverAt(t.slice(0, i) + '|' + t.slice(i));
  });
});

describe('hover in YAML on the rules from the field, in a ComputePool and a CFK FlinkComputePool', () => {
  /** Every rule of issue 12 triggered in one pool. */
  const field = (p: Pool): Pool => {
    const c = p.spec.clusterSpec;
    c.image = 'confluentinc/cp-flink-sql:1.19-cp5';
    c.podTemplate = { apiVersion: 'v1', spec: {} };
    c.taskManager.podTemplate = { kind: 'Pod' };
    delete c.jobManager.resource.memory;
    c.flinkConfiguration = { 's3.secret-key': 'sEcReT-value' };
    return p;
  };
  const RULES = ['image-too-old', 'pod-template-envelope', 'component-pod-template-envelope', 'resource-memory-missing', 'insert-needs-checkpointing', 'stateless-stop-resume', 'flink-config-secret'];

  for (const [what, pool] of [['ComputePool', () => field(dedicatedPool())], ['FlinkComputePool', () => field(cfkSharedPool())]] as const) {
    it(`${what}: at each diagnostic, the hover names its rule, says what it asks, and never repeats the secret`, () => {
      const text = `# hover in YAML\n${poolText(pool(), 'yaml')}`;
      const doc = TextDocument.create('file:///work/pools/h.pool.yaml', 'yaml', 1, text);
      const settings = new ResolvedSettings(normalizeSettings({}));
      const diags = validateText(text, { uri: doc.uri, languageId: 'yaml', settings });
      for (const code of RULES) {
        const d = diags.find((x) => x.code === code);
        assert.ok(d, `${code} in ${JSON.stringify(diags.map((x) => x.code))}`);
        // The cursor one character into what the diagnostic covers.
        const at = { line: d.range.start.line, character: d.range.start.character + 1 };
        const h = hover(parse(doc), at, { settings });
        const value = (h?.contents as { value: string } | undefined)?.value ?? '';
        assert.match(value, new RegExp(`\`${code}\``), `${code}: the hover names the rule\n${value}`);
        assert.ok(value.includes(d.message), `${code}: the hover shows the diagnostic's message`);
        assert.doesNotMatch(value, /sEcReT-value/);
        if (code === 'flink-config-secret') assert.match(value, /secretKeyRef/);
      }
    });
  }
});
