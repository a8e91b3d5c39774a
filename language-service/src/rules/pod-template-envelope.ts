/**
 * pod-template-envelope and component-pod-template-envelope: the Pod's `apiVersion` and `kind` in a pool's pod
 * template. The FlinkDeployment CRD allows them, and environment application defaults carry them, but CMF rejects a
 * pool whose clusterSpec.podTemplate has them ("'podTemplate' contains unexpected field(s): {apiVersion=v1,
 * kind=Pod}", recorded in a public install script for CMF). Whether CMF checks jobManager.podTemplate and
 * taskManager.podTemplate the same way is not known: there it is a warning that says so.
 */
import { POD_TEMPLATE_ENVELOPE_FIELDS, podTemplateEnvelopeRejection } from '../../../cmf-model/src/facts';
import { isObject } from '../../../cmf-model/src/json';
import { type JsonPath, pathLabel } from '../document/model';
import { CLUSTER_SPEC, type PoolModel, podTemplates, samePath } from '../pool';
import { type Fix, defineRule, exists, isPath } from './rule';

type EnvelopeCode = 'pod-template-envelope' | 'component-pod-template-envelope';

const POOL_TEMPLATE: JsonPath = [...CLUSTER_SPEC, 'podTemplate'];

export const podTemplateEnvelopeRule = defineRule<EnvelopeCode>({
  codes: {
    'pod-template-envelope': {
      severity: 'error',
      summary: "clusterSpec.podTemplate has the Pod's apiVersion or kind: CMF rejects the pool.",
      docs: 'cmf',
      help:
        "CMF answers `'podTemplate' contains unexpected field(s): {apiVersion=v1, kind=Pod}`: a pool's pod template is the Pod's `metadata` and `spec` only, although the Flink operator's FlinkDeployment (and an environment's application defaults) allow the envelope. This is known from deployments, not from CMF's documentation.",
    },
    'component-pod-template-envelope': {
      severity: 'warning',
      summary: "jobManager.podTemplate or taskManager.podTemplate has the Pod's apiVersion or kind: CMF rejects them in clusterSpec.podTemplate; whether it does here is not known.",
      docs: 'cmf',
    },
  },
  check({ pool }, r) {
    if (!pool) return;
    for (const { path, value } of podTemplates(pool)) {
      const fields = POD_TEMPLATE_ENVELOPE_FIELDS.filter((f) => value[f] !== undefined);
      if (fields.length === 0) continue;
      const own = samePath(path, POOL_TEMPLATE);
      const where = pathLabel(path.slice(CLUSTER_SPEC.length - 1));
      for (const field of fields) {
        const message = own
          ? `${where} must not have ${field}: CMF rejects the pool with "${podTemplateEnvelopeRejection(value)}". A pool's pod template is the Pod's metadata and spec only (the Flink operator's FlinkDeployment allows the envelope; CMF does not). Remove ${fields.join(' and ')}.`
          : `${where} has the Pod's ${field}: CMF rejects apiVersion and kind in clusterSpec.podTemplate ("'podTemplate' contains unexpected field(s)"); whether it checks ${where} the same way is not known. Remove ${fields.join(' and ')} to be safe: the template is the Pod's metadata and spec.`;
        r.report(own ? 'pod-template-envelope' : 'component-pod-template-envelope', r.keyAt([...path, field]), message, { path: [...path, field], template: path });
      }
    }
  },
  fixes: {
    'pod-template-envelope': (input) => removeEnvelope(input.pool, input.data.template),
    'component-pod-template-envelope': (input) => removeEnvelope(input.pool, input.data.template),
  },
});

/** One fix: remove every envelope field the template has in the file. */
function removeEnvelope(pool: PoolModel, template: unknown): Fix[] {
  if (!isPath(template) || !isObject(pool.at(template))) return [];
  const fields = POD_TEMPLATE_ENVELOPE_FIELDS.filter((f) => exists(pool, [...template, f]));
  if (fields.length === 0) return [];
  return [
    {
      title: `Remove ${fields.join(' and ')} from ${pathLabel(template.slice(CLUSTER_SPEC.length - 1))}`,
      build: (e) => {
        for (const f of fields) e.remove([...template, f]);
      },
      preferred: true,
    },
  ];
}
