/**
 * The end-to-end suite: one mocha `run()` that both launchers hand to VS Code as extensionTestsPath
 * (scripts/e2e/run.mjs: code-server in headless Chromium; scripts/e2e/desktop.mjs: @vscode/test-electron).
 * Test files are required after mocha's interface exists (they call suite() and test() as they load).
 */
import { runMocha } from './harness';

export function run(): Promise<void> {
  return runMocha('cmf-pools e2e', () => {
    require('./diagnostics.test');
    require('./language.test');
    require('./yaml.test');
    require('./explorer.test'); // last: it selects a connection, and then files are checked against its environment
  });
}
