/**
 * reserved-volume: CMF mounts its own volumes into every pool pod; templates must not use their names or
 * mount paths. One walk over the pod templates (`volumeUses`) serves the check and the quick fixes.
 */
import { RESERVED_VOLUMES, reservedMountPath } from '../../../cmf-model/src/facts';
import { isObject } from '../../../cmf-model/src/json';
import { type JsonPath, pathLabel } from '../document/model';
import { CONTAINER_LISTS, type PoolModel, eachObject, podTemplates } from '../pool';
import { type Fix, type FixInput, defineRule, exists, str } from './rule';

const RESERVED_NAMES = new Map(RESERVED_VOLUMES.map((v) => [v.name, v.mountPath]));
/** Where a moved mount path goes instead of CMF's reserved one (the rule's message names it too). */
const FREE_MOUNT_ROOT = '/opt/flink/user-data';
/** The name a user's volume gets when it used one of CMF's reserved names. */
const FREE_VOLUME_NAME = 'user-statement-volume';

interface VolumeUse {
  kind: 'volume' | 'mount';
  /** the volume or the volume mount */
  item: Record<string, unknown>;
  /** its path */
  path: JsonPath;
  /** the container's path, for a mount */
  containerPath?: JsonPath;
}

/** Every volume and every volume mount in the pool's pod templates, in document order. */
function volumeUses(pool: PoolModel): VolumeUse[] {
  const out: VolumeUse[] = [];
  for (const template of podTemplates(pool)) {
    const spec = template.value.spec;
    if (!isObject(spec)) continue;
    const specPath: JsonPath = [...template.path, 'spec'];
    eachObject(spec.volumes, [...specPath, 'volumes'], (item, path) => out.push({ kind: 'volume', item, path }));
    for (const list of CONTAINER_LISTS) {
      eachObject(spec[list], [...specPath, list], (container, containerPath) => {
        eachObject(container.volumeMounts, [...containerPath, 'volumeMounts'], (item, path) => out.push({ kind: 'mount', item, path, containerPath }));
      });
    }
  }
  return out;
}

export const reservedVolumesRule = defineRule<'reserved-volume'>({
  codes: {
    'reserved-volume': { severity: 'error', summary: 'A pod template uses a volume name or mount path CMF reserves for itself.', docs: 'cmf' },
  },
  check({ pool }, r) {
    if (!pool) return;
    for (const use of volumeUses(pool)) {
      const name = use.item.name;
      if (typeof name === 'string' && RESERVED_NAMES.has(name)) {
        const at = r.valueAt([...use.path, 'name']);
        if (use.kind === 'volume') {
          r.report(
            'reserved-volume',
            at,
            `Volume name "${name}" is reserved: CMF adds a volume of that name (mounted at ${RESERVED_NAMES.get(name)}) to pass statements to Flink. Rename this volume.`,
            { kind: 'volume', path: [...use.path, 'name'], reserved: name },
          );
        } else {
          r.report(
            'reserved-volume',
            at,
            `Volume mount "${name}" in ${pathLabel(use.containerPath!)} uses a volume name CMF reserves for its own volume. Mount a volume of another name.`,
            { kind: 'mount-name', path: [...use.path, 'name'], reserved: name },
          );
        }
      }
      const mountPath = use.item.mountPath;
      const reserved = use.kind === 'mount' && typeof mountPath === 'string' ? reservedMountPath(mountPath) : undefined;
      if (typeof mountPath === 'string' && reserved) {
        r.report(
          'reserved-volume',
          r.valueAt([...use.path, 'mountPath']),
          `Mount path "${mountPath}" ${mountPath.replace(/\/+$/, '') === reserved ? 'is where' : `is beneath ${reserved}, where`} CMF mounts its own ${RESERVED_VOLUMES.find((v) => v.mountPath === reserved)?.name}. Mount somewhere else (for example ${FREE_MOUNT_ROOT}).`,
          { kind: 'mount-path', path: [...use.path, 'mountPath'], reserved },
        );
      }
    }
  },
  fixes: {
    'reserved-volume': (input) => (input.path && exists(input.pool, input.path) ? volumeFixes(input, input.path) : []),
  },
});

function freeName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

function volumeFixes({ pool, data }: FixInput, path: JsonPath): Fix[] {
  const kind = data.kind;
  if (kind === 'mount-path') {
    const current = pool.at(path);
    if (typeof current !== 'string') return [];
    const root = reservedMountPath(current) ?? str(data.reserved);
    if (!root) return [];
    // Paths already mounted in the same container.
    const mounts = pool.at(path.slice(0, -2));
    const taken = new Set<string>();
    if (Array.isArray(mounts)) for (const m of mounts) if (isObject(m) && typeof m.mountPath === 'string') taken.add(m.mountPath.replace(/\/+$/, ''));
    const rest = current.replace(/\/+$/, '').slice(root.length);
    let target = FREE_MOUNT_ROOT + rest;
    for (let i = 2; taken.has(target) || reservedMountPath(target); i++) target = `${FREE_MOUNT_ROOT}-${i}${rest}`;
    return [{ title: `Mount at ${target} instead`, build: (e) => e.set(path, target), preferred: true }];
  }
  const name = pool.at(path);
  if (typeof name !== 'string' || !RESERVED_NAMES.has(name)) return [];
  const named = volumeUses(pool).filter((u) => typeof u.item.name === 'string');
  if (kind === 'mount-name' && !named.some((u) => u.kind === 'volume' && u.item.name === name)) {
    // A mount of CMF's own volume: there is nothing of the user's to rename, so the mount goes.
    const mount = path.slice(0, -1);
    return [{ title: `Remove the mount of CMF's ${name}`, build: (e) => e.remove(mount), preferred: true }];
  }
  const target = freeName(FREE_VOLUME_NAME, new Set(named.map((u) => u.item.name as string)));
  const renamed = named.filter((u) => u.item.name === name);
  const mounts = renamed.filter((u) => u.kind === 'mount').length;
  const also = mounts > 0 ? ` (and its ${mounts === 1 ? 'mount' : `${mounts} mounts`})` : '';
  return [
    {
      title: `Rename volume "${name}" to "${target}"${also}`,
      build: (e) => {
        for (const u of renamed) e.set([...u.path, 'name'], target);
      },
      preferred: true,
    },
  ];
}
