// Benchmark 4: upstream economy; however many scrape, each source asks the upstream once per
// interval (credits: once per account per interval).
import { setTimeout as sleep } from "node:timers/promises";
import { request } from "undici";
import { generatePayload } from "../dist/simulator/activity.js";
import { startStack } from "./common.js";

/** Each polled source, the simulator's count of its requests, and its interval flag. */
const POLLED = [
  { source: "jobs", count: "jobsRequests", flag: "poll.interval" },
  { source: "accounts", count: "accountsRequests", flag: "accounts.interval" },
  { source: "scheduler", count: "schedulerRequests", flag: "scheduler.interval" },
  { source: "subscription", count: "subscriptionRequests", flag: "subscription.interval" },
  { source: "usage", count: "usageRequests", flag: "usage.interval" },
];

/**
 * `scrapers` scrapers every `scrapeMs` against every source polled every `intervalMs`, for
 * `durationMs`; production is 1 s against 15 s, run here scaled down by the same factor (100 ms
 * against 1.5 s). Counted from the end of the first polls (and the first credits round) on.
 */
export async function runEconomy({
  scrapers = 3,
  scrapeMs = 100,
  intervalMs = 1500,
  durationMs = 15000,
} = {}) {
  const payload = generatePayload({ seed: 1, accounts: 100, jobsPerAccount: 5 });
  const every = `${intervalMs}ms`;
  const stack = await startStack(payload, [
    ...POLLED.map(({ flag }) => `--${flag}=${every}`),
    `--credits.interval=${every}`,
    `--poll.timeout=${Math.max(1, Math.floor(intervalMs / 2))}ms`,
    "--jobs.resolve-status=false",
  ]);
  const { simulator, exporter } = stack;
  await exporter.idle(); // the first polls, started with the exporter, have ended
  const before = { ...simulator.stats };
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
  const after = { ...simulator.stats };
  const elapsedMs = Date.now() - started;
  const intervals = Math.floor(windowMs / intervalMs);
  const creditAccounts = simulator.activity.accounts.length;
  await stack.close();
  const sources = [
    ...POLLED.map(({ source, count }) => ({
      source,
      requests: after[count] - before[count],
      expected: intervals,
      exact: true,
    })),
    // Spread one every interval/N: the window holds a part of a round at each end.
    {
      source: "credits",
      requests: after.creditsRequests - before.creditsRequests,
      expected: Math.ceil(windowMs / intervalMs) * creditAccounts,
      exact: false,
      accounts: creditAccounts,
    },
  ].map((row) => ({
    ...row,
    perInterval: Math.round((row.requests / intervals / (row.accounts ?? 1)) * 100) / 100,
    met: row.exact
      ? row.requests === row.expected
      : row.requests <= row.expected && row.requests >= row.expected - 2 * creditAccounts,
  }));
  return {
    scrapers,
    scrapeMs,
    intervalMs,
    windowMs: elapsedMs,
    intervals,
    scrapes,
    failedScrapes: failed,
    sources,
    upstreamRequests: sources.reduce((sum, row) => sum + row.requests, 0),
  };
}
