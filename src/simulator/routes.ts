import { FEATURES_PATH } from "./credits.js";
import { JOB_ID_PATTERN, jobBody } from "./job-body.js";
import type { Model, Reply } from "./model.js";
import type { SimulatorEndpoint } from "./modes.js";
import { SUBSCRIPTION_PATH } from "./subscription.js";
import { USAGE_PATH, usageAnswer } from "./usage.js";

export const JOBS_PATH = "/v1/minimax/agent/jobs";
/** Followed by a URL-encoded jobId: GET /v1/minimax/agent/{jobId}. */
export const JOB_PATH_PREFIX = "/v1/minimax/agent/";
export const ACCOUNTS_PATH = "/v1/minimax/accounts";
export const SCHEDULER_PATH = "/v1/minimax/scheduler/available";
/** The same generations as a bare list, as documented for GET /v1/minimax/scheduler/. */
export const SCHEDULER_LIST_PATH = "/v1/minimax/scheduler/";

const INVALID_JOB_ID = { error: "Invalid jobId", code: 400 };
const UNKNOWN_JOB = { error: "Job not found or not owned by this token", code: 400 };
const UNKNOWN_ACCOUNT = { error: "Account not configured", code: 404 };

/** An upstream path: which endpoint it is and what the model answers there. */
export interface Route {
  endpoint: SimulatorEndpoint;
  reply: () => Reply;
}

/** The upstream endpoint at `path`, or undefined if the path is none of them. */
export function route(
  path: string,
  model: Model,
  query = new URLSearchParams(),
): Route | undefined {
  if (path === USAGE_PATH) return { endpoint: "usage", reply: () => usageAnswer(model, query) };
  if (path === JOBS_PATH) return { endpoint: "jobs", reply: () => jobsReply(model) };
  if (path === FEATURES_PATH) {
    const account = query.get("account") ?? undefined;
    return { endpoint: "credits", reply: () => reply(model.credits.reply(account, model.now())) };
  }
  if (path === SCHEDULER_PATH) return { endpoint: "scheduler", reply: () => schedulerReply(model) };
  if (path === SCHEDULER_LIST_PATH) {
    return {
      endpoint: "scheduler",
      reply: () => json(200, model.generations.body(model.now()).executing),
    };
  }
  if (path === ACCOUNTS_PATH) {
    return { endpoint: "accounts", reply: () => accountsReply(model, undefined) };
  }
  const account = segmentAfter(path, `${ACCOUNTS_PATH}/`);
  if (account !== undefined) {
    return { endpoint: "accounts", reply: () => accountsReply(model, account) };
  }
  if (path === SUBSCRIPTION_PATH) {
    return {
      endpoint: "subscription",
      reply: () => ({ status: 200, body: model.subscription.reply(model.now()) }),
    };
  }
  const jobId = segmentAfter(path, JOB_PATH_PREFIX);
  if (jobId !== undefined) return { endpoint: "job", reply: () => jobReply(model, jobId) };
  return undefined;
}

function schedulerReply({ generations, now, fixedBody }: Model): Reply {
  const fixed = fixedBody("scheduler");
  return fixed ? { status: 200, body: fixed } : json(200, generations.body(now()));
}

function jobsReply({ activity, now, fixedBody }: Model): Reply {
  const fixed = fixedBody("jobs");
  return fixed ? { status: 200, body: fixed } : json(200, activity.payload(now()));
}

function accountsReply({ activity, now }: Model, account: string | undefined): Reply {
  if (account === undefined) return json(200, activity.accountsBody(now()));
  const body = activity.accountBody(account, now());
  return body ? json(200, body) : json(404, UNKNOWN_ACCOUNT);
}

function jobReply({ activity, now }: Model, jobId: string): Reply {
  if (!JOB_ID_PATTERN.test(jobId)) return json(400, INVALID_JOB_ID);
  const record = activity.job(jobId, now());
  return record ? json(200, jobBody(record)) : json(400, UNKNOWN_JOB);
}

function reply({ status, body }: { status: number; body: unknown }): Reply {
  return json(status, body);
}

function json(status: number, body: unknown): Reply {
  return { status, body: Buffer.from(JSON.stringify(body)) };
}

/** The single URL-decoded path segment after `prefix`, or undefined if the path is not one. */
function segmentAfter(path: string, prefix: string): string | undefined {
  if (!path.startsWith(prefix)) return undefined;
  const raw = path.slice(prefix.length);
  if (raw.includes("/")) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    // Not valid percent-encoding: keep it raw, so it is refused as an unknown ID.
    return raw;
  }
}
