// `npm run bench:flood`: basic auth under a flood of wrong credentials, with one good scraper.
//
// By default, the comparison (runFloodComparison): this exporter, then Debian's blackbox_exporter
// (exporter-toolkit's basic auth, the Go reference) with the same web config, one after the other,
// each under the same paced flood (bench/flood-paced.js: 2,000 wrong passwords over 10 s) while a
// good scraper scrapes /metrics every 50 ms; the figures include how long each server took to answer
// the whole flood.
//
// `--closed-loop` (or `--baseline`, which adds the same floods with auth off): runFlood, the floods
// of RESULTS.md's before/after tables, 40 or 200 connections sending back to back for `--seconds`
// (6 by default) to /metrics or /no-such-path, a good scrape every 100 ms.
//
// The exporter (and the simulator it polls) run in a child process from a dist/ directory
// (`--dist=DIR`, default ../dist), so that an older build can be measured the same way; the flood
// runs in a second child, so that the scraper's figures are not the flood's own queueing.
// Loopback only.
import { Buffer } from "node:buffer";
import { fork } from "node:child_process";
import console from "node:console";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os, { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import process from "node:process";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath, pathToFileURL, URL } from "node:url";
import { Client } from "undici";
import { blackboxVersion, findBlackbox, startBlackbox } from "./blackbox.js";
import { startPacedFlood } from "./flood-paced.js";
import { cpuSeconds, processRunQueueSeconds, runQueueSeconds } from "./proc-stat.js";

const SELF = fileURLToPath(import.meta.url);
const TOKEN = "user:1234-floodfloodfloodfloodflood";
const USER = "prometheus";
const PASSWORD = "changeme";
// htpasswd -nBC 10 prometheus, password "changeme" (the README's example).
const HASH = "$2y$10$sKp5r2v0jzhtK0sBh6UAn.tAJY7SQB.DVVNQd8xQOr/iNPhYtp.wS";
const SCRAPE_TIMEOUT_MS = 10_000; // Prometheus' default scrape timeout
const SCRAPE_EVERY_MS = 100; // runFlood's; the comparison's is an option (50 ms)
const POLL_INTERVAL = "1s";

const basic = (user, password) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

/** The web config both servers read: one user, a cost-10 bcrypt hash. */
function writeWebConfig() {
  const dir = mkdtempSync(join(tmpdir(), "flood-"));
  const file = join(dir, "web.yml");
  writeFileSync(file, `basic_auth_users:\n  ${USER}: "${HASH}"\n`);
  return { dir, file };
}

/**
 * The child: a simulator and the exporter (with basic auth when given a web config), polling every
 * `pollInterval`. Asked "stats", it tells its jobs polls and CPU seconds so far and its event loop's
 * delays since the last time it was asked.
 */
