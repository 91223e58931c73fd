// prom-client's metrics, for the exporter and the bench's floor: a monitor every 10 ms was most of
// an idle exporter's CPU (the CPU goal of bench/RESULTS.md); 100 ms still sees every longer block.
export const DEFAULT_METRICS = { eventLoopMonitoringPrecision: 100 } as const;
