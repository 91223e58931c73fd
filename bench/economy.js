// Benchmark 4: upstream economy; however many scrape, the upstream sees one request per interval.
import { setTimeout as sleep } from "node:timers/promises";
import { request } from "undici";
import { generatePayload } from "../dist/simulator/activity.js";
import { startStack } from "./common.js";

/**
 * Three scrapers every `scrapeMs` against a poll interval of `intervalMs`, for `durationMs`;
 * production is 1 s against 15 s, run here scaled down by the same factor (100 ms against 1.5 s).
 */
export async function runEconomy({
  scrapers = 3,
  scrapeMs = 100,
  intervalMs = 1500,
  durationMs = 15000,
} = {}) {
  const payload = generatePayload({ seed: 1, accounts: 100, jobsPerAccount: 5 });
  const stack = await startStack(payload, [
    `--poll.interval=${intervalMs}ms`,
    `--poll.timeout=${Math.max(1, Math.floor(intervalMs / 2))}ms`,
    "--accounts.interval=0",
    "--jobs.resolve-status=false",
  ]);
  const { simulator, exporter } = stack;
  await exporter.runner("jobs").pollOnce(); // the first poll, started with the exporter, has ended
  const before = simulator.stats.jobsRequests;
  let scrapes = 0;
  let failed = 0;
  // Half an interval more, so that a poll due at the very end is not lost to timer drift.
  const windowMs = durationMs + intervalMs / 2;
  const started = Date.now();
  const deadline = started + windowMs;
  const scraper = async () => {
    while (Date.now() < deadline) {
      const response = await request(`${exporter.url}/metrics`);
      await response.body.arrayBuffer();
      if (response.statusCode === 200) scrapes++;
      else failed++;
      await sleep(scrapeMs);
    }
  };
  await Promise.all(Array.from({ length: scrapers }, scraper));
  const upstreamRequests = simulator.stats.jobsRequests - before;
  const elapsedMs = Date.now() - started;
  const intervals = Math.floor(windowMs / intervalMs);
  await stack.close();
  return {
    scrapers,
    scrapeMs,
    intervalMs,
    windowMs: elapsedMs,
    scrapes,
    failedScrapes: failed,
    upstreamRequests,
    expectedRequests: intervals,
    requestsPerInterval: Math.round((upstreamRequests / intervals) * 100) / 100,
  };
}
