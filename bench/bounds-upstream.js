// The fake upstream of bench/bounds.js: a loopback HTTP server answering every source's endpoint
// at the bounds (accounts, running jobs; generations as many), each of the same accounts'
// credits, the subscription and a full usage answer; or a hostile body in place of one endpoint's.
import { Buffer } from "node:buffer";
import { once } from "node:events";
import { createServer } from "node:http";
import { URL } from "node:url";
import { generatePayload } from "../dist/simulator/activity.js";
import { schedulerPayload } from "./scheduler.js";
import { accountsAnswer, creditsAnswers, subscriptionAnswer } from "./sources.js";
import { usageAnswer } from "./usage.js";

export const JOBS = "/v1/minimax/agent/jobs";
export const SCHEDULER = "/v1/minimax/scheduler/available";
const ACCOUNTS = "/v1/minimax/accounts";
const SUBSCRIPTION = "/v2/account";
const USAGE = "/v2/account/stats";
const FEATURES = "/v1/minimax/features/";
const LOOKUP = "/v1/minimax/agent/";
/** Rows of one usage answer: the usage source's limit (src/sources/usage/answer.ts). */
export const USAGE_ROWS = 10_000;

const bytes = (value) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value));

/**
 * Two answers of each list that changes between polls (a tenth of the jobs and generations
 * finished and as many new, a tenth of the usage rows new), served in turn, so that every poll
 * finishes and starts items as a busy token's would.
 */
export function boundsBodies({ accounts, jobs }) {
  const perAccount = Math.ceil(jobs / accounts);
  const base = generatePayload({ seed: 1, accounts, jobsPerAccount: perAccount });
  const ids = base.accounts;
  const turned = (list, key) =>
    list.map((item, i) => (i % 10 === 0 ? { ...item, [key]: `${item[key]}n` } : item));
  const nextJobs = {
    ...base,
    executing: Object.fromEntries(
      Object.entries(base.executing).map(([a, list]) => [a, turned(list, "jobId")]),
    ),
  };
  const scheduler = schedulerPayload(jobs, { perAccount, ids });
  const nextScheduler = {
    ...scheduler,
    executing: scheduler.executing.map((g, i) =>
      i % 10 === 0
        ? { ...g, [g.videoId ? "videoId" : "imageId"]: `${g.videoId ?? g.imageId}n` }
        : g,
    ),
  };
  const credits = creditsAnswers(ids);
  return {
    accounts: ids.length,
    jobs: Object.values(base.executing).reduce((n, list) => n + list.length, 0),
    generations: scheduler.executing.length,
    usageRows: USAGE_ROWS,
    [JOBS]: [bytes(base), bytes(nextJobs)],
    [SCHEDULER]: [bytes(scheduler), bytes(nextScheduler)],
    [ACCOUNTS]: [accountsAnswer(ids)],
    [SUBSCRIPTION]: [subscriptionAnswer(3)],
    [USAGE]: [bytes(usageAnswer(0, USAGE_ROWS)), bytes(usageAnswer(USAGE_ROWS / 10, USAGE_ROWS))],
    credits: new Map(credits.accounts.map((a, i) => [a, credits.bodies[i]])),
  };
}

/** Serves `bodies` (each list in turn); `hostile(path, text)` puts a body in place of a path's. */
export async function startBoundsUpstream(bodies) {
  const turns = new Map();
  const hostile = new Map();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://upstream");
    const send = (status, body) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(body);
    };
    const path = url.pathname;
    if (hostile.has(path)) return send(200, hostile.get(path));
    const list = bodies[path];
    if (list !== undefined) {
      const turn = turns.get(path) ?? 0;
      turns.set(path, turn + 1);
      return send(200, list[turn % list.length]);
    }
    if (path === FEATURES) {
      const body = bodies.credits.get(url.searchParams.get("account") ?? "");
      return body
        ? send(200, body)
        : send(400, bytes({ error: "Account not configured", code: 400 }));
    }
    if (path.startsWith(LOOKUP)) {
      const jobId = decodeURIComponent(path.slice(LOOKUP.length));
      return send(200, bytes({ jobId, status: "completed" }));
    }
    send(404, bytes({ error: "Not found", code: 404 }));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    hostile(path, text) {
      if (text === undefined) hostile.delete(path);
      else hostile.set(path, Buffer.from(text));
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
