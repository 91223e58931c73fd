// `npm run bench:flood`: basic auth under a flood of wrong credentials, with one good scraper.
// The exporter (and the simulator it polls) run in a child process from a dist/ directory
// (`--dist=DIR`, default ../dist), so that an older build can be measured the same way; the flood
// runs in a second child, so that the scraper's figures are not the flood's own queueing.
// Loopback only; every flood lasts `--seconds` (6 by default).
import { Buffer } from "node:buffer";
import { fork } from "node:child_process";
import console from "node:console";
import { once } from "node:events";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import process from "node:process";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath, pathToFileURL, URL } from "node:url";
import { Client } from "undici";

const SELF = fileURLToPath(import.meta.url);
const TOKEN = "user:1234-floodfloodfloodfloodflood";
const USER = "prometheus";
const PASSWORD = "changeme";
// htpasswd -nBC 10 prometheus, password "changeme" (the README's example).
const HASH = "$2y$10$sKp5r2v0jzhtK0sBh6UAn.tAJY7SQB.DVVNQd8xQOr/iNPhYtp.wS";
const SCRAPE_TIMEOUT_MS = 10_000; // Prometheus' default scrape timeout
const SCRAPE_EVERY_MS = 100;
const POLL_INTERVAL = "1s";

const basic = (user, password) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

/** The child: a simulator and the exporter (with basic auth unless `auth` is false), polling every second. */
async function child(dist, auth) {
  const from = (file) => import(pathToFileURL(join(dist, file)).href);
  const { loadConfig } = await from("config/config.js");
  const { startExporter } = await from("exporter.js");
  const { createLogger } = await from("logging/logger.js");
  const { startSimulator } = await from("simulator/server.js");
  const dir = mkdtempSync(join(tmpdir(), "flood-"));
  const webConfig = join(dir, "web.yml");
  writeFileSync(webConfig, `basic_auth_users:\n  ${USER}: "${HASH}"\n`);
  const simulator = await startSimulator({ token: TOKEN, seed: 7, accounts: 6 });
  const command = loadConfig({
    argv: [
      "--web.listen-address=127.0.0.1:0",
      `--useapi.base-url=${simulator.url}`,
      `--poll.interval=${POLL_INTERVAL}`,
      "--poll.timeout=900ms",
      ...(auth ? [`--web.config.file=${webConfig}`] : []),
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
    const text = await exporter.registry.getSingleMetricAsString(
      "useapi_minimax_source_requests_total",
    );
    let total = 0;
    for (const line of text.split("\n")) {
      if (line.startsWith('useapi_minimax_source_requests_total{source="jobs",')) {
        total += Number(line.split(" ").pop());
      }
    }
    return total;
  };
  process.on("message", async (message) => {
    if (message === "polls") process.send({ polls: await polls() });
    else {
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

/** One Prometheus: a scrape every 100 ms (or right after a slower one), 10 s timeout. */
async function scraper(url, until) {
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
    const rest = SCRAPE_EVERY_MS - took;
    if (rest > 0) await sleep(rest);
  }
  await client.destroy();
  latencies.sort((a, b) => a - b);
  const round = (v) => (v === null ? null : Math.round(v * 10) / 10);
  return {
    scrapes: tries,
    successRate: tries === 0 ? 0 : Math.round((ok / tries) * 1000) / 1000,
    p95Ms: round(percentile(latencies, 95)),
    p99Ms: round(percentile(latencies, 99)),
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

async function scenario(dist, path, connections, seconds, auth = true) {
  const exporter = fork(SELF, ["--child", `--dist=${dist}`, `--auth=${auth}`], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const [{ url }] = await once(exporter, "message");
  const ask = async () => {
    exporter.send("polls");
    const [{ polls }] = await once(exporter, "message");
    return polls;
  };
  // The good login is cached before the flood, as for a Prometheus already scraping.
  const warm = new Client(url);
  const first = await warm.request({
    path: "/metrics",
    method: "GET",
    headers: { authorization: basic(USER, PASSWORD) },
  });
  await first.body.dump();
  await warm.close();
  if (first.statusCode !== 200) throw new Error(`the good login answered ${first.statusCode}`);

  const flooder = await floodProcess(url, path, connections, seconds);
  const pollsBefore = await ask();
  flooder.start();
  const good = await scraper(url, performance.now() + seconds * 1000);
  const floodStatuses = await flooder.done;
  const polls = (await ask()) - pollsBefore;
  exporter.send("stop");
  await once(exporter, "exit");
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
    await child(resolve(arg("dist")), arg("auth") !== "false");
  } else if (process.argv.includes("--flood")) {
    process.once("message", async () => {
      const until = performance.now() + Number(arg("seconds")) * 1000;
      process.send(await flood(arg("url"), arg("path"), Number(arg("connections")), until));
      process.exit(0);
    });
    process.send("ready");
  } else {
    const rows = await runFlood({
      ...(arg("dist") ? { dist: arg("dist") } : {}),
      ...(arg("seconds") ? { seconds: Number(arg("seconds")) } : {}),
      baseline: process.argv.includes("--baseline"),
    });
    console.log(JSON.stringify(rows, null, 2));
    console.log(table(rows));
  }
}