async function child(dist, webConfig, pollInterval) {
  const from = (file) => import(pathToFileURL(join(dist, file)).href);
  const { readCommandLine } = await from("cli.js");
  const { startExporter } = await from("exporter.js");
  const { createLogger } = await from("logging/logger.js");
  const { startSimulator } = await from("simulator/server.js");
  const simulator = await startSimulator({ token: TOKEN, seed: 7, accounts: 6 });
  const command = readCommandLine({
    argv: [
      "--web.listen-address=127.0.0.1:0",
      `--useapi.base-url=${simulator.url}`,
      `--poll.interval=${pollInterval}`,
      "--poll.timeout=900ms",
      ...(webConfig ? [`--web.config.file=${webConfig}`] : []),
      "--log.level=error",
    ],
    env: { USEAPI_TOKEN: TOKEN },
  });
  if (command.kind !== "run") throw new Error(`unexpected ${command.kind}`);
  const logger = createLogger({
    level: "error",
    format: "json",
    destination: { write: () => true },
  });
  const exporter = await startExporter(command.config, { logger });
  const polls = async () => {
    const text = await exporter.registry.metrics();
    let total = 0;
    for (const line of text.split("\n")) {
      if (line.startsWith('useapi_minimax_source_requests_total{source="jobs",')) {
        total += Number(line.split(" ").pop());
      }
    }
    return total;
  };
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  process.on("message", async (message) => {
    if (message === "stats") {
      const { user, system } = process.cpuUsage();
      process.send({
        polls: await polls(),
        cpuSec: (user + system) / 1e6,
        runQueueSec: processRunQueueSeconds(process.pid),
        mainThreadCpuSec: cpuSeconds(process.pid, process.pid),
        mainThreadRunQueueSec: runQueueSeconds(process.pid, process.pid),
        loopDelay: { p99Ms: loop.percentile(99) / 1e6, maxMs: loop.max / 1e6 },
      });
      loop.reset();
    } else {
      await exporter.close();
      await simulator.close();
      process.exit(0);
    }
  });
  process.send({ url: exporter.url });
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** `connections` clients sending wrong credentials back to back until `until`. */
async function flood(url, path, connections, until) {
  const statuses = new Map();
  let sent = 0;
  const one = async () => {
    const client = new Client(url, { pipelining: 1, headersTimeout: 0, bodyTimeout: 0 });
    while (performance.now() < until) {
      const password = `wrong-${sent++}`; // every attempt new, as a password guesser's
      try {
        const response = await client.request({
          path,
          method: "GET",
          headers: { authorization: basic(USER, password) },
        });
        await response.body.dump();
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
      } catch {
        statuses.set("error", (statuses.get("error") ?? 0) + 1);
      }
    }
    await client.destroy();
  };
  await Promise.all(Array.from({ length: connections }, one));
  return Object.fromEntries(statuses);
}

/** One Prometheus: a scrape every `everyMs` (or right after a slower one), 10 s timeout. */
async function scraper(url, until, everyMs = SCRAPE_EVERY_MS) {
  const client = new Client(url, { pipelining: 1 });
  const latencies = [];
  let ok = 0;
  let tries = 0;
  while (performance.now() < until) {
    const started = performance.now();
    tries++;
    try {
      const response = await client.request({
        path: "/metrics",
        method: "GET",
        headers: { authorization: basic(USER, PASSWORD), "accept-encoding": "gzip" },
        headersTimeout: SCRAPE_TIMEOUT_MS,
        bodyTimeout: SCRAPE_TIMEOUT_MS,
      });
      await response.body.dump();
      if (response.statusCode === 200) ok++;
    } catch {
      // a timeout or a reset: a failed scrape
    }
    const took = performance.now() - started;
    latencies.push(took);
    const rest = everyMs - took;
    if (rest > 0) await sleep(rest);
  }
  await client.destroy();
  latencies.sort((a, b) => a - b);
  const round = (v) => (v === null ? null : Math.round(v * 10) / 10);
  return {
    scrapes: tries,
    successRate: tries === 0 ? 0 : Math.round((ok / tries) * 1000) / 1000,
    p50Ms: round(percentile(latencies, 50)),
    p95Ms: round(percentile(latencies, 95)),
    p99Ms: round(percentile(latencies, 99)),
    worstMs: round(latencies.at(-1) ?? null),
  };
}

/** The flood in its own process: resolves with the answers it got. */
async function floodProcess(url, path, connections, seconds) {
  const flooder = fork(
    SELF,
    [
      "--flood",
      `--url=${url}`,
      `--path=${path}`,
      `--connections=${connections}`,
      `--seconds=${seconds}`,
    ],
    {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    },
  );
  const [ready] = await once(flooder, "message");
  if (ready !== "ready") throw new Error("the flood did not start");
  return {
    start: () => flooder.send("go"),
    done: once(flooder, "message").then(([statuses]) => statuses),
  };
}

/** The exporter in its child process: its URL, its child's stats (polls, CPU, loop delay), `stop`. */
async function startExporterChild(dist, webConfig, pollInterval = POLL_INTERVAL) {
  const exporter = fork(
    SELF,
    [
      "--child",
      `--dist=${dist}`,
      `--poll-interval=${pollInterval}`,
      ...(webConfig ? [`--web-config=${webConfig}`] : []),
    ],
    { stdio: ["ignore", "inherit", "inherit", "ipc"] },
  );
  const [{ url }] = await once(exporter, "message");
  const stats = async () => {
    exporter.send("stats");
    const [answer] = await once(exporter, "message");
    return answer;
  };
  return {
    url,
    stats,
    polls: async () => (await stats()).polls,
    stop: async () => {
      exporter.send("stop");
      await once(exporter, "exit");
    },
  };
}

/** The good login cached before the flood, as for a Prometheus already scraping. */
async function warmUp(url) {
  const warm = new Client(url);
  const first = await warm.request({
    path: "/metrics",
    method: "GET",
    headers: { authorization: basic(USER, PASSWORD) },
  });
  await first.body.dump();
  await warm.close();
  if (first.statusCode !== 200) throw new Error(`the good login answered ${first.statusCode}`);
}

async function scenario(dist, path, connections, seconds, auth = true) {
  const web = auth ? writeWebConfig() : undefined;
  const exporter = await startExporterChild(dist, web?.file);
  const { url } = exporter;
  await warmUp(url);

  const flooder = await floodProcess(url, path, connections, seconds);
  const pollsBefore = await exporter.polls();
  flooder.start();
  const good = await scraper(url, performance.now() + seconds * 1000);
  const floodStatuses = await flooder.done;
  const polls = (await exporter.polls()) - pollsBefore;
  await exporter.stop();
  if (web) rmSync(web.dir, { recursive: true, force: true });
  return { path, connections, auth, seconds, ...good, polls, flood: floodStatuses };
}

export async function runFlood({
  dist = fileURLToPath(new URL("../dist", import.meta.url)),
  seconds = 6,
  connections = [40, 200],
  paths = ["/metrics", "/no-such-path"],
  /** The same floods with basic auth off (404s): the floor that any flood of requests sets. */
  baseline = false,
} = {}) {
  const rows = [];
  for (const path of paths) {
    for (const n of connections) rows.push(await scenario(resolve(dist), path, n, seconds));
  }
  if (baseline) {
    for (const n of connections) {
      rows.push(await scenario(resolve(dist), "/no-such-path", n, seconds, false));
    }
  }
  return rows;
}

/** The load average now, as "1.23 0.98 0.50". */
const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

const roundAll = (o) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Math.round(v * 100) / 100]));

