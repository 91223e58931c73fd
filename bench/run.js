// `npm run bench`: runs every benchmark and writes bench/RESULTS.md.
import console from "node:console";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import process from "node:process";
import { format, resolveConfig } from "prettier";
import { fileURLToPath, URL } from "node:url";
import { runEconomy } from "./economy.js";
import { runMemory } from "./memory.js";
import { runPoll } from "./poll.js";
import { runServe } from "./serve.js";

const RESULTS = fileURLToPath(new URL("./RESULTS.md", import.meta.url));
const FINDINGS_MARKER = "<!-- findings: kept by bench/run.js -->";
const env = (name, fallback) => Number(process.env[name] ?? fallback);

/** Every figure and its goal check; `render` turns it into RESULTS.md. */
export async function runAll({
  serve = { accounts: [1000, 10000], durationSec: 6, warmupSec: 1 },
  poll = { accounts: [1000, 10000, 50000], iterations: 11 },
  memory = { accounts: 10000, polls: 50, warmupPolls: 10 },
  /** The same at a pinned glibc mmap threshold, to show how much RSS is malloc keeping freed memory. */
  memoryPinned = { ...memory, polls: 20, env: { MALLOC_MMAP_THRESHOLD_: "131072" } },
  economy = {},
  log = () => undefined,
} = {}) {
  const started = Date.now();
  log("serving /metrics ...");
  const serveResult = await runServe(serve);
  log("poll processing ...");
  const pollResult = await runPoll(poll);
  log("memory ...");
  const memoryResult = [await runMemory(memory), await runMemory(memoryPinned)];
  log("upstream economy ...");
  const economyResult = await runEconomy(economy);
  return {
    machine: machine(),
    date: new Date().toISOString(),
    seconds: Math.round((Date.now() - started) / 1000),
    serve: serveResult,
    poll: pollResult,
    memory: memoryResult,
    economy: economyResult,
    goals: goals(serveResult, pollResult, memoryResult, economyResult),
  };
}

function machine() {
  const cpus = os.cpus();
  return {
    cpu: `${cpus[0]?.model ?? "unknown"} × ${cpus.length}`,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverage: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" "),
  };
}

function goals(serve, poll, memory, economy) {
  const small = serve.rows.filter(
    (r) => r.accounts === Math.min(...serve.rows.map((x) => x.accounts)),
  );
  return [
    ...small.map((r) => ({
      goal: `/metrics at ${r.accounts} accounts, gzip ${r.gzip ? "on" : "off"}: ≥ 0.7 of the ceiling's requests/s`,
      measured: `${r.exporterToCeiling}`,
      met: (r.exporterToCeiling ?? 0) >= 0.7,
    })),
    ...small.map((r) => ({
      goal: `/metrics at ${r.accounts} accounts, gzip ${r.gzip ? "on" : "off"}, 50 connections: p99 < 5 ms`,
      measured: `${r.exporter.p99Ms} ms (one connection: ${r.single.p99Ms} ms)`,
      met: r.exporter.p99Ms < 5,
    })),
    ...poll.rows.map((r) => ({
      goal: `Poll processing at ${r.accounts} accounts: ≤ 3 × JSON.parse`,
      measured: `${r.ratio} ×`,
      met: r.ratio <= 3,
    })),
    {
      goal: "Poll processing grows linearly (µs per account, largest / smallest size ≤ 1.5)",
      measured: `${poll.linearity}`,
      met: poll.linearity <= 1.5,
    },
    {
      goal: `RSS after warm-up at ${memory[0].accounts} accounts < 120 MB (idle ${memory[0].idleMs / 1000} s after a poll)`,
      measured: `${memory[0].warmRssMb} MB (right after the poll: ${memory[0].warmBusyRssMb} MB)`,
      met: memory[0].warmRssMb < 120,
    },
    {
      goal: `RSS growth over ${memory[0].polls} churning polls < 5 % (idle)`,
      measured: `${memory[0].growthPercent} % (right after the poll: ${memory[0].busyGrowthPercent} %)`,
      met: memory[0].growthPercent < 5,
    },
    {
      goal: "Upstream sees exactly one request per poll interval",
      measured: `${economy.upstreamRequests} requests in ${economy.expectedRequests} intervals`,
      met: economy.upstreamRequests === economy.expectedRequests,
    },
  ];
}

