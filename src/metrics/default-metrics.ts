import type { DefaultMetricsCollectorConfiguration, RegistryContentType } from "prom-client";

/**
 * How prom-client's process and Node.js metrics are collected, by the exporter and by the floor of
 * `npm run bench`. Its event-loop monitor samples every 100 ms, not every 10 ms: at 10 ms it was
 * most of an idle exporter's CPU (the CPU goal of bench/RESULTS.md), and 100 ms still sees every
 * block of 100 ms or more.
 */
export const DEFAULT_METRICS: Omit<
  DefaultMetricsCollectorConfiguration<RegistryContentType>,
  "register"
> = {
  eventLoopMonitoringPrecision: 100,
};
