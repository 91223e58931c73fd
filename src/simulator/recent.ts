/** The most recent `capacity` items pushed, oldest first; older ones fall out (FIFO). */
export class Recent<T> {
  private items: T[] = [];
  private start = 0;

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new RangeError("capacity must be a positive integer");
    }
  }

  get size(): number {
    return this.items.length - this.start;
  }

  /** Appends `item` and returns the one that fell out to make room, if any. */
  push(item: T): T | undefined {
    this.items.push(item);
    if (this.size <= this.capacity) return undefined;
    const evicted = this.items[this.start];
    this.start++;
    // Compact once the dead prefix is as long as the live part, keeping pushes amortized O(1).
    if (this.start >= this.capacity) {
      this.items = this.items.slice(this.start);
      this.start = 0;
    }
    return evicted;
  }

  toArray(): T[] {
    return this.items.slice(this.start);
  }
}
