/**
 * The commands of `cmf-pools`, what each says of itself in `--help`, and what its options and arguments take: the
 * one table `--help` and the shell completion scripts (completion.ts) are made from, with each command's options
 * the very objects its parser uses, so completion cannot fall behind a new flag.
 */
import type { ParseArgsConfig } from 'node:util';
import { APPLY_OPTIONS } from './apply';
import { CONNECTION_OPTIONS } from './connect';
import { DELETE_OPTIONS } from './delete';
import { DIFF_OPTIONS } from './diff';
import { GET_OPTIONS } from './get';
import { LINT_OPTIONS } from './lint';
import { STATE_OPTIONS } from './pool-state';
import { STATEMENTS_OPTIONS } from './statements';

type Options = NonNullable<ParseArgsConfig['options']>;

export const SHELLS = ['bash', 'zsh', 'fish'] as const;

export interface CommandInfo {
  name: string;
  /** One line for `cmf-pools --help`. */
  summary: string;
  options: Options;
  /** The values an option takes, when they are a fixed list. */
  values?: Record<string, readonly string[]>;
  /** What the arguments are: files and folders, a pool's name, or one of a list. */
  args: 'files' | 'pool' | 'none' | readonly string[];
}

/** Options whose value is a file (completed with the file names). */
export const FILE_OPTIONS: ReadonlySet<string> = new Set(['file', 'settings', 'environment-defaults', 'certificate-authority-path', 'client-cert-path', 'client-key-path']);

const OUTPUT_VALUES = { output: ['table', 'json', 'yaml'] } as const;

export const COMMANDS: readonly CommandInfo[] = [
  {
    name: 'lint',
    summary: 'Check compute-pool files and folders against CMF\'s rules; text, JSON, SARIF or GitHub output',
    options: LINT_OPTIONS,
    values: { format: ['text', 'json', 'sarif', 'github'] },
    args: 'files',
  },
  {
    name: 'apply',
    summary: 'Create or update the compute pools of files and folders: one plan, one confirmation',
    options: APPLY_OPTIONS,
    values: { output: ['json'] },
    args: 'files',
  },
  {
    name: 'diff',
    summary: 'Compare files and folders with the live compute pools (exit 1 when they differ)',
    options: DIFF_OPTIONS,
    values: { output: ['json'] },
    args: 'files',
  },
  { name: 'get', summary: 'Show a compute pool', options: GET_OPTIONS, values: OUTPUT_VALUES, args: 'pool' },
  { name: 'list', summary: 'List the compute pools of an environment (name, type, phase, age, warning)', options: GET_OPTIONS, values: OUTPUT_VALUES, args: 'none' },
  { name: 'statements', summary: 'List the statements of an environment or of one pool, with their phases', options: STATEMENTS_OPTIONS, values: OUTPUT_VALUES, args: 'none' },
  { name: 'suspend', summary: 'Suspend a shared compute pool (its session cluster is removed)', options: STATE_OPTIONS, args: 'pool' },
  { name: 'resume', summary: 'Resume a suspended shared compute pool', options: STATE_OPTIONS, args: 'pool' },
  { name: 'delete', summary: 'Delete a compute pool; --force sends CMF\'s force=true (metadata only)', options: DELETE_OPTIONS, args: 'pool' },
  { name: 'completion', summary: 'Print a shell completion script: bash, zsh or fish', options: { help: CONNECTION_OPTIONS.help }, args: SHELLS },
];
