// Benchmark 1: serving /metrics under load, against a bare node:http ceiling and express+registry.
import { fork } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath, URL } from "node:url";
import autocannon from "autocannon";
import { round } from "./common.js";

const TARGET = fileURLToPath(new URL("./serve-target.js", import.meta.url));

function cannon(url, { connections, durationSec, gzip }) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections,
        duration: durationSec,
        headers: { "accept-encoding": gzip ? "gzip" : "identity" },
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
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
  if (warmupSec > 0) await cannon(url, { connections: 1, durationSec: warmupSec, gzip });
  const r = await cannon(url, { connections, durationSec, gzip });
  return {
    rps: round(r.requests.average, 1),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    errors: r.errors + r.non2xx,
    timeouts: r.timeouts,
  };
}

const ratio = (a, b) => (b > 0 ? round(a / b, 3) : null);

/**
 * For each account count and gzip on and off, loads with autocannon (in this process) the
 * exporter and the ceiling, served by one child process, then express + registry.metrics() from a
 * fresh child each time (its backlog of renders would slow whatever runs next); plus the exporter's
 * latency with a single connection, as one Prometheus scraping.
 */
export async function runServe({
  accounts = [1000, 10000],
  connections = 50,
  durationSec = 10,
  warmupSec = 2,
} = {}) {
  const rows = [];
  for (const size of accounts) {
    const sized = [];
    const target = await startTarget(size);
    for (const gzip of [false, true]) {
      const { info } = target;
      const options = { connections, durationSec, warmupSec, gzip };
      sized.push({
        accounts: size,
        gzip,
        bytes: gzip ? info.gzipBytes : info.bytes,
        series: info.series,
        exporter: await measure(info.urls.exporter, options),
        ceiling: await measure(info.urls.ceiling, options),
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
  return { connections, durationSec, rows };
}
