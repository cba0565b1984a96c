import { BackgroundPacer } from './BackgroundPacer';
import { RequestActivity } from './RequestActivity';

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

  it('lets requests in flight go first, deferring a turn for at most its bound', async () => {
    jest.useFakeTimers();
    const requests = new RequestActivity();
    const pacer = new BackgroundPacer({
      sliceMs: 2,
      pauseMs: 8,
      requests,
      maxDeferMs: 50,
    });
    const granted: number[] = [];
    const start = Date.now();
    const ask = () => pacer.turn().then(() => granted.push(Date.now() - start));
    // A request in flight: the first turn waits for it to be answered.
    const answered = requests.begin();
    void ask();
    await jest.advanceTimersByTimeAsync(20);
    expect(granted).toEqual([]);
    answered();
    await jest.advanceTimersByTimeAsync(0);
    expect(granted).toEqual([20]);
    // Requests that never stop: each turn comes at its slice, pause and longest deferral.
    const endless = requests.begin();
    void ask();
    void ask();
    await jest.advanceTimersByTimeAsync(200);
    expect(granted).toEqual([20, 20 + 10 + 50, 20 + 2 * (10 + 50)]);
    endless();
  });
});
