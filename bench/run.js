// `npm run bench`: runs every benchmark once and writes the whole of bench/RESULTS.md from that
// run (the goals table, every section); only the findings below the marker are kept by hand.
import console from "node:console";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { format, resolveConfig } from "prettier";
import { fileURLToPath, URL } from "node:url";
import { boundsNodes, runBounds } from "./bounds.js";
import { runEconomy } from "./economy.js";
import { runFloodComparison } from "./flood.js";
import { runMemory } from "./memory.js";
import { runPoll } from "./poll.js";
import { runRenderings } from "./rendering.js";
import { runServe } from "./serve.js";
import { runSources } from "./sources.js";
import { runUsageBound } from "./usage-bound.js";
import { runUsers } from "./users.js";
import { goals } from "./goals.js";
import { render } from "./render.js";

export { render };

const RESULTS = fileURLToPath(new URL("./RESULTS.md", import.meta.url));
const FINDINGS_MARKER = "<!-- findings: kept by bench/run.js -->";
const env = (name, fallback) => Number(process.env[name] ?? fallback);

/** Every figure of one run and its goal checks; `render` turns it into RESULTS.md. */
export async function runAll({
  users = { minutes: 15 },
  bounds = {},
  serve = { accounts: [100, 1000], durationSec: 6, warmupSec: 1, runs: 3 },
  sources = { sizes: [1000, 10000], iterations: 11 },
  poll = { accounts: [100, 1000], iterations: 7 },
  memory = { accounts: 1000, polls: 1000, warmupPolls: 10 },
  /** The same at a pinned glibc mmap threshold, to show how much RSS is malloc keeping freed memory. */
  memoryPinned = { ...memory, polls: 20, env: { MALLOC_MMAP_THRESHOLD_: "131072" } },
  usageBound = {},
  economy = {},
  renderings = {},
  flood = {},
  log = () => undefined,
} = {}) {
  const started = Date.now();
  const loads = [];
  const step = async (name, run) => {
    log(`${name} ...`);
    const result = await run();
    loads.push({ step: name, load: os.loadavg()[0] });
    return result;
  };
  const usersResult = await step("where users live", () => runUsers(users));
  const boundsResult = await step("at the default bounds", () => runBounds(bounds));
  const serveResult = await step("serving /metrics", () => runServe(serve));
  const sourcesResult = await step("poll processing of every source", () => runSources(sources));
  const pollResult = await step("the jobs list's whole poll", () => runPoll(poll));
  const memoryResult = await step("memory", async () => [
    await runMemory(memory),
    await runMemory(memoryPinned),
  ]);
  const usageBoundResult = await step("the usage bound", () => runUsageBound(usageBound));
  const economyResult = await step("upstream economy", () => runEconomy(economy));
  const renderingResult = await step("renderings per poll", () => runRenderings(renderings));
  const floodResult = await step("credential flood", () => runFloodComparison(flood));
  const result = {
    machine: machine(),
    date: new Date(started).toISOString(),
    seconds: Math.round((Date.now() - started) / 1000),
    loads,
    users: usersResult,
    bounds: boundsResult,
    serve: serveResult,
    sources: sourcesResult,
    poll: pollResult,
    memory: memoryResult,
    usageBound: usageBoundResult,
    economy: economyResult,
    renderings: renderingResult,
    flood: floodResult,
  };
  return { ...result, goals: goals(result) };
}

/**
 * Microseconds to touch a fresh page of a newly mapped 16 MiB buffer, median of 5: what every
 * new rendering pays per 4 KiB it writes (V8 maps each resizable ArrayBuffer anew).
 */
function freshPageMicros() {
  const size = 16 * 2 ** 20;
  const times = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    const bytes = new Uint8Array(new ArrayBuffer(size, { maxByteLength: 2 * size }));
    for (let at = 0; at < size; at += 4096) bytes[at] = 1;
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return Math.round(((times[2] ?? 0) * 1000 * 10) / (size / 4096)) / 10;
}

function machine() {
  const cpus = os.cpus();
  return {
    freshPageMicros: freshPageMicros(),
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

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await runAll({
    users: { minutes: env("BENCH_USERS_MINUTES", 15) },
    bounds: { nodes: boundsNodes() },
    memory: { accounts: 1000, polls: env("BENCH_MEMORY_POLLS", 1000), warmupPolls: 10 },
    log: (line) => console.log(`${new Date().toISOString()} ${line}`),
  });
  // The hand-written findings below the marker survive a rerun; they name the run they discuss.
  const previous = existsSync(RESULTS) ? readFileSync(RESULTS, "utf8") : "";
  const cut = previous.indexOf(FINDINGS_MARKER);
  const findings = cut === -1 ? `\n${FINDINGS_MARKER}\n` : `\n${previous.slice(cut)}`;
  const options = { ...(await resolveConfig(RESULTS)), parser: "markdown" };
  writeFileSync(RESULTS, await format(render(result) + findings, options));
  console.log(JSON.stringify(result.goals, null, 2));
  const missed = result.goals.filter((g) => !g.met).length;
  console.log(`${result.goals.length - missed} goals met, ${missed} not met`);
}
