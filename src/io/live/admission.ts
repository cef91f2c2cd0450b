// Ask the API server what it would admit: a server-side dry-run create (dryRun=All: admission runs,
// nothing is stored) of the pod the DaemonSet controller would create, once per DaemonSet, as
// kubernetes/kubernetes#61886 suggested for exactly this. A refusal (a webhook denial, a quota) is an
// answer too; a 403 means we may not ask, and the template is used with a warning.

import { admissionChanges, controllerPod } from '../../model/admission.ts';
import type { DaemonSet, Gap, Pod } from '../../model/types.ts';
import type { AdmittedSpecs } from '../../model/whatIf.ts';
import { ApiError, mapBounded } from '../http.ts';
import { apiPath, forbiddenGap, isForbidden } from './reads.ts';
import type { LiveSession } from './session.ts';

export async function admitPods(s: LiveSession, wanted: readonly { ds: DaemonSet; node: string }[], gaps: Map<string, Gap>): Promise<AdmittedSpecs> {
  const out: AdmittedSpecs = new Map();
  await mapBounded(wanted, 4, async ({ ds, node }) => {
    const ns = ds.metadata.namespace ?? 'default';
    const sent = controllerPod(ds, node);
    try {
      const admitted = await s.client.request<Pod>('POST', apiPath('', 'pods', ns), { body: sent, query: { dryRun: 'All', fieldManager: 'kubectl-ds-inspect' } });
      out.set(`${ns}/${ds.metadata.name ?? ''}`, { spec: admitted.spec ?? {}, changes: admissionChanges(sent, admitted) });
    } catch (e) {
      if (isForbidden(e)) {
        gaps.set('admission', forbiddenGap('create', 'pods', ns, e, 'admission (LimitRange, PodNodeSelector, webhooks) is not checked: the template is evaluated as written'));
        return;
      }
      if (e instanceof ApiError && (e.status === 400 || e.status === 422 || e.status === 409)) {
        out.set(`${ns}/${ds.metadata.name ?? ''}`, { spec: sent.spec ?? {}, changes: [], refused: e.message });
        return;
      }
      throw e;
    }
  });
  return out;
}
