// A bounded soak run of the real exporter against a churning simulator payload (not part of
// `npm test`): `npm run soak -- --polls=3000`. Fails when RSS or the per-account gauge series grow.
import { performance } from "node:perf_hooks";
import process from "node:process";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { clearInterval, setInterval } from "node:timers";
import { setTimeout as sleep } from "node:timers/promises";
import { request } from "undici";
import { startExporter } from "../dist/exporter.js";
import { exporterConfig, TOKEN } from "./common.js";
import { createLogger } from "../dist/logging/logger.js";
import { mulberry32 } from "../dist/simulator/random.js";
import { startSimulator } from "../dist/simulator/server.js";

const GAUGES = [
  "useapi_minimax_agent_jobs_executing{",
  "useapi_minimax_agent_job_max_elapsed_seconds{",
];
const LIFECYCLE = [
  "useapi_minimax_agent_jobs_started_total{",
  "useapi_minimax_agent_jobs_finished_total{",
  "useapi_minimax_agent_job_duration_seconds_",
];
const RSS_GROWTH_BOUND = 0.25;
const SERIES_GROWTH_BOUND = 0.1;
/** Simulated seconds between two polls, for the elapsed times of the jobs. */
const SECONDS_PER_POLL = 5;
const JOB_EXPIRY_POLLS = (15 * 60) / SECONDS_PER_POLL;

const options = {
  polls: 3000,
  warmup: 100,
  accounts: 3000,
  maxJobs: 5,
  churn: 0.1,
  scrapesPerSecond: 20,
  seed: 1,
  maxSeconds: 600,
  every: 500,
  /** When above 0, new account IDs are drawn from this many, so departed IDs come back. */
  idPool: 0,
};
for (const arg of process.argv.slice(2)) {
  const match = /^--([a-z-]+)=(\d+(?:\.\d+)?)$/.exec(arg);
  const key = match?.[1]?.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
  if (!match || key === undefined || !(key in options)) {
    process.stderr.write(
      `soak: unknown argument ${arg}; known: ${Object.keys(options).join(", ")}\n`,
    );
    process.exit(2);
  }
  options[key] = Number(match[2]);
}

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc");

/** Deterministic churn: each step replaces ~`churn` of the accounts by new IDs and moves jobs. */
function createModel({ seed, accounts: count, maxJobs, churn, idPool }) {
  const random = mulberry32(seed);
  let nextAccount = 0;
  let nextJob = 0;
  let step = 0;
  const newJob = (id, start) => ({
    jobId: `p${100_000_000 + nextJob++}-u12345-a${id}-bot:minimax`,
    start,
  });
  const present = new Set();
  const newAccount = () => {
    let id = String(100_000 + (idPool > 0 ? nextAccount++ % idPool : nextAccount++));
    while (present.has(id))
      id = String(100_000 + (idPool > 0 ? nextAccount++ % idPool : nextAccount++));
    present.add(id);
    const jobs = [];
    const n = Math.floor(random() * (maxJobs + 1));
    for (let j = 0; j < n; j++)
      jobs.push(newJob(id, step - Math.floor(random() * JOB_EXPIRY_POLLS)));
    return { id, jobs };
  };
  const accounts = Array.from({ length: count }, newAccount);
  const elapsed = (start) => {
    const seconds = (step - start) * SECONDS_PER_POLL;
    const mm = String(Math.floor(seconds / 60)).padStart(2, "0");
    return `${mm}:${String(seconds % 60).padStart(2, "0")}`;
  };
  return {
    get created() {
      return nextAccount;
    },
    next() {
      step++;
      for (let i = 0; i < accounts.length; i++) {
        if (random() < churn) {
          present.delete(accounts[i].id);
          accounts[i] = newAccount();
          continue;
        }
        const account = accounts[i];
        account.jobs = account.jobs.filter(
          (job) => step - job.start < JOB_EXPIRY_POLLS && random() >= 0.2,
        );
        if (account.jobs.length < maxJobs && random() < 0.25)
          account.jobs.push(newJob(account.id, step));
      }
      const body = { accounts: accounts.map((a) => a.id), summary: {}, executing: {} };
      for (const { id, jobs } of accounts) {
        if (jobs.length === 0) continue;
        body.summary[id] = { executing: jobs.length };
        body.executing[id] = jobs.map((job) => ({ jobId: job.jobId, elapsed: elapsed(job.start) }));
      }
      return body;
    },
  };
}

function countSeries(text) {
  const counts = { total: 0, gauges: 0, lifecycle: 0 };
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    counts.total++;
    if (GAUGES.some((prefix) => line.startsWith(prefix))) counts.gauges++;
    else if (LIFECYCLE.some((prefix) => line.startsWith(prefix))) counts.lifecycle++;
  }
  return counts;
}

