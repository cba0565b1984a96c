import { createRequestLimiter } from './requestLimiter';

describe('createRequestLimiter', () => {
  it('runs at most the limit at once, the rest in queue order, and passes results and errors through', async () => {
    const limit = createRequestLimiter(2);
    const started: number[] = [];
    const releases: Array<() => void> = [];
    let running = 0;
    let most = 0;
    const task = (i: number) => () => {
      started.push(i);
      running += 1;
      most = Math.max(most, running);
      return new Promise<number>((resolve, reject) => {
        releases[i] = () => {
          running -= 1;
          if (i === 3) reject(new Error('three failed'));
          else resolve(i * 10);
        };
      });
    };
    const results = [0, 1, 2, 3, 4].map(i =>
      limit(task(i)).then(
        value => value,
        (error: Error) => error.message,
      ),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    releases[1]();
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(started).toEqual([0, 1, 2]);
    for (const i of [0, 2, 3, 4]) {
      await new Promise(resolve => setTimeout(resolve, 0));
      releases[i]?.();
    }
    await new Promise(resolve => setTimeout(resolve, 0));
    releases[4]?.();
    expect(await Promise.all(results)).toEqual([0, 10, 20, 'three failed', 40]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
  });
});
