/**
 * The response shapes (cmf-model/src/shapes.ts) against CMF's OpenAPI document (test/fixtures/openapi/cmf-openapi.json,
 * `components.schemas`): every property a shape names exists there with the same type (and enum, where the shape has
 * one), every object a shape describes requires exactly what the OpenAPI requires, and maps have the OpenAPI's value
 * type. So the client's checks cannot drift from CMF's contract. Then the checker itself on good and bad values.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { SHAPES, shapeProblem, type Shape } from '../../cmf-model/src/shapes';
import { namedSharedPool } from '../pools';

interface Schema {
  $ref?: string;
  allOf?: Schema[];
  type?: string;
  enum?: string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema | boolean;
  items?: Schema;
}

const openapi = JSON.parse(readFileSync(path.join(__dirname, '../fixtures/openapi/cmf-openapi.json'), 'utf8')) as { components: { schemas: Record<string, Schema> } };
const schemas = openapi.components.schemas;

/** A schema with its $ref followed and its allOf merged (properties and required joined). */
function resolve(s: Schema): Schema {
  if (s.$ref) return resolve(schemas[s.$ref.replace('#/components/schemas/', '')]);
  if (!s.allOf) return s;
  const out: Schema = { type: s.type ?? 'object', properties: { ...s.properties }, required: [...(s.required ?? [])] };
  for (const part of s.allOf.map(resolve)) {
    Object.assign(out.properties!, part.properties);
    out.required!.push(...(part.required ?? []));
  }
  return out;
}

/** Where `shape` says something the OpenAPI schema does not. */
function disagreements(shape: Shape, raw: Schema, at: string): string[] {
  const s = resolve(raw);
  const type = s.type ?? (s.properties ? 'object' : undefined);
  if (type !== shape.type) return [`${at}: the shape says ${shape.type}, the OpenAPI ${type}`];
  const out: string[] = [];
  if (shape.type === 'string' && shape.enum && JSON.stringify([...shape.enum].sort()) !== JSON.stringify([...(s.enum ?? [])].sort())) {
    out.push(`${at}: enum ${shape.enum.join('|')} against ${(s.enum ?? []).join('|') || 'none'}`);
  }
  if (shape.type === 'array' && shape.items) out.push(...disagreements(shape.items, s.items ?? {}, `${at}[]`));
  if (shape.type !== 'object') return out;
  // An object the shape leaves open (type only) is a deliberate shallow check; anything it describes must agree.
  if (!shape.properties && !shape.required && !shape.values) return out;
  const mine = [...(shape.required ?? [])].sort();
  const theirs = [...new Set(s.required ?? [])].sort();
  if (JSON.stringify(mine) !== JSON.stringify(theirs)) out.push(`${at}: required [${mine}] against the OpenAPI's [${theirs}]`);
  for (const [k, sub] of Object.entries(shape.properties ?? {})) {
    const there = s.properties?.[k];
    if (!there) out.push(`${at}.${k}: not in the OpenAPI`);
    else out.push(...disagreements(sub, there, `${at}.${k}`));
  }
  if (shape.values) {
    if (typeof s.additionalProperties !== 'object') out.push(`${at}: a map in the shape, not in the OpenAPI`);
    else out.push(...disagreements(shape.values, s.additionalProperties, `${at}.*`));
  }
  return out;
}

describe('response shapes', () => {
  it('each agrees with its schema in CMF\'s OpenAPI (types, enums, required fields, map values)', () => {
    for (const [name, shape] of Object.entries(SHAPES)) {
      assert.ok(schemas[name], `${name} is an OpenAPI schema`);
      assert.deepEqual(disagreements(shape, schemas[name], name), [], name);
    }
  });

  it('the comparison itself finds a drift (a field required that the OpenAPI does not require, a wrong type, an unknown field)', () => {
    const drifted: Shape = {
      type: 'object',
      required: ['apiVersion', 'kind', 'metadata', 'spec', 'status'],
      properties: { metadata: { type: 'string' }, spek: { type: 'object' } },
    };
    const found = disagreements(drifted, schemas.ComputePool, 'ComputePool');
    assert.equal(found.length, 3, found.join('\n'));
  });

  it('names the first problem by its path; accepts what CMF sends, with extra fields and nulls for absent ones', () => {
    const pool = { ...namedSharedPool('p'), status: { phase: 'RUNNING', somethingNew: { x: 1 } }, metadata: { name: 'p', uid: null } };
    assert.equal(shapeProblem(pool, SHAPES.ComputePool), undefined);
    assert.equal(shapeProblem({ ...pool, status: { phase: 'WARMING_UP' } }, SHAPES.ComputePool), undefined, 'a phase a newer CMF may add');
    assert.equal(shapeProblem({}, SHAPES.ComputePool), 'apiVersion is missing');
    assert.equal(shapeProblem([], SHAPES.ComputePool), 'the value is an array, not an object');
    assert.equal(shapeProblem({ ...pool, spec: { type: 'SHARED', state: 'PAUSED', clusterSpec: {} } }, SHAPES.ComputePool), 'spec.state is "PAUSED", not one of RUNNING, SUSPENDED');
    assert.equal(shapeProblem({ ...pool, status: { phase: 'RUNNING', resourceSummary: { jobManager: { cpu: '1' } } } }, SHAPES.ComputePool), 'status.resourceSummary.jobManager.cpu is a string, not a number');
    assert.equal(shapeProblem({ name: 'dev', kubernetesNamespace: 'x', status: { kubernetesCluster: { state: 'GONE' } } }, SHAPES.Environment), 'status.kubernetesCluster.state is "GONE", not one of CONNECTED, DISCONNECTED, DECOMMISSIONED');
    const st = { apiVersion: 'v', kind: 'Statement', metadata: { name: 's' }, spec: { statement: 'SELECT 1', computePoolName: 'p', parallelism: 1.5 } };
    assert.equal(shapeProblem(st, SHAPES.Statement), 'spec.parallelism is a number, not an integer');
  });
});
