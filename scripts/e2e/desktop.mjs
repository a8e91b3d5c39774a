// `CMF_POOLS_E2E=desktop npm run test:e2e`: the same two suites in desktop VS Code, which
// @vscode/test-electron downloads (so only where VS Code can be downloaded; not on our CI machines,
// which use code-server: see run.mjs). A thin wrapper: run.mjs builds and packages first.
// CMF_POOLS_E2E_VSCODE picks the version ('stable' by default, 'insiders', or '1.91.0').
import { downloadAndUnzipVSCode, runTests, runVSCodeCommand } from '@vscode/test-electron';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function runDesktop({ root, workspace, vsix }) {
  const version = process.env.CMF_POOLS_E2E_VSCODE ?? 'stable';
  const tmp = mkdtempSync(join(tmpdir(), 'cmf-pools-e2e-'));
  const quiet = ['--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', '--disable-telemetry', '--disable-updates'];
  try {
    const vscodeExecutablePath = await downloadAndUnzipVSCode(version);
    // The extension under development, beside VS Code's built-in extensions only.
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: root,
      extensionTestsPath: join(root, 'dist/e2e/suite.js'),
      launchArgs: [workspace, '--disable-extensions', '--user-data-dir', join(tmp, 'suite'), ...quiet],
    });
    if (vsix) {
      // What we ship: the .vsix installed into an empty extensions folder, and an empty extension developed.
      const extensionsDir = join(tmp, 'extensions');
      await runVSCodeCommand(['--install-extension', vsix, '--extensions-dir', extensionsDir, '--force'], { version });
      await runTests({
        vscodeExecutablePath,
        extensionDevelopmentPath: join(root, 'dist/e2e/probe'),
        extensionTestsPath: join(root, 'dist/e2e/vsix.js'),
        extensionTestsEnv: { CMF_POOLS_E2E_EXTENSIONS_DIR: extensionsDir },
        launchArgs: [workspace, '--extensions-dir', extensionsDir, '--user-data-dir', join(tmp, 'vsix'), ...quiet],
      });
    }
    console.log('e2e (desktop): passed');
    return 0;
  } catch (e) {
    console.error(`e2e (desktop): ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
