import { Buffer } from "node:buffer";

/** Text gathered up to this many UTF-16 units before it is written as bytes. */
const PIECE = 64 * 1024;

/** UTF-8 in one buffer, never the whole text as a string (goal: peak RSS, bench/bounds.js). */
export class ByteSink {
  #buffer: Buffer;
  #length = 0;
  #pending = "";

  /** `capacity`: the bytes expected (the last rendering's size); the buffer grows past it. */
  constructor(capacity: number) {
    this.#buffer = Buffer.allocUnsafe(Math.max(PIECE, capacity));
  }

  add(text: string): void {
    this.#pending += text;
    if (this.#pending.length >= PIECE) this.#flush();
  }

  /** The bytes written, a view of the sink's buffer. */
  bytes(): Buffer {
    this.#flush();
    return this.#buffer.subarray(0, this.#length);
  }

  #flush(): void {
    const needed = this.#length + Buffer.byteLength(this.#pending);
    if (needed > this.#buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, 2 * this.#buffer.length));
      this.#buffer.copy(grown, 0, 0, this.#length);
      this.#buffer = grown;
    }
    this.#length += this.#buffer.write(this.#pending, this.#length);
    this.#pending = "";
  }
}
