// Shared wiring for the benchmarks: the real exporter (from dist/) against the simulator.
import { performance } from "node:perf_hooks";
import { startExporter } from "../dist/exporter.js";
import { createLogger } from "../dist/logger.js";
import { startSimulator } from "../dist/simulator/server.js";

export const TOKEN = "user:1234-benchbenchbenchbenchbench";

/** A logger that writes nowhere, so logging costs nothing but the level check. */
export function silentLogger() {
  return createLogger({ level: "error", format: "json", destination: { write: () => true } });
}

/** The production defaults, on loopback port 0, with a body cap large enough for the sizes run. */
export function benchConfig(baseUrl, overrides = {}) {
  return {
    listen: { host: "127.0.0.1", port: 0 },
    telemetryPath: "/metrics",
    baseUrl,
    token: TOKEN,
    pollIntervalMs: 3_600_000,
    pollTimeoutMs: 60_000,
    staleAfterMs: 5 * 3_600_000,
    maxBackoffMs: 300_000,
    maxResponseBytes: 64 * 1024 * 1024,
    logLevel: "error",
    logFormat: "json",
    demo: false,
    accountsIntervalMs: 300_000,
    resolveJobStatus: true,
    jobLookupConcurrency: 2,
    jobLookupRate: 2,
    ...overrides,
  };
}

/** A simulator serving `payload` (when given) and the exporter polling it, default metrics on. */
export async function startStack(payload, overrides = {}) {
  const simulator = await startSimulator({ token: TOKEN, seed: 7, accounts: 6 });
  if (payload !== undefined) simulator.setPayload(payload);
  const exporter = await startExporter(benchConfig(simulator.url, overrides), {
    logger: silentLogger(),
    defaultMetrics: true,
  });
  return {
    simulator,
    exporter,
    async close() {
      await exporter.close();
      await simulator.close();
    },
  };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Milliseconds taken by `fn` (awaited). */
export async function timeMs(fn) {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

export function round(value, digits = 2) {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
