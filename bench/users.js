// Benchmark: where users live. At 3, 30 and 100 accounts, every source on at its default interval,
// in real time: the exporter and the simulator in separate processes (bench/processes.js), a
// scraper fetching /metrics every 15 s as Prometheus does; beside them the floor (bench/floor.js)
// and, per size, Debian's blackbox_exporter probing the same simulator endpoints on the same
// schedule (bench/blackbox-users.yml). Every process's /proc is sampled every few seconds.
// `npm run build`, then `node bench/users.js` (BENCH_USERS_MINUTES shortens it).
import console from "node:console";
import process from "node:process";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath, URL } from "node:url";
import { request } from "undici";
import { blackboxVersion, findBlackbox, startBlackbox } from "./blackbox.js";
import { median, round, TOKEN } from "./common.js";
import { cpuSeconds, memoryMb } from "./proc-stat.js";
import {
  FLOOR,
  exporterEnv,
  NODE_FLAGS,
  startExporterProcess,
  startNode,
  startSimulatorProcess,
} from "./processes.js";

const MODULES = fileURLToPath(new URL("./blackbox-users.yml", import.meta.url));
const SECOND = 1000;
const MINUTE = 60 * SECOND;
/** The default intervals (docs/flags.md): the jobs list and the scheduler, the 5-minute sources. */
const POLL_MS = 15 * SECOND;
const SLOW_MS = 5 * MINUTE;
/** The upstream paths each source asks, as the exporter's modules do (src/sources/*). */
const PATHS = {
  jobs: "/v1/minimax/agent/jobs",
  scheduler: "/v1/minimax/scheduler/available",
  accounts: "/v1/minimax/accounts",
  subscription: "/v2/account",
  usage: "/v2/account/stats?bot=minimax&limit=10000",
  credits: (account) => `/v1/minimax/features/?account=${account}`,
  job_status: (jobId) => `/v1/minimax/agent/${encodeURIComponent(jobId)}`,
};
/** What Prometheus 3 asks for (its default scrape protocols), gzip included. */
const SCRAPE_HEADERS = {
  accept:
    "application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2",
  "accept-encoding": "gzip",
};
const AUTH = { authorization: `Bearer ${TOKEN}` };

async function getJson(url, headers = AUTH) {
  const response = await request(url, { headers });
  return response.body.json();
}

/** Prometheus: GET /metrics every `everyMs` until `stopAt`; counts scrapes and failures. */
function scraper(url, everyMs, stopAt) {
  const counts = { scrapes: 0, failed: 0 };
  const done = (async () => {
    while (Date.now() < stopAt) {
      const started = Date.now();
      try {
        const response = await request(`${url}/metrics`, { headers: SCRAPE_HEADERS });
        await response.body.arrayBuffer();
        if (response.statusCode === 200) counts.scrapes++;
        else counts.failed++;
      } catch {
        counts.failed++;
      }
      await sleep(Math.max(0, Math.min(everyMs - (Date.now() - started), stopAt - Date.now())));
    }
  })();
  return { counts, done };
}

/**
 * Drives blackbox_exporter's /probe through the exporter's schedule against `simulator`: the
 * jobs list and the scheduler every 15 s; accounts, subscription and usage every 5 minutes; one
 * account's credits every 5 minutes / accounts; and, as the exporter looks up each job that left
 * the jobs list, one probe per job gone from the list (read here, by the driver, at most 2 a second).
 * Also reads the simulator's load: running jobs and generations per tick.
 */
