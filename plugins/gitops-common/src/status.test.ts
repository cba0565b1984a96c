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
      'unknown',
    );
    expect(
      applicationState({ syncStatus: 'Synced', healthStatus: 'Missing' }),
    ).toBe('degraded');
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
});
