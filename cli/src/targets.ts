/**
 * The files a command works on, from its arguments: a file (always checked, as the user named it), `-` (standard
 * input), a folder (walked: walk.ts), or a glob (tinyglobby, without node_modules). Found files — in a folder or
 * through a glob — count when they hold a compute pool by the same detection as the editor: a document whose kind is
 * ComputePool or FlinkComputePool, or a path matching cmfPools.files. `lint`, `apply` and `diff` share this.
 */
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { mightNamePoolKind } from '../../cmf-model/src/files';
import { type LintResult, type PoolDefaults, type ResolvedSettings, lint } from '../../language-service/src/index';
import { MAX_INPUT_BYTES, readPoolText } from './input';
import { walk } from './walk';
import type { CliIo } from './main';

export interface Target {
  /** The path as shown: as given, or the folder given joined with the path found in it; `-` for standard input. */
  file: string;
  /** Named by the user (or standard input): checked whatever it holds. Found ones count only when they hold a pool. */
  explicit: boolean;
}

export interface Targets {
  targets: Target[];
  /** What was wrong with an argument (a glob that matches nothing, a folder that cannot be read), as sentences. */
  problems: string[];
  /** Folders and globs given, for "No compute-pool files found in ...". */
  searched: string[];
}

/** The files the arguments name, in order (a file found twice counts once). */
export async function resolveTargets(args: readonly string[], io: CliIo): Promise<Targets> {
  const out: Targets = { targets: [], problems: [], searched: [] };
  const seen = new Set<string>();
  const add = (file: string, explicit: boolean) => {
    const key = file === '-' ? '-' : path.resolve(io.cwd, file);
    if (seen.has(key)) return;
    seen.add(key);
    out.targets.push({ file, explicit });
  };
  for (const arg of args) {
    if (arg === '-') {
      add('-', true);
      continue;
    }
    const abs = path.resolve(io.cwd, arg);
    if (isFolder(abs)) {
      out.searched.push(arg);
      const found = await walk(abs);
      for (const e of found.errors) out.problems.push(`cannot read the folder ${path.join(arg, e.folder)}: ${e.message}`);
      for (const f of found.files) add(path.join(arg, f), false);
    } else if (isDynamicPattern(arg) && !existsSync(abs)) {
      out.searched.push(arg);
      const found = await glob(arg, { cwd: io.cwd, ignore: ['**/node_modules/**'], dot: false });
      if (found.length === 0) out.problems.push(`no file matches "${arg}"`);
      for (const f of found.sort()) add(f, false);
    } else add(arg, true);
  }
  return out;
}

function isFolder(abs: string): boolean {
  try {
    return statSync(abs).isDirectory();
  } catch {
    return false;
  }
}

export type Checked =
  /** A file to report on: named, or found and holding a pool. */
  | { kind: 'checked'; file: string; explicit: boolean; text: string; result: LintResult }
  /** Found, and not a compute-pool file. */
  | { kind: 'skipped'; file: string }
  /** Could not be read: the message says why. */
  | { kind: 'unread'; file: string; message: string; code?: string };

/**
 * Reads and lints one target (over an environment's computePoolDefaults when given). A found file larger than a
 * pool file can be is skipped unread.
 */
export async function checkTarget(target: Target, io: CliIo, settings: ResolvedSettings, defaults?: PoolDefaults): Promise<Checked> {
  const { file, explicit } = target;
  const abs = file === '-' ? undefined : path.resolve(io.cwd, file);
  if (!explicit && abs) {
    try {
      if (statSync(abs).size > MAX_INPUT_BYTES) return { kind: 'skipped', file };
    } catch {
      // Reported by the read below.
    }
  }
  let text: string;
  try {
    text = await readPoolText(file, io);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (e as Error).message;
    return { kind: 'unread', file, message, code };
  }
  // A cheap first look before parsing: most JSON and YAML in a repository names no pool kind.
  if (!explicit && abs && !settings.matchesFiles(abs) && !mightNamePoolKind(text)) return { kind: 'skipped', file };
  const result = lint(text, { path: abs ?? 'stdin:', settings, defaults });
  if (!explicit && !result.isPool) return { kind: 'skipped', file };
  return { kind: 'checked', file, explicit, text, result };
}
