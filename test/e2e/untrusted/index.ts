/**
 * The suite of the untrusted-workspace run: the launcher starts code-server with workspace trust on (no
 * --disable-workspace-trust) on test/e2e/untrusted-workspace/, whose settings try to set
 * cmfPools.connections, with a connection of the user's own in the user settings.
 */
import { runMocha } from '../suite/harness';

export function run(): Promise<void> {
  return runMocha('cmf-pools e2e (untrusted workspace)', () => {
    require('./untrusted.test');
  });
}
