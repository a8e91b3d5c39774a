/** reserved-volume: CMF mounts its own volumes into every pool pod; templates must not use their names or paths. */
import { RESERVED_VOLUMES, reservedMountPath } from '../../../cmf-model/src/facts';
import { type JsonPath, isObject, pathLabel } from '../document';
import { type PoolModel, podTemplates } from '../pool';
import type { Reporter } from './context';

const RESERVED_NAMES = new Map(RESERVED_VOLUMES.map((v) => [v.name, v.mountPath]));
const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];

export function reservedVolumes(pool: PoolModel, r: Reporter): void {
  for (const template of podTemplates(pool)) {
    const spec = template.value.spec;
    if (!isObject(spec)) continue;
    const specPath: JsonPath = [...template.path, 'spec'];
    forEach(spec.volumes, [...specPath, 'volumes'], (volume, path) => {
      const name = volume.name;
      if (typeof name === 'string' && RESERVED_NAMES.has(name)) {
        r.report(
          'reserved-volume',
          r.valueAt([...path, 'name']),
          `Volume name "${name}" is reserved: CMF adds a volume of that name (mounted at ${RESERVED_NAMES.get(name)}) to pass statements to Flink. Rename this volume.`,
          { kind: 'volume', path: [...path, 'name'], reserved: name },
        );
      }
    });
    for (const list of CONTAINER_LISTS) {
      forEach(spec[list], [...specPath, list], (container, containerPath) => {
        forEach(container.volumeMounts, [...containerPath, 'volumeMounts'], (mount, path) => {
          const name = mount.name;
          if (typeof name === 'string' && RESERVED_NAMES.has(name)) {
            r.report(
              'reserved-volume',
              r.valueAt([...path, 'name']),
              `Volume mount "${name}" in ${pathLabel(containerPath)} uses a volume name CMF reserves for its own volume. Mount a volume of another name.`,
              { kind: 'mount-name', path: [...path, 'name'], reserved: name },
            );
          }
          const mountPath = mount.mountPath;
          const reserved = typeof mountPath === 'string' ? reservedMountPath(mountPath) : undefined;
          if (typeof mountPath === 'string' && reserved) {
            r.report(
              'reserved-volume',
              r.valueAt([...path, 'mountPath']),
              `Mount path "${mountPath}" ${mountPath.replace(/\/+$/, '') === reserved ? 'is where' : `is beneath ${reserved}, where`} CMF mounts its own ${RESERVED_VOLUMES.find((v) => v.mountPath === reserved)?.name}. Mount somewhere else (for example /opt/flink/user-data).`,
              { kind: 'mount-path', path: [...path, 'mountPath'], reserved },
            );
          }
        });
      });
    }
  }
}

function forEach(list: unknown, path: JsonPath, f: (item: Record<string, unknown>, path: JsonPath) => void): void {
  if (!Array.isArray(list)) return;
  list.forEach((item, i) => {
    if (isObject(item)) f(item, [...path, i]);
  });
}
