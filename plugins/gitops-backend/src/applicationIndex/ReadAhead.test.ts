import { ReadAhead } from './ReadAhead';

/** A source whose items are released by the test; it records how many were asked for. */
function controlledSource<T>() {
  const items: T[] = [];
  const waiters: Array<() => void> = [];
  const state = {
    asked: 0,
    ended: false,
    error: undefined as unknown,
    returned: false,
  };
  const source: AsyncIterable<T> = {
    [Symbol.asyncIterator]: () => ({
      next: async () => {
        state.asked += 1;
        while (items.length === 0 && !state.ended && !state.error)
          await new Promise<void>(resolve => waiters.push(resolve));
        if (items.length > 0) return { done: false, value: items.shift()! };
        if (state.error) throw state.error;
        return { done: true, value: undefined };
      },
      return: async () => {
        state.returned = true;
        return { done: true, value: undefined };
      },
    }),
  };
  const wake = () => waiters.splice(0).forEach(resolve => resolve());
  return {
    source,
    state,
    push: (...more: T[]) => {
      items.push(...more);
      wake();
    },
    end: () => {
      state.ended = true;
      wake();
    },
    fail: (error: unknown) => {
      state.error = error;
      wake();
    },
  };
}

const settle = () => new Promise(resolve => setImmediate(resolve));

describe('ReadAhead', () => {
  it('reads up to its limit before anyone asks, and hands items over without waiting', async () => {
    const s = controlledSource<number>();
    const ahead = new ReadAhead(s.source, 3);
    s.push(1, 2, 3, 4, 5);
    await settle();
    expect(ahead.size).toBe(3);
    // Full: the fourth is not taken from the source until there is room.
    expect(s.state.asked).toBe(3);
    expect(ahead.take()).toBe(1);
    expect(ahead.take()).toBe(2);
    await settle();
    expect(ahead.size).toBe(3);
    expect([ahead.take(), ahead.take(), ahead.take()]).toEqual([3, 4, 5]);
    expect(ahead.take()).toBeUndefined();
  });

  it('waits in ready() for the next item or the end', async () => {
    const s = controlledSource<string>();
    const ahead = new ReadAhead(s.source, 10);
    const first = ahead.ready();
    s.push('a');
    expect(await first).toBe(true);
    expect(ahead.take()).toBe('a');
    const last = ahead.ready();
    s.end();
    expect(await last).toBe(false);
  });

  it('hands over what came before a failure, then throws it', async () => {
    const s = controlledSource<string>();
    const ahead = new ReadAhead(s.source, 10);
    s.push('a', 'b');
    await settle();
    s.fail(new Error('stream reset'));
    await settle();
    expect(await ahead.ready()).toBe(true);
    expect([ahead.take(), ahead.take()]).toEqual(['a', 'b']);
    await expect(ahead.ready()).rejects.toThrow('stream reset');
  });

  it('stops reading once closed and ends the source', async () => {
    const s = controlledSource<number>();
    const ahead = new ReadAhead(s.source, 2);
    s.push(1, 2, 3);
    await settle();
    ahead.close();
    await settle();
    expect(s.state.returned).toBe(true);
    expect(ahead.size).toBe(0);
    expect(s.state.asked).toBe(2);
  });
});
