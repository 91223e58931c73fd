// Poll processing of the usage source (GET /v2/account/stats) against JSON.parse of the same text,
// for the first answer and for the next one (a tenth of its rows new). `npm run build`, then
// `node bench/usage.js`.
import console from "node:console";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { createExposition } from "../dist/metrics/rendering.js";
import { createRegistry } from "../dist/metrics/registry.js";
import { createUsageSource } from "../dist/sources/usage/source.js";
import { median, round, silentLogger } from "./common.js";

const ENDPOINTS = ["post-videos-create", "post-images-create", "get-videos", "post-music-create"];
const CODES = [201, 201, 201, 201, 412, 429, 596, 500];
const BUILD = { version: "bench", nodejs: process.version };
/** The families each new source registers: the last round's go first. */
/** The JSON text of an answer of `count` rows of the documented shape, from `first` on, newest first. */
export function usageAnswer(first, count) {
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

/**
 * Median ms of JSON.parse alone and of the whole processing (JSON.parse, the usage source's parse
 * and update: shape check, dedupe by jobid, counting; exposition.refresh) of `text`, each round on
 * a new source that was first given `before` (the answers it saw earlier, untimed).
 */
async function timeProcessing(logger, text, before, count, iterations) {
  const parseTimes = [];
  const fullTimes = [];
  // Two unmeasured rounds first: warm the JIT.
  for (let i = -2; i < iterations; i++) {
    const registry = createRegistry({ buildInfo: BUILD, defaultMetrics: false });
    const exposition = createExposition(registry);
    const source = createUsageSource({
      registry,
      intervalMs: 300_000,
      limit: count,
      logger,
      countAnomaly() {},
    });
    for (const earlier of before) source.update(source.parse(JSON.parse(earlier)), 0);
    await exposition.refresh();
    let start = performance.now();
    JSON.parse(text);
    const parseMs = performance.now() - start;
    start = performance.now();
    source.update(source.parse(JSON.parse(text)), 300_000);
    await exposition.refresh();
    const fullMs = performance.now() - start;
    if (i >= 0) {
      parseTimes.push(parseMs);
      fullTimes.push(fullMs);
    }
  }
  return { parseMs: median(parseTimes), fullMs: median(fullTimes) };
}

/** One row per size: the first answer's and the next answer's processing against JSON.parse. */
export async function runUsage({ counts = [1000, 10000, 50000], iterations = 11 } = {}) {
  // One registry (default metrics on) and exposition for every round: each round's source
  // registers its families on it.
  const logger = silentLogger();
  const rows = [];
  for (const count of counts) {
    const first = usageAnswer(0, count);
    // The next poll's answer: a tenth of the rows new, the rest seen before.
    const next = usageAnswer(Math.ceil(count / 10), count);
    const a = await timeProcessing(logger, first, [], count, iterations);
    const b = await timeProcessing(logger, next, [first], count, iterations);
    // Each ratio against the JSON.parse timed in the same rounds.
    rows.push({
      rows: count,
      bytes: first.length,
      jsonParseMs: round(a.parseMs),
      firstAnswerMs: round(a.fullMs),
      nextAnswerMs: round(b.fullMs),
      firstRatio: round(a.fullMs / a.parseMs, 3),
      nextRatio: round(b.fullMs / b.parseMs, 3),
    });
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.table(await runUsage());
