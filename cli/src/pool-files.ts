/**
 * The compute pools `apply -f` and `diff -f` work on: every pool document of the files, folders and globs given
 * (targets.ts), linted, each ready for the lifecycle. A file may hold several pools (YAML documents): each is one
 * entry, named in messages and diff headers by `file:line` (where its document starts). A Confluent for Kubernetes
 * FlinkComputePool is never sent to CMF: found in a folder or beside other pools, it is skipped with a note; a file
 * named on its own that holds only such pools is refused (CFK owns them: kubectl applies them).
 */
import { CFK_KIND } from '../../cmf-model/src/facts';
import * as path from 'node:path';
import { type PoolDefaults, type ResolvedSettings, lint, poolText } from '../../language-service/src/index';
import type { LintedPool } from '../../cmf-client/src/lifecycle';
import { UsageError } from './args';
import { checkTarget, resolveTargets } from './targets';
import type { CliIo } from './main';

export interface FilePool {
  /** The file as given or found (`-`: standard input). */
  file: string;
  /** 1-based line where the pool's document starts. */
  line: number;
  /** How the pool is named in messages and diffs: the file, or `file:line` in a file of several pools. */
  label: string;
  /** The pool, linted, as the lifecycle takes it. */
  linted: LintedPool;
  /** The file's text and the pool's place among its pools, to lint it again over an environment's defaults. */
  source: { text: string; path: string; index: number };
}

interface SkippedPool {
  file: string;
  line: number;
  name: string | undefined;
  /** "Skipped FlinkComputePool 'x' (file:line): ...": why it is not sent to CMF. */
  message: string;
}

export interface CollectedPools {
  pools: FilePool[];
  skipped: SkippedPool[];
  /** Files that could not be read, globs that match nothing, folders that cannot be read: sentences. */
  problems: string[];
  /** Named files holding only FlinkComputePools: sentences that say what to do instead. */
  refused: string[];
  /** Folders and globs given. */
  searched: string[];
  /** JSON and YAML files looked at in folders and through globs that hold no pool. */
  notPools: number;
  /** Pools with the same metadata.name in more than one place: sentences naming them. */
  duplicates: string[];
}

const shown = (file: string) => (file === '-' ? '<stdin>' : file);

function cfkMessage(file: string, names: (string | undefined)[]): string {
  const what = names.length === 1 ? `is a FlinkComputePool (${names[0] ?? 'unnamed'})` : `holds FlinkComputePools (${names.map((n) => n ?? 'unnamed').join(', ')})`;
  return (
    `${shown(file)} ${what}: Confluent for Kubernetes owns that pool and syncs it to CMF, ` +
    `so it is applied with kubectl (kubectl apply -f ${file === '-' ? '<file>' : file}), not through CMF's API. "cmf-pools lint" checks it.`
  );
}

/** The pools of the files the arguments name, in order. */
export async function collectPools(args: readonly string[], io: CliIo, settings: ResolvedSettings): Promise<CollectedPools> {
  const { targets, problems, searched } = await resolveTargets(args, io);
  const out: CollectedPools = { pools: [], skipped: [], problems: [...problems], refused: [], searched, notPools: 0, duplicates: [] };
  for (const target of targets) {
    const checked = await checkTarget(target, io, settings);
    if (checked.kind === 'unread') {
      out.problems.push(`cannot read ${shown(checked.file)}: ${checked.message}`);
      continue;
    }
    if (checked.kind === 'skipped') {
      out.notPools++;
      continue;
    }
    const { result, file } = checked;
    const several = result.pools.length > 1;
    const render = result.language === 'yaml' ? (v: unknown) => poolText(v, 'yaml') : undefined;
    const cfk = result.pools.filter((p) => p.kind === CFK_KIND);
    if (checked.explicit && cfk.length === result.pools.length && cfk.length > 0) {
      out.refused.push(cfkMessage(file, cfk.map((p) => p.name)));
      continue;
    }
    for (const [index, pool] of result.pools.entries()) {
      const line = pool.line + 1;
      if (pool.kind === CFK_KIND) {
        out.skipped.push({
          file,
          line,
          name: pool.name,
          message: `Skipped FlinkComputePool '${pool.name ?? 'unnamed'}' (${shown(file)}:${line}): Confluent for Kubernetes owns it and syncs it to CMF; it is applied with kubectl apply -f ${file === '-' ? '<file>' : file}, not through CMF's API.`,
        });
        continue;
      }
      const label = several ? `${shown(file)}:${line}` : shown(file);
      out.pools.push({
        file,
        line,
        label,
        linted: { label, value: pool.value, name: pool.name, diagnostics: pool.diagnostics, errors: pool.errors, render },
        source: { text: checked.text, path: file === '-' ? 'stdin:' : path.resolve(io.cwd, file), index },
      });
    }
  }
  const byName = new Map<string, FilePool[]>();
  for (const p of out.pools) if (p.linted.name) byName.set(p.linted.name, [...(byName.get(p.linted.name) ?? []), p]);
  for (const [name, same] of byName) {
    if (same.length > 1) out.duplicates.push(`compute pool '${name}' is in ${same.map((p) => `${shown(p.file)}:${p.line}`).join(' and ')}: a pool can be applied from one place only`);
  }
  return out;
}

/** The pool linted again as CMF deploys it: over an environment's computePoolDefaults, for the CMF version they name. */
export function withDefaults(pool: FilePool, settings: ResolvedSettings, defaults: PoolDefaults): FilePool {
  const again = lint(pool.source.text, { path: pool.source.path, settings, defaults }).pools[pool.source.index];
  if (!again) return pool;
  return { ...pool, linted: { ...pool.linted, diagnostics: again.diagnostics, errors: again.errors } };
}

/**
 * What `apply` and `diff` refuse before contacting CMF: files that cannot be read (exit 2), no pool found (exit 2), a
 * named file of FlinkComputePools only, or one pool name in two places (exit 1). Undefined: go on.
 */
export function refuseEarly(verb: 'apply' | 'diff', found: CollectedPools, io: CliIo): number | undefined {
  if (found.problems.length) throw new UsageError(found.problems.join('; ') + '.');
  for (const r of found.refused) io.err(`cmf-pools ${verb}: ${r}\n`);
  for (const d of found.duplicates) io.err(`cmf-pools ${verb}: ${d}.\n`);
  if (found.refused.length || found.duplicates.length) return verb === 'diff' ? 2 : 1;
  if (found.pools.length === 0 && found.skipped.length === 0) {
    io.err(`cmf-pools ${verb}: ${noneFound(found)}.\n`);
    return 2;
  }
  return undefined;
}

/** "No compute-pool files found in pools, k8s (3 JSON or YAML files looked at: none holds ...)". */
function noneFound(c: CollectedPools): string {
  const where = c.searched.length ? ` in ${c.searched.join(', ')}` : '';
  const looked = c.notPools ? ` (${c.notPools} JSON or YAML file${c.notPools === 1 ? '' : 's'} looked at: none holds a ComputePool or FlinkComputePool, or matches cmfPools.files)` : '';
  return `No compute-pool files found${where}${looked}`;
}
