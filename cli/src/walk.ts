/**
 * Walking a folder for the files that may hold compute pools, as git sees the folder: `node_modules` and `.git` are
 * never entered, and what `.gitignore` files ignore is skipped. Each `.gitignore` applies to its own folder and below,
 * a deeper one overriding a shallower one and `!` re-including, by gitignore(5) as the `ignore` package implements it;
 * the `.gitignore` files of the folders above the walked one count too, up to the repository's root (the nearest
 * folder with a `.git`), and so does that root's `.git/info/exclude`. Git's global excludes file
 * (`core.excludesFile`) is not read. A folder named on the command line is walked even when it is ignored itself.
 * Symbolic links are not followed (git stores the link, not what it points to).
 *
 * Only files the editor would check are returned: `.json`, `.jsonc`, `.yaml` and `.yml` (VS Code's JSON and YAML
 * languages); whether one holds a pool is the engine's decision (`targets.ts`).
 */
import { existsSync, readFileSync, type Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** Folders never entered, whatever .gitignore says. */
const NEVER_ENTERED = new Set(['node_modules', '.git']);
/** The files the editor checks: its JSON, JSON with comments and YAML languages. */
const POOL_FILE_EXTENSIONS = /\.(json|jsonc|yaml|yml)$/i;

/**
 * Git matches .gitignore patterns without regard to case where the file system does (core.ignorecase, which `git init`
 * sets there: macOS and Windows by default), and exactly elsewhere.
 */
const CASE_INSENSITIVE_FILE_SYSTEM = process.platform === 'darwin' || process.platform === 'win32';

/** The ignore rules of one folder (its .gitignore, or the repository's .git/info/exclude). */
interface Layer {
  base: string;
  rules: Ignore;
}

export interface WalkResult {
  /** The files found, relative to the walked folder, with `/`, in a stable order (sorted by name, folder by folder). */
  files: string[];
  /** Folders that could not be read, with why. */
  errors: { folder: string; message: string }[];
}

/** The repository a path is in: the nearest folder (the path itself or above) that has a `.git` (a folder, or a worktree's file). */
export function repositoryRoot(start: string): string | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function layer(base: string, file: string): Layer | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return { base, rules: ignore({ ignorecase: CASE_INSENSITIVE_FILE_SYSTEM }).add(text) };
}

/** Is `abs` ignored by these layers (shallowest first)? The last layer with a matching rule decides, as in git. */
function isIgnored(layers: readonly Layer[], abs: string, folder: boolean): boolean {
  let ignored = false;
  for (const { base, rules } of layers) {
    const rel = path.relative(base, abs).split(path.sep).join('/');
    if (rel === '' || rel.startsWith('../') || rel === '..' || path.isAbsolute(rel)) continue;
    const r = rules.test(folder ? `${rel}/` : rel);
    if (r.ignored) ignored = true;
    else if (r.unignored) ignored = false;
  }
  return ignored;
}

/** The ignore rules that apply inside `dir` from the folders above it, up to its repository's root. */
function inheritedLayers(dir: string): Layer[] {
  const root = repositoryRoot(dir);
  if (!root) return [];
  const layers: Layer[] = [];
  const exclude = layer(root, path.join(root, '.git', 'info', 'exclude'));
  if (exclude) layers.push(exclude);
  const chain: string[] = [];
  for (let d = path.dirname(dir); d.length >= root.length && d.startsWith(root); d = path.dirname(d)) {
    chain.unshift(d);
    if (d === root || path.dirname(d) === d) break;
  }
  for (const d of chain) {
    const l = layer(d, path.join(d, '.gitignore'));
    if (l) layers.push(l);
  }
  return layers;
}

/** The JSON and YAML files under `dir` that git would not ignore (see the module comment). */
export async function walk(dir: string): Promise<WalkResult> {
  const top = path.resolve(dir);
  const result: WalkResult = { files: [], errors: [] };
  const visit = async (folder: string, layers: Layer[]): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (e) {
      result.errors.push({ folder: path.relative(top, folder) || '.', message: (e as NodeJS.ErrnoException).code ?? (e as Error).message });
      return;
    }
    const own = entries.some((e) => e.name === '.gitignore' && e.isFile()) ? layer(folder, path.join(folder, '.gitignore')) : undefined;
    const here = own ? [...layers, own] : layers;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const abs = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (NEVER_ENTERED.has(entry.name) || isIgnored(here, abs, true)) continue;
        await visit(abs, here);
      } else if (entry.isFile() && POOL_FILE_EXTENSIONS.test(entry.name) && !isIgnored(here, abs, false)) {
        result.files.push(path.relative(top, abs).split(path.sep).join('/'));
      }
    }
  };
  // A folder named on the command line is walked even when it is ignored itself (as a file named there is checked),
  // with the .gitignore files inside it.
  const inherited = inheritedLayers(top);
  await visit(top, isIgnored(inherited, top, true) ? [] : inherited);
  return result;
}
