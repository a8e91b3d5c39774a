/**
 * schemas/compute-pool.schema.json: compiles in ajv strict mode, accepts CMF's own examples, rejects what it must,
 * leaves CMF's rules to the rule engine, and documents every hand-written property for pool authors.
 * Runs from the fixtures in test/fixtures; that definitions.podTemplate and the OpenAPI fixtures are what the derive
 * scripts make from reference/ is checked by data.test.ts. The CMF documentation page, which is not in the
 * repository, is only used when present beside it, to check the documentation fixtures.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { VSCODE_KEYWORDS } from '../../language-service/src/schema';

type Json = Record<string, any>;

const ROOT = resolve(__dirname, '../..');
const SCHEMA_PATH = join(ROOT, 'schemas/compute-pool.schema.json');
const FIXTURES = join(ROOT, 'test/fixtures');
/** Notes collected beside the repository (../shared/reference): the CMF documentation page the doc fixtures copy. */
const SHARED_REFERENCE = resolve(ROOT, '../shared/reference');

/** Non-standard keywords VS Code understands; the only ones the schema may use besides draft-07's. */
const EDITOR_KEYWORDS = VSCODE_KEYWORDS;

const readJson = (path: string): any => JSON.parse(readFileSync(path, 'utf8'));
const schema: Json = readJson(SCHEMA_PATH);

function newAjv(registerKeywords = true): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true });
  if (registerKeywords) for (const keyword of EDITOR_KEYWORDS) ajv.addKeyword({ keyword });
  return ajv;
}

const ajv = newAjv();
ajv.addSchema(schema);
const validate = ajv.getSchema(schema.$id) as ValidateFunction;

/** The errors of validating `value`, as [instancePath, keyword, detail] triples (empty when valid). */
function errors(value: unknown): [string, string, string][] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e: ErrorObject) => [e.instancePath, e.keyword, JSON.stringify(e.params)]);
}

function assertValid(value: unknown, what: string): void {
  assert.deepEqual(errors(value), [], `${what} should validate`);
}

const docPool = (name: 'dedicated' | 'shared'): Json => readJson(join(FIXTURES, `docs/${name}.pool.json`));

/** JSON pointer of a path (RFC 6901). */
const pointer = (segments: (string | number)[]): string =>
  segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');

/** Visits every subschema with its path from the root. */
function walk(node: unknown, path: (string | number)[], visit: (node: Json, path: (string | number)[]) => void): void {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
  const n = node as Json;
  visit(n, path);
  for (const key of ['properties', 'patternProperties', 'definitions', 'dependencies']) {
    if (n[key] && typeof n[key] === 'object') for (const [k, v] of Object.entries(n[key])) walk(v, [...path, key, k], visit);
  }
  for (const key of ['additionalProperties', 'items', 'additionalItems', 'not', 'if', 'then', 'else', 'contains', 'propertyNames']) {
    if (Array.isArray(n[key])) n[key].forEach((v: unknown, i: number) => walk(v, [...path, key, i], visit));
    else walk(n[key], [...path, key], visit);
  }
  for (const key of ['anyOf', 'allOf', 'oneOf']) {
    if (Array.isArray(n[key])) n[key].forEach((v: unknown, i: number) => walk(v, [...path, key, i], visit));
  }
}

const isPodTemplate = (path: (string | number)[]) => path[0] === 'definitions' && path[1] === 'podTemplate';

