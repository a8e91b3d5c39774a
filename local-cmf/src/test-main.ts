/**
 * `node dist/test/local-cmf.js [options] [--test-controls]`: the test build of the local CMF, for the
 * end-to-end suite. The same command line as `dist/local-cmf.js` (cli.ts), plus `--test-controls`, which
 * serves the test controls under `/__test__/...` (test-controls.ts; behind the same checks as CMF's API, the
 * bearer token included). Not in the .vsix: `.vscodeignore` is an allow-list.
 */
import { runLocalCmfCli } from './cli';
import { startLocalCmf } from './server';
import { TEST_ROUTE_PREFIX, startTestLocalCmf } from './test-controls';

let testControls = false;
void runLocalCmfCli(process.argv.slice(2), {
  usage: `  --test-controls          serve the test controls under ${TEST_ROUTE_PREFIX}/ (this test build only)\n`,
  flag: (flag) => flag === '--test-controls' && (testControls = true),
  start: (options) => (testControls ? startTestLocalCmf(options) : startLocalCmf(options)),
  banner: () => (testControls ? [`  test controls are enabled under ${TEST_ROUTE_PREFIX}/`] : []),
});
