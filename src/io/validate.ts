// Shape checks for the fields the model reads, so that a malformed object is one clear error naming
// the field ("spec.taints[2].key is a number, not a string") instead of a JavaScript error deep in the
// model ("taints.filter is not a function"). Pure: takes an object, returns the first problem or
// undefined; the snapshot reader turns it into a usage error, a live loader may do the same.
//
// The rules follow the API types in src/model/types.ts: lists are lists, maps are maps of strings,
// scalars have their JSON type. A field that is null counts as absent (Go encodes nil pointers,
// slices and maps as null), but an element of a list or a value of a map may not be null. Fields the
// model does not read are not checked. Required fields are those the API server itself requires and
// the model relies on (a taint's key and effect, a container's name, a requirement's key/operator).

type Shape =
  | 'string'
  | 'number'
  | 'boolean'
  | 'intOrString'
  | 'quantity'
  | { list: Shape }
  | { map: Shape }
  | { fields: Record<string, Shape>; required?: readonly string[] };

const strings: Shape = { list: 'string' };
const stringMap: Shape = { map: 'string' };
const resourceList: Shape = { map: 'quantity' };

const ownerReference: Shape = { fields: { apiVersion: 'string', kind: 'string', name: 'string', uid: 'string', controller: 'boolean' } };

const objectMeta: Shape = {
  fields: {
    name: 'string',
    namespace: 'string',
    uid: 'string',
    labels: stringMap,
    annotations: stringMap,
    ownerReferences: { list: ownerReference },
    creationTimestamp: 'string',
    deletionTimestamp: 'string',
    generation: 'number',
    resourceVersion: 'string',
  },
};

const requirement: Shape = { fields: { key: 'string', operator: 'string', values: strings }, required: ['key', 'operator'] };

const labelSelector: Shape = { fields: { matchLabels: stringMap, matchExpressions: { list: requirement } } };

const nodeSelectorTerm: Shape = { fields: { matchExpressions: { list: requirement }, matchFields: { list: requirement } } };

const affinity: Shape = {
  fields: {
    nodeAffinity: {
      fields: {
        requiredDuringSchedulingIgnoredDuringExecution: { fields: { nodeSelectorTerms: { list: nodeSelectorTerm } } },
        preferredDuringSchedulingIgnoredDuringExecution: { list: { fields: {} } },
      },
    },
  },
};

const toleration: Shape = { fields: { key: 'string', operator: 'string', value: 'string', effect: 'string', tolerationSeconds: 'number' } };

const taint: Shape = { fields: { key: 'string', value: 'string', effect: 'string', timeAdded: 'string' }, required: ['key', 'effect'] };

const container: Shape = {
  fields: {
    name: 'string',
    image: 'string',
    ports: { list: { fields: { name: 'string', containerPort: 'number', hostPort: 'number', hostIP: 'string', protocol: 'string' } } },
    resources: { fields: { requests: resourceList, limits: resourceList } },
    restartPolicy: 'string',
  },
  required: ['name'],
};

const podSpec: Shape = {
  fields: {
    nodeName: 'string',
    nodeSelector: stringMap,
    affinity,
    tolerations: { list: toleration },
    hostNetwork: 'boolean',
    containers: { list: container },
    initContainers: { list: container },
    overhead: resourceList,
  },
};

const podTemplate: Shape = { fields: { metadata: objectMeta, spec: podSpec } };

const condition: Shape = {
  fields: { type: 'string', status: 'string', reason: 'string', message: 'string', lastTransitionTime: 'string', lastHeartbeatTime: 'string' },
  required: ['type', 'status'],
};

const message: Shape = { fields: { reason: 'string', message: 'string' } };
const containerState: Shape = {
  fields: { waiting: message, running: { fields: { startedAt: 'string' } }, terminated: { fields: { reason: 'string', message: 'string', exitCode: 'number' } } },
};
const containerStatus: Shape = {
  fields: { name: 'string', ready: 'boolean', restartCount: 'number', image: 'string', state: containerState, lastState: containerState },
  required: ['name'],
};

const objectReference: Shape = { fields: { kind: 'string', namespace: 'string', name: 'string', uid: 'string' } };

