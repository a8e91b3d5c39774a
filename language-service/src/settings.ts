/** The settings the language service reads (`cmfPools.*`), with their defaults and the severity lookup. */
import picomatch from 'picomatch';
import { DEFAULT_POOL_FILES } from '../../cmf-model/src/files';
import { cmfLine } from '../../cmf-model/src/releases';
import { defaultSeverity } from './rules';
import type { SeveritySetting } from './rules/rule';

export interface PoolSettings {
  /** Globs of files validated as pools even without `"kind": "ComputePool"`. */
  files: string[];
  /** code (or `schema/*`) -> severity or off */
  rules: Record<string, string>;
  /** Globs of images known to be built on cp-flink-sql. */
  allowedImages: string[];
  /**
   * The CMF version pools are checked for (`2.4`, `2.4.1`): which Flink lines and cp-flink-sql builds it runs.
   * Undefined: the newest CMF these rules know. A connected CMF's own version wins over it (PoolDefaults.cmfVersion).
   */
  cmfVersion?: string;
}

export const DEFAULT_SETTINGS: PoolSettings = { files: [...DEFAULT_POOL_FILES], rules: {}, allowedImages: [] };

/** Codes that were renamed: a severity set for the old name applies to the new one (until the new one is set). */
const RENAMED_CODES: Readonly<Record<string, string>> = { 'image-too-old': 'shared-image-too-old' };

const SEVERITIES = new Set(['error', 'warning', 'info', 'hint', 'off']);

/** Settings as they come from a client or a file: anything. Keeps what is well-formed, defaults the rest. */
export function normalizeSettings(raw: unknown): PoolSettings {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const strings = (v: unknown): string[] | undefined =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.length > 0) : undefined;
  const rules: Record<string, string> = {};
  if (typeof r.rules === 'object' && r.rules !== null) {
    for (const [k, v] of Object.entries(r.rules as Record<string, unknown>)) {
      if (typeof v === 'string' && SEVERITIES.has(v.toLowerCase())) rules[k] = v.toLowerCase();
    }
  }
  const settings: PoolSettings = { files: strings(r.files) ?? DEFAULT_SETTINGS.files, rules, allowedImages: strings(r.allowedImages) ?? [] };
  if (cmfLine(r.cmfVersion) !== undefined) settings.cmfVersion = (r.cmfVersion as string).trim();
  return settings;
}

/** Compiled form of the settings, made once per settings object. */
export class ResolvedSettings {
  private readonly filesMatch: (path: string) => boolean;
  private readonly imagesMatch: (image: string) => boolean;
  constructor(readonly settings: PoolSettings) {
    this.filesMatch = poolFileMatcher(settings.files);
    this.imagesMatch = settings.allowedImages.length ? picomatch(settings.allowedImages, { dot: true, nocase: true }) : () => false;
  }
  severity(code: string): SeveritySetting {
    const renamed = RENAMED_CODES[code];
    const set =
      this.settings.rules[code] ?? (renamed !== undefined ? this.settings.rules[renamed] : undefined) ?? (code.startsWith('schema/') ? this.settings.rules['schema/*'] : undefined);
    return (set as SeveritySetting | undefined) ?? defaultSeverity(code);
  }
  /** Does a file path (a URI's path or a file system path) match `cmfPools.files`? */
  matchesFiles(path: string): boolean {
    return this.filesMatch(path);
  }
  imageAllowed(image: string): boolean {
    return this.imagesMatch(image);
  }
  /** cmfPools.cmfVersion, when set. */
  get cmfVersion(): string | undefined {
    return this.settings.cmfVersion;
  }
}

/** A matcher for cmfPools.files globs against a path (a URI's path or a file system path, either slash). */
function poolFileMatcher(globs: readonly string[]): (path: string) => boolean {
  if (globs.length === 0) return () => false;
  const m = picomatch([...globs], { dot: true });
  // `**/x` should match `/abs/x` as well as `rel/x`.
  return (path) => {
    const p = path.replace(/\\/g, '/');
    return m(p) || m(p.replace(/^\/+/, ''));
  };
}
