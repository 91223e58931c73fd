// Benchmark 3: RSS after warm-up and its growth over many polls with churning accounts and jobs.
import { fork } from "node:child_process";
import process from "node:process";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath, URL } from "node:url";
import { request } from "undici";
import { generatePayload } from "../dist/simulator/activity.js";
import { startSimulator } from "../dist/simulator/server.js";
import { round, TOKEN } from "./common.js";

const CHILD = fileURLToPath(new URL("./memory-child.js", import.meta.url));

/**
 * A pool 5 % larger than `accounts`: poll `i` shows a sliding window of `accounts` of them, and 5
 * of each account's 6 jobs, another one every poll; so accounts and jobs come and go every poll.
 */
function churn(accounts) {
  const pool = generatePayload({
    seed: 1,
    accounts: Math.ceil(accounts * 1.05),
    jobsPerAccount: 6,
  });
  const spare = pool.accounts.length - accounts;
  return (i) => {
    const offset = i % (spare + 1);
    const ids = pool.accounts.slice(offset, offset + accounts);
    const body = { accounts: ids, summary: {}, executing: {} };
    for (const id of ids) {
      const jobs = pool.executing[id].filter((_, j) => j !== i % 6);
      body.summary[id] = { executing: jobs.length };
      body.executing[id] = jobs;
    }
    return body;
  };
}

/**
 * The exporter runs alone in a fresh `--expose-gc` process, so that its RSS is its own; the
 * simulator runs here and changes the payload before every poll. RSS is read twice each time:
 * right after the last poll ("busy") and after `idleMs` without polls, as between production's
 * 15 s polls ("idle": V8 gives back its young generation when allocation stops). `env` is added
 * to the child's environment (to compare malloc settings).
 */
export async function runMemory({
  accounts = 10000,
  polls = 1000,
  warmupPolls = 30,
  idleMs = 10_000,
  env = {},
} = {}) {
  const payload = churn(accounts);
  const simulator = await startSimulator({ token: TOKEN, seed: 7, accounts: 6 });
  simulator.setPayload(payload(0));
  const child = fork(CHILD, [simulator.url], {
    execArgv: ["--expose-gc"],
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = once(child, "exit").then(([code]) => {
    throw new Error(`the memory benchmark's exporter exited (code ${code})`);
  });
  exited.catch(() => undefined); // raced below; unhandled only if the child dies between asks
  const ask = async (command) => {
    child.send(command);
    const [reply] = await Promise.race([once(child, "message"), exited]);
    return reply;
  };
  const [{ url }] = await Promise.race([once(child, "message"), exited]);
  // Scraped from here, as Prometheus would from its own process: reading a 15 MB body in the
  // exporter's process would put the scraper's allocations in the exporter's RSS.
  const scrape = async () => {
    const response = await request(`${url}/metrics`);
    for await (const chunk of response.body) void chunk;
  };
  const started = Date.now();
  let poll = 1;
  const run = async (count) => {
    for (let i = 0; i < count; i++, poll++) {
      simulator.setPayload(payload(poll));
      await ask("poll");
      if (poll % 10 === 0) await scrape();
    }
  };
  const read = async () => {
    const busy = await ask("rss");
    await sleep(idleMs);
    const idle = await ask("rss");
    return { busy, idle };
  };
  await run(warmupPolls);
  const warm = await read();
  await run(polls);
  const final = await read();
  const seconds = (Date.now() - started) / 1000;
  child.send("stop");
  await once(child, "exit");
  await simulator.close();
  const growth = (from, to) => round(((to - from) / from) * 100);
  return {
    accounts,
    jobsPerAccount: 5,
    warmupPolls,
    polls,
    idleMs,
    env: Object.entries(env)
      .map(([k, v]) => `${k}=${v}`)
      .join(" "),
    warmBusyRssMb: round(warm.busy.rssMb, 1),
    warmRssMb: round(warm.idle.rssMb, 1),
    finalBusyRssMb: round(final.busy.rssMb, 1),
    finalRssMb: round(final.idle.rssMb, 1),
    warmHeapMb: round(warm.idle.heapMb, 1),
    finalHeapMb: round(final.idle.heapMb, 1),
    growthPercent: growth(warm.idle.rssMb, final.idle.rssMb),
    busyGrowthPercent: growth(warm.busy.rssMb, final.busy.rssMb),
    seconds: round(seconds, 1),
  };
}
