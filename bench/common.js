// Shared wiring for the benchmarks: the stack (bench/stack.js) over dist/, with their flags.
import { performance } from "node:perf_hooks";
import { FLAGS, readCommandLine } from "../dist/cli.js";
import { startExporter } from "../dist/exporter.js";
import { createLogger } from "../dist/logging/logger.js";
import { startSimulator } from "../dist/simulator/server.js";
import { stackOver } from "./stack.js";

export const {
  mergeFlags,
  stackConfig,
  startStack: startSharedStack,
} = stackOver({ FLAGS, readCommandLine, startExporter, startSimulator });

export const TOKEN = "user:1234-benchbenchbenchbenchbench";

/** A logger that writes nowhere, so logging costs nothing but the level check. */
export function silentLogger() {
  return createLogger({ level: "error", format: "json", destination: { write: () => true } });
}

/**
 * The production defaults (status lookups and accounts poll on) but for: polls only when asked
 * (1 h interval), a 64 MiB body cap and account and job bounds at their maximum (the sizes run
 * pass the defaults), quiet logs.
 */
const BENCH_FLAGS = [
  "--poll.interval=1h",
  "--poll.timeout=1m",
  "--poll.max-backoff=1h",
  "--useapi.max-response-bytes=64MiB",
  "--useapi.max-accounts=100000",
  "--useapi.max-jobs=1000000",
  "--log.level=error",
];

/** The benchmarks' configuration, read through the exporter's own flag parser; `flags` replace
 * BENCH_FLAGS of the same name. */
export function exporterConfig(baseUrl, flags = []) {
  return stackConfig({
    baseUrl,
    flags: mergeFlags(BENCH_FLAGS, flags),
    env: { USEAPI_TOKEN: TOKEN },
  });
}

/** A simulator serving `payload` (when given) and the exporter polling it, default metrics on. */
export function startStack(payload, flags = []) {
  return startSharedStack({
    token: TOKEN,
    flags: mergeFlags(BENCH_FLAGS, flags),
    env: { USEAPI_TOKEN: TOKEN },
    deps: { logger: silentLogger(), defaultMetrics: true },
    simulator: { seed: 7, accounts: 6 },
    before: payload === undefined ? undefined : (simulator) => simulator.setPayload(payload),
  });
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
