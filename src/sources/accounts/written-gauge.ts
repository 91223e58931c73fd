import { Gauge } from "prom-client";
import { formatValue } from "../../metrics/text-format.js";

/** A sample as prom-client's text writer reads it: it writes `${metricName} ${value}`. */
interface TextSample<T extends string> {
  metricName: string;
  labels: Partial<Record<T, string | number>>;
  value: number;
}

const NO_LABELS = Object.freeze({});

/**
 * A gauge family of prom-client's registry, so that it keeps its place in /metrics, whose samples
 * are all replaced at once and written as text then, once per answer. prom-client's own Gauge keys
 * every sample by a hash of its labels when it is set and formats its labels again at every
 * rendering: at 10,000 accounts (40,000 samples) that was 4 × the cost of writing each line once
 * (bench/sources.js). The lines go to prom-client's text writer as one sample, named with every
 * line but the last one's value, so that the rendering is byte for byte a Gauge's.
 */
export class WrittenGauge<T extends string> extends Gauge<T> {
  readonly #name: string;
  #lines: string[] = [];
  #head: string | undefined;
  #value = 0;
  #samples: TextSample<T>[] = [];

  constructor(configuration: ConstructorParameters<typeof Gauge<T>>[0]) {
    super(configuration);
    this.#name = configuration.name;
  }

  /** Starts a new set of samples; the last set is rendered until `end`. */
  begin(): void {
    this.#lines = [];
    this.#head = undefined;
  }

  /** A sample: `labels` already written as text (`{account="…"}`, escaped). */
  add(labels: string, value: number): void {
    if (this.#head !== undefined) this.#lines.push(`${this.#head} ${formatValue(this.#value)}`);
    this.#head = `${this.#name}${labels}`;
    this.#value = value;
  }

  /** The samples added since `begin` replace the family's. */
  end(): void {
    const head = this.#head;
    if (head === undefined) {
      this.#samples = [];
    } else {
      this.#lines.push(head);
      this.#samples = [
        { metricName: this.#lines.join("\n"), labels: NO_LABELS, value: this.#value },
      ];
    }
    this.#lines = [];
  }

  override async get(): Promise<Awaited<ReturnType<Gauge<T>["get"]>>> {
    // Nothing is ever set through the base class: its own answer has no samples.
    return { ...(await super.get()), values: this.#samples };
  }
}
