import {
  findPolicyOwner,
  isAutoSyncPaused,
  readAutoSyncPauseRecord,
} from './autoSyncPause';

describe('findPolicyOwner', () => {
  it('names the ApplicationSet that generated the app', () => {
    expect(
      findPolicyOwner({
        metadata: {
          name: 'acme-web-dev',
          ownerReferences: [
            {
              apiVersion: 'argoproj.io/v1alpha1',
              kind: 'ApplicationSet',
              name: 'acme-services',
            },
          ],
        },
      }),
    ).toEqual({
      kind: 'ApplicationSet',
      name: 'acme-services',
      via: 'ownerReference',
    });
  });

  it("names the parent app from Argo CD's tracking-id annotation", () => {
    expect(
      findPolicyOwner({
        metadata: {
          name: 'acme-web-dev',
          annotations: {
            'argocd.argoproj.io/tracking-id':
              'acme-apps:argoproj.io/Application:argocd/acme-web-dev',
          },
        },
      }),
    ).toEqual({ kind: 'Application', name: 'acme-apps', via: 'tracking-id' });
  });

  it('names the parent app from label tracking, but not an instance label naming the app itself', () => {
    expect(
      findPolicyOwner({
        metadata: {
          name: 'acme-web-dev',
          labels: { 'app.kubernetes.io/instance': 'acme-apps' },
        },
      }),
    ).toEqual({
      kind: 'Application',
      name: 'acme-apps',
      via: 'instance-label',
    });
    expect(
      findPolicyOwner({
        metadata: {
          name: 'acme-web-dev',
          labels: { 'app.kubernetes.io/instance': 'acme-web-dev' },
        },
      }),
    ).toBeUndefined();
  });

  it('leaves a standalone app alone (another owner kind, a malformed tracking id)', () => {
    expect(
      findPolicyOwner({
        metadata: {
          name: 'acme-web-dev',
          ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'x' }],
          annotations: { 'argocd.argoproj.io/tracking-id': 'garbage' },
        },
      }),
    ).toBeUndefined();
  });
});

describe('auto-sync pause state', () => {
  it('is paused only while an automated policy is switched off', () => {
    const spec = (automated?: { enabled?: boolean }) =>
      ({ spec: { syncPolicy: { automated } } } as never);
    expect(isAutoSyncPaused(spec({ enabled: false }))).toBe(true);
    expect(isAutoSyncPaused(spec({ enabled: true }))).toBe(false);
    expect(isAutoSyncPaused(spec({}))).toBe(false);
    expect(isAutoSyncPaused(spec(undefined))).toBe(false);
  });

  it('reads the record only when all three annotations are there', () => {
    const all = {
      'kupe.cloud/auto-sync-paused-by': 'user:default/alice',
      'kupe.cloud/auto-sync-paused-at': '2026-12-04T10:00:00Z',
      'kupe.cloud/auto-sync-paused-reason': 'INC-42',
    };
    expect(readAutoSyncPauseRecord(all)).toEqual({
      by: 'user:default/alice',
      at: '2026-12-04T10:00:00Z',
      reason: 'INC-42',
    });
    expect(
      readAutoSyncPauseRecord({ 'kupe.cloud/auto-sync-paused-by': 'x' }),
    ).toBeUndefined();
    expect(readAutoSyncPauseRecord(undefined)).toBeUndefined();
  });
});
