/**
 * `cmf-pools completion bash|zsh|fish`, from the built dist/cli.js: each script is valid for its shell where the shell
 * is installed (bash -n, zsh -n, fish -n), bash's completes as a user would (the completion function called with
 * COMP_WORDS, as bash calls it), and every script names every command and every flag the commands' parsers take
 * (commands.ts), with the values of --format and -o.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { COMMANDS } from '../../cli/src/commands';
import { tempFolders } from './temp';

/** Temporary folders, removed when the file's tests are done. */
const temp = tempFolders();

const CLI = path.resolve(__dirname, '../../dist/cli.js');
const script = (shell: string) => {
  const r = spawnSync(process.execPath, [CLI, 'completion', shell], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
};
const has = (shell: string) => spawnSync(shell, ['-c', 'exit 0']).status === 0;
/** Each command's flags as a user types them, from the very option objects its parser uses. */
const flags = (name: string) =>
  Object.entries(COMMANDS.find((c) => c.name === name)!.options).flatMap(([long, o]) => [`--${long}`, ...(o.short ? [`-${o.short}`] : [])]);

describe('completion for bash', () => {
  let file: string;
  let dir: string;
  before(() => {
    dir = temp('cmf-pools-completion-');
    file = path.join(dir, 'cmf-pools.bash');
    writeFileSync(file, script('bash'));
    mkdirSync(path.join(dir, 'pools'));
    writeFileSync(path.join(dir, 'pools', 'web.pool.json'), '{}');
    writeFileSync(path.join(dir, 'pool-notes.txt'), '');
  });

  /** What bash offers for the words typed (the last one being completed), calling the function as bash does. */
  const complete = (...words: string[]): string[] => {
    const quoted = words.map((w) => `'${w.replace(/'/g, "'\\''")}'`).join(' ');
    const r = spawnSync('bash', ['-c', `source '${file}'; COMP_WORDS=(cmf-pools ${quoted}); COMP_CWORD=${words.length}; _cmf_pools; printf '%s\\n' "\${COMPREPLY[@]}"`], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.split('\n').filter(Boolean);
  };

  it('is valid bash (bash -n) and registers itself for cmf-pools', () => {
    const r = spawnSync('bash', ['-n', file], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const registered = spawnSync('bash', ['-c', `source '${file}'; complete -p cmf-pools`], { encoding: 'utf8' });
    assert.equal(registered.stdout.trim(), 'complete -F _cmf_pools cmf-pools');
  });

  it('completes the commands, and the flags of each command', () => {
    assert.deepEqual(complete(''), [...COMMANDS.map((c) => c.name), '--help', '-h', '--version', '-v']);
    assert.deepEqual(complete('d'), ['diff', 'delete']);
    assert.deepEqual(complete('st'), ['statements']);
    for (const c of COMMANDS) assert.deepEqual(complete(c.name, '-').sort(), flags(c.name).sort(), c.name);
    assert.deepEqual(complete('lint', '--m'), ['--max-warnings']);
    assert.ok(flags('lint').includes('--pools-only') && flags('apply').includes('--dry-run') && flags('diff').includes('--output'));
  });

  it('completes the values of --format and -o, the shells, and file names where files are taken', () => {
    assert.deepEqual(complete('lint', '--format', ''), ['text', 'json', 'sarif', 'github']);
    assert.deepEqual(complete('lint', '--format', 's'), ['sarif']);
    assert.deepEqual(complete('get', 'web', '-o', ''), ['table', 'json', 'yaml']);
    assert.deepEqual(complete('list', '--output', 'y'), ['yaml']);
    assert.deepEqual(complete('statements', '-o', ''), ['table', 'json', 'yaml']);
    assert.deepEqual(complete('apply', '-o', ''), ['json']);
    assert.deepEqual(complete('diff', '-o', ''), ['json']);
    assert.deepEqual(complete('completion', ''), ['bash', 'zsh', 'fish']);
    assert.deepEqual(complete('lint', 'po'), ['pool-notes.txt', 'pools']);
    assert.deepEqual(complete('apply', '-f', 'pools/'), ['pools/web.pool.json']);
    assert.deepEqual(complete('diff', '--settings', 'pool-'), ['pool-notes.txt']);
    assert.deepEqual(complete('list', '--environment', ''), [], 'no guesses for free text');
  });
});

/** For zsh and fish: the syntax check where the shell is installed; the content everywhere. */
describe('completion for zsh', () => {
  it('is valid zsh (zsh -n)', { skip: !has('zsh') && 'zsh is not installed here (its content is checked below)' }, () => {
    const dir = temp('cmf-pools-zsh-');
    writeFileSync(path.join(dir, '_cmf-pools'), script('zsh'));
    const r = spawnSync('zsh', ['-n', path.join(dir, '_cmf-pools')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });

  it('defines _cmf_pools for compdef, with every command, every flag and the values of --format and -o', () => {
    const z = script('zsh');
    assert.match(z, /^#compdef cmf-pools\n/);
    assert.match(z, /\n {2}compdef _cmf_pools cmf-pools\n/);
    for (const c of COMMANDS) {
      assert.ok(z.includes(`    '${c.name}:`), c.name);
      const section = z.slice(z.indexOf(`    ${c.name})\n`), z.indexOf('      ;;', z.indexOf(`    ${c.name})\n`)));
      assert.ok(section.length > 0, c.name);
      for (const [long, o] of Object.entries(c.options)) {
        const spec = o.short ? `{-${o.short},--${long}}'[` : `--${long}[`;
        assert.ok(section.includes(spec), `${c.name} --${long}`);
      }
    }
    assert.match(z, /'--format\[format\]:format:\(text json sarif github\)'/);
    assert.match(z, /'\(-o --output\)'\{-o,--output\}'\[output\]:output:\(table json yaml\)'/);
    assert.match(z, /'\*'\{-f,--file\}'\[file\]:file:_files'/);
    assert.match(z, /':shell:\(bash zsh fish\)'/);
    // Balanced quotes: an odd count would leave zsh reading a string to the end of the file.
    assert.equal((z.replace(/'\\''/g, '').match(/'/g) ?? []).length % 2, 0);
  });
});

describe('completion for fish', () => {
  it('is valid fish (fish -n)', { skip: !has('fish') && 'fish is not installed here (its content is checked below)' }, () => {
    const dir = temp('cmf-pools-fish-');
    writeFileSync(path.join(dir, 'cmf-pools.fish'), script('fish'));
    const r = spawnSync('fish', ['-n', path.join(dir, 'cmf-pools.fish')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });

  it('has a complete line for every command, every flag and the values of --format and -o', () => {
    const f = script('fish');
    const lines = f.trimEnd().split('\n');
    for (const line of lines.slice(1)) assert.match(line, /^complete -c cmf-pools( |$)/, line);
    for (const c of COMMANDS) {
      assert.ok(lines.some((l) => l.startsWith(`complete -c cmf-pools -n __fish_use_subcommand -a ${c.name} -d '`)), c.name);
      for (const [long, o] of Object.entries(c.options)) {
        const names = `${o.short ? `-s ${o.short} ` : ''}-l ${long}`;
        assert.ok(lines.some((l) => l.startsWith(`complete -c cmf-pools -n '__fish_seen_subcommand_from ${c.name}' ${names}`)), `${c.name} --${long}`);
      }
    }
    assert.ok(lines.includes(`complete -c cmf-pools -n '__fish_seen_subcommand_from lint' -l format -x -a 'text json sarif github'`));
    assert.ok(lines.includes(`complete -c cmf-pools -n '__fish_seen_subcommand_from get' -s o -l output -x -a 'table json yaml'`));
    assert.ok(lines.includes(`complete -c cmf-pools -n '__fish_seen_subcommand_from apply' -s f -l file -r -F`));
    assert.ok(lines.includes(`complete -c cmf-pools -n '__fish_seen_subcommand_from completion' -a 'bash zsh fish'`));
    assert.ok(lines.includes(`complete -c cmf-pools -n '__fish_seen_subcommand_from lint' -F`));
  });
});

describe('completion usage', () => {
  it('needs one known shell (exit 2), and says how to load each script', () => {
    for (const args of [[], ['tcsh'], ['bash', 'zsh']]) {
      const r = spawnSync(process.execPath, [CLI, 'completion', ...args], { encoding: 'utf8' });
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, /cmf-pools completion: name one shell: bash, zsh, fish/);
    }
    const help = spawnSync(process.execPath, [CLI, 'completion', '--help'], { encoding: 'utf8' });
    assert.match(help.stdout, /source <\(cmf-pools completion bash\)/);
    assert.match(help.stdout, /cmf-pools completion fish > ~\/\.config\/fish\/completions\/cmf-pools\.fish/);
  });
});

describe('the command table', () => {
  it('every command\'s --help names every flag its parser takes, as completion offers them', () => {
    for (const c of COMMANDS) {
      const help = spawnSync(process.execPath, [CLI, c.name, '--help'], { encoding: 'utf8' });
      assert.equal(help.status, 0, c.name);
      for (const [long, o] of Object.entries(c.options)) {
        assert.ok(help.stdout.includes(`--${long}`), `${c.name} --help names --${long}`);
        if (o.short) assert.match(help.stdout, new RegExp(`-${o.short}, --${long}\\b`), `${c.name} --help names -${o.short}`);
      }
    }
    const top = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' }).stdout;
    for (const c of COMMANDS) assert.ok(top.includes(`  ${c.name.padEnd(12)} ${c.summary}\n`), c.name);
  });
});
