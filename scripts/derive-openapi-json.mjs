// Converts CMF's OpenAPI document (YAML, read-only reference) into the JSON copy the tests validate against:
//   node scripts/derive-openapi-json.mjs [path/to/cmf-openapi.yaml]
// The YAML defaults to reference/cmf-openapi.yaml (see reference/README.md). Writes
// test/fixtures/openapi/cmf-openapi.json with a top-level "x-source" naming where the YAML came from, so the tests
// validate the local CMF's responses against the contract without parsing YAML.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const input = process.argv[2] ?? join(root, 'reference/cmf-openapi.yaml');
const output = join(root, 'test/fixtures/openapi/cmf-openapi.json');
const SOURCE = 'confluentinc/cmf-sdk-go v1/api/openapi.yaml @ 4a130aa8 (CMF v2.3.1)';

// Plain YAML 1.2 core schema: timestamps in examples stay strings, as JSON has no date type.
const doc = parse(readFileSync(input, 'utf8'), { version: '1.2', schema: 'core', uniqueKeys: false });
if (!doc || typeof doc !== 'object' || !doc.openapi || !doc.paths || !doc.components) {
  throw new Error(`${input} does not look like an OpenAPI document`);
}
const out = { 'x-source': SOURCE, ...doc };
mkdirSync(dirname(output), { recursive: true });
writeFileSync(output, JSON.stringify(out, null, 2) + '\n');
console.log(`wrote ${output} (${Object.keys(doc.paths).length} paths, ${Object.keys(doc.components.schemas ?? {}).length} schemas)`);
