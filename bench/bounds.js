// Benchmark: the exporter at the default bounds (--useapi.max-accounts=1000,
// --useapi.max-jobs=10000, passed explicitly), one fresh `node dist/main.js` per case: every source
// answering at those bounds (bench/bounds-upstream.js), then each hostile body of the hardening
// benchmark (bench/hostile-memory.js). Per case: the process's peak RSS (VmHWM), the longest
// event-loop block (bench/loop-delay.js, preloaded) and the slowest /-/healthy. Run on this Node
// and on the image's (the Dockerfile's NODE_VERSION, from npm's `node` package), each with the
// exporter's Node flags (the Dockerfile's ENTRYPOINT's).
// `npm run build`, then `node bench/bounds.js`.
import { Buffer } from "node:buffer";
import { execFileSync } from "node:child_process";
import console from "node:console";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath, URL } from "node:url";
import { request } from "undici";
import { boundsBodies, JOBS, SCHEDULER, startBoundsUpstream } from "./bounds-upstream.js";
import { round } from "./common.js";
import {
  BODIES,
  bodyTarget,
  CREDITS_ACCOUNTS,
  creditsJobs,
  HARMLESS_CREDITS,
} from "./hostile-memory.js";
import { memoryMb } from "./proc-stat.js";
import { NODE_FLAGS, startExporterProcess } from "./processes.js";

const PRELOAD = fileURLToPath(new URL("./loop-delay.js", import.meta.url));
const DOCKERFILE = fileURLToPath(new URL("../Dockerfile", import.meta.url));
export const BOUNDS = { accounts: 1000, jobs: 10_000 };
const BOUND_FLAGS = [
  `--useapi.max-accounts=${BOUNDS.accounts}`,
  `--useapi.max-jobs=${BOUNDS.jobs}`,
  "--log.level=error",
];
/**
 * Every source on, each polled within the case's time: the 5-minute sources every 15 s and a
 * credits round (one call per account) every 30 s, so each answers at the bounds more than once.
 */
const EVERY_SOURCE = [
  "--accounts.interval=15s",
  "--usage.interval=15s",
  "--subscription.interval=15s",
  "--credits.interval=30s",
];
/**
 * The jobs list polled every 5 s and the source of the hostile body too (a credits round over
 * 5 s), the others off: the hostile body's poll comes soon after it is set.
 */
const ONE_SOURCE = [
  "--poll.interval=5s",
  "--poll.timeout=4s",
  "--accounts.interval=0",
  "--subscription.interval=0",
  "--usage.interval=0",
];
const FEATURES = "/v1/minimax/features/";
/** Where each target's hostile body is served. */
const TARGET_PATHS = { jobs: JOBS, scheduler: SCHEDULER, credits: FEATURES };
const SCRAPE_HEADERS = { "accept-encoding": "gzip" };

/** The Dockerfile's `ARG NODE_VERSION` (the image's Node major). */
export function imageNodeVersion() {
  return /^ARG NODE_VERSION=(\S+)/m.exec(readFileSync(DOCKERFILE, "utf8"))?.[1];
}

/** The path of npm's `node@VERSION` binary (npx fetches it once), or undefined if it cannot. */
export function npmNode(version) {
  try {
    return execFileSync("npx", ["-y", `node@${version}`, "-p", "process.execPath"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 300_000,
    }).trim();
  } catch {
    return undefined;
  }
}

/** Requests counted by outcome for `source`, from the exporter's /metrics. */
async function outcomes(url, source) {
  const response = await request(`${url}/metrics`);
  const text = await response.body.text();
  const counts = {};
  const re = new RegExp(
    `^useapi_minimax_source_requests_total\\{source="${source}",outcome="([^"]+)"\\} (\\S+)`,
    "gm",
  );
  for (const [, outcome, value] of text.matchAll(re)) counts[outcome] = Number(value);
  return counts;
}
const total = (counts) => Object.values(counts).reduce((a, b) => a + b, 0);

/** /-/healthy asked in a loop (every `everyMs`) until stopped; the slowest answer's ms. */
function healthLoop(url, everyMs = 100) {
  let running = true;
  const state = { slowestMs: 0, answers: 0 };
  const done = (async () => {
    while (running) {
      const start = performance.now();
      try {
        const response = await request(`${url}/-/healthy`, { bodyTimeout: 10_000 });
        await response.body.arrayBuffer();
        if (response.statusCode !== 200) state.slowestMs = Infinity;
      } catch {
        if (running) state.slowestMs = Infinity;
        return;
      }
      state.slowestMs = Math.max(state.slowestMs, performance.now() - start);
      state.answers++;
      await sleep(everyMs);
    }
  })();
  return {
    state,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

/** Asks the preloaded monitor (resetting it when `command` is "reset"): the longest block so far. */
async function loopDelay(exporter, command = "loop") {
  exporter.child.send(command);
  const [reply] = await once(exporter.child, "message");
  return reply;
}

async function until(check, ms, what) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(200);
  }
}

/**
 * Every source at the bounds for `seconds` after the exporter answers /-/healthy, scraped (gzip)
 * every `scrapeSec`; the event loop measured from then on, the peak over the process's life.
 */
