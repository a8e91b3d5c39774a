// Prints the compute-pool schemas' validators as JavaScript (ajv's standalone code), compiled with the engine's own
// ajv options (language-service/src/schema.ts). scripts/build.mjs bundles it into dist/server.js and dist/cli.js,
// so they validate without compiling the schema at start-up.
//
//   node --import tsx scripts/schema-validator.ts > validator.js
import standaloneCode from 'ajv/dist/standalone';
import { ajvWithSchemas, schemaIds } from '../language-service/src/schema';

// One validator per kind of pool (CMF's ComputePool, CFK's FlinkComputePool), exported by kind.
const ajv = ajvWithSchemas({ code: { source: true } });
process.stdout.write(standaloneCode(ajv, schemaIds()));