/** One server of the comparison under the paced flood; `polls` only for the exporter. */
async function pacedScenario(name, server, settings) {
  const loadBefore = loadAverage();
  await warmUp(server.url);
  const flooder = await startPacedFlood({
    url: server.url,
    path: settings.floodPath,
    user: USER,
    total: settings.wrongPasswords,
    seconds: settings.seconds,
    timeoutMs: settings.floodTimeoutMs,
  });
  const before = await server.stats();
  const scraperWaitBefore = runQueueSeconds(process.pid, process.pid);
  flooder.start();
  const good = await scraper(
    server.url,
    performance.now() + settings.seconds * 1000,
    settings.scrapeEveryMs,
  );
  const scraperWait = runQueueSeconds(process.pid, process.pid) - scraperWaitBefore;
  const after = await server.stats();
  const flood = await flooder.done;
  const change = (key) => (after[key] === undefined ? {} : { [key]: after[key] - before[key] });
  return {
    server: name,
    goodScrapes: good.scrapes,
    successPercent: Math.round(good.successRate * 1000) / 10,
    p50Ms: good.p50Ms,
    p95Ms: good.p95Ms,
    worstMs: good.worstMs,
    floodSent: flood.sent,
    answered: flood.answered,
    ...(Object.keys(flood.otherCodes).length > 0 ? { otherCodes: flood.otherCodes } : {}),
    connectionErrors: flood.errors,
    ...(flood.errors > 0 ? { errorKinds: flood.errorKinds } : {}),
    floodConnections: flood.connections,
    floodPeakInFlight: flood.peakInFlight,
    floodLastSentSec: flood.lastSentSec,
    floodWorstSendLagMs: flood.worstSendLagMs,
    floodAnsweredSec: flood.allAnsweredSec,
    polls: before.polls === undefined ? null : after.polls - before.polls,
    // Where the time went during the window: the server's CPU seconds and seconds its threads
    // waited for a CPU (all threads; for the exporter also its main thread alone, and its event
    // loop's delays), the same wait for the scraper's thread; the flood's CPU over its whole run.
    window: roundAll({
      serverCpuSec: after.cpuSec - before.cpuSec,
      serverRunQueueSec: after.runQueueSec - before.runQueueSec,
      ...change("mainThreadCpuSec"),
      ...change("mainThreadRunQueueSec"),
      ...(after.loopDelay
        ? { loopDelayP99Ms: after.loopDelay.p99Ms, loopDelayMaxMs: after.loopDelay.maxMs }
        : {}),
      scraperRunQueueSec: scraperWait,
    }),
    floodCpuSec: flood.cpuSec,
    loadAverage: { before: loadBefore, after: loadAverage() },
  };
}

/**
 * This exporter, then blackbox_exporter (`blackbox`, default prometheus-blackbox-exporter on PATH)
 * with the same web config, one after the other, each alone with its own flood and good scraper:
 * `wrongPasswords` requests paced evenly over `seconds` to `floodPath`, each with the right user and
 * a new wrong password, answered or given up after `floodTimeoutMs`; a good scrape of /metrics every
 * `scrapeEveryMs` (or right after a slower one, 10 s timeout) during the `seconds`, its login cached
 * before. Resolves with `{ rows: [exporterRow, blackboxRow], settings }`.
 */
