import { USER_ID } from "./activity.js";
import type { Generations } from "./generations.js";
import { PROMPT_MARKER } from "./job-body.js";
import { deriveSeed, mulberry32, randomInt } from "./random.js";
import type { Model, Reply } from "./model.js";

export const USAGE_PATH = "/v2/account/stats";
/** In every simulated captcha field, so a test can prove none of it leaks. */
export const CAPTCHA_MARKER = "SIMULATED-CAPTCHA";
/** How long rows are kept: the upstream keeps 3 months, the simulator a few hours. */
export const USAGE_RETENTION_MS = 3 * 3600_000;
/** A row shows this long after its request, at least and at most ("5 minutes ... 15 minutes"). */
export const MIN_LATENCY_MS = 5 * 60_000;
export const MAX_LATENCY_MS = 15 * 60_000;
export const MAX_LIMIT = 50_000;
/** Each non-idle account may make one failed request per slot. */
const ERROR_SLOT_MS = 10 * 60_000;

const STATUS: Record<number, string> = {
  201: "Created",
  412: "Precondition Failed",
  429: "Too Many Requests",
  596: "Account On Hold",
};

/** One request as useapi.net records it, and when its row shows. */
export interface UsageRecord {
  readonly timestampMs: number;
  readonly visibleAtMs: number;
  readonly jobid: string;
  readonly config: string;
  readonly endpoint: string;
  readonly code: number;
  readonly msec: number;
}

export interface UsageModel {
  generations: Generations;
  /** Accounts that make requests of their own. */
  busyAccounts: () => readonly string[];
  /** The account's credits left at a time; a start with none left is answered 412. */
  creditsLeft?: (account: string, atMs: number) => number | undefined;
}

function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:TZ.]/g, "");
}

function record(
  timestampMs: number,
  key: string,
  config: string,
  endpoint: string,
  code: number,
  msec: number,
): UsageRecord {
  const jobid = `${stamp(timestampMs)}-user:${USER_ID}-bot:minimax-${key}`;
  const latency = MIN_LATENCY_MS + (hashText(jobid) % (MAX_LATENCY_MS - MIN_LATENCY_MS + 1));
  return { timestampMs, visibleAtMs: timestampMs + latency, jobid, config, endpoint, code, msec };
}

/**
 * Every request made in [fromMs, toMs), newest first: one per generation start (the model
 * requests the simulated users make), 201, or 412 when the account had no credits left then; and
 * now and then a refused one per account (429 capacity, 596 on hold). A pure function of the
 * time, but for injected generations.
 */
export function recordedRequests(model: UsageModel, fromMs: number, toMs: number): UsageRecord[] {
  const out: UsageRecord[] = [];
  for (const g of model.generations.startsBetween(fromMs, toMs)) {
    const random = mulberry32(hashText(g.id));
    const msec =
      random() < 0.05 ? randomInt(random, 60_000, 200_000) : randomInt(random, 1500, 20_000);
    const key = g.id.slice(g.id.indexOf("minimax:") + "minimax:".length);
    const left = model.creditsLeft?.(g.account, g.startMs - 1);
    const code = left !== undefined && left <= 0 ? 412 : 201;
    out.push(record(g.startMs, key, g.account, `post-${g.type}s-create`, code, msec));
  }
  for (const account of model.busyAccounts()) {
    const seed = hashText(account);
    const last = Math.floor(toMs / ERROR_SLOT_MS);
    for (let slot = Math.floor(fromMs / ERROR_SLOT_MS); slot <= last; slot++) {
      const random = mulberry32(deriveSeed(seed, slot >>> 0));
      const draw = random();
      const code = draw < 0.15 ? 429 : draw >= 0.22 && draw < 0.26 ? 596 : undefined;
      if (code === undefined) continue;
      const at = slot * ERROR_SLOT_MS + randomInt(random, 0, ERROR_SLOT_MS - 1);
      if (at < fromMs || at >= toMs) continue;
      const endpoint = random() < 0.7 ? "post-videos-create" : "post-images-create";
      const key = `${account}-e${slot.toString(36)}`;
      out.push(record(at, key, account, endpoint, code, randomInt(random, 100, 1500)));
    }
  }
  return out.sort((a, b) => b.timestampMs - a.timestampMs || (a.jobid < b.jobid ? 1 : -1));
}

