// `rollout history`: revisions by the controller's ownership rule (controlledRevisions), the same rule
// for the table, --revision and --diff, so a listed revision can always be shown.

import { InputError } from '../../model/inputError.ts';
import { controlledRevisions, currentRevision, revisionTemplate } from '../../model/revisions.ts';
import { historyDocument, historyRows } from '../../model/rollout.ts';
import { selectOneDaemonSet } from '../../model/scope.ts';
import type { ControllerRevision } from '../../model/types.ts';
import { emit } from '../../render/output.ts';
import { renderHistory, templateDiff, templateYaml } from '../../render/rollout.ts';
import type { CliIO } from '../../runtime.ts';
import type { HistoryOptions } from '../options.ts';
import { judgedAt, prepareOutput, withSource } from '../prepare.ts';
import { chalkFor } from '../terminal.ts';

function findRevision(revs: readonly ControllerRevision[], n: number, name: string): ControllerRevision {
  const r = revs.find((x) => x.revision === n);
  if (!r) throw new InputError(`daemonset "${name}" has no revision ${n}; revisions: ${revs.map((x) => x.revision).join(', ') || '<none>'}`);
  return r;
}

export async function runHistory(opts: HistoryOptions, io: CliIO): Promise<void> {
  const output = await prepareOutput(opts.output);
  const c = chalkFor(io, io.stdout, opts.color);
  await withSource(opts, io, async (source) => {
    const loaded = await source.load({ scope: opts.scope, needs: { nodes: 'none', events: false } });
    const ds = selectOneDaemonSet(loaded.state.daemonSets, loaded.scope, opts.name);
    const name = ds.metadata.name ?? '';
    const ns = ds.metadata.namespace ?? 'default';
    const revs = controlledRevisions(ds, loaded.state.controllerRevisions);
    const kindName = `daemonset.apps/${name}`;
    if (opts.revision !== undefined) {
      const r = findRevision(revs, opts.revision, name);
      const template = revisionTemplate(r) ?? {};
      await emit(io.stdout, output, { doc: template, names: () => [kindName], human: () => `${kindName} with revision #${r.revision} (namespace ${ns})\nPod Template:\n${templateYaml(template).replace(/^/gm, '  ')}` }, c);
      return;
    }
    if (opts.diff !== undefined) {
      let a: ControllerRevision;
      let b: ControllerRevision;
      if (opts.diff.length === 2) {
        a = findRevision(revs, opts.diff[0]!, name);
        b = findRevision(revs, opts.diff[1]!, name);
      } else {
        const cur = currentRevision(ds, loaded.state.controllerRevisions);
        if (!cur) throw new InputError(`daemonset "${name}" has no revision matching its template yet`);
        const older = revs.filter((r) => r.revision < cur.revision);
        if (older.length === 0) throw new InputError(`daemonset "${name}" has no revision before the current one (${cur.revision})`);
        a = older[older.length - 1]!;
        b = cur;
      }
      io.stdout.write(templateDiff(`revision ${a.revision}`, revisionTemplate(a), `revision ${b.revision}`, revisionTemplate(b), c));
      return;
    }
    const rows = historyRows(ds, revs, loaded.state.pods, currentRevision(ds, revs)?.metadata.name);
    const nowMs = judgedAt(loaded, opts, io);
    await emit(io.stdout, output, {
      doc: historyDocument(ds, rows),
      names: () => [kindName],
      human: (cc, wide) => (rows.length === 0 ? `No rollout history found in daemonset.apps "${name}" (namespace ${ns})\n` : renderHistory(`${kindName} (namespace ${ns})`, rows, cc, { wide, nowMs, noHeaders: opts.noHeaders })),
    }, c);
  });
}