export async function runFloodComparison({
  dist = fileURLToPath(new URL("../dist", import.meta.url)),
  blackbox,
  wrongPasswords = 2000,
  seconds = 10,
  scrapeEveryMs = 50,
  floodPath = "/metrics",
  floodTimeoutMs = 600_000,
  /** The exporter's --poll.interval: a poll of the simulator in the same process every second. */
  exporterPollInterval = POLL_INTERVAL,
} = {}) {
  const binary = findBlackbox(blackbox); // before anything runs: a missing binary is an error
  const version = blackboxVersion(binary);
  const settings = {
    wrongPasswords,
    seconds,
    floodPerSecond: Math.round((wrongPasswords / seconds) * 10) / 10,
    floodPath,
    floodTimeoutMs,
    scrapeEveryMs,
    scrapeTimeoutMs: SCRAPE_TIMEOUT_MS,
    bcryptCost: Number(HASH.slice(4, 6)),
    hash: `${HASH.slice(0, 7)}…`,
    exporterPollInterval,
    order: ["exporter", "blackbox_exporter"],
    blackbox: { binary, version },
    node: process.version,
    cpus: os.cpus().length,
  };
  const web = writeWebConfig();
  try {
    const exporter = await startExporterChild(resolve(dist), web.file, exporterPollInterval);
    let exporterRow;
    try {
      exporterRow = await pacedScenario("useapi-minimax-exporter", exporter, settings);
    } finally {
      await exporter.stop();
    }
    const reference = await startBlackbox(binary, web.file);
    let blackboxRow;
    try {
      blackboxRow = await pacedScenario(`blackbox_exporter ${version}`, reference, settings);
    } finally {
      await reference.stop();
    }
    return { rows: [exporterRow, blackboxRow], settings };
  } finally {
    rmSync(web.dir, { recursive: true, force: true });
  }
}

export function comparisonTable({ rows }) {
  const lines = [
    "| Server | Good scrapes | Success | p50 | p95 | Worst | Polls | Flood sent | 401 | 503 | Other | Connection errors | Flood connections | Flood answered after |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.server} | ${r.goodScrapes} | ${r.successPercent} % | ${r.p50Ms} ms | ${r.p95Ms} ms | ${r.worstMs} ms | ${r.polls ?? "n/a"} | ${r.floodSent} | ${r.answered[401]} | ${r.answered[503]} | ${r.answered.other} | ${r.connectionErrors} | ${r.floodConnections} | ${r.floodAnsweredSec} s |`,
    );
  }
  return lines.join("\n");
}

function table(rows) {
  const lines = [
    "| Flood path | Auth | Connections | Good scrapes | Success | p95 | p99 | Polls (about) | Flood answers |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const r of rows) {
    const answers = Object.entries(r.flood)
      .map(([status, count]) => `${status}: ${count}`)
      .join(", ");
    lines.push(
      `| \`${r.path}\` | ${r.auth ? "on" : "off"} | ${r.connections} | ${r.scrapes} | ${(r.successRate * 100).toFixed(1)} % | ${r.p95Ms} ms | ${r.p99Ms} ms | ${r.polls} (${r.seconds}) | ${answers} |`,
    );
  }
  return lines.join("\n");
}

const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
if (process.argv[1] === SELF) {
  if (process.argv.includes("--child")) {
    await child(resolve(arg("dist")), arg("web-config"), arg("poll-interval"));
  } else if (process.argv.includes("--flood")) {
    process.once("message", async () => {
      const until = performance.now() + Number(arg("seconds")) * 1000;
      process.send(await flood(arg("url"), arg("path"), Number(arg("connections")), until));
      process.exit(0);
    });
    process.send("ready");
  } else if (process.argv.includes("--closed-loop") || process.argv.includes("--baseline")) {
    const rows = await runFlood({
      ...(arg("dist") ? { dist: arg("dist") } : {}),
      ...(arg("seconds") ? { seconds: Number(arg("seconds")) } : {}),
      baseline: process.argv.includes("--baseline"),
    });
    console.log(JSON.stringify(rows, null, 2));
    console.log(table(rows));
  } else {
    const result = await runFloodComparison({
      ...(arg("dist") ? { dist: arg("dist") } : {}),
      ...(arg("blackbox") ? { blackbox: arg("blackbox") } : {}),
      ...(arg("seconds") ? { seconds: Number(arg("seconds")) } : {}),
      ...(arg("wrong-passwords") ? { wrongPasswords: Number(arg("wrong-passwords")) } : {}),
      ...(arg("poll-interval") ? { exporterPollInterval: arg("poll-interval") } : {}),
    });
    console.log(JSON.stringify(result, null, 2));
    console.log(comparisonTable(result));
  }
}
