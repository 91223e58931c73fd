// Shared wiring for the benchmarks: the real exporter (from dist/) against the simulator.
import { performance } from "node:perf_hooks";
import { loadConfig } from "../dist/config/config.js";
import { startExporter } from "../dist/exporter.js";
import { createLogger } from "../dist/logging/logger.js";
import { startSimulator } from "../dist/simulator/server.js";

export const TOKEN = "user:1234-benchbenchbenchbenchbench";

/** A logger that writes nowhere, so logging costs nothing but the level check. */
export function silentLogger() {
  return createLogger({ level: "error", format: "json", destination: { write: () => true } });
}

/** The production defaults, on loopback port 0, with a body cap large enough for the sizes run. */
/**
 * A configuration read through the exporter's own flag parser, so it cannot drift from the real
 * one: loopback port 0, polls only when asked (1 h interval), a 64 MiB body cap and account and
 * job bounds at their maximum (the sizes run pass the defaults), quiet logs.
 */
export function exporterConfig(baseUrl, flags = []) {
  const command = loadConfig({
    argv: [
      "--web.listen-address=127.0.0.1:0",
      `--useapi.base-url=${baseUrl}`,
      "--poll.interval=1h",
      "--poll.timeout=1m",
      "--poll.max-backoff=1h",
      "--useapi.max-response-bytes=64MiB",
      "--useapi.max-accounts=100000",
      "--useapi.max-jobs=1000000",
      "--log.level=error",
      ...flags,
    ],
    env: { USEAPI_TOKEN: TOKEN },
  });
  if (command.kind !== "run") throw new Error(`unexpected ${command.kind}`);
  return command.config;
}

/** The benchmarks' configuration: the exporter's defaults (status lookups and accounts poll on). */
export function benchConfig(baseUrl, overrides = {}) {
  return { ...exporterConfig(baseUrl), ...overrides };
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