/** The rows GET /v2/account/stats would list at `nowMs`: kept, shown, newest first. */
export function visibleRequests(model: UsageModel, nowMs: number): UsageRecord[] {
  return recordedRequests(model, nowMs - USAGE_RETENTION_MS, nowMs).filter(
    (r) => r.visibleAtMs <= nowMs,
  );
}

function row(r: UsageRecord) {
  return {
    timestamp: new Date(r.timestampMs).toISOString(),
    jobid: r.jobid,
    config: r.config,
    endpoint: r.endpoint,
    status: STATUS[r.code] ?? "Error",
    code: r.code,
    msec: r.msec,
    prompt: `${PROMPT_MARKER}: a cat playing piano`,
    captchaToken: `${CAPTCHA_MARKER}-${r.jobid.slice(0, 17)}`,
    captchaProvider: `${CAPTCHA_MARKER}-solver`,
  };
}

function count(into: Record<string, number>, key: string | number): void {
  into[key] = (into[key] ?? 0) + 1;
}

function summary(rows: readonly UsageRecord[]) {
  const byConfig: Record<string, number> = {};
  const byCode: Record<string, number> = {};
  const byEndpoint: Record<string, number> = {};
  const byStatus: Record<string, number> = {};
  let msec = 0;
  for (const r of rows) {
    count(byConfig, r.config);
    count(byCode, r.code);
    count(byEndpoint, r.endpoint);
    count(byStatus, STATUS[r.code] ?? "Error");
    msec += r.msec;
  }
  const from = rows[rows.length - 1]?.timestampMs ?? 0;
  const to = rows[0]?.timestampMs ?? 0;
  const minutes = Math.floor((to - from) / 60_000);
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    time_span: `${Math.floor(minutes / 60)} hours ${minutes % 60} minutes`,
    by_config: byConfig,
    by_code: byCode,
    by_endpoint: byEndpoint,
    by_status: byStatus,
    success_rate: `${(((byCode["201"] ?? 0) * 100) / rows.length).toFixed(1)}%`,
    avg_msec: Math.round(msec / rows.length),
  };
}

/**
 * The answer to GET /v2/account/stats: `bot=minimax` required; `limit` (1 to 50,000) gives the
 * newest rows across dates, else the rows of `date` (today, UTC, unless given).
 */
export function usageReply(
  model: UsageModel,
  nowMs: number,
  query: URLSearchParams,
): { status: number; body: unknown } {
  const bot = query.get("bot");
  if (bot !== "minimax")
    return { status: 400, body: { error: "Parameter bot is required", code: 400 } };
  const limitText = query.get("limit");
  const limit = limitText === null ? undefined : Number(limitText);
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= MAX_LIMIT)) {
    return { status: 400, body: { error: `Parameter limit must be 1 to ${MAX_LIMIT}`, code: 400 } };
  }
  const visible = visibleRequests(model, nowMs);
  const date = query.get("date") ?? new Date(nowMs).toISOString().slice(0, 10);
  const rows =
    limit === undefined
      ? visible.filter((r) => new Date(r.timestampMs).toISOString().startsWith(date))
      : visible.slice(0, limit);
  return {
    status: 200,
    body: {
      bot: "minimax",
      ...(limit === undefined ? { date } : {}),
      total: rows.length,
      ...(rows.length > 0 ? { summary: summary(rows) } : {}),
      data: rows.map(row),
    },
  };
}

/** The usage route: the body fixed in place of the model's, or the model's, serialized. */
export function usageAnswer(model: Model, query: URLSearchParams): Reply {
  const fixed = model.fixedBody("usage");
  if (fixed) return { status: 200, body: fixed };
  const idle = new Set(model.activity.idleAccounts);
  const busy = model.activity.accounts.filter((account) => !idle.has(account));
  const { status, body } = usageReply(
    {
      generations: model.generations,
      busyAccounts: () => busy,
      creditsLeft: (account, atMs) => model.credits.body(account, atMs)?.totalCredits,
    },
    model.now(),
    query,
  );
  return { status, body: Buffer.from(JSON.stringify(body)) };
}
