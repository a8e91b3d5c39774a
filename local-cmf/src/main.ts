/**
 * `node dist/local-cmf.js [options]`: the local CMF that `npm start` and the extension's "Try with a local
 * CMF" run (see cli.ts for the options). It has no test controls: those are in the test build,
 * `dist/test/local-cmf.js` (test-main.ts), which the .vsix does not ship.
 */
import { runLocalCmfCli } from './cli';

void runLocalCmfCli(process.argv.slice(2));
