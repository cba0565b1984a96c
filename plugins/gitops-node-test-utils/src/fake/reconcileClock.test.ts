import type { Application } from '@kupe/plugin-gitops-node';
import type { AppKey } from './controller';
import { ReconcileClock } from './reconcileClock';

function target(names: string[]) {
  const state = {
    now: 0,
    names: new Set(names),
    stamped: [] as Array<{ name: string; at: number }>,
    reads: 0,
  };
  return {
    state,
    target: {
      nowMs: () => state.now,
      applications: (): Iterable<Application> => {
        state.reads += 1;
        return [...state.names].map(
          name => ({ metadata: { name, namespace: 'argocd' } } as Application),
        );
      },
      stampReconciled: (key: AppKey) => {
        state.stamped.push({ name: key.name, at: state.now });
      },
    },
  };
}

describe('ReconcileClock', () => {
  it('stamps each app once per period, reading which apps exist only every few ticks', () => {
    const { state, target: t } = target(['a', 'b', 'c']);
    const clock = new ReconcileClock(t, { intervalMs: 1_000, tickMs: 100 });
    for (; state.now <= 3_000; state.now += 100) clock.reconcileDue();
    for (const name of ['a', 'b', 'c']) {
      const at = state.stamped.filter(s => s.name === name).map(s => s.at);
      expect(at[0]).toBeLessThanOrEqual(1_000);
      expect(at.slice(1).map((x, i) => x - at[i])).toEqual([1_000, 1_000]);
    }
    // 31 ticks, one read of the apps per 10 ticks.
    expect(state.reads).toBe(4);
  });

  it('schedules an app added later within its first period and forgets a removed one', () => {
    const { state, target: t } = target(['a', 'b']);
    const clock = new ReconcileClock(t, { intervalMs: 1_000, tickMs: 100 });
    clock.reconcileDue();
    state.names.delete('b');
    state.names.add('c');
    const removedAt = state.now;
    for (state.now = 100; state.now <= 5_000; state.now += 100)
      clock.reconcileDue();
    const of = (name: string) =>
      state.stamped.filter(s => s.name === name).map(s => s.at);
    // Seen at the next read (tick 10, at 1,000 ms), due within a period of it.
    expect(of('c')[0]).toBeGreaterThanOrEqual(1_000);
    expect(of('c')[0]).toBeLessThanOrEqual(2_000);
    expect(of('c').length).toBeGreaterThanOrEqual(4);
    // Stamped at most until the read that found it gone, never after.
    expect(of('b').every(at => at <= removedAt + 1_000)).toBe(true);
    expect(of('a').length).toBeGreaterThanOrEqual(5);
  });
});
