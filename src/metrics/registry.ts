import { Buffer } from "node:buffer";
import { collectDefaultMetrics, Registry } from "prom-client";
import { DEFAULT_METRICS } from "./default-metrics.js";
import type { Family } from "./family.js";
import { ByteSink } from "./byte-sink.js";
import { ownLabels } from "./label-value.js";
import { writeFamilies } from "./text-format.js";

export interface BuildInfo {
  version: string;
  nodejs: string;
}

export interface RegistryOptions {
  buildInfo: BuildInfo;
  /** Process and Node.js runtime metrics from prom-client; on by default. */
  defaultMetrics?: boolean;
}

/** Gauges named `_total`, which promtool check metrics refuses; their per-type gauges stay. */
const MISNAMED_DEFAULTS = [
  "nodejs_active_handles_total",
  "nodejs_active_requests_total",
  "nodejs_active_resources_total",
];

/** Our families in registration order, then prom-client's from a registry of their own if asked. */
export class MetricRegistry {
  readonly contentType = Registry.PROMETHEUS_CONTENT_TYPE;
  readonly #families = new Map<string, Family>();
  readonly #defaults: Registry | undefined;
  #lastBytes = 0;

  constructor({ defaultMetrics = false }: { defaultMetrics?: boolean } = {}) {
    if (!defaultMetrics) return;
    this.#defaults = new Registry();
    collectDefaultMetrics({ ...DEFAULT_METRICS, register: this.#defaults });
    for (const name of MISNAMED_DEFAULTS) this.#defaults.removeSingleMetric(name);
  }

  register(family: Family): void {
    if (this.#families.has(family.name))
      throw new Error(`a family named ${family.name} is already registered`);
    this.#families.set(family.name, family);
  }

  /** Every family as UTF-8. Ours are written in one synchronous pass: one state, one rendering. */
  async render(): Promise<Buffer> {
    const sink = new ByteSink(this.#lastBytes + (this.#lastBytes >> 3));
    writeFamilies(this.#families.values(), sink);
    if (this.#defaults !== undefined) sink.add(`\n${await this.#defaults.metrics()}`);
    const bytes = sink.bytes();
    this.#lastBytes = bytes.length;
    return bytes;
  }

  async metrics(): Promise<string> {
    return (await this.render()).toString();
  }
}

/** The exporter's registry, with the build info. */
export function createRegistry({
  buildInfo,
  defaultMetrics = true,
}: RegistryOptions): MetricRegistry {
  const registry = new MetricRegistry({ defaultMetrics });
  const [version, nodejs] = ownLabels([buildInfo.version, buildInfo.nodejs]);
  registry.register({
    name: "useapi_minimax_exporter_build_info",
    help: "Build information of the exporter: a constant 1 labelled with its version and Node.js.",
    type: "gauge",
    labelNames: ["version", "nodejs"],
    samples: (set) => set({ version, nodejs }, 1),
  });
  return registry;
}
