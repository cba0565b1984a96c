import { BackgroundPacer } from './BackgroundPacer';

describe('BackgroundPacer', () => {
  afterEach(() => jest.useRealTimers());

  it('grants a turn at once, then one at a time across every holder, each a slice and a pause after the one before', async () => {
    jest.useFakeTimers();
    const pacer = new BackgroundPacer({ sliceMs: 2, pauseMs: 8 });
    const granted: Array<[string, number]> = [];
    const ask = (who: string) =>
      pacer.turn().then(() => granted.push([who, Date.now()]));
    const start = Date.now();
    void ask('a');
    void ask('b');
    void ask('c');
    await jest.advanceTimersByTimeAsync(0);
    expect(granted).toEqual([['a', start]]);
    await jest.advanceTimersByTimeAsync(9);
    expect(granted).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(30);
    expect(granted).toEqual([
      ['a', start],
      ['b', start + 10],
      ['c', start + 20],
    ]);
  });

  it('answers an aborted wait at once, and the queue still moves on', async () => {
    jest.useFakeTimers();
    const pacer = new BackgroundPacer({ sliceMs: 2, pauseMs: 8 });
    const abort = new AbortController();
    let first = false;
    let second = false;
    await pacer.turn();
    void pacer.turn(abort.signal).then(() => (first = true));
    void pacer.turn().then(() => (second = true));
    abort.abort();
    await jest.advanceTimersByTimeAsync(0);
    expect(first).toBe(true);
    expect(second).toBe(false);
    await jest.advanceTimersByTimeAsync(20);
    expect(second).toBe(true);
  });
});