const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);
const print = (line) => process.stdout.write(`${line}\n`);

const model = createModel(options);
const simulator = await startSimulator({
  token: TOKEN,
  seed: options.seed,
  accounts: 1,
  idleAccounts: 0,
});
simulator.setPayload(model.next());
const logger = createLogger({ level: "error", format: "json", destination: { write() {} } });
// The soak drives the polls itself, back to back, so the exporter's own timer never fires.
const exporter = await startExporter(
  exporterConfig(simulator.url, [
    "--poll.timeout=5s",
    "--web.max-requests=10000",
    "--accounts.interval=0",
    "--jobs.resolve-status=false",
  ]),
  { logger },
);
const metricsUrl = `${exporter.url}/metrics`;

async function scrape() {
  const response = await request(metricsUrl);
  const body = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`/metrics answered ${response.statusCode}`);
  return body;
}

const scrapes = { ok: 0, failed: 0, skipped: 0 };
let scraping = 0;
const scraper = setInterval(() => {
  if (scraping >= 4) {
    scrapes.skipped++;
    return;
  }
  scraping++;
  scrape()
    .then(() => scrapes.ok++)
    .catch(() => scrapes.failed++)
    .finally(() => scraping--);
}, 1000 / options.scrapesPerSecond);

async function measure(label) {
  gc();
  gc();
  const { rss, heapUsed } = process.memoryUsage();
  const series = countSeries(await scrape());
  print(
    `${label}: rss ${mb(rss)} MB, heap ${mb(heapUsed)} MB, per-account gauge series ${series.gauges}, ` +
      `lifecycle series ${series.lifecycle}, total series ${series.total}, accounts created ${model.created}`,
  );
  return { rss, series };
}

const outcomes = {};
let polls = 0;
const startedAt = performance.now();
const deadline = startedAt + options.maxSeconds * 1000;
let start;
let timedOut = false;
print(
  `soak: ${options.polls} polls (${options.warmup} warm-up) of ${options.accounts} accounts, ` +
    `${options.churn * 100}% replaced per poll, ${options.scrapesPerSecond} scrapes/s`,
);
await exporter.runner("jobs").pollOnce(); // the first poll, started by the exporter itself
while (polls < options.polls) {
  if (performance.now() > deadline) {
    timedOut = true;
    break;
  }
  simulator.setPayload(model.next());
  const outcome = await exporter.runner("jobs").pollOnce();
  polls++;
  outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  if (polls === options.warmup) start = await measure(`start (after ${polls} polls)`);
  else if (polls % options.every === 0) {
    const seconds = ((performance.now() - startedAt) / 1000).toFixed(0);
    await measure(`poll ${polls} (${seconds} s)`);
  }
}
const end = await measure(`end (after ${polls} polls)`);
clearInterval(scraper);
while (scraping > 0) await sleep(5);
await exporter.close();
await simulator.close();

const seconds = (performance.now() - startedAt) / 1000;
print(`duration ${seconds.toFixed(1)} s, ${(polls / seconds).toFixed(1)} polls/s`);
print(`poll outcomes ${JSON.stringify(outcomes)}; scrapes ${JSON.stringify(scrapes)}`);
const failures = [];
if (timedOut) failures.push(`only ${polls} polls within --max-seconds=${options.maxSeconds}`);
if (start === undefined) {
  failures.push(`no measurement after the ${options.warmup}-poll warm-up`);
} else {
  const rssGrowth = end.rss / start.rss - 1;
  const seriesGrowth = end.series.gauges / start.series.gauges - 1;
  const totalGrowth = end.series.total / start.series.total - 1;
  print(
    `rss ${mb(start.rss)} -> ${mb(end.rss)} MB (${(rssGrowth * 100).toFixed(1)}%, bound ${RSS_GROWTH_BOUND * 100}%)`,
  );
  print(
    `per-account gauge series ${start.series.gauges} -> ${end.series.gauges} ` +
      `(${(seriesGrowth * 100).toFixed(1)}%, bound ${SERIES_GROWTH_BOUND * 100}%)`,
  );
  print(
    `total series ${start.series.total} -> ${end.series.total} (${(totalGrowth * 100).toFixed(1)}%, ` +
      `lifecycle ${start.series.lifecycle} -> ${end.series.lifecycle}; reported, not bounded)`,
  );
  if (rssGrowth > RSS_GROWTH_BOUND) failures.push("RSS grew past its bound");
  if (seriesGrowth > SERIES_GROWTH_BOUND)
    failures.push("per-account gauge series grew past their bound");
}
for (const failure of failures) print(`FAIL: ${failure}`);
print(failures.length === 0 ? "soak passed" : "soak failed");
process.exitCode = failures.length === 0 ? 0 : 1;
