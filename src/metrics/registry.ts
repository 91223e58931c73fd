import { collectDefaultMetrics, Gauge, Registry } from "prom-client";

export interface BuildInfo {
  version: string;
  nodejs: string;
}

export interface RegistryOptions {
  buildInfo: BuildInfo;
  /** Process and Node.js runtime metrics from prom-client; on by default. */
  defaultMetrics?: boolean;
}

/**
 * prom-client's gauges of active handles, requests and resources are named `_total`, which
 * promtool check metrics refuses for a gauge; their per-type gauges (without `_total`) stay.
 */
const MISNAMED_DEFAULTS = [
  "nodejs_active_handles_total",
  "nodejs_active_requests_total",
  "nodejs_active_resources_total",
];

/** The exporter's own prom-client registry (never the global one), with the build info. */
export function createRegistry({ buildInfo, defaultMetrics = true }: RegistryOptions): Registry {
  const registry = new Registry();
  if (defaultMetrics) {
    collectDefaultMetrics({ register: registry });
    for (const name of MISNAMED_DEFAULTS) registry.removeSingleMetric(name);
  }
  new Gauge({
    name: "useapi_minimax_exporter_build_info",
    help: "Build information of the exporter: a constant 1 labelled with its version and Node.js.",
    labelNames: ["version", "nodejs"] as const,
    registers: [registry],
  }).set({ version: buildInfo.version, nodejs: buildInfo.nodejs }, 1);
  return registry;
}
