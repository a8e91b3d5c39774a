#!/usr/bin/env node
// Extracts test fixtures from CMF's OpenAPI description (reference/cmf-openapi.yaml), so that tests need not parse it:
//
//   test/fixtures/openapi/cmf-openapi-excerpt.json      components.schemas reachable from ComputePool, ComputePoolsPage,
//                                                       Environment, EnvironmentsPage, Statement, StatementsPage and
//                                                       RestError (CMF's error body), converted to JSON; the $refs
//                                                       (#/components/schemas/...) still resolve inside the file.
//   test/fixtures/openapi/compute-pool-examples.json    every complete ComputePool example body (request and response
//                                                       examples, any media type) as [{ source, pool }].
//
//   node scripts/derive-openapi-excerpt.mjs [openapi.yaml] [out-dir] [--check]
//
// openapi.yaml defaults to reference/cmf-openapi.yaml (see reference/README.md), out-dir to test/fixtures/openapi;
// --check writes nothing and exits 1 naming each fixture that is not what this script would write.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const check = args.includes('--check');
const positional = args.filter((a) => !a.startsWith('--'));
const openapiPath = resolve(positional[0] ?? resolve(ROOT, 'reference/cmf-openapi.yaml'));
const OUT_DIR = resolve(positional[1] ?? resolve(ROOT, 'test/fixtures/openapi'));

const SOURCE = 'confluentinc/cmf-sdk-go v1/api/openapi.yaml @ 4a130aa8 ("Update SDK for CMF v2.3.1"), CMF v2.3.1';
const ROOTS = ['ComputePool', 'ComputePoolsPage', 'Environment', 'EnvironmentsPage', 'Statement', 'StatementsPage', 'RestError'];
const SCHEMA_REF = '#/components/schemas/';
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

function fail(message) {
  console.error(`derive-openapi-excerpt: ${message}`);
  process.exit(2);
}

/** Names of the component schemas reachable from `roots` through $ref, in the document's order. */
export function reachableSchemas(doc, roots) {
  const schemas = doc?.components?.schemas ?? {};
  const found = new Set();
  const queue = [...roots];
  const collectRefs = (node) => {
    if (Array.isArray(node)) return node.forEach(collectRefs);
    if (!isObject(node)) return;
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') {
        if (!v.startsWith(SCHEMA_REF)) fail(`unsupported $ref ${v}`);
        queue.push(v.slice(SCHEMA_REF.length));
      } else collectRefs(v);
    }
  };
  while (queue.length) {
    const name = queue.shift();
    if (found.has(name)) continue;
    if (!schemas[name]) fail(`components.schemas.${name} not found`);
    found.add(name);
    collectRefs(schemas[name]);
  }
  return Object.keys(schemas).filter((n) => found.has(n));
}

const isCompletePool = (v) =>
  isObject(v) && v.kind === 'ComputePool' && typeof v.apiVersion === 'string' && isObject(v.metadata) && isObject(v.spec);

/** Every complete ComputePool body among the examples of operations (and of component schemas), with where it was found. */
export function poolExamples(doc) {
  const out = [];
  const take = (value, source) => {
    if (isCompletePool(value)) out.push({ source, pool: value });
    else if (isObject(value) && Array.isArray(value.items)) {
      // A page of pools (e.g. a ComputePoolsPage response example).
      value.items.forEach((item, i) => isCompletePool(item) && out.push({ source: `${source} items[${i}]`, pool: item }));
    }
  };
  const fromContent = (content, where) => {
    for (const [mediaType, media] of Object.entries(content ?? {})) {
      if (!isObject(media)) continue;
      if ('example' in media) take(media.example, `${where} ${mediaType} example`);
      for (const [name, ex] of Object.entries(media.examples ?? {})) {
        const value = isObject(ex) && ex.$ref ? doc.components?.examples?.[ex.$ref.split('/').pop()]?.value : ex?.value;
        take(value, `${where} ${mediaType} ${name}`);
      }
    }
  };
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item?.[method];
      if (!op) continue;
      const at = `${method.toUpperCase()} ${path}`;
      fromContent(op.requestBody?.content, `${at} requestBody`);
      for (const [code, response] of Object.entries(op.responses ?? {})) fromContent(response?.content, `${at} response ${code}`);
    }
  }
  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
    if (isObject(schema) && 'example' in schema) take(schema.example, `components.schemas.${name} example`);
  }
  for (const [name, ex] of Object.entries(doc.components?.examples ?? {})) take(ex?.value, `components.examples.${name}`);
  return out;
}

function main() {
  let text;
  try {
    text = readFileSync(openapiPath, 'utf8');
  } catch (e) {
    fail(`cannot read ${openapiPath}: ${e.message}`);
  }
  const doc = parse(text);
  const names = reachableSchemas(doc, ROOTS);
  const excerpt = {
    $comment: `Excerpt of ${SOURCE}: the components.schemas entries reachable from ${ROOTS.join(', ')} (error body: RestError/error), converted from YAML to JSON by scripts/derive-openapi-excerpt.mjs. Do not edit by hand.`,
    openapi: doc.openapi,
    info: { title: doc.info?.title, version: doc.info?.version },
    components: { schemas: Object.fromEntries(names.map((n) => [n, doc.components.schemas[n]])) },
  };
  const examples = poolExamples(doc);
  if (examples.length === 0) fail('no complete ComputePool example found');
  const files = [
    ['cmf-openapi-excerpt.json', excerpt],
    ['compute-pool-examples.json', examples],
  ];
  let stale = false;
  for (const [file, value] of files) {
    const path = resolve(OUT_DIR, file);
    const shown = relative(ROOT, path);
    const next = JSON.stringify(value, null, 2) + '\n';
    let current = null;
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      // not written yet
    }
    if (next === current) {
      console.log(`derive-openapi-excerpt: ${shown} up to date`);
    } else if (check) {
      console.error(`derive-openapi-excerpt: ${shown} is out of date; run node scripts/derive-openapi-excerpt.mjs`);
      stale = true;
    } else {
      mkdirSync(OUT_DIR, { recursive: true });
      writeFileSync(path, next);
      console.log(`derive-openapi-excerpt: wrote ${shown}`);
    }
  }
  console.log(`derive-openapi-excerpt: ${names.length} schemas, ${examples.length} ComputePool examples`);
  if (stale) process.exit(1);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
