/** The Flink option catalogue: version mapping, key lookup (known / deprecated / templated / unknown) and the data. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  flinkDataLoaded,
  FLINK_DATA_VERSIONS,
  FLINK_DESCRIPTIONS_FILE,
  FLINK_KEY_PREFIXES,
  flinkDataSource,
  flinkOptionsFile,
  lookupKey,
  optionSetFor,
  suggestKeys,
  type FlinkDataVersion,
  type KeyLookup,
} from '../../language-service/src/flink/options';
import { editDistance } from '../../language-service/src/text';

const ROOT = join(__dirname, '../..');
const DATA_DIR = join(ROOT, 'language-service/data');
const V: Record<FlinkDataVersion, string> = { '1.19': 'v1_19', '1.20': 'v1_20', '2.0': 'v2_0' };

const show = (r: KeyLookup) => JSON.stringify(r, (k, v) => (k === 'option' ? v?.key : v));

describe('optionSetFor: clusterSpec.flinkVersion -> data version', () => {
  const cases: [unknown, FlinkDataVersion, string | undefined, boolean][] = [
    ['v1_19', '1.19', '1.19', true],
    ['v1_20', '1.20', '1.20', true],
    ['v2_0', '2.0', '2.0', true],
    ['v1_13', '1.19', '1.13', false],
    ['v1_15', '1.19', '1.15', false],
    ['v1_18', '1.19', '1.18', false],
    ['v2_1', '2.0', '2.1', false],
    ['v2_2', '2.0', '2.2', false],
    ['v2_3', '2.0', '2.3', false],
    ['v2_4', '2.0', '2.4', false],
    [undefined, '1.19', undefined, false],
    [null, '1.19', undefined, false],
    ['', '1.19', undefined, false],
    ['1.19', '1.19', undefined, false],
    ['v1.19', '1.19', undefined, false],
    ['V1_19', '1.19', undefined, false],
    ['v1_19 ', '1.19', undefined, false],
    ['v2_03', '1.19', undefined, false],
    [119, '1.19', undefined, false],
    [{ v: 'v2_0' }, '1.19', undefined, false],
  ];
  for (const [input, dataVersion, requested, exact] of cases) {
    it(`${JSON.stringify(input) ?? 'undefined'} -> ${dataVersion}${exact ? ' exact' : ''}`, () => {
      const set = optionSetFor(input);
      assert.equal(set.dataVersion, dataVersion);
      assert.equal(set.requested, requested);
      assert.equal(set.exact, exact);
    });
  }

  it('is cached: same set object for the same version, same options for versions sharing data', () => {
    assert.equal(optionSetFor('v2_3'), optionSetFor('v2_3'));
    assert.equal(optionSetFor('v1_19').options, optionSetFor('v1_15').options);
    assert.notEqual(optionSetFor('v1_19').options, optionSetFor('v2_0').options);
  });

  it('holds the version-specific options', () => {
    const v119 = optionSetFor('v1_19');
    const v120 = optionSetFor('v1_20');
    const v20 = optionSetFor('v2_0');
    assert.ok(v20.get('state.backend.forst.local-dir'), 'ForSt is a 2.0 state backend');
    assert.equal(v119.get('state.backend.forst.local-dir'), undefined);
    assert.ok(v120.get('execution.checkpointing.dir'), 'new in 1.20');
    assert.equal(v119.get('execution.checkpointing.dir'), undefined);
    assert.ok(v119.options.length >= 752 && v120.options.length >= 778 && v20.options.length >= 880);
  });
});

describe('option data', () => {
  const TYPES = ['String', 'Boolean', 'Integer', 'Long', 'Double', 'Float', 'Duration', 'MemorySize', 'Enum', 'List<String>', 'List<Enum>', 'Map', 'List<Map>'];

  it('is one small file per version and one of descriptions, each saying where it comes from', () => {
    const files = FLINK_DATA_VERSIONS.map(flinkOptionsFile);
    assert.deepEqual(readdirSync(DATA_DIR).sort(), [...files, FLINK_DESCRIPTIONS_FILE].sort());
    const commits: Record<FlinkDataVersion, string> = { '1.19': '93307bf1', '1.20': 'b1fe7b40', '2.0': '5f9eb876' };
    const descriptions = JSON.parse(readFileSync(join(DATA_DIR, FLINK_DESCRIPTIONS_FILE), 'utf8'));
    assert.ok(statSync(join(DATA_DIR, FLINK_DESCRIPTIONS_FILE)).size < 300 * 1024);
    for (const version of FLINK_DATA_VERSIONS) {
      const path = join(DATA_DIR, flinkOptionsFile(version));
      // Validation reads only this file: no descriptions in it.
      assert.ok(statSync(path).size < 128 * 1024, `${path}: ${statSync(path).size} bytes`);
      const raw = JSON.parse(readFileSync(path, 'utf8'));
      assert.equal(raw.dataVersion, version);
      assert.ok(raw.commit.startsWith(commits[version]) && raw.source.includes(commits[version]), `${version}: ${raw.source}`);
      assert.equal(raw.derivedFrom, 'reference/flink-config-options.json by scripts/derive-flink-options.mjs');
      assert.ok(raw.corrections.length > 0);
      assert.deepEqual(raw.descriptions, { file: FLINK_DESCRIPTIONS_FILE, digest: descriptions.digest });
      for (const o of raw.options) assert.ok(Number.isInteger(o.s) && o.s < descriptions.descriptions.length, o.k);
      assert.equal(optionSetFor(V[version]).source, raw.source);
    }
    for (const commit of Object.values(commits)) assert.ok(flinkDataSource().includes(commit), commit);
  });

  it('reads a version only when a pool needs it, and the descriptions only when one is shown', () => {
    // A fresh process: the module state of this one has long read everything.
    const script = `
      const o = require('./language-service/src/flink/options.ts');
      const steps = [['start', o.flinkDataLoaded()]];
      const set = o.optionSetFor('v1_20');
      steps.push(['optionSetFor v1_20', o.flinkDataLoaded()]);
      o.lookupKey(set, 'taskmanager.numberOfTaskSlots');
      o.lookupKey(set, 'restart-strategy');
      set.options.map((x) => x.type + x.default);
      steps.push(['known keys', o.flinkDataLoaded()]);
      o.lookupKey(set, 'state.backend.forst.local-dir');
      steps.push(['a key of another version', o.flinkDataLoaded()]);
      const d = set.get('taskmanager.numberOfTaskSlots').description;
      steps.push(['a description', o.flinkDataLoaded()]);
      console.log(JSON.stringify({ steps, d }));`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const { steps, d } = JSON.parse(r.stdout);
    assert.deepEqual(steps, [
      ['start', { versions: [], descriptions: false }],
      ['optionSetFor v1_20', { versions: ['1.20'], descriptions: false }],
      ['known keys', { versions: ['1.20'], descriptions: false }],
      ['a key of another version', { versions: FLINK_DATA_VERSIONS, descriptions: false }],
      ['a description', { versions: FLINK_DATA_VERSIONS, descriptions: true }],
    ]);
    assert.match(d, /number of parallel operator or user function instances that a single TaskManager can run/i);
  });

  it('refuses a descriptions file from another derivation run instead of showing the wrong text', () => {
    // The process sees a descriptions file whose digest is not the one the version file was derived with.
    const script = `
      const fs = require('node:fs');
      const read = fs.readFileSync;
      fs.readFileSync = function (path, ...rest) {
        const text = read.call(this, path, ...rest);
        if (!String(path).endsWith('${FLINK_DESCRIPTIONS_FILE}')) return text;
        return JSON.stringify({ ...JSON.parse(text), digest: '0000000000000000' });
      };
      const o = require('./language-service/src/flink/options.ts');
      const option = o.optionSetFor('v1_19').get('taskmanager.numberOfTaskSlots');
      try { console.log('read: ' + option.description); } catch (e) { console.log('threw: ' + e.message); }`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^threw: .*flink-options-1\.19\.json and flink-option-descriptions\.json come from different runs/);
  });

  for (const version of FLINK_DATA_VERSIONS) {
    it(`${version}: unique keys, known types, enums with values, descriptions, index targets exist`, () => {
      const set = optionSetFor(V[version]);
      const keys = set.options.map((o) => o.key);
      assert.equal(new Set(keys).size, keys.length, 'duplicate key');
      for (const o of set.options) {
        assert.ok(TYPES.includes(o.type), `${o.key}: ${o.type}`);
        // Flink's docs table has no description for the three zookeeper.sasl.* options.
        if (!o.key.startsWith('zookeeper.sasl.')) assert.ok(o.description.length > 0, `${o.key}: description`);
        if (o.type === 'Enum' || o.type === 'List<Enum>') assert.ok(o.possibleValues?.length, `${o.key}: possibleValues`);
        assert.ok(!o.deprecatedKeys?.includes(o.key), `${o.key} deprecates itself`);
        assert.equal(set.get(o.key), o);
      }
      for (const [oldKey, news] of Object.entries(set.deprecatedKeyIndex)) {
        assert.equal(set.get(oldKey), undefined, `${oldKey} is both live and deprecated`);
        for (const n of news) assert.ok(set.get(n), `${oldKey} -> ${n} missing`);
      }
    });

    it(`${version}: no prefix in FLINK_KEY_PREFIXES covers a documented key (typos there stay unknown)`, () => {
      const set = optionSetFor(V[version]);
      for (const { prefix } of FLINK_KEY_PREFIXES) {
        const clash = set.options.find((o) => o.key.startsWith(prefix));
        assert.equal(clash, undefined, `${prefix} covers ${clash?.key}`);
      }
    });
  }

  it('string defaults are unquoted; SQL Gateway REST keys carry their prefix', () => {
    const set = optionSetFor('v1_19');
    assert.equal(set.get('state.backend.type')?.default, 'hashmap');
    assert.equal(set.get('taskmanager.numberOfTaskSlots')?.default, '1');
    assert.equal(set.get('port'), undefined);
    assert.equal(set.get('sql-gateway.endpoint.rest.port')?.type, 'Integer');
  });

  it('restart-strategy.fixed-delay.delay is not marked deprecated (only a ConfigConstants copy is)', () => {
    for (const v of ['v1_19', 'v1_20', 'v2_0']) {
      assert.equal(lookupKey(optionSetFor(v), 'restart-strategy.fixed-delay.delay').kind, 'known', v);
    }
  });
});

describe('lookupKey: known', () => {
  const cases: [string, string, string][] = [
    ['v1_19', 'taskmanager.numberOfTaskSlots', 'Integer'],
    ['v1_19', 'execution.checkpointing.interval', 'Duration'],
    ['v1_19', 'high-availability.type', 'String'],
    ['v1_19', 'high-availability.storageDir', 'String'],
    ['v1_19', 'state.checkpoints.dir', 'String'],
    ['v1_19', 'state.backend.type', 'String'],
    ['v1_19', 'taskmanager.memory.process.size', 'MemorySize'],
    ['v1_19', 'execution.checkpointing.mode', 'Enum'],
    ['v1_19', 'pekko.ask.timeout', 'Duration'],
    ['v1_19', 'table.exec.state.ttl', 'Duration'],
    ['v1_19', 'metrics.reporters', 'String'],
    ['v1_19', 'state.backend.rocksdb.compression.per.level', 'List<Enum>'],
    ['v1_19', 'taskmanager.network.retries', 'Integer'],
    ['v1_20', 'execution.checkpointing.dir', 'String'],
    ['v2_0', 'execution.checkpointing.savepoint-dir', 'String'],
    ['v2_0', 'state.backend.forst.local-dir', 'String'],
    ['v2_3', 'taskmanager.numberOfTaskSlots', 'Integer'],
  ];
  for (const [version, key, type] of cases) {
    it(`${version} ${key}`, () => {
      const r = lookupKey(optionSetFor(version), key);
      assert.equal(r.kind, 'known', show(r));
      if (r.kind === 'known') {
        assert.equal(r.option.key, key);
        assert.equal(r.option.type, type);
      }
    });
  }
});

describe('lookupKey: deprecated', () => {
  const cases: [string, string, string][] = [
    ['v1_19', 'akka.ask.timeout', 'pekko.ask.timeout'],
    ['v1_19', 'akka.framesize', 'pekko.framesize'],
    ['v1_19', 'state.backend', 'state.backend.type'],
    ['v1_20', 'state.backend', 'state.backend.type'],
    ['v2_0', 'state.backend', 'state.backend.type'],
    ['v1_19', 'high-availability', 'high-availability.type'],
    ['v1_19', 'kubernetes.jobmanager.cpu', 'kubernetes.jobmanager.cpu.amount'],
    ['v1_19', 'restart-strategy', 'restart-strategy.type'],
    ['v2_0', 'restart-strategy', 'restart-strategy.type'],
    ['v1_20', 'state.checkpoints.dir', 'execution.checkpointing.dir'],
    ['v2_0', 'state.savepoints.dir', 'execution.checkpointing.savepoint-dir'],
    ['v2_3', 'state.backend.incremental', 'execution.checkpointing.incremental'],
    ['v2_0', 'web.address', 'rest.bind-address'],
  ];
  for (const [version, key, replacement] of cases) {
    it(`${version} ${key} -> ${replacement}`, () => {
      const set = optionSetFor(version);
      const r = lookupKey(set, key);
      assert.equal(r.kind, 'deprecated', show(r));
      if (r.kind === 'deprecated') {
        assert.equal(r.replacement, replacement);
        assert.equal(r.option, set.get(replacement));
      }
    });
  }

  it('an old key split into two new ones names both', () => {
    const r = lookupKey(optionSetFor('v2_0'), 'state.backend.local-recovery');
    assert.equal(r.kind, 'deprecated', show(r));
    if (r.kind === 'deprecated') {
      assert.deepEqual(r.replacements, ['execution.checkpointing.local-backup.enabled', 'execution.state-recovery.from-local']);
      assert.equal(r.replacement, 'execution.checkpointing.local-backup.enabled');
    }
  });

  it('state.checkpoints.dir is still the key in 1.19', () => {
    assert.equal(lookupKey(optionSetFor('v1_19'), 'state.checkpoints.dir').kind, 'known');
  });
});

describe('lookupKey: templated and plugin prefixes', () => {
  const cases: [string, string, string, string?][] = [
    // [version, key, pattern, option type when the pattern is a documented option]
    ['v1_19', 'metrics.reporter.prom.factory.class', 'metrics.reporter.<name>.factory.class', 'String'],
    ['v1_19', 'metrics.reporter.prom.interval', 'metrics.reporter.<name>.interval', 'Duration'],
    ['v1_19', 'metrics.reporter.prom.port', 'metrics.reporter.<name>.<parameter>', 'String'],
    ['v1_19', 'metrics.reporter.otel.exporter.endpoint', 'metrics.reporter.<name>.<parameter>', 'String'],
    ['v1_19', 'traces.reporter.otel.factory.class', 'traces.reporter.<name>.factory.class', 'String'],
    ['v1_19', 'external-resource.gpu.amount', 'external-resource.<resource_name>.amount', 'Long'],
    ['v1_19', 'external-resource.gpu.param.discovery-script.path', 'external-resource.<resource_name>.param.<param>', 'String'],
    ['v1_19', 'security.delegation.token.provider.hadoopfs.enabled', 'security.delegation.token.provider.<serviceName>.enabled', 'Boolean'],
    ['v1_19', 'security.delegation.token.provider.s3-hadoop.region', 'security.delegation.token.provider.<serviceName>.<parameter>', 'String'],
    ['v1_19', 'flink.hadoop.dfs.replication', 'flink.hadoop.<key>', 'String'],
    ['v1_19', 'flink.yarn.resourcemanager.am.max-attempts', 'flink.yarn.<key>', 'String'],
    ['v1_19', 'fs.s3.limit.total', 'fs.<scheme>.limit.total', 'Integer'],
    ['v1_19', 'fs.s3.limit.timeout', 'fs.<scheme>.limit.timeout', 'Long'],
    ['v2_0', 'partition.fields.dt.date-formatter', 'partition.fields.#.date-formatter', 'String'],
    ['v1_19', 's3.access-key', 's3.*'],
    ['v1_19', 's3.endpoint', 's3.*'],
    ['v1_19', 's3a.connection.maximum', 's3a.*'],
    ['v1_19', 'fs.s3a.connection.maximum', 'fs.s3a.*'],
    ['v1_19', 'presto.s3.max-connections', 'presto.s3.*'],
    ['v1_19', 'fs.azure.account.key.acct.blob.core.windows.net', 'fs.azure.*'],
    ['v1_19', 'gs.writer.temporary.bucket.name', 'gs.*'],
    ['v1_19', 'fs.gs.project.id', 'fs.gs.*'],
    ['v1_19', 'fs.oss.endpoint', 'fs.oss.*'],
    ['v1_19', 'containerized.master.env.KAFKA_BOOTSTRAP', 'containerized.master.env.*'],
    ['v1_19', 'containerized.taskmanager.env.TZ', 'containerized.taskmanager.env.*'],
    ['v1_19', 'kubernetes.operator.periodic.savepoint.interval', 'kubernetes.operator.*'],
    ['v2_3', 'kubernetes.operator.job.restart.failed', 'kubernetes.operator.*'],
    ['v1_19', 'job.autoscaler.enabled', 'job.autoscaler.*'],
  ];
  for (const [version, key, pattern, type] of cases) {
    it(`${version} ${key} ~ ${pattern}`, () => {
      const r = lookupKey(optionSetFor(version), key);
      assert.equal(r.kind, 'templated', show(r));
      if (r.kind === 'templated') {
        assert.equal(r.pattern, pattern);
        assert.equal(r.option?.type, type);
        if (!type) assert.ok(r.reason && r.reason.length > 10, 'prefixes say why');
      }
    });
  }

  const notTemplated: [string, string][] = [
    ['v1_19', 'metrics.reporter.prom'],
    ['v1_19', 'metrics.reporter..factory.class'],
    ['v1_19', 's3.'],
    ['v1_19', 's3'],
    ['v1_19', 'containerized.master.env'],
    ['v1_19', 'kubernetes.operator'],
    ['v1_19', 'external-resource.gpu.amout'],
    ['v1_19', 'external-resource.gpu.driver'],
    ['v1_19', 'metrics.reporter.prom.factory.clas'],
    ['v1_19', 'metrics.reporter.prom.intervall'],
    ['v1_19', 'metrics.reporter.influxdb.hots'],
    ['v1_19', 'table.exec.made-up'],
    ['v1_19', 'state.backend.typo'],
    ['v1_19', 'oss.endpoint'],
    ['v1_19', 's3p.endpoint'],
  ];
  for (const [version, key] of notTemplated) {
    it(`${version} ${key} is unknown`, () => {
      const r = lookupKey(optionSetFor(version), key);
      assert.equal(r.kind, 'unknown', show(r));
    });
  }
});

describe('lookupKey: unknown, with suggestions', () => {
  const cases: [string, string, string[]][] = [
    // [version, key, exact suggestions]
    ['v1_19', 'taskmanager.numberOfTaskSlot', ['taskmanager.numberOfTaskSlots']],
    ['v1_19', 'taskmanager.numberOfTaskslots', ['taskmanager.numberOfTaskSlots']],
    ['v1_19', 'Taskmanager.numberOfTaskSlots', ['taskmanager.numberOfTaskSlots']],
    ['v1_19', 'taskmanager.numberOfTaksSlots', ['taskmanager.numberOfTaskSlots']],
    ['v1_19', 'numberOfTaskSlots', ['taskmanager.numberOfTaskSlots']],
    ['v1_19', 'state.backend.typo', ['state.backend.type']],
    ['v1_19', 'execution.checkpoint.interval', ['execution.checkpointing.interval']],
    ['v1_19', 'execution.checkpointing.intervall', ['execution.checkpointing.interval']],
    ['v1_19', 'jobmanager.memory.process.sise', ['jobmanager.memory.process.size']],
    ['v1_19', 'high-availability.storagedir', ['high-availability.storageDir']],
    ['v1_19', 'high-availability.typ', ['high-availability.type']],
    ['v1_19', 'table.exec.state.tl', ['table.exec.state.ttl']],
    ['v1_19', 'external-resource.gpu.amout', ['external-resource.gpu.amount']],
    ['v1_19', 'metrics.reporter.prom.factory.clas', ['metrics.reporter.prom.factory.class']],
    ['v1_19', 'metrics.reporter.influxdb.hots', ['metrics.reporter.influxdb.host']],
    ['v1_19', 'process.size', ['jobmanager.memory.process.size', 'taskmanager.memory.process.size']],
    ['v1_19', 'totally.made.up.key', []],
    ['v1_19', 'foo', []],
    ['v1_19', '', []],
    ['v1_19', 'oss.endpoint', []],
    ['v2_0', 'execution.checkpointing.dirr', ['execution.checkpointing.dir']],
  ];
  for (const [version, key, suggestions] of cases) {
    it(`${version} ${JSON.stringify(key)} -> ${JSON.stringify(suggestions)}`, () => {
      const r = lookupKey(optionSetFor(version), key);
      assert.equal(r.kind, 'unknown', show(r));
      if (r.kind === 'unknown') assert.deepEqual(r.suggestions, suggestions);
    });
  }

  it('never suggests a deprecated key', () => {
    // 'state.backen' is 1 edit from the deprecated 'state.backend': it must not be offered.
    const set = optionSetFor('v1_20');
    for (const key of ['state.backen', 'state.checkpoints.dirr', 'akka.ask.timeou', 'high-availabilty']) {
      const r = lookupKey(set, key);
      assert.equal(r.kind, 'unknown', show(r));
      if (r.kind === 'unknown') {
        for (const s of r.suggestions) {
          assert.ok(!(s in set.deprecatedKeyIndex), `${key}: suggested deprecated ${s}`);
          assert.equal(lookupKey(set, s).kind, 'known', s);
        }
      }
    }
  });

  it('says in which other versions an unknown key exists', () => {
    const r = lookupKey(optionSetFor('v1_19'), 'execution.checkpointing.dir');
    assert.equal(r.kind, 'unknown', show(r));
    if (r.kind === 'unknown') assert.deepEqual(r.knownIn, ['1.20', '2.0']);
    const f = lookupKey(optionSetFor('v1_20'), 'state.backend.forst.local-dir');
    assert.ok(f.kind === 'unknown' && f.knownIn?.join() === '2.0', show(f));
  });

  it('a one-character deletion from any documented key is unknown and suggests the key', () => {
    for (const version of ['v1_19', 'v2_0']) {
      const set = optionSetFor(version);
      for (const o of set.options) {
        if (/[<#]/.test(o.key) || o.deprecated || o.key.length < 8) continue;
        const pos = Math.floor(o.key.length / 2);
        const typo = o.key.slice(0, pos) + o.key.slice(pos + 1);
        const r = lookupKey(set, typo);
        if (r.kind === 'known') continue; // the deletion produced another real key
        assert.equal(r.kind === 'unknown' || r.kind === 'templated', true, `${typo}: ${show(r)}`);
        if (r.kind === 'unknown') assert.ok(r.suggestions.includes(o.key), `${typo}: ${show(r)}`);
      }
    }
  });

  /** What suggestions were before they had an index: every candidate compared with the key (the reference). */
  function suggestByComparingAll(version: string, key: string, strict?: number): string[] {
    const set = optionSetFor(version);
    const templated = (k: string) => /<[^<>]+>|(^|\.)#(\.|$)/.test(k);
    const lower = key.toLowerCase();
    const parts = lower.split('.');
    const userParts = key.split('.');
    const max = strict ?? Math.min(3, Math.max(1, Math.floor(lower.length * 0.15)));
    const candidates = set.options.filter((o) => !o.deprecated && !templated(o.key)).map((o) => o.key);
    for (const o of set.options) {
      if (!templated(o.key)) continue;
      const segs = o.key.split('.');
      const placeholder = (p: string) => /^(?:<[^<>]+>|#)$/.test(p);
      const rest = segs.length > 1 && placeholder(segs[segs.length - 1]!) && segs[segs.length - 1] !== '#';
      if (rest || segs.length !== userParts.length) continue;
      candidates.push(segs.map((p, i) => (placeholder(p) ? userParts[i] : p)).join('.'));
    }
    const scored = new Map<string, number>();
    const consider = (c: string, score: number) => {
      const prev = scored.get(c);
      if (prev === undefined || score < prev) scored.set(c, score);
    };
    for (const candidate of candidates) {
      if (candidate === key) continue;
      const c = candidate.toLowerCase();
      const d = editDistance(lower, c, max);
      if (d <= max) consider(candidate, d);
      if (strict === undefined && lower.length >= 8) {
        const cParts = c.split('.');
        if (cParts.length > parts.length && editDistance(lower, cParts.slice(cParts.length - parts.length).join('.'), 1) <= 1) consider(candidate, editDistance(lower, cParts.slice(cParts.length - parts.length).join('.'), 1) + 0.5);
      }
    }
    if (scored.size === 0) return [];
    const best = Math.min(...scored.values());
    return [...scored]
      .filter(([, s]) => s <= best + 1)
      .sort(([a, sa], [b, sb]) => sa - sb || a.length - b.length || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, 3)
      .map(([k]) => k);
  }

  it('the index finds what comparing the key with every option finds (near misses, forgotten prefixes, any text)', () => {
    const keys = optionSetFor('v1_20').options.map((o) => o.key);
    const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_<>#0123456789';
    // A real key with up to 4 random edits (a character inserted, deleted, replaced, or two swapped), maybe
    // without its first segments.
    const nearMiss = fc
      .tuple(
        fc.constantFrom(...keys),
        fc.array(fc.tuple(fc.nat(3), fc.nat(200), fc.nat(chars.length - 1)), { maxLength: 4 }),
        fc.nat(3),
        fc.boolean(),
      )
      .map(([key, edits, dropSegments, upper]) => {
        let k = key.split('.').slice(Math.min(dropSegments, key.split('.').length - 1)).join('.');
        for (const [op, at, c] of edits) {
          const i = at % (k.length + 1);
          if (op === 0) k = k.slice(0, i) + chars[c] + k.slice(i);
          else if (op === 1) k = k.slice(0, i) + k.slice(i + 1);
          else if (op === 2) k = k.slice(0, i) + chars[c] + k.slice(i + 1);
          else if (i + 1 < k.length) k = k.slice(0, i) + k[i + 1] + k[i] + k.slice(i + 2);
        }
        return upper ? k.toUpperCase() : k;
      });
    for (const version of ['v1_19', 'v1_20', 'v2_0']) {
      fc.assert(
        fc.property(fc.oneof(nearMiss, fc.string({ maxLength: 40 })), fc.constantFrom(undefined, 1), (key, strict) => {
          assert.deepEqual(suggestKeys(optionSetFor(version), key, strict), suggestByComparingAll(version, key, strict), key);
        }),
        { numRuns: 1500, seed: 14 },
      );
    }
  });

  it('suggestions are at most 3, real, non-deprecated keys, for any input', () => {
    const set = optionSetFor('v2_0');
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (key) => {
        const r = lookupKey(set, key);
        if (r.kind !== 'unknown') return;
        assert.ok(r.suggestions.length <= 3);
        for (const s of r.suggestions) assert.ok(!(s in set.deprecatedKeyIndex) && !set.get(s)?.deprecated, s);
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});

describe('editDistance', () => {
  const cases: [string, string, number][] = [
    ['', '', 0],
    ['abc', 'abc', 0],
    ['abc', 'ab', 1],
    ['abc', 'acb', 1],
    ['kitten', 'sitting', 3],
    ['type', 'typo', 1],
  ];
  for (const [a, b, d] of cases) it(`${a} / ${b} = ${d}`, () => assert.equal(editDistance(a, b), d));
  it('gives up above max', () => assert.equal(editDistance('aaaaaaaa', 'bbbbbbbb', 2), 3));
});

describe('the option data loads lazily, per Flink version', () => {
  /** Runs `code` in a fresh process with the engine's sources; returns what it printed as JSON. */
  function fresh(code: string): unknown {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { cwd: join(__dirname, '../..'), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout);
  }
  const loaded = "const { flinkDataLoaded } = require('./language-service/src/flink/options'); process.stdout.write(JSON.stringify(flinkDataLoaded()));";

  it('nothing is read before a pool needs it; a 1.19 pool reads the 1.19 file only, and no descriptions', () => {
    assert.deepEqual(fresh(loaded), { versions: [], descriptions: false });
    const lint1_19 = "const { lint } = require('./language-service/src/index'); lint(require('fs').readFileSync('examples/shared.pool.json', 'utf8'));";
    assert.deepEqual(fresh(lint1_19 + loaded), { versions: ['1.19'], descriptions: false });
  });

  it('in this process too: asking for a version reads its file', () => {
    optionSetFor('v1_20').get('taskmanager.numberOfTaskSlots');
    assert.ok(flinkDataLoaded().versions.includes('1.20'));
  });

  it('hover on a Flink key reads the descriptions', () => {
    const hover =
      "const { TextDocument } = require('vscode-languageserver-textdocument'); const { parse, hover } = require('./language-service/src/index');" +
      "const text = require('fs').readFileSync('examples/shared.pool.json', 'utf8'); const doc = TextDocument.create('file:///x.json', 'json', 1, text);" +
      "hover(parse(doc), doc.positionAt(text.indexOf('taskmanager.numberOfTaskSlots') + 2));";
    assert.deepEqual(fresh(hover + loaded), { versions: ['1.19'], descriptions: true });
  });
});
