// Writes of `rollout advance`: the DELETE of one old pod, with preconditions, and the patch of the walk's
// lock annotation on the DaemonSet. Neither is retried blindly: a DELETE whose answer is lost may have
// deleted the pod (the controller then creates the new one), and a lock patch carries the resourceVersion
// it was decided on, so a 409 means "decide again", never "overwrite".

import { RuntimeError } from '../../errors.ts';
import type { DaemonSet } from '../../model/types.ts';
import { ApiError, ConflictError, OutcomeUnknownError, type ApiClient } from '../http.ts';
import { apiPath } from './reads.ts';

const RBAC_HINT = 'see examples/rbac/ds-inspect-rollout.yaml';

export type DeleteResult = 'deleted' | 'gone' | 'changed';

/**
 * DELETE the pod only if it is still the one the plan saw: DeleteOptions.preconditions {uid,
 * resourceVersion} (the API server answers 409 otherwise). No gracePeriodSeconds: the pod keeps the
 * terminationGracePeriodSeconds of the DaemonSet's template, as a controller-driven replacement would.
 */
export async function deletePodWithPreconditions(client: ApiClient, ns: string, name: string, pre: { uid: string; resourceVersion: string }): Promise<DeleteResult> {
  try {
    await client.request('DELETE', apiPath('', 'pods', ns, name), { body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: pre.uid, resourceVersion: pre.resourceVersion } } });
    return 'deleted';
  } catch (e) {
    if (e instanceof OutcomeUnknownError) {
      throw new OutcomeUnknownError(
        `the deletion of pod "${name}" in namespace "${ns}" may or may not have happened (${e.detail}); the outcome is unknown: look at the pods of the DaemonSet (kubectl ds-inspect rollout status) before running advance again`,
        e.detail,
        { cause: e },
      );
    }
    if (e instanceof ConflictError) return 'changed';
    if (e instanceof ApiError && e.status === 404) return 'gone';
    if (e instanceof ApiError && e.status === 403) throw new RuntimeError(`cannot delete pod "${name}" in namespace "${ns}": ${e.message}; grant "delete" on pods (${RBAC_HINT})`);
    throw e;
  }
}

/**
 * A JSON merge patch of the lock annotation carrying metadata.resourceVersion: the DaemonSet as stored
 * after it, or 'conflict' when the DaemonSet changed since it was read (read it and decide again).
 */
export async function patchLock(client: ApiClient, ds: DaemonSet, patch: unknown): Promise<DaemonSet | 'conflict'> {
  const ns = ds.metadata.namespace ?? 'default';
  const name = ds.metadata.name ?? '';
  try {
    return await client.request<DaemonSet>('PATCH', apiPath('apps/v1', 'daemonsets', ns, name), { body: patch, contentType: 'application/merge-patch+json', query: { fieldManager: 'kubectl-ds-inspect' } });
  } catch (e) {
    if (e instanceof OutcomeUnknownError) {
      throw new OutcomeUnknownError(
        `the lock annotation of daemonset "${name}" in namespace "${ns}" may or may not have been written (${e.detail}); the outcome is unknown: look at its ds-inspect.k8s.io/advance-lock annotation before running advance again`,
        e.detail,
        { cause: e },
      );
    }
    if (e instanceof ConflictError) return 'conflict';
    if (e instanceof ApiError && e.status === 403) throw new RuntimeError(`cannot patch daemonset "${name}" in namespace "${ns}": ${e.message}; grant "patch" on daemonsets.apps (${RBAC_HINT})`);
    if (e instanceof ApiError && e.status === 404) throw new RuntimeError(`daemonset "${name}" was deleted while ds-inspect was working`);
    throw e;
  }
}
