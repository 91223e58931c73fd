// Benchmark 2: poll processing, from the response bytes to the refreshed cached exposition.
import { Buffer } from "node:buffer";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { createExposition } from "../dist/metrics/rendering.js";
import { createRegistry } from "../dist/metrics/registry.js";
import { createChannel } from "../dist/sources/channels.js";
import { createJobsSource } from "../dist/sources/jobs/source.js";
import { generatePayload } from "../dist/simulator/activity.js";
import { startExporter } from "../dist/exporter.js";
import { startSimulator } from "../dist/simulator/server.js";
import { exporterConfig, median, round, silentLogger, TOKEN } from "./common.js";

/** The largest size run (50,000 accounts) is beyond the default bounds of an answer. */
const LIMITS = { maxAccounts: 100_000, maxJobs: 1_000_000 };

/**
 * Median duration of the exporter's whole poll: the HTTP fetch from a local simulator serving
 * `payload`, the checks, the lifecycle tracking (status lookups off) and the rendering.
 */
async function wholePoll(payload, iterations) {
  const simulator = await startSimulator({ token: TOKEN });
  simulator.setPayload(payload);
  const exporter = await startExporter(
    exporterConfig(simulator.url, ["--accounts.interval=0", "--jobs.resolve-status=false"]),
    { logger: silentLogger() },
  );
  try {
    await exporter.runner("jobs").pollOnce();
    const times = [];
    for (let i = 0; i < iterations; i++) {
      const start = performance.now();
      await exporter.runner("jobs").pollOnce();
      times.push(performance.now() - start);
    }
    return median(times);
  } finally {
    await exporter.close();
    await simulator.close();
  }
}

const BUILD = { version: "bench", nodejs: process.version };

/**
 * Median time of JSON.parse alone and of the whole processing (JSON.parse, the jobs source's
 * parse and update: snapshot, job tracking, lifecycle; exposition.refresh) of the same bytes,
 * with 5 jobs per account.
 */
export async function runPoll({ accounts = [1000, 10000, 50000], iterations = 15 } = {}) {
  const rows = [];
  for (const size of accounts) {
    const payload = generatePayload({ seed: 1, accounts: size, jobsPerAccount: 5 });
    const bytes = Buffer.from(JSON.stringify(payload));
    const registry = createRegistry({ buildInfo: BUILD, defaultMetrics: true });
    const jobs = createJobsSource({
      registry,
      intervalMs: 15_000,
      limits: LIMITS,
      countAnomaly: () => undefined,
      finished: createChannel(),
    });
    const exposition = createExposition(registry);
    const parseTimes = [];
    const fullTimes = [];
    // One unmeasured round first: warms the JIT and creates every series.
    for (let i = -1; i < iterations; i++) {
      let start = performance.now();
      JSON.parse(bytes.toString("utf8"));
      const parseMs = performance.now() - start;
      start = performance.now();
      jobs.update(jobs.parse(JSON.parse(bytes.toString("utf8"))), Date.now());
      await exposition.refresh();
      const fullMs = performance.now() - start;
      if (i >= 0) {
        parseTimes.push(parseMs);
        fullTimes.push(fullMs);
      }
    }
    const parseMs = median(parseTimes);
    const fullMs = median(fullTimes);
    const wholeMs = await wholePoll(payload, Math.min(iterations, 7));
    rows.push({
      accounts: size,
      jobs: size * 5,
      bytes: bytes.length,
      jsonParseMs: round(parseMs),
      processMs: round(fullMs),
      ratio: round(fullMs / parseMs),
      usPerAccount: round((fullMs * 1000) / size),
      wholePollMs: round(wholeMs),
      wholeRatio: round(wholeMs / parseMs),
    });
  }
  const first = rows[0];
  const last = rows[rows.length - 1];
  // 1.0 means the cost per account is the same at the largest size as at the smallest.
  const linearity = round(last.usPerAccount / first.usPerAccount);
  return { iterations, rows, linearity };
}
