/**
 * Which CMF a pool is checked for: the connected CMF's own version (what the explorer learns from CMF's
 * /system-information), else cmfPools.cmfVersion, else the newest CMF these rules know; and how messages name it.
 */
import { type CmfRelease, cmfRelease } from '../../cmf-model/src/releases';
import type { ResolvedSettings } from './settings';

export interface CmfTarget {
  /** The rules' row for that version (the nearest known one when the table has not this version). */
  readonly release: CmfRelease;
  /** The version as CMF or the setting says it (`2.4.1`), or the release's own. */
  readonly version: string;
  readonly from: 'connection' | 'setting' | 'default';
  /** The release table has this version's own row. */
  readonly exact: boolean;
}

export function cmfTarget(settings: ResolvedSettings, connected?: string): CmfTarget {
  const given = connected ?? settings.cmfVersion;
  const { release, exact } = cmfRelease(given);
  return { release, version: given?.trim() || release.version, from: connected ? 'connection' : given ? 'setting' : 'default', exact };
}

/** "CMF 2.4.1 (the connected CMF)", "CMF 2.4 (cmfPools.cmfVersion)", "CMF 2.5 (the newest CMF these rules know; ...)". */
export function describeCmf(t: CmfTarget): string {
  const where =
    t.from === 'connection' ? 'the connected CMF' : t.from === 'setting' ? 'cmfPools.cmfVersion' : 'the newest CMF these rules know; set cmfPools.cmfVersion to yours';
  const nearest = t.exact ? '' : `, checked as CMF ${t.release.version}, the nearest version these rules know`;
  return `CMF ${t.version} (${where}${nearest})`;
}
