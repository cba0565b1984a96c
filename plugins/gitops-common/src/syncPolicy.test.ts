import {
  SYNC_POLICIES,
  fromArgoSyncPolicy,
  isAutoSync,
  toArgoSyncPolicy,
} from './syncPolicy';

describe('sync policies', () => {
  it('encodes each mode exactly as Argo CD expects', () => {
    expect(toArgoSyncPolicy('manual')).toEqual({});
    expect(toArgoSyncPolicy('auto')).toEqual({ automated: {} });
    expect(toArgoSyncPolicy('auto-prune')).toEqual({
      automated: { prune: true },
    });
    expect(toArgoSyncPolicy('auto-self-heal')).toEqual({
      automated: { selfHeal: true },
    });
    expect(
      toArgoSyncPolicy('auto-prune-self-heal', ['CreateNamespace=true']),
    ).toEqual({
      automated: { prune: true, selfHeal: true },
      syncOptions: ['CreateNamespace=true'],
    });
  });

  it('reads every mode back', () => {
    for (const mode of SYNC_POLICIES) {
      expect(fromArgoSyncPolicy(toArgoSyncPolicy(mode))).toBe(mode);
    }
  });

  it('treats a disabled automated block as manual', () => {
    expect(
      fromArgoSyncPolicy({ automated: { prune: true, enabled: false } }),
    ).toBe('manual');
    expect(isAutoSync({ automated: { enabled: true } })).toBe(true);
    expect(isAutoSync(undefined)).toBe(false);
  });
});