function driveBlackbox(blackbox, simulator, accounts, stopAt) {
  const probes = {};
  const load = { jobs: [], generations: [] };
  const probe = async (kind, path) => {
    const target = encodeURIComponent(`${simulator}${path}`);
    const response = await request(`${blackbox.url}/probe?module=useapi&target=${target}`);
    await response.body.arrayBuffer();
    probes[kind] = (probes[kind] ?? 0) + 1;
  };
  const every = async (ms, tick) => {
    for (let next = Date.now(); next < stopAt; next += ms) {
      await sleep(Math.max(0, next - Date.now()));
      if (Date.now() >= stopAt) return;
      await tick();
    }
  };
  const lookups = [];
  let seen = new Set();
  const fast = every(POLL_MS, async () => {
    const [jobs, generations] = await Promise.all([
      getJson(`${simulator}${PATHS.jobs}`),
      getJson(`${simulator}${PATHS.scheduler}`),
    ]);
    const running = new Set(
      Object.values(jobs.executing ?? {}).flatMap((l) => l.map((j) => j.jobId)),
    );
    for (const id of seen) if (!running.has(id)) lookups.push(id);
    seen = running;
    load.jobs.push(running.size);
    load.generations.push((generations.executing ?? []).length);
    await Promise.all([probe("jobs", PATHS.jobs), probe("scheduler", PATHS.scheduler)]);
  });
  const slow = every(SLOW_MS, () =>
    Promise.all(["accounts", "subscription", "usage"].map((k) => probe(k, PATHS[k]))),
  );
  let turn = 0;
  const credits = every(SLOW_MS / accounts.length, () =>
    probe("credits", PATHS.credits(accounts[turn++ % accounts.length])),
  );
  const lookup = every(500, async () => {
    const id = lookups.shift();
    if (id !== undefined) await probe("job_status", PATHS.job_status(id));
  });
  return { probes, load, done: Promise.all([fast, slow, credits, lookup]) };
}

/** /proc every `everyMs` for each named pid until `stopAt`: time (ms from `startedAt`), RSS, peak, CPU. */
function sampler(pids, startedAt, everyMs, stopAt) {
  const samples = Object.fromEntries(Object.keys(pids).map((name) => [name, []]));
  const read = () => {
    const t = Date.now() - startedAt;
    for (const [name, pid] of Object.entries(pids)) {
      try {
        samples[name].push({ t, ...memoryMb(pid), cpuSec: cpuSeconds(pid) });
      } catch {
        // the process ended: its last sample stands
      }
    }
  };
  read();
  const done = (async () => {
    while (Date.now() < stopAt) {
      await sleep(Math.min(everyMs, Math.max(0, stopAt - Date.now())));
      read();
    }
  })();
  return { samples, done };
}

/** Steady RSS (median over the window), peak (VmHWM at the end) and CPU seconds per hour. */
function summarize(samples, fromMs) {
  const window = samples.filter((s) => s.t >= fromMs);
  const first = window[0] ?? samples[0];
  const last = samples[samples.length - 1];
  const hours = (last.t - first.t) / 3_600_000;
  return {
    steadyMb: round(median(window.map((s) => s.rssMb)), 1),
    peakMb: round(last.peakMb, 1),
    cpuPerHour: hours > 0 ? round((last.cpuSec - first.cpuSec) / hours, 1) : null,
    /** CPU seconds of the whole process life over the run's hours, startup included. */
    cpuPerHourWholeRun: round(last.cpuSec / (last.t / 3_600_000), 1),
    samples: samples.length,
  };
}

/** Sum of useapi_minimax_source_requests_total by source, from the exporter's /metrics. */
async function upstreamRequests(url) {
  const response = await request(`${url}/metrics`);
  const text = await response.body.text();
  const bySource = {};
  for (const line of text.split("\n")) {
    const match = /^useapi_minimax_source_requests_total\{source="([^"]+)"[^}]*\} (\S+)/.exec(line);
    if (match) bySource[match[1]] = (bySource[match[1]] ?? 0) + Number(match[2]);
  }
  return bySource;
}

/**
 * The simulator's load per account, read off its answers: running jobs and generations (means of
 * the driver's reads), jobs ended per hour (its history over the run), credit batches (each
 * account's `creditExpireText`), usage rows (its GET /v2/account/stats answer at the end).
 */
