// The usage source's work on a 50,000-row answer (the upstream's most) against JSON.parse of the
// same text: the shape check, the dedupe by jobid and the counting. `npm run build`, then
// `node bench/usage.js`.
import console from "node:console";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { createLogger } from "../dist/logging/logger.js";
import { createUsageSource } from "../dist/sources/usage/source.js";
import { median, round } from "./common.js";

const ENDPOINTS = ["post-videos-create", "post-images-create", "get-videos", "post-music-create"];
const CODES = [201, 201, 201, 201, 412, 429, 596, 500];

/** `count` rows of the documented shape, from `first` on, newest first. */
function rows(first, count) {
  const out = [];
  for (let i = first + count - 1; i >= first; i--) {
    out.push({
      timestamp: new Date(Date.UTC(2026, 1, 13) + i * 1000).toISOString(),
      jobid: `2026021310300${String(i).padStart(7, "0")}-user:1234-bot:minimax`,
      config: String(100000 + (i % 500)),
      endpoint: ENDPOINTS[i % ENDPOINTS.length],
      status: "Created",
      code: CODES[i % CODES.length],
      msec: 300 + ((i * 7919) % 60000),
    });
  }
  return JSON.stringify({ bot: "minimax", total: count, data: out });
}

/** Median of `run(setup())`, timing `run` only. */
function timeMs(setup, run, iterations) {
  const times = [];
  for (let i = -2; i < iterations; i++) {
    const input = setup();
    const start = performance.now();
    run(input);
    if (i >= 0) times.push(performance.now() - start);
  }
  return median(times);
}

export function runUsage({ count = 50_000, iterations = 11 } = {}) {
  const logger = createLogger({ level: "error", format: "json", destination: { write() {} } });
  const first = rows(0, count);
  // The next poll's answer: a tenth of the rows new, the rest seen before.
  const next = rows(count / 10, count);
  const newSource = () =>
    createUsageSource({ intervalMs: 300_000, limit: count, logger, countAnomaly() {} });
  const take = (source, body) => source.update(source.parse(body), 0);
  const parseMs = timeMs(
    () => first,
    (text) => JSON.parse(text),
    iterations,
  );
  // The work after JSON.parse: the shape check, the dedupe and the counting.
  const firstMs = timeMs(
    () => [newSource(), JSON.parse(first)],
    ([source, body]) => take(source, body),
    iterations,
  );
  const nextMs = timeMs(
    () => {
      const source = newSource();
      take(source, JSON.parse(first));
      return [source, JSON.parse(next)];
    },
    ([source, body]) => take(source, body),
    iterations,
  );
  return {
    rows: count,
    bytes: first.length,
    jsonParseMs: round(parseMs),
    firstAnswerMs: round(firstMs),
    nextAnswerMs: round(nextMs),
    firstRatio: round(firstMs / parseMs, 3),
    nextRatio: round(nextMs / parseMs, 3),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.table([runUsage()]);
