// Benchmark 3: RSS after warm-up and its growth over many polls with churning accounts and jobs.
import { fork } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath, URL } from "node:url";
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
 * simulator runs here and changes the payload before every poll.
 */
export async function runMemory({ accounts = 10000, polls = 1000, warmupPolls = 30 } = {}) {
  const payload = churn(accounts);
  const simulator = await startSimulator({ token: TOKEN, seed: 7, accounts: 6 });
  simulator.setPayload(payload(0));
  const child = fork(CHILD, [simulator.url], {
    execArgv: ["--expose-gc"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ask = async (command) => {
    child.send(command);
    const [reply] = await once(child, "message");
    return reply;
  };
  await once(child, "message");
  const started = Date.now();
  let poll = 1;
  const run = async (count) => {
    for (let i = 0; i < count; i++, poll++) {
      simulator.setPayload(payload(poll));
      await ask("poll");
      if (poll % 10 === 0) await ask("scrape");
    }
  };
  await run(warmupPolls);
  const warm = await ask("rss");
  await run(polls);
  const final = await ask("rss");
  const seconds = (Date.now() - started) / 1000;
  child.send("stop");
  await once(child, "exit");
  await simulator.close();
  return {
    accounts,
    jobsPerAccount: 5,
    warmupPolls,
    polls,
    warmRssMb: round(warm.rssMb, 1),
    finalRssMb: round(final.rssMb, 1),
    finalHeapMb: round(final.heapMb, 1),
    growthPercent: round(((final.rssMb - warm.rssMb) / warm.rssMb) * 100),
    seconds: round(seconds, 1),
  };
}
