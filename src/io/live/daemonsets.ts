// Writes of single DaemonSets for the rollout commands. Every write is either a patch that
// carries metadata.resourceVersion (the API server refuses it with 409 if the object changed since we
// read it) or one that cannot clobber a concurrent change; a 409 becomes one line and exit 1.

import { RuntimeError } from '../../errors.ts';
import type { DaemonSet } from '../../model/types.ts';
import { ApiError, ConflictError, OutcomeUnknownError, type ApiClient } from '../http.ts';
import { apiPath } from './reads.ts';

const RBAC_WRITE_HINT = 'see examples/rbac/ds-inspect-rollout.yaml';

export type PatchType = 'merge' | 'strategic';

const CONTENT_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

/** Test aid: DS_INSPECT_WRITE_DELAY_MS widens the read→write window so e2e tests can race an edit. */
async function writeDelay(env: NodeJS.ProcessEnv): Promise<void> {
  const ms = Number(env.DS_INSPECT_WRITE_DELAY_MS ?? '0');
  if (Number.isFinite(ms) && ms > 0) await new Promise((r) => setTimeout(r, Math.min(ms, 60_000)));
}

export async function patchDaemonSet(
  client: ApiClient,
  ds: DaemonSet,
  patch: unknown,
  type: PatchType,
  opts: { dryRunServer?: boolean; env: NodeJS.ProcessEnv; verb: string },
): Promise<DaemonSet> {
  const ns = ds.metadata.namespace ?? 'default';
  const name = ds.metadata.name ?? '';
  await writeDelay(opts.env);
  try {
    return await client.request<DaemonSet>('PATCH', apiPath('apps/v1', 'daemonsets', ns, name), {
      body: patch,
      contentType: CONTENT_TYPES[type],
      query: { fieldManager: 'kubectl-ds-inspect', ...(opts.dryRunServer ? { dryRun: 'All' } : {}) },
    });
  } catch (e) {
    if (e instanceof OutcomeUnknownError) {
      // The PATCH went out and no answer came back: it may have been applied. Saying "try again"
      // could apply a restart or undo twice; the revision history shows what happened.
      throw new OutcomeUnknownError(
        `the change to daemonset "${name}" in namespace "${ns}" may or may not have been applied (${e.detail}); check with "kubectl ds-inspect rollout history ${name} -n ${ns}" or "kubectl ds-inspect rollout status ${name} -n ${ns}" before running "${opts.verb}" again`,
        e.detail,
        { cause: e },
      );
    }
    if (e instanceof ConflictError) {
      throw new RuntimeError(
        `daemonset "${name}" was changed by someone else while ds-inspect was working (409 Conflict): nothing was changed; look at the change and run "${opts.verb}" again`,
      );
    }
    if (e instanceof ApiError && e.status === 403) throw new RuntimeError(`cannot patch daemonset "${name}" in namespace "${ns}": ${e.message}; grant "patch" on daemonsets.apps (${RBAC_WRITE_HINT})`);
    if (e instanceof ApiError && e.status === 404) throw new RuntimeError(`daemonset "${name}" was deleted while ds-inspect was working: nothing was changed`);
    if (e instanceof ApiError && (e.status === 422 || e.status === 400)) throw new RuntimeError(`the API server rejected the change to daemonset "${name}": ${e.message}`);
    throw e;
  }
}
