/**
 * A new compute pool, clean from the start: what "CMF: New Compute Pool File" writes. A dedicated pool is
 * CMF's documentation example; a shared pool adds Kubernetes high availability so that its session cluster can
 * recover. Both keep checkpoints and savepoints (so their statements keep state across stop and resume), with
 * placeholder locations. The image is the newest known build for the line.
 */
import { API_VERSION, KIND, type PoolType } from '../../cmf-model/src/facts';
import { flinkLine } from '../../cmf-model/src/images';
import { newestImageFor } from './images';
import { placeholderDirectory } from './flink/common';
import { lookupKey, optionSetFor } from './flink/options';

export interface NewPoolOptions {
  type: PoolType;
  name: string;
  /** default v1_19, the line every CMF version runs */
  flinkVersion?: string;
}

export function newPool(o: NewPoolOptions): Record<string, unknown> {
  const flinkVersion = o.flinkVersion ?? 'v1_19';
  const image = newestImageFor(flinkLine(flinkVersion)) ?? newestImageFor('1.19')!;
  const shared = o.type === 'SHARED';
  const flinkConfiguration: Record<string, string> = shared
    ? {
        'taskmanager.numberOfTaskSlots': '4',
        'execution.checkpointing.interval': '10s',
        'high-availability.type': 'kubernetes',
        'high-availability.storageDir': placeholderDirectory(o.name, 'recovery'),
      }
    : { 'execution.checkpointing.interval': '10s' };
  // Flink 2 renamed the directories (its option data marks the 1.x names deprecated).
  const legacy = lookupKey(optionSetFor(flinkVersion), 'state.savepoints.dir').kind === 'known';
  flinkConfiguration[legacy ? 'state.checkpoints.dir' : 'execution.checkpointing.dir'] = placeholderDirectory(o.name, 'checkpoints');
  flinkConfiguration[legacy ? 'state.savepoints.dir' : 'execution.checkpointing.savepoint-dir'] = placeholderDirectory(o.name, 'savepoints');
  return {
    apiVersion: API_VERSION,
    kind: KIND,
    metadata: { name: o.name },
    spec: {
      type: o.type,
      ...(shared ? { state: 'RUNNING' } : {}),
      clusterSpec: {
        flinkVersion,
        image,
        flinkConfiguration,
        taskManager: { resource: { cpu: 1.0, memory: shared ? '2048m' : '1024m' } },
        jobManager: { resource: { cpu: shared ? 1.0 : 0.5, memory: '1024m' } },
      },
    },
  };
}

export function newPoolText(o: NewPoolOptions, indent: number | string = 2): string {
  return JSON.stringify(newPool(o), null, indent) + '\n';
}
