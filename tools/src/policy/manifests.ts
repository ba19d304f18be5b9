/**
 * The parts of rendered Kubernetes objects the policy reads. Every field is optional:
 * the objects come from `helm template`, and a missing field is what a rule reports.
 */
export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: { readonly secretKeyRef?: unknown };
}

export interface HttpProbe {
  readonly httpGet?: { readonly path?: string; readonly port?: number | string };
}

export interface SecurityContext {
  readonly runAsNonRoot?: boolean;
  readonly runAsUser?: number;
  readonly readOnlyRootFilesystem?: boolean;
  readonly allowPrivilegeEscalation?: boolean;
  readonly privileged?: boolean;
  readonly capabilities?: { readonly drop?: readonly string[] };
  readonly seccompProfile?: { readonly type?: string };
}

export interface Container {
  readonly name?: string;
  readonly env?: readonly EnvVar[];
  readonly ports?: readonly { readonly name?: string; readonly containerPort?: number }[];
  readonly livenessProbe?: HttpProbe;
  readonly readinessProbe?: HttpProbe;
  readonly resources?: Readonly<
    Partial<Record<'requests' | 'limits', Partial<Record<'cpu' | 'memory', unknown>>>>
  >;
  readonly securityContext?: SecurityContext;
  readonly volumeMounts?: readonly { readonly name: string; readonly mountPath: string }[];
}

export interface Volume {
  readonly name: string;
  readonly persistentVolumeClaim?: unknown;
  readonly [source: string]: unknown;
}

export interface PodSpec {
  readonly containers?: readonly Container[];
  readonly volumes?: readonly Volume[];
  readonly securityContext?: SecurityContext;
  readonly terminationGracePeriodSeconds?: number;
}

export interface KubernetesObject {
  readonly kind: string;
  readonly metadata?: {
    readonly name?: string;
    readonly labels?: Readonly<Record<string, string>>;
  };
}

export interface Deployment extends KubernetesObject {
  readonly kind: 'Deployment';
  readonly spec?: { readonly template?: { readonly spec?: PodSpec } };
}

export interface ScaledObject extends KubernetesObject {
  readonly kind: 'ScaledObject';
  readonly spec?: {
    readonly triggers?: readonly {
      readonly type?: string;
      readonly metadata?: { readonly consumerGroup?: string; readonly topic?: string };
    }[];
  };
}

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null;

/** The values of a YAML stream that are Kubernetes objects (they have a kind). */
export function kubernetesObjects(values: readonly unknown[]): KubernetesObject[] {
  return values.filter(
    (value): value is KubernetesObject =>
      isRecord(value) && typeof value['kind'] === 'string' && value['kind'] !== '',
  );
}

/** The agent a paxfleet object belongs to: its app.kubernetes.io/component label. */
export function component(object: KubernetesObject): string | undefined {
  return object.metadata?.labels?.['app.kubernetes.io/component'];
}