export function render(r) {
  const lines = [];
  const table = (head, rows) => {
    lines.push(`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`);
    for (const row of rows) lines.push(`| ${row.join(" | ")} |`);
    lines.push("");
  };
  lines.push(
    "# Benchmark results",
    "",
    "Written by `npm run bench` (bench/run.js); every number below comes from that run.",
    "",
    `- Date: ${r.date}; whole run ${r.seconds} s`,
    `- Machine: ${r.machine.cpu}, ${r.machine.memoryGb} GB, ${r.machine.os}`,
    `- Node.js: ${r.machine.node}; load average at the end: ${r.machine.loadAverage}`,
    "",
    "## Goals",
    "",
  );
  table(
    ["Goal", "Measured", "Met"],
    r.goals.map((g) => [g.goal, g.measured, g.met ? "yes" : "**no**"]),
  );
  const s = r.serve;
  lines.push(
    "## 1. Serving /metrics",
    "",
    `wrk 4.1 (\`-t1\`: one thread, a C client leaving the other core to the server) with ${s.connections}`,
    `connections for ${s.durationSec} s per server, after an unrecorded one-connection warm-up, against`,
    "three servers in one child process on",
    "127.0.0.1: the exporter (startExporter, default metrics on, after one poll of a simulator",
    "serving `generatePayload({ seed: 1, accounts, jobsPerAccount: 5 })`); the ceiling, a bare",
    "node:http server answering the same bytes (gzip compressed once); and express calling",
    "`await registry.metrics()` on the exporter's registry on every request (gzip per request),",
    "from a fresh child per run. Warm-ups use one connection, so that no backlog is left behind.",
    "The exporter is also loaded with a single connection (one Prometheus) for its latency alone;",
    "wrk gives up on a request after 10 s (Timeouts); p50 and p99 are wrk's latency distribution.",
    "",
  );
  const cell = (x) => (x === null ? "n/a" : x);
  table(
    [
      "Accounts",
      "gzip",
      "Body bytes",
      "Server",
      "Connections",
      "Requests/s",
      "p50 ms",
      "p99 ms",
      "Errors",
      "Timeouts",
    ],
    s.rows.flatMap((row) =>
      ["exporter", "ceiling", "express", "single"].map((name) => [
        row.accounts,
        row.gzip ? "on" : "off",
        row.bytes,
        name === "single" ? "exporter" : name,
        name === "single" ? 1 : s.connections,
        row[name].rps,
        row[name].p50Ms,
        row[name].p99Ms,
        row[name].errors,
        row[name].timeouts,
      ]),
    ),
  );
  table(
    ["Accounts", "gzip", "Series", "Exporter / ceiling (req/s)", "Exporter / express (req/s)"],
    s.rows.map((row) => [
      row.accounts,
      row.gzip ? "on" : "off",
      row.series,
      cell(row.exporterToCeiling),
      cell(row.exporterToExpress),
    ]),
  );
  const p = r.poll;
  lines.push(
    "## 2. Poll processing",
    "",
    "In-process, on the bytes of `generatePayload({ seed: 1, accounts, jobsPerAccount: 5 })`:",
    "JSON.parse + the jobs source's parse and update + exposition.refresh (default",
    `metrics on) against JSON.parse alone of the same bytes; median of ${p.iterations} iterations`,
    'after one unmeasured round. The goal is judged on this processing. "Whole poll" is the',
    "exporter's own pollOnce() against a local simulator serving the same payload (HTTP fetch of",
    "the body, checks, job lifecycle tracking with status lookups off, lifecycle families written",
    "as text), median of up to 7 polls: the real cost of one poll, reported beside it.",
    "",
  );
  table(
    [
      "Accounts",
      "Jobs",
      "Bytes",
      "JSON.parse ms",
      "Processing ms",
      "Ratio",
      "µs per account",
      "Whole poll ms",
      "Whole poll / JSON.parse",
    ],
    p.rows.map((x) => [
      x.accounts,
      x.jobs,
      x.bytes,
      x.jsonParseMs,
      x.processMs,
      x.ratio,
      x.usPerAccount,
      x.wholePollMs,
      x.wholeRatio,
    ]),
  );
  const [m] = r.memory;
  lines.push(
    "## 3. Memory",
    "",
    `A fresh \`node --expose-gc\` process runs the exporter alone (the simulator runs in the parent) at`,
    `${m.accounts} accounts with ${m.jobsPerAccount} jobs each. Every poll shows a sliding window of`,
    "the accounts of a pool 5 % larger and 5 of each account's 6 jobs, another one each time, so",
    "accounts and jobs start and finish on every poll (every account has a duration histogram);",
    "every tenth poll is scraped. Polls run back to back. RSS is read after two `gc()`, after",
    `${m.warmupPolls} warm-up polls and again after ${m.polls} more, each time twice: right after`,
    `the last poll ("busy") and after ${m.idleMs / 1000} s without polls ("idle"), as between production's 15 s`,
    "polls. The second row runs the same with glibc's mmap threshold pinned",
    "(`MALLOC_MMAP_THRESHOLD_`), which returns every freed large block at once: equal rows mean the",
    "C library's setting does not matter (the rendering is not allocated through malloc).",
    m.polls < 1000
      ? `The ${m.polls} polls are scaled down from 1,000 (one poll at this size takes about ${Math.round((m.seconds / (m.polls + m.warmupPolls)) * 10) / 10} s here); \`BENCH_MEMORY_POLLS=1000 npm run bench\` runs the full count.`
      : "",
    "",
  );
  table(
    [
      "Environment",
      "Polls",
      "Warm RSS MB (busy / idle)",
      "Final RSS MB (busy / idle)",
      "Final heap MB",
      "Growth % (busy / idle)",
      "Seconds",
    ],
    r.memory.map((x) => [
      x.env === "" ? "default" : `\`${x.env}\``,
      x.polls,
      `${x.warmBusyRssMb} / ${x.warmRssMb}`,
      `${x.finalBusyRssMb} / ${x.finalRssMb}`,
      x.finalHeapMb,
      `${x.busyGrowthPercent} / ${x.growthPercent}`,
      x.seconds,
    ]),
  );
  const e = r.economy;
  lines.push(
    "## 4. Upstream economy",
    "",
    `${e.scrapers} scrapers each scraping every ${e.scrapeMs} ms against a ${e.intervalMs} ms poll`,
    `interval for ${e.windowMs} ms: production's 1 s against 15 s scaled by 1/10. Requests counted by`,
    "the simulator after the first poll ended.",
    "",
  );
  table(
    ["Scrapes", "Failed scrapes", "Upstream requests", "Intervals", "Requests per interval"],
    [[e.scrapes, e.failedScrapes, e.upstreamRequests, e.expectedRequests, e.requestsPerInterval]],
  );
  return lines.join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await runAll({
    memory: {
      accounts: 10000,
      polls: env("BENCH_MEMORY_POLLS", 50),
      warmupPolls: 10,
    },
    memoryPinned: {
      accounts: 10000,
      polls: 20,
      warmupPolls: 10,
      env: { MALLOC_MMAP_THRESHOLD_: "131072" },
    },
    log: (line) => console.log(line),
  });
  // The hand-written analysis below the marker survives a rerun; it names the run it discusses.
  const previous = existsSync(RESULTS) ? readFileSync(RESULTS, "utf8") : "";
  const cut = previous.indexOf(FINDINGS_MARKER);
  const findings = cut === -1 ? "" : `\n${previous.slice(cut)}`;
  const options = { ...(await resolveConfig(RESULTS)), parser: "markdown" };
  writeFileSync(RESULTS, await format(render(result) + findings, options));
  console.log(JSON.stringify(result.goals, null, 2));
}