describe('compute-pool schema: compilation', () => {
  it('is draft-07 with the expected $id', () => {
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    assert.equal(schema.$id, 'https://cmf-pools.dev/schemas/compute-pool.schema.json');
  });

  it('compiles in ajv strict mode once the editor keywords are registered, and only then', () => {
    assert.equal(typeof newAjv().compile(schema), 'function');
    // Strict mode is what catches an unknown or misspelt keyword anywhere in the file.
    assert.throws(() => newAjv(false).compile(schema), /unknown keyword/);
  });

  it('defines the pod template once and refers to it from clusterSpec, jobManager and taskManager', () => {
    const cs = schema.definitions.clusterSpec.properties;
    for (const node of [cs.podTemplate, cs.jobManager.properties.podTemplate, cs.taskManager.properties.podTemplate]) {
      assert.equal(node.$ref, '#/definitions/podTemplate');
    }
    assert.match(schema.definitions.podTemplate.$comment, /release-1\.15\.0/);
    assert.match(schema.definitions.podTemplate.$comment, /79d730ba/);
    assert.match(schema.definitions.podTemplate.$comment, /flinkdeployments\.flink\.apache\.org-v1\.yml/);
    let copies = 0;
    walk(schema, [], (n) => {
      if (n.properties?.spec && n.properties?.metadata && n.properties?.status?.properties?.podIP) copies++;
    });
    assert.equal(copies, 1, 'exactly one inlined Pod schema');
    // Without the Pod's envelope: CMF rejects apiVersion and kind in a pool's pod template (the CRD allows them).
    assert.equal(schema.definitions.podTemplate.properties.apiVersion, undefined);
    assert.equal(schema.definitions.podTemplate.properties.kind, undefined);
    assert.match(schema.definitions.podTemplate.markdownDescription, /without the Pod's `apiVersion` and `kind`/);
  });
});

describe('compute-pool schema: CMF examples', () => {
  it('accepts the dedicated and shared pools of the CMF documentation', () => {
    const dedicated = docPool('dedicated');
    const shared = docPool('shared');
    assert.equal(dedicated.spec.type, 'DEDICATED');
    assert.equal(shared.spec.type, 'SHARED');
    assertValid(dedicated, 'docs/dedicated.pool.json');
    assertValid(shared, 'docs/shared.pool.json');
  });

  it('accepts every complete ComputePool example of the OpenAPI description', () => {
    const examples: { source: string; pool: Json }[] = readJson(join(FIXTURES, 'openapi/compute-pool-examples.json'));
    assert.ok(examples.length >= 4, `expected the 4 OpenAPI examples, found ${examples.length}`);
    for (const { source, pool } of examples) {
      assert.equal(pool.kind, 'ComputePool', source);
      assertValid(pool, source);
    }
  });

  it('accepts a pool as CMF returns it: server-set metadata and status', () => {
    const pool = docPool('shared');
    Object.assign(pool.metadata, {
      uid: '2b6f3f52-6d6a-4f0c-9b7e-1d2a3c4b5e6f',
      creationTimestamp: '2025-04-01T10:30:00Z',
      updateTimestamp: '2025-04-02T08:00:00Z',
      labels: { environment: 'production' },
      annotations: { description: 'interactive queries' },
    });
    pool.status = {
      phase: 'RUNNING',
      warning: 'Kubernetes cluster is DISCONNECTED; status may be stale',
      resourceSummary: { jobManager: { cpu: 1, memory: 1073741824, count: 1 } },
    };
    assertValid(pool, 'pool with server-set fields');
    pool.status.phase = 'RUNING';
    assert.deepEqual(errors(pool).map((e) => e.slice(0, 2)), [['/status/phase', 'enum']]);
  });
});

describe('compute-pool schema: what it rejects', () => {
  it('reports a misspelt key inside a taskManager podTemplate container', () => {
    const pool = docPool('dedicated');
    pool.spec.clusterSpec.taskManager.podTemplate = {
      spec: { containers: [{ name: 'flink-main-container', volumeMount: [{ name: 'tls', mountPath: '/etc/tls' }] }] },
    };
    assert.deepEqual(errors(pool), [
      ['/spec/clusterSpec/taskManager/podTemplate/spec/containers/0', 'additionalProperties', '{"additionalProperty":"volumeMount"}'],
    ]);
    // Spelt right, it is fine.
    const c = pool.spec.clusterSpec.taskManager.podTemplate.spec.containers[0];
    c.volumeMounts = c.volumeMount;
    delete c.volumeMount;
    assertValid(pool, 'volumeMounts spelt right');
  });

  it('reports misspelt keys deep inside factored-out Kubernetes types', () => {
    const pool = docPool('shared');
    pool.spec.clusterSpec.podTemplate = {
      spec: { containers: [{ name: 'flink-main-container', livenessProbe: { httpGet: { port: 8081, pth: '/' } } }] },
    };
    assert.deepEqual(errors(pool), [
      ['/spec/clusterSpec/podTemplate/spec/containers/0/livenessProbe/httpGet', 'additionalProperties', '{"additionalProperty":"pth"}'],
    ]);
  });

  it('reports an unknown clusterSpec key', () => {
    const pool = docPool('shared');
    pool.spec.clusterSpec.flinkConfig = { 'execution.checkpointing.interval': '10s' };
    assert.deepEqual(errors(pool), [['/spec/clusterSpec', 'additionalProperties', '{"additionalProperty":"flinkConfig"}']]);
  });

  it('reports unknown keys at every hand-written level', () => {
    const at = (mutate: (p: Json) => void) => {
      const pool = docPool('shared');
      mutate(pool);
      return errors(pool).map((e) => e[0] + ' ' + e[1]);
    };
    assert.deepEqual(at((p) => (p.extra = 1)), [' additionalProperties']);
    assert.deepEqual(at((p) => (p.metadata.namespace = 'x')), ['/metadata additionalProperties']);
    assert.deepEqual(at((p) => (p.spec.replicas = 1)), ['/spec additionalProperties']);
    assert.deepEqual(at((p) => (p.spec.clusterSpec.jobManager.resources = {})), ['/spec/clusterSpec/jobManager additionalProperties']);
    assert.deepEqual(at((p) => (p.spec.clusterSpec.taskManager.resource.mem = '1g')), ['/spec/clusterSpec/taskManager/resource additionalProperties']);
    assert.deepEqual(at((p) => (p.spec.clusterSpec.ingress = { host: 'x' })), ['/spec/clusterSpec/ingress additionalProperties']);
    assert.deepEqual(at((p) => (p.spec.clusterSpec.job = { jarUri: 'x' })), ['/spec/clusterSpec/job additionalProperties']);
  });

  it('rejects spec.type "BIG"', () => {
    const pool = docPool('dedicated');
    pool.spec.type = 'BIG';
    assert.deepEqual(errors(pool), [['/spec/type', 'enum', '{"allowedValues":["DEDICATED","SHARED"]}']]);
  });

  it('requires apiVersion, kind, metadata.name, spec.type and spec.clusterSpec', () => {
    const pool = docPool('dedicated');
    delete pool.metadata.name;
    delete pool.spec.type;
    delete pool.spec.clusterSpec;
    delete pool.kind;
    pool.apiVersion = 'cmf.confluent.io/v2';
    assert.deepEqual(errors(pool).map((e) => e[0] + ' ' + e[2]).sort(), [
      ' {"missingProperty":"kind"}',
      '/apiVersion {"allowedValues":["cmf.confluent.io/v1"]}',
      '/metadata {"missingProperty":"name"}',
      '/spec {"missingProperty":"clusterSpec"}',
      '/spec {"missingProperty":"type"}',
    ]);
  });

  it('accepts flinkVersion v2_3 (CMF 2.5) but not versions nobody ships', () => {
    const pool = docPool('shared');
    pool.spec.clusterSpec.flinkVersion = 'v2_3';
    assertValid(pool, 'v2_3');
    pool.spec.clusterSpec.flinkVersion = 'v2_4';
    assert.deepEqual(errors(pool).map((e) => e.slice(0, 2)), [['/spec/clusterSpec/flinkVersion', 'enum']]);
    pool.spec.clusterSpec.flinkVersion = '1.19';
    assert.deepEqual(errors(pool).map((e) => e.slice(0, 2)), [['/spec/clusterSpec/flinkVersion', 'enum']]);
  });
});

describe('compute-pool schema: what it accepts', () => {
  it('accepts nested flinkConfiguration objects with numbers and booleans', () => {
    const pool = docPool('shared');
    pool.spec.clusterSpec.flinkConfiguration = {
      taskmanager: { numberOfTaskSlots: 4, memory: { managed: { fraction: 0.4 } } },
      'execution.checkpointing.interval': '10s',
      'rest.profiling.enabled': true,
      'parallelism.default': 2,
    };
    assertValid(pool, 'nested flinkConfiguration');
    // ...but not arrays or null, at any depth.
    pool.spec.clusterSpec.flinkConfiguration.taskmanager.numberOfTaskSlots = [4];
    assert.ok(errors(pool).some(([path, keyword]) => path.startsWith('/spec/clusterSpec/flinkConfiguration/taskmanager') && keyword === 'anyOf'));
    pool.spec.clusterSpec.flinkConfiguration = { 'execution.checkpointing.interval': null };
    assert.ok(errors(pool).some(([path, keyword]) => path === '/spec/clusterSpec/flinkConfiguration/execution.checkpointing.interval' && keyword === 'anyOf'));
  });

  it('accepts serviceAccount, job and restartNonce: the rule engine reports the CMF-managed ones', () => {
    const pool = docPool('dedicated');
    Object.assign(pool.spec.clusterSpec, {
      serviceAccount: 'flink',
      job: { jarURI: 'local:///opt/flink/usrlib/sql-runner.jar', parallelism: 2, state: 'running', upgradeMode: 'stateless' },
      restartNonce: 3,
    });
    assertValid(pool, 'CMF-managed fields');
  });

  it('leaves CMF rules to the rule engine (state on dedicated, image, name, resource formats)', () => {
    const pool = docPool('dedicated');
    pool.metadata.name = 'Not_A_Valid_Name!';
    pool.spec.state = 'SUSPENDED';
    Object.assign(pool.spec.clusterSpec, { image: 'nginx:latest', flinkVersion: 'v1_13' });
    pool.spec.clusterSpec.jobManager.resource = { cpu: 0.001, memory: '1024x', ephemeralStorage: 'lots' };
    pool.spec.clusterSpec.taskManager = { resource: { cpu: 1 } };
    delete pool.spec.clusterSpec.image;
    delete pool.spec.clusterSpec.flinkVersion;
    assertValid(pool, 'a pool only the rule engine complains about');
  });

  it('accepts the rest of the clusterSpec: mode, replicas, logConfiguration, ingress, imagePullPolicy', () => {
    const pool = docPool('shared');
    Object.assign(pool.spec.clusterSpec, {
      mode: 'standalone',
      imagePullPolicy: 'IfNotPresent',
      logConfiguration: { 'log4j-console.properties': 'rootLogger.level = INFO\n' },
      ingress: {
        template: '{{name}}.{{namespace}}.flink.example.com',
        className: 'nginx',
        annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/$2' },
        labels: { team: 'data' },
        tls: [{ hosts: ['flink.example.com'], secretName: 'flink-tls' }],
      },
    });
    pool.spec.clusterSpec.taskManager.replicas = 3;
    pool.spec.clusterSpec.jobManager.replicas = 1;
    pool.spec.clusterSpec.jobManager.resource.ephemeralStorage = '2Gi';
    assertValid(pool, 'full clusterSpec');
    pool.spec.clusterSpec.taskManager.replicas = 0;
    pool.spec.clusterSpec.mode = 'session';
    pool.spec.clusterSpec.imagePullPolicy = 'always';
    assert.deepEqual(errors(pool).map((e) => e[0] + ' ' + e[1]).sort(), [
      '/spec/clusterSpec/imagePullPolicy enum',
      '/spec/clusterSpec/mode enum',
      '/spec/clusterSpec/taskManager/replicas minimum',
    ]);
  });

  it('accepts Kubernetes int-or-string fields as numbers or strings in pod templates', () => {
    const pool = docPool('shared');
    pool.spec.clusterSpec.jobManager.podTemplate = {
      metadata: { labels: { app: 'flink' } },
      spec: {
        containers: [
          {
            name: 'flink-main-container',
            livenessProbe: { tcpSocket: { port: 6123 } },
            readinessProbe: { httpGet: { path: '/overview', port: 'rest' } },
            resources: { limits: { 'ephemeral-storage': '2Gi', 'nvidia.com/gpu': 1 } },
            env: [{ name: 'TZ', value: 'UTC' }],
          },
          { name: 'sidecar', image: 'busybox:1.36', command: ['sh', '-c', 'sleep infinity'] },
        ],
        volumes: [{ name: 'kafka-tls', secret: { secretName: 'kafka-tls' } }],
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'flink', effect: 'NoSchedule' }],
        nodeSelector: { pool: 'flink' },
      },
    };
    assertValid(pool, 'pod template with int-or-string values');
    pool.spec.clusterSpec.jobManager.podTemplate.spec.containers[0].livenessProbe.tcpSocket.port = true;
    assert.ok(errors(pool).some(([path]) => path === '/spec/clusterSpec/jobManager/podTemplate/spec/containers/0/livenessProbe/tcpSocket/port'));
  });
});