async function loadPerAccount(simulator, accounts, load, startedMs, endedMs) {
  const per = (n) => round(n / accounts.length, 2);
  const { jobs: ended } = await getJson(`${simulator}/__simulator/history`, {});
  const endedInRun = ended.filter((j) => j.endMs >= startedMs && j.endMs < endedMs).length;
  let batches = 0;
  for (const account of accounts) {
    const body = await getJson(`${simulator}${PATHS.credits(account)}`);
    batches += (body.creditExpireText ?? []).length;
  }
  const usage = await getJson(`${simulator}${PATHS.usage}`);
  const mean = (list) => (list.length === 0 ? 0 : list.reduce((a, b) => a + b, 0) / list.length);
  return {
    runningJobs: per(mean(load.jobs)),
    jobsEndedPerHour: per((endedInRun * 3_600_000) / (endedMs - startedMs)),
    runningGenerations: per(mean(load.generations)),
    creditBatches: per(batches),
    usageRows: per(usage.total ?? 0),
  };
}

/** One size: a simulator, the exporter polling it, a scraper, and blackbox_exporter beside them. */
async function startSize(accounts, binary) {
  const simulator = await startSimulatorProcess(accounts);
  const exporter = await startExporterProcess(simulator.url);
  const blackbox =
    binary === undefined ? undefined : await startBlackbox(binary, undefined, MODULES);
  return { accounts, simulator, exporter, blackbox };
}

/**
 * Every size at once (they share the machine as they would share a node), for `minutes`; the
 * steady window is the last two thirds (minutes 5 to 15 of 15). Resolves with the floor's and each
 * size's figures, and the load per account the simulator produced.
 */
export async function runUsers({
  sizes = [3, 30, 100],
  minutes = 15,
  sampleSec = 5,
  scrapeSec = 15,
  blackboxBinary,
} = {}) {
  const binary = findBlackbox(blackboxBinary);
  const durationMs = minutes * MINUTE;
  const floor = startNode(FLOOR);
  const started = [];
  try {
    for (const size of sizes) started.push(await startSize(size, binary));
    const startedAt = Date.now();
    const stopAt = startedAt + durationMs;
    const pids = { floor: floor.pid };
    for (const s of started) {
      pids[`exporter ${s.accounts}`] = s.exporter.pid;
      pids[`blackbox ${s.accounts}`] = s.blackbox.pid;
    }
    const sampling = sampler(pids, startedAt, sampleSec * SECOND, stopAt);
    const running = [];
    for (const s of started) {
      const { accounts } = await getJson(`${s.simulator.url}${PATHS.jobs}`);
      s.accountIds = accounts;
      s.scraper = scraper(s.exporter.url, scrapeSec * SECOND, stopAt);
      s.driver = driveBlackbox(s.blackbox, s.simulator.url, accounts, stopAt);
      running.push(s.scraper.done, s.driver.done);
    }
    await Promise.all([sampling.done, ...running]);
    const endedAt = Date.now();
    const fromMs = durationMs / 3;
    const rows = [];
    for (const s of started) {
      const requests = await upstreamRequests(s.exporter.url);
      rows.push({
        accounts: s.accounts,
        exporter: summarize(sampling.samples[`exporter ${s.accounts}`], fromMs),
        blackbox: summarize(sampling.samples[`blackbox ${s.accounts}`], fromMs),
        scrapes: s.scraper.counts.scrapes,
        failedScrapes: s.scraper.counts.failed,
        upstreamRequests: requests,
        probes: s.driver.probes,
        load: await loadPerAccount(
          s.simulator.url,
          s.accountIds,
          s.driver.load,
          startedAt,
          endedAt,
        ),
      });
    }
    return {
      minutes,
      windowMinutes: [round(fromMs / MINUTE, 2), minutes],
      sampleSec,
      scrapeSec,
      nodeFlags: NODE_FLAGS.join(" "),
      nodeEnv: Object.entries(exporterEnv())
        .map(([name, value]) => `${name}=${value}`)
        .join(" "),
      blackboxVersion: blackboxVersion(binary),
      floor: summarize(sampling.samples.floor, fromMs),
      rows,
    };
  } finally {
    for (const s of started) {
      await Promise.all([s.exporter.stop(), s.blackbox?.stop(), s.simulator.stop()]);
    }
    await floor.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await runUsers({ minutes: Number(process.env.BENCH_USERS_MINUTES ?? 15) });
  console.log(JSON.stringify(result, null, 2));
}
