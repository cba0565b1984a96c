import { applicationState, rollUp } from './status';

describe('roll-up of an entity state', () => {
  it('shows Synced-but-Degraded as degraded', () => {
    expect(
      applicationState({ syncStatus: 'Synced', healthStatus: 'Degraded' }),
    ).toBe('degraded');
  });

  it('classifies each application', () => {
    expect(
      applicationState({ syncStatus: 'Synced', healthStatus: 'Healthy' }),
    ).toBe('healthy');
    expect(
      applicationState({ syncStatus: 'OutOfSync', healthStatus: 'Healthy' }),
    ).toBe('out-of-sync');
    expect(
      applicationState({
        syncStatus: 'Synced',
        healthStatus: 'Healthy',
        operationPhase: 'Running',
      }),
    ).toBe('progressing');
    expect(
      applicationState({
        syncStatus: 'Synced',
        healthStatus: 'Healthy',
        operationPhase: 'Failed',
      }),
    ).toBe('failed');
    expect(applicationState({ syncStatus: '', healthStatus: undefined })).toBe(
      'missing',
    );
    expect(
      applicationState({ syncStatus: 'Synced', healthStatus: 'Missing' }),
    ).toBe('missing');
    expect(
      applicationState({ syncStatus: 'Synced', healthStatus: 'Unknown' }),
    ).toBe('unknown');
  });

  it('lets the worst application win and counts each state', () => {
    const rollup = rollUp([
      { syncStatus: 'Synced', healthStatus: 'Healthy' },
      { syncStatus: 'OutOfSync', healthStatus: 'Healthy' },
      { syncStatus: 'Synced', healthStatus: 'Progressing' },
    ]);
    expect(rollup.state).toBe('out-of-sync');
    expect(rollup.total).toBe(3);
    expect(rollup.counts).toMatchObject({
      healthy: 1,
      'out-of-sync': 1,
      progressing: 1,
    });
  });

  it('is none without applications', () => {
    expect(rollUp([]).state).toBe('none');
  });

  it("ranks health as gitops-engine's IsWorse does: Unknown > Degraded > Missing > Progressing > Suspended > Healthy", () => {
    // healthOrder in gitops-engine pkg/health/health.go, most healthy first.
    const healthOrder = [
      'Healthy',
      'Suspended',
      'Progressing',
      'Missing',
      'Degraded',
      'Unknown',
    ] as const;
    for (let i = 0; i < healthOrder.length; i++) {
      for (let j = i + 1; j < healthOrder.length; j++) {
        const rollup = rollUp([
          { syncStatus: 'Synced', healthStatus: healthOrder[i] },
          { syncStatus: 'Synced', healthStatus: healthOrder[j] },
        ]);
        expect({
          pair: [healthOrder[i], healthOrder[j]],
          state: rollup.state,
        }).toEqual({
          pair: [healthOrder[i], healthOrder[j]],
          state: applicationState({
            syncStatus: 'Synced',
            healthStatus: healthOrder[j],
          }),
        });
      }
    }
  });

  it('does not call an entity Degraded because one environment was never deployed', () => {
    const rollup = rollUp([
      { syncStatus: 'Synced', healthStatus: 'Healthy' },
      // Never synced: nothing deployed yet, Argo CD reports Missing and OutOfSync.
      { syncStatus: 'OutOfSync', healthStatus: 'Missing' },
    ]);
    expect(rollup.state).toBe('missing');
    expect(
      rollUp([
        { syncStatus: 'OutOfSync', healthStatus: 'Missing' },
        { syncStatus: 'Synced', healthStatus: 'Degraded' },
      ]).state,
    ).toBe('degraded');
  });
});
