import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { containerProblems } from './container-rules.ts';
import { goodContainer, goodDeployment } from './fixtures.ts';
import type { Container, PodSpec } from './manifests.ts';

const pod: PodSpec = goodDeployment().spec?.template?.spec ?? {};
const problems = (container: Container, podSpec: PodSpec = pod) =>
  containerProblems(podSpec, container);
const good = goodContainer();

describe('container rules', () => {
  it('accept a container that keeps them all', () => {
    assert.deepEqual(problems(good), []);
  });

  const broken: [string, Container, PodSpec | undefined, string[]][] = [
    [
      'no port named http',
      { ...good, ports: [{ name: 'web', containerPort: 8080 }] },
      undefined,
      ['no container port 8080 named http', 'livenessProbe port http is not 8080'],
    ],
    [
      'a liveness probe that is not an HTTP GET',
      { ...good, livenessProbe: {} },
      undefined,
      ['livenessProbe is not an HTTP GET'],
    ],
    [
      'readiness on another path and port',
      { ...good, readinessProbe: { httpGet: { path: '/', port: 9090 } } },
      undefined,
      ['readinessProbe path is /, not /readyz', 'readinessProbe port 9090 is not 8080'],
    ],
    [
      'no limits',
      { ...good, resources: { requests: { cpu: '1', memory: '1Gi' } } },
      undefined,
      ['no cpu limits', 'no memory limits'],
    ],
    [
      'root',
      { ...good, securityContext: { ...good.securityContext, runAsNonRoot: false, runAsUser: 0 } },
      undefined,
      ['runAsNonRoot is not true', 'runs as uid 0'],
    ],
    [
      'a writable, privileged container',
      {
        ...good,
        securityContext: {
          privileged: true,
          allowPrivilegeEscalation: true,
          capabilities: { drop: [] },
        },
      },
      undefined,
      [
        'readOnlyRootFilesystem is not true',
        'allowPrivilegeEscalation is not false',
        'is privileged',
        'does not drop ALL capabilities',
      ],
    ],
    [
      'no seccomp profile on pod or container',
      good,
      { ...pod, securityContext: { runAsNonRoot: true } },
      ['seccompProfile is unset'],
    ],
    [
      'a credential in plain env',
      { ...good, env: [...(good.env ?? []), { name: 'MODEL_API_KEY', value: 'sk-123' }] },
      undefined,
      ['MODEL_API_KEY does not come from a Secret'],
    ],
    [
      'no blob store',
      { ...good, env: [] },
      undefined,
      ['BLOB_STORE is unset, not none, s3 or file'],
    ],
    [
      's3 without a bucket',
      { ...good, env: [{ name: 'BLOB_STORE', value: 's3' }] },
      undefined,
      ['BLOB_STORE=s3 without BLOB_S3_BUCKET'],
    ],
  ];
  for (const [what, container, podSpec, expected] of broken) {
    it(`refuse ${what}`, () => {
      assert.deepEqual(problems(container, podSpec), expected);
    });
  }

  it('take the last of a variable given twice', () => {
    const env = [
      { name: 'BLOB_STORE', value: 'disk' },
      { name: 'BLOB_STORE', value: 'none' },
    ];
    assert.deepEqual(problems({ ...good, env }), []);
  });

  describe('with BLOB_STORE=file', () => {
    const fileStore = (dir: string): Container => ({
      ...good,
      env: [
        { name: 'BLOB_STORE', value: 'file' },
        { name: 'BLOB_DIR', value: dir },
      ],
      volumeMounts: [
        { name: 'tmp', mountPath: '/tmp' },
        { name: 'shared', mountPath: '/data/' },
      ],
    });
    const withVolumes: PodSpec = {
      ...pod,
      volumes: [
        { name: 'tmp', emptyDir: {} },
        { name: 'shared', persistentVolumeClaim: { claimName: 'blobs' } },
      ],
    };

    it('accept bodies on a shared PersistentVolumeClaim', () => {
      assert.deepEqual(problems(fileStore('/data/blobs'), withVolumes), []);
    });

    it("refuse bodies in the pod's own emptyDir", () => {
      assert.deepEqual(problems(fileStore('/tmp/blobs'), withVolumes), [
        'BLOB_STORE=file keeps bodies in /tmp/blobs on emptyDir, a pod-local directory other agents cannot read',
      ]);
    });

    it('refuse bodies on the container filesystem', () => {
      assert.deepEqual(problems(fileStore('/var/blobs'), withVolumes), [
        'BLOB_STORE=file keeps bodies in /var/blobs on the container filesystem, a pod-local directory other agents cannot read',
      ]);
    });
  });
});
