// Benchmark: the usage source's series bound. Answers of rows never seen before, each with an
// account, an endpoint and a code (100 to 599) of its own, are counted one after another by the
// usage source as the exporter wires it; the series of its families are counted on the page.
// `npm run build`, then `node bench/usage-bound.js`.
import console from "node:console";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { createExposition } from "../dist/metrics/rendering.js";
import { createRegistry } from "../dist/metrics/registry.js";
import { createUsageSource } from "../dist/sources/usage/source.js";
import { silentLogger } from "./common.js";

const BUILD = { version: "bench", nodejs: process.version };

/** An answer of `count` rows from row `first` on, every (account, endpoint, code) distinct. */
function distinctRows(first, count) {
  const data = [];
  for (let i = first + count - 1; i >= first; i--) {
    data.push({
      timestamp: new Date(Date.UTC(2026, 1, 13) + i * 1000).toISOString(),
      jobid: `20260213103000${String(i).padStart(8, "0")}-user:1234-bot:minimax`,
      config: String(100_000 + i),
      endpoint: `post-endpoint-${i}`,
      status: "Created",
      code: 100 + (i % 500),
      msec: 300 + ((i * 7919) % 60_000),
    });
  }
  return { bot: "minimax", total: count, data };
}

/** Sample lines of each usage family on the page, after `answers` answers of `rows` rows each. */
export async function runUsageBound({ answers = 5, rows = 10_000 } = {}) {
  const registry = createRegistry({ buildInfo: BUILD, defaultMetrics: false });
  const source = createUsageSource({
    registry,
    intervalMs: 300_000,
    logger: silentLogger(),
    countAnomaly() {},
  });
  const exposition = createExposition(registry);
  for (let a = 0; a < answers; a++) {
    source.update(source.parse(distinctRows(a * rows, rows)), (a + 1) * 300_000);
  }
  await exposition.refresh();
  const page = exposition.body().toString("utf8").split("\n");
  const count = (name) => page.filter((l) => l.startsWith(`${name}{`)).length;
  return {
    distinctRows: answers * rows,
    requestSeries: count("useapi_minimax_api_requests_total"),
    durationSeries: page.filter((l) => l.startsWith("useapi_minimax_api_request_duration_seconds"))
      .length,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(await runUsageBound());
