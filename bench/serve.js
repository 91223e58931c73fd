// Benchmark 1: serving /metrics under load, against a bare node:http ceiling and express+registry.
import { execFile, fork } from "node:child_process";
import { once } from "node:events";
import { promisify } from "node:util";
import { fileURLToPath, URL } from "node:url";
import { median, round } from "./common.js";

const TARGET = fileURLToPath(new URL("./serve-target.js", import.meta.url));
const run = promisify(execFile);

/** A latency as wrk prints it ("812.00us", "4.20ms", "1.02s", "1.50m") in milliseconds. */
export function wrkMs(text) {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text);
  if (!match) throw new Error(`unexpected wrk latency ${JSON.stringify(text)}`);
  const scale = { us: 0.001, ms: 1, s: 1000, m: 60_000 }[match[2]];
  return Number(match[1]) * scale;
}

/** Parses wrk's report (run with --latency). */
function parseWrk(out) {
  const field = (re) => {
    const match = re.exec(out);
    if (!match) throw new Error(`wrk printed no ${re}:\n${out}`);
    return match;
  };
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  return {
    rps: round(Number(field(/Requests\/sec:\s+([\d.]+)/)[1]), 1),
    p50Ms: round(wrkMs(field(/\n\s+50%\s+(\S+)/)[1])),
    p99Ms: round(wrkMs(field(/\n\s+99%\s+(\S+)/)[1])),
    errors:
      (socket ? Number(socket[1]) + Number(socket[2]) + Number(socket[3]) : 0) +
      (non2xx ? Number(non2xx[1]) : 0),
    timeouts: socket ? Number(socket[4]) : 0,
  };
}

/** wrk on one thread (the other core serves), whole seconds, 10 s before a request times out. */
async function wrk(url, { connections, durationSec, gzip }) {
  const { stdout } = await run("wrk", [
    "-t1",
    `-c${connections}`,
    `-d${Math.max(1, Math.round(durationSec))}s`,
    "--timeout",
    "10s",
    "--latency",
    "-H",
    `accept-encoding: ${gzip ? "gzip" : "identity"}`,
    url,
  ]);
  return parseWrk(stdout);
}

async function startTarget(accounts) {
  const child = fork(TARGET, [String(accounts)], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const [info] = await once(child, "message");
  return {
    info,
    async stop() {
      child.send("stop");
      await once(child, "exit");
    },
  };
}

/** A warm-up on one connection (no backlog left behind), then the measured run. */
async function measure(url, { connections, durationSec, warmupSec, gzip }) {
  if (warmupSec > 0) await wrk(url, { connections: 1, durationSec: warmupSec, gzip });
  return wrk(url, { connections, durationSec, gzip });
}

const ratio = (a, b) => (b > 0 ? round(a / b, 3) : null);

/** The median of each figure over `loads` (requests/s, p50, p99, errors and timeouts apart). */
function medianLoad(loads) {
  const of = (key) => median(loads.map((l) => l[key]));
  return {
    rps: of("rps"),
    p50Ms: of("p50Ms"),
    p99Ms: of("p99Ms"),
    errors: of("errors"),
    timeouts: of("timeouts"),
    runs: loads.length,
  };
}

/**
 * For each account count and gzip on and off, loads with wrk (a C client, one thread) the
 * exporter and the ceiling in turn, `runs` times each (their medians are kept), served by one
 * child process, then express + registry.metrics() from a fresh child each time (its backlog of
 * renders would slow whatever runs next); plus the exporter's latency with a single connection,
 * as one Prometheus scraping.
 */
export async function runServe({
  accounts = [100, 1000],
  connections = 50,
  durationSec = 10,
  warmupSec = 2,
  runs = 3,
} = {}) {
  const rows = [];
  for (const size of accounts) {
    const sized = [];
    const target = await startTarget(size);
    for (const gzip of [false, true]) {
      const { info } = target;
      const options = { connections, durationSec, warmupSec, gzip };
      const exporter = [];
      const ceiling = [];
      for (let run = 0; run < runs; run++) {
        exporter.push(await measure(info.urls.exporter, options));
        ceiling.push(await measure(info.urls.ceiling, options));
      }
      sized.push({
        accounts: size,
        gzip,
        bytes: gzip ? info.gzipBytes : info.bytes,
        series: info.series,
        exporter: medianLoad(exporter),
        ceiling: medianLoad(ceiling),
        single: await measure(info.urls.exporter, { ...options, connections: 1, warmupSec: 0 }),
      });
    }
    await target.stop();
    for (const row of sized) {
      const fresh = await startTarget(size);
      row.express = await measure(fresh.info.urls.express, {
        connections,
        durationSec,
        warmupSec,
        gzip: row.gzip,
      });
      await fresh.stop();
      row.exporterToCeiling = ratio(row.exporter.rps, row.ceiling.rps);
      row.exporterToExpress = ratio(row.exporter.rps, row.express.rps);
      rows.push(row);
    }
  }
  return { connections, durationSec, runs, rows };
}