describe('compute-pool schema: documentation for pool authors', () => {
  it('gives every hand-written property a markdownDescription', () => {
    const missing: string[] = [];
    let checked = 0;
    walk(schema, [], (node, path) => {
      if (isPodTemplate(path) || !node.properties) return;
      for (const [name, sub] of Object.entries(node.properties as Json)) {
        checked++;
        const md = (sub as Json).markdownDescription;
        if (typeof md !== 'string' || md.trim().length < 20) missing.push(pointer([...path, 'properties', name]));
      }
    });
    assert.deepEqual(missing, []);
    assert.ok(checked >= 50, `expected the hand-written properties, checked only ${checked}`);
  });

  it('gives every enum enumDescriptions of the same length', () => {
    const bad: string[] = [];
    let enums = 0;
    walk(schema, [], (node, path) => {
      if (!Array.isArray(node.enum)) return;
      enums++;
      for (const key of ['enumDescriptions', 'markdownEnumDescriptions']) {
        const d = node[key];
        if (d === undefined && key === 'markdownEnumDescriptions') continue;
        if (!Array.isArray(d) || d.length !== node.enum.length || d.some((s: unknown) => typeof s !== 'string' || !s)) {
          bad.push(`${pointer(path)} ${key}`);
        }
      }
    });
    assert.deepEqual(bad, []);
    assert.ok(enums >= 10, `expected the hand-written enums, found ${enums}`);
  });

  it('describes the pod template fields pool authors touch, with CMF\'s reserved volumes', () => {
    const pt = schema.definitions.podTemplate;
    const container = pt.properties.spec.properties.containers.items;
    const described = {
      root: pt,
      spec: pt.properties.spec,
      containers: pt.properties.spec.properties.containers,
      volumes: pt.properties.spec.properties.volumes,
      volumeMounts: container.properties.volumeMounts,
      name: container.properties.name,
      image: container.properties.image,
      env: container.properties.env,
      resources: container.properties.resources,
    };
    for (const [what, node] of Object.entries(described)) {
      assert.equal(typeof node?.markdownDescription, 'string', `${what} has a markdownDescription`);
    }
    for (const node of [pt, described.volumes, described.volumeMounts]) {
      assert.match(node.markdownDescription, /statement-plan-volume.*\/opt\/flink\/statement\b/s);
      assert.match(node.markdownDescription, /statement-encryption-volume.*\/opt\/flink\/statement-secret/s);
    }
    assert.match(described.name.markdownDescription, /flink-main-container/);
  });

  it('has defaultSnippets whose bodies are valid where they are offered', () => {
    let snippets = 0;
    const failures: string[] = [];
    walk(schema, [], (node, path) => {
      if (!Array.isArray(node.defaultSnippets)) return;
      const check = ajv.compile({ $ref: `${schema.$id}#${pointer(path)}` });
      for (const s of node.defaultSnippets) {
        snippets++;
        assert.equal(typeof s.label, 'string');
        if (!check(s.body)) failures.push(`${pointer(path)} "${s.label}": ${ajv.errorsText(check.errors)}`);
      }
    });
    assert.deepEqual(failures, []);
    assert.ok(snippets >= 10, `expected snippets for pool, metadata, clusterSpec, resources, flinkConfiguration, podTemplate, ingress; found ${snippets}`);
  });
});

