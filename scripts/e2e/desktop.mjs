// `CMF_POOLS_E2E=desktop npm run test:e2e`: the same three suites in desktop VS Code, which
// @vscode/test-electron downloads (so only where VS Code can be downloaded; not on our CI machines,
// which use code-server: see run.mjs). A thin wrapper: run.mjs builds and packages first.
// CMF_POOLS_E2E_VSCODE picks the version ('stable' by default, 'insiders', or '1.91.0').
import { downloadAndUnzipVSCode, runTests, runVSCodeCommand } from '@vscode/test-electron';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Every file under `dir` holding one of `needles` (raw bytes). */
function filesHolding(dir, needles) {
  const hits = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = statSync(p, { throwIfNoEntry: false });
      if (st?.isDirectory()) walk(p);
      else if (st?.isFile() && needles.some((n) => readFileSync(p).includes(n))) hits.push(p);
    }
  };
  if (existsSync(dir)) walk(dir);
  return hits;
}

export async function runDesktop({ root, workspace, untrustedWorkspace, token, vsix }) {
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
      extensionTestsEnv: { CMF_POOLS_E2E_TOKEN: token, CMF_POOLS_E2E_USER_DATA_DIR: join(tmp, 'suite') },
      launchArgs: [workspace, '--disable-extensions', '--user-data-dir', join(tmp, 'suite'), ...quiet],
    });
    // Workspace trust on, the folder untrusted; the user's own connection in user settings (desktop VS Code
    // reads machine-scoped settings there).
    mkdirSync(join(tmp, 'untrusted/User'), { recursive: true });
    writeFileSync(
      join(tmp, 'untrusted/User/settings.json'),
      JSON.stringify({
        'security.workspace.trust.enabled': true,
        'security.workspace.trust.startupPrompt': 'never',
        'security.workspace.trust.banner': 'never',
        'cmfPools.connections': [{ name: 'from-user-settings', url: 'http://127.0.0.1:9', auth: 'none' }],
      }),
    );
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: root,
      extensionTestsPath: join(root, 'dist/e2e/untrusted.js'),
      launchArgs: [untrustedWorkspace, '--disable-extensions', '--user-data-dir', join(tmp, 'untrusted'), ...quiet.filter((a) => a !== '--disable-workspace-trust')],
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
    const leaks = filesHolding(tmp, [token, token.slice(token.lastIndexOf('-') + 1)].map((n) => Buffer.from(n)));
    if (leaks.length) throw new Error(`the run's bearer token is written in: ${leaks.join(', ')}`);
    console.log('e2e (desktop): passed');
    return 0;
  } catch (e) {
    console.error(`e2e (desktop): ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
