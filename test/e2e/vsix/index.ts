/**
 * What we ship is what we test: the launcher packs the .vsix (`npm run package`), installs it with
 * `--install-extension` into an empty extensions folder, and starts VS Code with this suite and no
 * extension under development.
 */
import { runMocha } from '../suite/harness';

export function run(): Promise<void> {
  return runMocha('cmf-pools e2e (installed .vsix)', () => {
    require('./installed.test');
  });
}