describe('compute-pool schema: agrees with the CMF OpenAPI', () => {
  const excerpt: Json = readJson(join(FIXTURES, 'openapi/cmf-openapi-excerpt.json'));
  const oas = excerpt.components.schemas;

  it('the excerpt names its source and holds the schemas it promises', () => {
    assert.match(excerpt.$comment, /cmf-sdk-go/);
    assert.match(excerpt.$comment, /4a130aa8/);
    for (const name of ['ComputePool', 'ComputePoolsPage', 'Environment', 'EnvironmentsPage', 'Statement', 'StatementsPage', 'RestError', 'error']) {
      assert.ok(oas[name], `excerpt has ${name}`);
    }
    // Every $ref in the excerpt resolves inside it.
    const refs = JSON.stringify(oas).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of refs) assert.ok(oas[ref.slice(8, -1).replace('#/components/schemas/', '')], ref);
  });

  it('allows every ComputePool field, enum value and requirement the OpenAPI has', () => {
    const status = oas.ComputePool_allOf.properties.status;
    const pairs: [Json, Json, string][] = [
      [oas.ResourceBaseV2, schema, 'ResourceBaseV2'],
      [oas.ComputePool_allOf, schema, 'ComputePool'],
      [oas.ComputePoolMetadata, schema.properties.metadata, 'ComputePoolMetadata'],
      [oas.ComputePoolSpec, schema.properties.spec, 'ComputePoolSpec'],
      [status, schema.properties.status, 'ComputePoolStatus'],
    ];
    for (const [theirs, ours, name] of pairs) {
      for (const [prop, sub] of Object.entries(theirs.properties as Json)) {
        assert.ok(ours.properties[prop], `${name}.${prop} is allowed`);
        if ((sub as Json).enum) assert.deepEqual(ours.properties[prop].enum, (sub as Json).enum, `${name}.${prop} enum`);
      }
      if (name !== 'ComputePoolStatus') {
        for (const req of theirs.required ?? []) assert.ok(ours.required.includes(req), `${name} requires ${req}`);
      }
    }
  });
});

describe('compute-pool schema: documentation fixtures', { skip: !existsSync(SHARED_REFERENCE) && 'no ../shared/reference beside the repository' }, () => {
  it('the documentation fixtures are verbatim copies of the CMF documentation examples', () => {
    const doc = readFileSync(join(SHARED_REFERENCE, 'cmf-compute-pools-doc.txt'), 'utf8');
    for (const name of ['dedicated', 'shared']) {
      const text = readFileSync(join(FIXTURES, `docs/${name}.pool.json`), 'utf8').trimEnd();
      assert.ok(doc.includes(text), `${name}.pool.json is in the documentation verbatim`);
    }
  });
});
