/**
 * Reads an async iterable ahead of its consumer, up to `limit` items, so that a consumer that
 * works in short paced slices finds its items already there instead of waiting for the
 * network inside its slice.
 *
 * Without it, a paced reader of Argo CD's re-send got about five apps per 2 ms slice: while
 * it paused, the HTTP response's 16 KiB buffer filled and the socket stopped, so each slice
 * spent its time waiting for Argo CD's next bytes, and the re-send of 3 x 10,000 apps
 * stretched to a minute. The limit bounds what waits in memory; past it, the source is not
 * read (the socket's backpressure holds the sender).
 */
export class ReadAhead<T> {
  readonly #limit: number;
  readonly #source: AsyncIterator<T>;
  #queue: T[] = [];
  #head = 0;
  #done = false;
  #failed = false;
  #error: unknown;
  #closed = false;
  /** The consumer, waiting for an item (or the end). */
  #wakeConsumer: (() => void) | undefined;
  /** The reader, waiting for room. */
  #wakeReader: (() => void) | undefined;

  constructor(source: AsyncIterable<T>, limit: number) {
    this.#limit = Math.max(1, limit);
    this.#source = source[Symbol.asyncIterator]();
    void this.#read();
  }

  /** How many items wait. */
  get size(): number {
    return this.#queue.length - this.#head;
  }

  /** The next item if one was read already, else undefined (never waits). */
  take(): T | undefined {
    if (this.#head >= this.#queue.length) return undefined;
    const item = this.#queue[this.#head];
    this.#queue[this.#head] = undefined as T;
    this.#head += 1;
    if (this.#head >= this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    }
    this.#wakeReader?.();
    return item;
  }

  /**
   * Waits until an item is there (true) or the source ended (false); a failed source
   * throws its error once the items read before the failure were taken.
   */
  async ready(): Promise<boolean> {
    while (this.size === 0) {
      if (this.#done) {
        if (this.#failed) throw this.#error;
        return false;
      }
      await new Promise<void>(resolve => {
        this.#wakeConsumer = resolve;
      });
    }
    return true;
  }

  /** Stops reading and ends the source (an item being read is dropped). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#queue = [];
    this.#head = 0;
    this.#wakeReader?.();
    this.#source.return?.().catch(() => {});
  }

  async #read(): Promise<void> {
    try {
      while (!this.#closed) {
        if (this.size >= this.#limit) {
          await new Promise<void>(resolve => {
            this.#wakeReader = resolve;
          });
          this.#wakeReader = undefined;
          continue;
        }
        const next = await this.#source.next();
        if (next.done || this.#closed) break;
        this.#queue.push(next.value);
        this.#wake();
      }
    } catch (error) {
      this.#failed = true;
      this.#error = error;
    } finally {
      this.#done = true;
      this.#wake();
    }
  }

  #wake(): void {
    const wake = this.#wakeConsumer;
    this.#wakeConsumer = undefined;
    wake?.();
  }
}
