#!/usr/bin/env node
// Converts CMF's OpenAPI document (YAML, read-only reference) into the JSON copy the tests validate against:
//
//   node scripts/derive-openapi-json.mjs [openapi.yaml] [output.json] [--check]
//
// openapi.yaml defaults to reference/cmf-openapi.yaml (see reference/README.md), output.json to
// test/fixtures/openapi/cmf-openapi.json: the whole document with a top-level "x-source" naming where the YAML came
// from, so the tests validate the local CMF's responses against the contract without parsing YAML. --check writes
// nothing and exits 1 when the output is not what this script would write.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const check = args.includes('--check');
const positional = args.filter((a) => !a.startsWith('--'));
const input = resolve(positional[0] ?? resolve(ROOT, 'reference/cmf-openapi.yaml'));
const output = resolve(positional[1] ?? resolve(ROOT, 'test/fixtures/openapi/cmf-openapi.json'));
const SOURCE = 'confluentinc/cmf-sdk-go v1/api/openapi.yaml @ 4a130aa8 (CMF v2.3.1)';

function fail(message) {
  console.error(`derive-openapi-json: ${message}`);
  process.exit(2);
}

function main() {
  let text;
  try {
    text = readFileSync(input, 'utf8');
  } catch (e) {
    fail(`cannot read ${input}: ${e.message}`);
  }
  // Plain YAML 1.2 core schema: timestamps in examples stay strings, as JSON has no date type.
  const doc = parse(text, { version: '1.2', schema: 'core', uniqueKeys: false });
  if (!doc || typeof doc !== 'object' || !doc.openapi || !doc.paths || !doc.components) {
    fail(`${input} does not look like an OpenAPI document`);
  }
  const next = JSON.stringify({ 'x-source': SOURCE, ...doc }, null, 2) + '\n';
  const shown = relative(ROOT, output);
  let current = null;
  try {
    current = readFileSync(output, 'utf8');
  } catch {
    // not written yet
  }
  if (next === current) {
    console.log(`derive-openapi-json: ${shown} up to date`);
  } else if (check) {
    console.error(`derive-openapi-json: ${shown} is out of date; run node scripts/derive-openapi-json.mjs`);
    process.exit(1);
  } else {
    mkdirSync(dirname(output), { recursive: true });
    writeFileSync(output, next);
    console.log(`derive-openapi-json: wrote ${shown}`);
  }
  console.log(`derive-openapi-json: ${Object.keys(doc.paths).length} paths, ${Object.keys(doc.components.schemas ?? {}).length} schemas`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
