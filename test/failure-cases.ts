import type { SimulatorMode } from "../src/simulator/server.js";

/** Each failure mode of a simulated endpoint, its options, and the outcome the exporter counts. */
type Case = [SimulatorMode, { retryAfter?: string; bytes?: number; delayMs?: number }, string];
export const FAILURE_CASES: Case[] = [
  ["unauthorized", {}, "unauthorized"],
  ["forbidden", {}, "unauthorized"],
  ["rate_limited", { retryAfter: "30" }, "rate_limited"],
  ["server_error", {}, "server_error"],
  ["bad_request", {}, "client_error"],
  ["hang", {}, "timeout"],
  ["slow_body", { delayMs: 5_000 }, "timeout"],
  ["reset", {}, "network"],
  ["malformed_json", {}, "invalid_json"],
  ["wrong_shape", {}, "invalid_payload"],
  ["oversized", { bytes: 4 * 1024 * 1024 }, "too_large"],
];