async function everySource(node, upstream, { seconds, scrapeSec }) {
  const exporter = await startExporterProcess(upstream.url, [...BOUND_FLAGS, ...EVERY_SOURCE], {
    node: node.path,
    preload: PRELOAD,
    ipc: true,
  });
  try {
    await loopDelay(exporter, "reset");
    const health = healthLoop(exporter.url);
    const stopAt = Date.now() + seconds * 1000;
    let scrapes = 0;
    while (Date.now() < stopAt) {
      const response = await request(`${exporter.url}/metrics`, { headers: SCRAPE_HEADERS });
      await response.body.arrayBuffer();
      if (response.statusCode === 200) scrapes++;
      await sleep(Math.min(scrapeSec * 1000, Math.max(0, stopAt - Date.now())));
    }
    await health.stop();
    const sources = {};
    for (const source of ["jobs", "scheduler", "accounts", "credits", "subscription", "usage"]) {
      sources[source] = await outcomes(exporter.url, source);
    }
    const loop = await loopDelay(exporter);
    return {
      case: "every source at the bounds",
      outcome: Object.entries(sources)
        .map(([s, c]) => `${s} ${c.success ?? 0}/${total(c)}`)
        .join(", "),
      peakMb: round(memoryMb(exporter.pid).peakMb, 1),
      loopMaxMs: round(loop.maxMs, 1),
      slowestHealthyMs: round(health.state.slowestMs, 1),
      healthyAnswers: health.state.answers,
      scrapes,
    };
  } finally {
    await exporter.stop();
  }
}

/**
 * One hostile body: the exporter starts on harmless answers (its source alone on), then the body
 * is served in place of the jobs list's (or the scheduler's) until that source's next poll ends;
 * for credits, in place of every account's until two rounds' calls ended (each account's answer
 * is then the hostile one, all kept at once if the ledger kept them).
 */
async function hostile(node, upstream, name) {
  const source = bodyTarget(name);
  const path = TARGET_PATHS[source];
  const calls = source === "credits" ? 2 * CREDITS_ACCOUNTS : 1;
  upstream.hostile(JOBS, source === "credits" ? creditsJobs() : BODIES.harmless());
  upstream.hostile(SCHEDULER, '{"executing":[],"available":[]}');
  upstream.hostile(FEATURES, HARMLESS_CREDITS);
  const flags = [
    ...BOUND_FLAGS,
    ...ONE_SOURCE,
    `--scheduler.interval=${source === "scheduler" ? "5s" : "0"}`,
    `--credits.interval=${source === "credits" ? "5s" : "0"}`,
  ];
  const exporter = await startExporterProcess(upstream.url, flags, {
    node: node.path,
    preload: PRELOAD,
    ipc: true,
  });
  try {
    await until(
      async () => total(await outcomes(exporter.url, source)) >= calls,
      30_000,
      "first poll",
    );
    const before = await outcomes(exporter.url, source);
    const text = BODIES[name]();
    await loopDelay(exporter, "reset");
    const health = healthLoop(exporter.url, 20);
    upstream.hostile(path, text);
    let after = before;
    await until(
      async () => total((after = await outcomes(exporter.url, source))) >= total(before) + calls,
      60_000,
      `${name}: the poll`,
    );
    await health.stop();
    const loop = await loopDelay(exporter);
    const outcome = Object.keys(after).find((k) => (after[k] ?? 0) > (before[k] ?? 0));
    return {
      case: name,
      bytes: Buffer.byteLength(text),
      outcome,
      peakMb: round(memoryMb(exporter.pid).peakMb, 1),
      loopMaxMs: round(loop.maxMs, 1),
      slowestHealthyMs: round(health.state.slowestMs, 1),
      healthyAnswers: health.state.answers,
    };
  } finally {
    upstream.hostile(JOBS, undefined);
    upstream.hostile(SCHEDULER, undefined);
    upstream.hostile(FEATURES, undefined);
    await exporter.stop();
  }
}

/**
 * Each Node in `nodes` ({ name, path, flags }): every source at the bounds, then each body of `names`.
 * A Node that could not be fetched is listed with an error and no rows.
 */
export async function runBounds({
  nodes = [{ name: `host ${process.version}`, path: process.execPath }],
  names = Object.keys(BODIES),
  seconds = 60,
  scrapeSec = 15,
} = {}) {
  const bodies = boundsBodies(BOUNDS);
  const upstream = await startBoundsUpstream(bodies);
  const runs = [];
  try {
    for (const node of nodes) {
      if (node.path === undefined) {
        runs.push({ node: node.name, error: "could not be fetched", rows: [] });
        continue;
      }
      const version = execFileSync(node.path, ["--version"], { encoding: "utf8" }).trim();
      const rows = [await everySource(node, upstream, { seconds, scrapeSec })];
      for (const name of names) rows.push(await hostile(node, upstream, name));
      runs.push({ node: `${node.name}, ${version}`, rows });
    }
  } finally {
    await upstream.close();
  }
  return {
    bounds: {
      accounts: bodies.accounts,
      jobs: bodies.jobs,
      generations: bodies.generations,
      usageRows: bodies.usageRows,
    },
    seconds,
    scrapeSec,
    flags: [...BOUND_FLAGS, ...EVERY_SOURCE].join(" "),
    runs,
  };
}

/** This Node and the image's, each with the exporter's Node flags (NODE_FLAGS). */
export function boundsNodes() {
  const version = imageNodeVersion();
  const flags = NODE_FLAGS.join(" ");
  return [
    { name: `host (${flags})`, path: process.execPath },
    {
      name: `image (node@${version} ${flags})`,
      path: version === undefined ? undefined : npmNode(version),
    },
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await runBounds({ nodes: boundsNodes() });
  console.log(JSON.stringify(result, null, 2));
}
