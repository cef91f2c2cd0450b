// Stable reason codes. They appear in `-o json` and are documented in the README: never rename one.

export const ReasonCode = {
  // Why the DaemonSet controller does not want a pod on the node (NodeShouldRunDaemonPod).
  NodeNameMismatch: 'NodeNameMismatch',
  NodeSelectorMismatch: 'NodeSelectorMismatch',
  NodeAffinityMismatch: 'NodeAffinityMismatch',
  UntoleratedTaint: 'UntoleratedTaint',
  // What happens to a pod on a node it should not run on.
  WillBeDeleted: 'WillBeDeleted',
  KeptOnNode: 'KeptOnNode',
  // Why an eligible node has no pod.
  NoPodCreated: 'NoPodCreated',
  SelectingAll: 'SelectingAll',
  DaemonSetTerminating: 'DaemonSetTerminating',
  FailedCreate: 'FailedCreate',
  SpecNotObserved: 'SpecNotObserved',
  // Scheduler side (pod exists, not bound).
  FailedScheduling: 'FailedScheduling',
  InsufficientResource: 'InsufficientResource',
  TooManyPods: 'TooManyPods',
  HostPortConflict: 'HostPortConflict',
  NotScheduledYet: 'NotScheduledYet',
  // Kubelet side (pod bound, not Ready).
  NodeNotReady: 'NodeNotReady',
  ContainerWaiting: 'ContainerWaiting',
  ContainerTerminated: 'ContainerTerminated',
  ContainerNotReady: 'ContainerNotReady',
  ContainerRestarting: 'ContainerRestarting',
  PodFailed: 'PodFailed',
  PodSucceeded: 'PodSucceeded',
  PodPending: 'PodPending',
  PodTerminating: 'PodTerminating',
  NotAvailableYet: 'NotAvailableYet',
  // Revision.
  OutdatedRevision: 'OutdatedRevision',
  DuplicatePods: 'DuplicatePods',
  /** A pod on the node that matches the selector but is not the DaemonSet's (another owner, being deleted). */
  PodNotCounted: 'PodNotCounted',
} as const;

export type ReasonCode = (typeof ReasonCode)[keyof typeof ReasonCode];

export interface Reason {
  code: ReasonCode;
  message: string;
}
