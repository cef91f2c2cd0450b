// Plain Kubernetes object shapes, as they arrive from `kubectl get -o json|yaml` or the API.
// Only the fields the model reads are declared; everything else passes through untouched.
// The model never imports the API client: these are structural types over plain JSON.

export type Labels = Record<string, string>;

export interface OwnerReference {
  apiVersion?: string;
  kind?: string;
  name?: string;
  uid?: string;
  controller?: boolean;
}

interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  labels?: Labels | null;
  annotations?: Record<string, string> | null;
  ownerReferences?: OwnerReference[];
  creationTimestamp?: string | null;
  deletionTimestamp?: string | null;
  generation?: number | null;
  resourceVersion?: string;
  /** Read only for the names of managers (kubectl, Helm, Argo CD, Flux) before a write. */
  managedFields?: { manager?: string }[];
}

interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[] | null;
  matchFields?: NodeSelectorRequirement[] | null;
}

export interface NodeSelector {
  nodeSelectorTerms?: NodeSelectorTerm[] | null;
}

export interface Affinity {
  nodeAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: NodeSelector | null;
    preferredDuringSchedulingIgnoredDuringExecution?: unknown[];
  } | null;
  podAffinity?: unknown;
  podAntiAffinity?: unknown;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number | null;
}

export interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

export type ResourceList = Record<string, string | number>;

export interface ContainerPort {
  name?: string;
  containerPort?: number;
  hostPort?: number;
  hostIP?: string;
  protocol?: string;
}

export interface Container {
  name: string;
  image?: string;
  ports?: ContainerPort[];
  resources?: { requests?: ResourceList; limits?: ResourceList };
  restartPolicy?: string;
}

export interface PodSpec {
  nodeName?: string;
  nodeSelector?: Labels | null;
  affinity?: Affinity | null;
  tolerations?: Toleration[] | null;
  hostNetwork?: boolean;
  containers?: Container[];
  initContainers?: Container[];
  overhead?: ResourceList;
  /** Pod-level resources (KEP-2837, PodLevelResources). */
  resources?: { requests?: ResourceList; limits?: ResourceList };
  [k: string]: unknown;
}

export interface PodTemplateSpec {
  metadata?: ObjectMeta;
  spec?: PodSpec;
}

interface RollingUpdate {
  maxUnavailable?: number | string;
  maxSurge?: number | string;
}

export interface DaemonSetUpdateStrategy {
  type?: string;
  rollingUpdate?: RollingUpdate | null;
}

interface DaemonSetStatus {
  currentNumberScheduled?: number;
  desiredNumberScheduled?: number;
  numberMisscheduled?: number;
  numberReady?: number;
  numberAvailable?: number;
  numberUnavailable?: number;
  updatedNumberScheduled?: number;
  observedGeneration?: number | null;
  collisionCount?: number;
  /** The DaemonSet controller sets none; kstatus reads Reconciling and Stalled when something else does. */
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
}

export interface DaemonSet {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: {
    selector?: LabelSelector | null;
    template: PodTemplateSpec;
    updateStrategy?: DaemonSetUpdateStrategy;
    minReadySeconds?: number;
    revisionHistoryLimit?: number;
  };
  status?: DaemonSetStatus;
}

interface PodCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string | null;
}

interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; message?: string; exitCode?: number | null };
}

interface ContainerStatus {
  name: string;
  ready?: boolean;
  restartCount?: number;
  image?: string;
  state?: ContainerState;
  lastState?: ContainerState;
}

export interface Pod {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: PodSpec;
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    conditions?: PodCondition[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
}

export interface NodeCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
}

export interface Node {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: { taints?: Taint[] | null; unschedulable?: boolean };
  status?: {
    allocatable?: ResourceList;
    capacity?: ResourceList;
    conditions?: NodeCondition[];
  };
}

export interface ControllerRevision {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  revision: number;
  data?: unknown;
}

interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
}

/** core/v1 Event (what `kubectl get events -o yaml` prints); events.k8s.io/v1 fields are accepted too. */
export interface Event {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  involvedObject?: ObjectReference;
  regarding?: ObjectReference;
  reason?: string;
  message?: string;
  note?: string;
  type?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string };
  source?: { component?: string };
  reportingComponent?: string;
  reportingController?: string;
}

/** Something the source could not load (RBAC, missing kind in a snapshot) and what it costs the answer. */
export interface Gap {
  resource: string;
  message: string;
}

/**
 * The one carrier of cluster state into the model, filled either from a `kubectl get -o yaml|json`
 * dump or from the live API. `nodePods` holds every pod bound to a node when the source fetched them
 * (needed for resource and host-port analysis); `pods` holds the candidate daemon pods.
 */
export interface ClusterState {
  nodes: Node[];
  daemonSets: DaemonSet[];
  pods: Pod[];
  controllerRevisions: ControllerRevision[];
  events: Event[];
  /** true when `pods` holds every pod of the nodes in scope (snapshot, or why-not's node listing). */
  allPodsOnNodesKnown: boolean;
  gaps: Gap[];
}

export function emptyClusterState(): ClusterState {
  return { nodes: [], daemonSets: [], pods: [], controllerRevisions: [], events: [], allPodsOnNodesKnown: false, gaps: [] };
}