const KIND_SHAPES: Record<string, Shape> = {
  Node: {
    fields: {
      metadata: objectMeta,
      spec: { fields: { taints: { list: taint }, unschedulable: 'boolean' } },
      status: { fields: { allocatable: resourceList, capacity: resourceList, conditions: { list: condition } } },
    },
  },
  DaemonSet: {
    fields: {
      metadata: objectMeta,
      spec: {
        fields: {
          selector: labelSelector,
          template: podTemplate,
          updateStrategy: { fields: { type: 'string', rollingUpdate: { fields: { maxUnavailable: 'intOrString', maxSurge: 'intOrString' } } } },
          minReadySeconds: 'number',
          revisionHistoryLimit: 'number',
        },
      },
      status: {
        fields: Object.fromEntries(
          [
            'currentNumberScheduled',
            'desiredNumberScheduled',
            'numberMisscheduled',
            'numberReady',
            'numberAvailable',
            'numberUnavailable',
            'updatedNumberScheduled',
            'observedGeneration',
            'collisionCount',
          ].map((k) => [k, 'number']),
        ),
      },
    },
  },
  Pod: {
    fields: {
      metadata: objectMeta,
      spec: podSpec,
      status: {
        fields: {
          phase: 'string',
          reason: 'string',
          message: 'string',
          conditions: { list: condition },
          containerStatuses: { list: containerStatus },
          initContainerStatuses: { list: containerStatus },
        },
      },
    },
  },
  // data is a RawExtension; the model reads data.spec.template, the DaemonSet controller's patch.
  ControllerRevision: { fields: { metadata: objectMeta, revision: 'number', data: { fields: { spec: { fields: { template: podTemplate } } } } } },
  Event: {
    fields: {
      metadata: objectMeta,
      involvedObject: objectReference,
      regarding: objectReference,
      reason: 'string',
      message: 'string',
      note: 'string',
      type: 'string',
      count: 'number',
      firstTimestamp: 'string',
      lastTimestamp: 'string',
      eventTime: 'string',
      series: { fields: { count: 'number', lastObservedTime: 'string' } },
      source: { fields: { component: 'string' } },
      reportingComponent: 'string',
      reportingController: 'string',
    },
  },
};

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  if (typeof v === 'number' && !Number.isFinite(v)) return 'a number out of range';
  return `a ${typeof v}`;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The path of a field: metadata.labels["kubernetes.io/os"], spec.taints[2].key. */
function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const k of path) {
    // Keys with dots or slashes (label keys) read better quoted.
    if (typeof k === 'number') out += `[${k}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(k)) out += out ? `.${k}` : k;
    else out += `[${JSON.stringify(k)}]`;
  }
  return out;
}

function scalarProblem(v: unknown, shape: 'string' | 'number' | 'boolean' | 'intOrString' | 'quantity'): string | undefined {
  switch (shape) {
    case 'string':
      if (typeof v === 'string') return undefined;
      break;
    case 'boolean':
      if (typeof v === 'boolean') return undefined;
      break;
    case 'number':
      if (typeof v === 'number' && Number.isFinite(v)) return undefined;
      break;
    default:
      if (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) return undefined;
  }
  const want = shape === 'intOrString' ? 'an integer or a string' : shape === 'quantity' ? 'a quantity (a string such as "100m" or a number)' : `a ${shape}`;
  const hint = (typeof v === 'number' || typeof v === 'boolean') && shape === 'string' ? ' (quote the value in YAML)' : '';
  return `is ${typeName(v)}, not ${want}${hint}`;
}

/**
 * The problem with `v` against `shape`, as "is a map, not a list"; `path` is the field's path, pushed
 * and popped on the way (the text is only built for a problem: this runs over every object).
 */
function check(v: unknown, shape: Shape, path: (string | number)[]): string | undefined {
  if (typeof shape === 'string') return scalarProblem(v, shape);
  if ('list' in shape) {
    if (!Array.isArray(v)) return `is ${typeName(v)}, not a list`;
    for (let i = 0; i < v.length; i++) {
      path.push(i);
      const p = check(v[i], shape.list, path);
      if (p) return p;
      path.pop();
    }
    return undefined;
  }
  if (!isMap(v)) return `is ${typeName(v)}, not a map`;
  if ('map' in shape) {
    for (const k of Object.keys(v)) {
      path.push(k);
      const p = check(v[k], shape.map, path);
      if (p) return p;
      path.pop();
    }
    return undefined;
  }
  for (const k of shape.required ?? []) {
    if (v[k] === undefined || v[k] === null) {
      path.push(k);
      return 'is missing';
    }
  }
  for (const k in shape.fields) {
    if (!Object.hasOwn(v, k)) continue;
    const x = v[k];
    if (x === null || x === undefined) continue;
    path.push(k);
    const p = check(x, shape.fields[k]!, path);
    if (p) return p;
    path.pop();
  }
  return undefined;
}

/**
 * The first field of `obj` (an object of `kind`) whose shape the model cannot read, as
 * "spec.taints[0].effect is missing"; undefined when every field the model reads is well-formed.
 */
export function objectProblem(kind: string, obj: Record<string, unknown>): string | undefined {
  const shape = KIND_SHAPES[kind];
  if (!shape) return undefined;
  const path: (string | number)[] = [];
  const problem = check(obj, shape, path);
  return problem === undefined ? undefined : `${formatPath(path)} ${problem}`;
}
