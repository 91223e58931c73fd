// Benchmark: poll processing of a scheduler answer (video and image generations), against
// JSON.parse of the same bytes.
import { Buffer } from "node:buffer";
import { performance } from "node:perf_hooks";
import console from "node:console";
import process from "node:process";
import { createExposition } from "../dist/metrics/rendering.js";
import { createRegistry } from "../dist/metrics/registry.js";
import { createSchedulerSource } from "../dist/sources/scheduler/source.js";
import { median, round } from "./common.js";

const LIMITS = { maxAccounts: 100_000, maxJobs: 1_000_000 };
const BUILD = { version: "bench", nodejs: process.version };
const NOW = Date.parse("2025-11-24T12:00:00Z");

/**
 * A scheduler answer of `generations` running generations, `perAccount` per account (a fifth of
 * them images, the rest videos), `started` as ISO text, `elapsed` as mm:ss, and webhooks on a third
 * of them; the accounts are `ids` when given.
 */
export function schedulerPayload(generations, { perAccount = 5, ids } = {}) {
  const accounts = Math.ceil(generations / perAccount);
  const executing = [];
  const available = [];
  for (let a = 0; a < accounts; a++) {
    const account = ids?.[a] ?? String(100_000 + a);
    let videos = 0;
    for (let g = 0; g < perAccount && executing.length < generations; g++) {
      const video = g % 5 < 4;
      const seconds = (a * 37 + g * 101) % 1500;
      const id = `user:12345-minimax:${account}-${video ? "video" : "image"}:${a.toString(36)}g${g}`;
      executing.push({
        ...(video ? { videoId: id } : { imageId: id }),
        started: new Date(NOW - seconds * 1000).toISOString(),
        elapsed: `${String(Math.floor(seconds / 60)).padStart(2, "0")}:${String(seconds % 60).padStart(2, "0")}`,
        ...(executing.length % 3 === 0
          ? { replyUrl: `https://hooks.example.com/x?key=${id}`, replyRef: `ref-${id}` }
          : {}),
      });
      if (video) videos++;
    }
    available.push({
      account,
      maxJobs: perAccount,
      executing: videos,
      available: perAccount - videos,
    });
  }
  return { executing, available };
}

/** Median ms of JSON.parse alone and of the whole processing, polling `bodies` in turn. */
async function timeProcessing(bodies, iterations) {
  const registry = createRegistry({ buildInfo: BUILD, defaultMetrics: true });
  const source = createSchedulerSource({
    registry,
    intervalMs: 15_000,
    limits: LIMITS,
    countAnomaly: () => undefined,
  });
  const exposition = createExposition(registry);
  const parseTimes = [];
  const fullTimes = [];
  // Two unmeasured rounds first: warm the JIT and create every series.
  for (let i = -2; i < iterations; i++) {
    const bytes = bodies[(i + 2) % bodies.length];
    let start = performance.now();
    JSON.parse(bytes.toString("utf8"));
    const parseMs = performance.now() - start;
    start = performance.now();
    source.update(source.parse(JSON.parse(bytes.toString("utf8"))), NOW);
    await exposition.refresh();
    const fullMs = performance.now() - start;
    if (i >= 0) {
      parseTimes.push(parseMs);
      fullTimes.push(fullMs);
    }
  }
  return {
    parseMs: median(parseTimes),
    fullMs: median(fullTimes),
    bytes: exposition.body().length,
  };
}

/**
 * Median time of JSON.parse alone and of the whole processing (JSON.parse, the scheduler source's
 * parse and update: snapshot, tracking, lifecycle; exposition.refresh) of the same bytes, as the
 * jobs benchmark does. Beside it, "churning": two answers in turn that differ by a fifth of the
 * generations, so that every account finishes one and has a duration histogram to write.
 */
export async function runSchedulerPoll({
  generations = [1000, 10000, 50000],
  iterations = 15,
} = {}) {
  const rows = [];
  for (const size of generations) {
    const base = schedulerPayload(size);
    const other = {
      ...base,
      executing: base.executing.map((g, i) =>
        i % 5 === 0
          ? { ...g, [g.videoId ? "videoId" : "imageId"]: `${g.videoId ?? g.imageId}n` }
          : g,
      ),
    };
    const bodies = [base, other].map((p) => Buffer.from(JSON.stringify(p)));
    const same = await timeProcessing([bodies[0]], iterations);
    const churn = await timeProcessing(bodies, iterations);
    rows.push({
      generations: size,
      accounts: base.available.length,
      bytes: bodies[0].length,
      jsonParseMs: round(same.parseMs),
      processMs: round(same.fullMs),
      ratio: round(same.fullMs / same.parseMs),
      exposition: same.bytes,
      churnProcessMs: round(churn.fullMs),
      churnRatio: round(churn.fullMs / churn.parseMs),
      churnExposition: churn.bytes,
    });
  }
  return { iterations, rows };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop() ?? "")) {
  console.log(JSON.stringify(await runSchedulerPoll(), null, 2));
}
