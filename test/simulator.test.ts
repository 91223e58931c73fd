import { request } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  HISTORY_LIMIT,
  JOB_EXPIRY_MS,
  JOB_RETENTION_MS,
  JWT_SECRET_MARKER,
  TIMEOUT_ERROR,
  createActivity,
  formatElapsed,
  generatePayload,
  type AccountsBody,
  type Activity,
  type EndedJob,
  type JobsBody,
  type SimulatedJob,
} from "../src/simulator/activity.js";
import { CliError, parseSimulatorArgs } from "../src/simulator/cli.js";
import type { JobBody } from "../src/simulator/job-body.js";
import { Recent } from "../src/simulator/recent.js";
import {
  PROMPT_MARKER,
  startSimulator,
  type Simulator,
  type SimulatorEndpoint,
  type SimulatorMode,
} from "../src/simulator/server.js";

const TOKEN = "user:1234-abcdefghijklmnopqrstuv";
const AUTH = { authorization: `Bearer ${TOKEN}` };
const START_MS = Date.UTC(2026, 0, 1, 12, 0, 0);
const HOUR_MS = 3_600_000;
const JOB_ID = /^p\d{9}-u12345-a(\d{5})-bot:minimax$/;

function seconds(elapsed: string): number {
  const match = /^(\d{2,}):([0-5]\d)$/.exec(elapsed);
  if (!match) throw new Error(`bad elapsed ${elapsed}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** Every job seen while stepping the model from START_MS over `spanMs`, checking each step. */
function stepThrough(
  activity: Activity,
  spanMs: number,
  stepMs: number,
  check: (body: JobsBody, nowMs: number) => void,
): Map<string, SimulatedJob> {
  const seen = new Map<string, SimulatedJob>();
  for (let t = START_MS; t <= START_MS + spanMs; t += stepMs) {
    check(activity.payload(t), t);
    for (const job of activity.running()) seen.set(job.jobId, job);
  }
  return seen;
}

describe("the activity model", () => {
  const options = { seed: 42, accounts: 8, idleAccounts: 2, startMs: START_MS };

  it("produces the same accounts and payloads for the same seed and a different history for another seed", () => {
    const a = createActivity(options);
    const b = createActivity(options);
    const c = createActivity({ ...options, seed: 43 });
    expect(b.accounts).toEqual(a.accounts);
    for (let t = START_MS; t < START_MS + HOUR_MS; t += 60_000) {
      expect(b.payload(t)).toEqual(a.payload(t));
    }
    expect(c.accounts).not.toEqual(a.accounts);
  });

  it("reaches the same state whether it is advanced in small steps or in one jump", () => {
    const stepped = createActivity(options);
    const jumped = createActivity(options);
    for (let t = START_MS; t < START_MS + HOUR_MS; t += 7_001) stepped.advanceTo(t);
    const end = START_MS + HOUR_MS;
    expect(stepped.payload(end)).toEqual(jumped.payload(end));
  });

  it("names distinct five-digit accounts and keeps the idle ones, last in the list, only in accounts", () => {
    const activity = createActivity(options);
    expect(activity.accounts).toHaveLength(8);
    expect(new Set(activity.accounts).size).toBe(8);
    for (const id of activity.accounts) expect(id).toMatch(/^[1-9]\d{4}$/);
    expect(activity.idleAccounts).toEqual(activity.accounts.slice(6));
    const busySeen = new Set<string>();
    stepThrough(activity, HOUR_MS, 10_000, (body) => {
      expect(body.accounts).toEqual(activity.accounts);
      for (const idle of activity.idleAccounts) {
        expect(body.summary).not.toHaveProperty(idle);
        expect(body.executing).not.toHaveProperty(idle);
      }
      for (const account of Object.keys(body.summary)) busySeen.add(account);
    });
    expect([...busySeen].sort()).toEqual(activity.accounts.slice(0, 6).sort());
  });

  it("reports a summary count equal to the length of each busy account's job list", () => {
    const activity = createActivity(options);
    let busyPayloads = 0;
    stepThrough(activity, HOUR_MS, 10_000, (body) => {
      expect(Object.keys(body.summary).sort()).toEqual(Object.keys(body.executing).sort());
      for (const [account, jobs] of Object.entries(body.executing)) {
        expect(jobs.length).toBeGreaterThan(0);
        expect(body.summary[account]?.executing).toBe(jobs.length);
      }
      if (Object.keys(body.summary).length > 0) busyPayloads++;
    });
    expect(busyPayloads).toBeGreaterThan(300);
  });

  it("starts with jobs already running at the start time", () => {
    const body = createActivity(options).payload(START_MS);
    const elapsed = Object.values(body.executing).flatMap((jobs) => jobs.map((j) => j.elapsed));
    expect(elapsed.length).toBeGreaterThan(0);
    expect(elapsed.some((e) => seconds(e) > 0)).toBe(true);
  });

  it("shows each job's elapsed time since its start as zero-padded mm:ss", () => {
    const activity = createActivity(options);
    stepThrough(activity, 20 * 60_000, 3_333, (body, nowMs) => {
      const starts = new Map(activity.running().map((job) => [job.jobId, job.startMs]));
      for (const jobs of Object.values(body.executing)) {
        for (const job of jobs) {
          expect(job.elapsed).toMatch(/^\d{2}:[0-5]\d$/);
          const startMs = starts.get(job.jobId) ?? Number.NaN;
          expect(seconds(job.elapsed)).toBe(Math.floor((nowMs - startMs) / 1000));
        }
      }
    });
  });

  it.each([
    [0, "00:00"],
    [999, "00:00"],
    [5_000, "00:05"],
    [59_999, "00:59"],
    [135_000, "02:15"],
    [15 * 60_000, "15:00"],
    [75 * 60_000 + 30_000, "75:30"],
    [-5_000, "00:00"],
  ])("formats %i ms as %j", (ms, text) => {
    expect(formatElapsed(ms)).toBe(text);
  });

  it("ends generated jobs by the 15-minute expiry and never runs more than an account's maxJobs over a simulated hour", () => {
    const activity = createActivity({ ...options, accounts: 20, seed: 7 });
    const overCapacity: string[] = [];
    const overExpiry: string[] = [];
    let atCapacity = 0;
    const seen = stepThrough(activity, HOUR_MS, 5_000, (body, nowMs) => {
      for (const [account, jobs] of Object.entries(body.executing)) {
        const max = activity.maxJobs(account);
        if (jobs.length > max)
          overCapacity.push(`${account} ran ${jobs.length} > ${max} at ${nowMs}`);
        if (jobs.length === max) atCapacity++;
        for (const job of jobs) if (seconds(job.elapsed) >= 15 * 60) overExpiry.push(job.jobId);
      }
    });
    expect(overCapacity).toEqual([]);
    expect(overExpiry).toEqual([]);
    expect(atCapacity).toBeGreaterThan(0);
    const runs = [...seen.values()].map((job) => job.endMs - job.startMs);
    expect(runs.length).toBeGreaterThan(200);
    expect(Math.max(...runs)).toBe(JOB_EXPIRY_MS);
    expect(Math.min(...runs)).toBeGreaterThanOrEqual(20_000);
    const short = runs.filter((ms) => ms <= 60_000).length;
    expect(short / runs.length).toBeGreaterThan(0.5);
    expect(new Set(activity.accounts.map((a) => activity.maxJobs(a)))).toEqual(new Set([1, 2, 3]));
  });

  it("gives every job a unique ID in the documented format naming its account", () => {
    const activity = createActivity({ ...options, accounts: 20 });
    const seen = stepThrough(activity, HOUR_MS, 5_000, () => undefined);
    expect(seen.size).toBeGreaterThan(200);
    for (const job of seen.values()) {
      expect(JOB_ID.exec(job.jobId)?.[1]).toBe(job.account);
    }
    const projects = [...seen.keys()].map((id) => id.slice(0, 10));
    expect(new Set(projects).size).toBeGreaterThan(seen.size * 0.99);
  });

  it("runs an injected job past the expiry, even on an idle account, with minutes beyond 59", () => {
    const activity = createActivity(options);
    const idle = activity.idleAccounts[0] ?? "";
    const jobId = activity.startJob(idle, START_MS + 1_000, 80 * 60_000);
    expect(jobId).toMatch(JOB_ID);
    const later = activity.payload(START_MS + 1_000 + 75 * 60_000 + 30_000);
    expect(later.summary[idle]).toEqual({ executing: 1 });
    expect(later.executing[idle]).toEqual([{ jobId, elapsed: "75:30" }]);
    expect(activity.payload(START_MS + 1_000 + 80 * 60_000).executing).not.toHaveProperty(idle);
  });

  it("refuses to inject a job on an unknown account or with a non-positive duration", () => {
    const activity = createActivity(options);
    const account = activity.accounts[0] ?? "";
    expect(() => activity.startJob("00000", START_MS, 1_000)).toThrow(/unknown account/);
    expect(() => activity.startJob(account, START_MS, 0)).toThrow(RangeError);
  });

  it("rejects more idle accounts than accounts", () => {
    expect(() => createActivity({ ...options, idleAccounts: 9 })).toThrow(/idleAccounts/);
  });

  it("builds a large static payload deterministically and with unique job IDs", () => {
    const big = generatePayload({ seed: 3, accounts: 10_000, jobsPerAccount: 5 });
    expect(big.accounts).toHaveLength(10_000);
    expect(new Set(big.accounts).size).toBe(10_000);
    const jobs = Object.values(big.executing).flat();
    expect(jobs).toHaveLength(50_000);
    expect(new Set(jobs.map((job) => job.jobId)).size).toBe(50_000);
    for (const job of jobs.slice(0, 100)) {
      expect(job.jobId).toMatch(JOB_ID);
      expect(seconds(job.elapsed)).toBeLessThan(15 * 60);
    }
    expect(Object.values(big.summary).every((s) => s.executing === 5)).toBe(true);
    const again = generatePayload({ seed: 3, accounts: 10_000, jobsPerAccount: 5 });
    expect(JSON.stringify(again)).toBe(JSON.stringify(big));
    const small = generatePayload({ seed: 3, accounts: 4, jobsPerAccount: 2, idleAccounts: 1 });
    expect(Object.keys(small.summary)).toHaveLength(3);
  });
});

describe("the job lifecycle in the activity model", () => {
  const options = { seed: 7, accounts: 20, idleAccounts: 2, startMs: START_MS };

  it("ends every generated job as completed or failed, failing at the expiry with a 504 timeout those that would run past it", () => {
    const activity = createActivity(options);
    activity.advanceTo(START_MS + 2 * HOUR_MS);
    const history = activity.history();
    expect(history.length).toBeGreaterThan(1_000);
    const expired = history.filter((job) => job.endMs - job.startMs === JOB_EXPIRY_MS);
    const others = history.filter((job) => job.endMs - job.startMs < JOB_EXPIRY_MS);
    expect(expired.length + others.length).toBe(history.length);
    expect(expired.length).toBeGreaterThan(5);
    for (const job of expired) {
      expect(job).toMatchObject({ status: "failed", error: TIMEOUT_ERROR });
    }
    const failed = others.filter((job) => job.status === "failed");
    for (const job of others) {
      expect(["completed", "failed"]).toContain(job.status);
      if (job.status === "completed") expect(job).not.toHaveProperty("error");
    }
    for (const job of failed) {
      expect(job.error?.message).toEqual(expect.any(String));
      expect(job.error?.status).not.toBe(504);
    }
    const share = failed.length / others.length;
    expect(share).toBeGreaterThan(0.05);
    expect(share).toBeLessThan(0.15);
  });

  it("keeps the same history and started jobs for the same seed, whether stepped or jumped, and another for another seed", () => {
    const stepped = createActivity(options);
    const jumped = createActivity(options);
    const other = createActivity({ ...options, seed: 8 });
    for (let t = START_MS; t < START_MS + HOUR_MS; t += 7_001) stepped.advanceTo(t);
    const end = START_MS + HOUR_MS;
    for (const activity of [stepped, jumped, other]) activity.advanceTo(end);
    expect(stepped.history()).toEqual(jumped.history());
    expect(stepped.startedJobs()).toEqual(jumped.startedJobs());
    expect(other.history()).not.toEqual(jumped.history());
  });

  it("lists each job once in start order, and each ended one once in end order, both agreeing on its run", () => {
    const activity = createActivity(options);
    activity.advanceTo(START_MS + HOUR_MS);
    const started = activity.startedJobs();
    const history = activity.history();
    expect(new Set(started.map((job) => job.jobId)).size).toBe(started.length);
    expect(new Set(history.map((job) => job.jobId)).size).toBe(history.length);
    expect(started.map((job) => job.startMs)).toEqual(
      [...started.map((job) => job.startMs)].sort((a, b) => a - b),
    );
    expect(history.map((job) => job.endMs)).toEqual(
      [...history.map((job) => job.endMs)].sort((a, b) => a - b),
    );
    const byId = new Map(started.map((job) => [job.jobId, job]));
    for (const ended of history) {
      const job = byId.get(ended.jobId);
      expect(ended.endMs).toBeLessThanOrEqual(START_MS + HOUR_MS);
      expect(job).toMatchObject({
        account: ended.account,
        startMs: ended.startMs,
        endMs: ended.endMs,
        outcome: ended.status,
      });
    }
    const running = activity.running();
    expect(running.length).toBeGreaterThan(0);
    expect(history.length + running.length).toBe(started.length);
  });

  it("reports a job as started until its end time and as its outcome from then on", () => {
    const activity = createActivity(options);
    const job = activity.startedJobs().find((candidate) => candidate.endMs > START_MS);
    if (!job) throw new Error("no job runs at the start");
    expect(activity.job(job.jobId, START_MS)).toEqual({
      jobId: job.jobId,
      account: job.account,
      startMs: job.startMs,
      status: "started",
    });
    expect(activity.job(job.jobId, job.endMs - 1)?.status).toBe("started");
    const ended = activity.job(job.jobId, job.endMs);
    expect(ended).toMatchObject({ jobId: job.jobId, endMs: job.endMs, status: job.outcome });
    expect(activity.job("p100000000-u12345-a99999-bot:minimax", job.endMs)).toBeUndefined();
  });

  it("ends injected jobs with the requested outcome, completed by default", () => {
    const activity = createActivity({ ...options, accounts: 2, idleAccounts: 1 });
    const idle = activity.idleAccounts[0] ?? "";
    const done = activity.startJob(idle, START_MS, 30_000);
    const broken = activity.startJob(idle, START_MS, 40_000, "failed");
    const stuck = activity.startJob(idle, START_MS, 20 * 60_000, "failed");
    activity.advanceTo(START_MS + 21 * 60_000);
    const mine = activity.history().filter((job) => job.account === idle);
    expect(mine.map((job) => [job.jobId, job.status, job.endMs - job.startMs])).toEqual([
      [done, "completed", 30_000],
      [broken, "failed", 40_000],
      [stuck, "failed", 20 * 60_000],
    ]);
    expect(mine[1]?.error?.status).toBe(502);
    expect(mine[2]?.error).toEqual(TIMEOUT_ERROR);
    expect(() => activity.startJob(idle, START_MS, 1_000, "lost" as "failed")).toThrow(/outcome/);
  });

  it("forgets the oldest jobs beyond the history limit, at the job lookup too, and remembers 100,000 by default", () => {
    const activity = createActivity({ ...options, accounts: 1, idleAccounts: 1, historyLimit: 50 });
    const account = activity.accounts[0] ?? "";
    const ids: string[] = [];
    // Jobs injected into the past end at once.
    for (let i = 0; i < 55; i++) ids.push(activity.startJob(account, START_MS - 60_000 + i, 1));
    const history = activity.history();
    expect(history.map((job) => job.jobId)).toEqual(ids.slice(5));
    expect(activity.startedJobs().map((job) => job.jobId)).toEqual(ids.slice(5));
    expect(activity.job(ids[4] ?? "", START_MS)).toBeUndefined();
    expect(activity.job(ids[5] ?? "", START_MS)?.status).toBe("completed");
    expect(HISTORY_LIMIT).toBe(100_000);
    expect(() => createActivity({ ...options, historyLimit: 0 })).toThrow(/historyLimit/);
  });

  it("keeps ended jobs at the job lookup for 31 days after their creation", () => {
    const activity = createActivity({ ...options, accounts: 1, idleAccounts: 1 });
    const jobId = activity.startJob(activity.accounts[0] ?? "", START_MS, 1_000);
    expect(activity.job(jobId, START_MS + JOB_RETENTION_MS)?.status).toBe("completed");
    expect(activity.job(jobId, START_MS + JOB_RETENTION_MS + 1)).toBeUndefined();
  });

  it("keeps the most recent items of a bounded list in order", () => {
    const recent = new Recent<number>(3);
    const evicted = [1, 2, 3, 4, 5, 6, 7].map((n) => recent.push(n));
    expect(evicted).toEqual([undefined, undefined, undefined, 1, 2, 3, 4]);
    expect(recent.toArray()).toEqual([5, 6, 7]);
    expect(recent.size).toBe(3);
    expect(() => new Recent(0)).toThrow(RangeError);
  });
});

describe("the accounts in the activity model", () => {
  const options = { seed: 11, accounts: 24, idleAccounts: 2, startMs: START_MS };
  const DAY_MS = 86_400_000;

  it("describes every account, idle ones included, in the documented shape, the same for the same seed", () => {
    const activity = createActivity(options);
    const body = activity.accountsBody(START_MS);
    expect(createActivity(options).accountsBody(START_MS)).toEqual(body);
    expect(Object.keys(body).sort()).toEqual([...activity.accounts].sort());
    for (const account of activity.accounts) {
      const entry = body[account];
      expect(entry).toEqual({
        account,
        jwt: {
          token: expect.stringContaining(JWT_SECRET_MARKER) as unknown,
          exp: expect.any(Number) as unknown,
          iat: expect.any(Number) as unknown,
          host: "hailuoai.video",
          exp_Expire: expect.any(String) as unknown,
          user: { id: account },
        },
        maxJobs: activity.maxJobs(account),
        supportVideo: true,
        supportMusic: expect.any(Boolean) as unknown,
        supportChat: expect.any(Boolean) as unknown,
        supportAudio: expect.any(Boolean) as unknown,
      });
      const expMs = (entry?.jwt.exp ?? 0) * 1000;
      expect(expMs).toBeGreaterThanOrEqual(START_MS + 3 * DAY_MS);
      expect(expMs).toBeLessThanOrEqual(START_MS + 60 * DAY_MS);
      expect(entry?.jwt.exp_Expire).toBe(new Date(Math.round(expMs)).toISOString());
      expect((entry?.jwt.iat ?? Infinity) * 1000).toBeLessThan(START_MS);
      expect(activity.accountProfile(account).jwtExpMs).toBe(Math.round(expMs));
    }
    const entries = Object.values(body);
    expect(new Set(entries.map((entry) => entry.supportMusic))).toEqual(new Set([true, false]));
    expect(new Set(entries.map((entry) => entry.jwt.token)).size).toBe(entries.length);
    expect(new Set(entries.map((entry) => entry.jwt.exp)).size).toBeGreaterThan(1);
  });

  it("keeps the job IDs a seed gave before jobs had outcomes and accounts had configurations", () => {
    // Outcomes and configurations draw from streams of their own; golden files rely on this.
    const activity = createActivity({ seed: 42, accounts: 3, idleAccounts: 0, startMs: START_MS });
    activity.accountsBody(START_MS);
    expect(activity.payload(START_MS).executing).toEqual({
      "50346": [{ jobId: "p917577226-u12345-a50346-bot:minimax", elapsed: "04:04" }],
      "64099": [{ jobId: "p981982881-u12345-a64099-bot:minimax", elapsed: "01:11" }],
      "86722": [{ jobId: "p482229700-u12345-a86722-bot:minimax", elapsed: "00:23" }],
    });
  });

  it("adds and clears an account's error and moves its session expiry", () => {
    const activity = createActivity(options);
    const account = activity.accounts[0] ?? "";
    activity.setAccountError(account, "Session expired, please reconfigure");
    expect(activity.accountsBody(START_MS)[account]?.error).toBe(
      "Session expired, please reconfigure",
    );
    expect(activity.accountBody(activity.accounts[1] ?? "", START_MS)).not.toHaveProperty("error");
    activity.setAccountError(account, undefined);
    expect(activity.accountBody(account, START_MS)).not.toHaveProperty("error");
    const expMs = START_MS + 3_600_500;
    activity.setSessionExpiry(account, expMs);
    expect(activity.accountBody(account, START_MS)?.jwt).toMatchObject({
      exp: expMs / 1000,
      exp_Expire: new Date(expMs).toISOString(),
    });
    expect(activity.accountBody("00000", START_MS)).toBeUndefined();
    expect(() => {
      activity.setAccountError("00000", "x");
    }).toThrow(/unknown account/);
    expect(() => {
      activity.setSessionExpiry(account, Number.NaN);
    }).toThrow(/expMs/);
  });
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

async function call(
  url: string,
  init: {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    signal?: AbortSignal;
  } = {},
): Promise<Answer> {
  const response = await request(url, {
    method: (init.method ?? "GET") as "GET",
    headers: init.headers ?? {},
    ...(init.body === undefined ? {} : { body: init.body }),
    ...(init.signal ? { signal: init.signal } : {}),
  });
  const body = await response.body.text();
  return { status: response.statusCode, headers: response.headers, body };
}

/** Waits for a socket event to change the simulator's counters; the test's timeout bounds it. */
async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe("the simulator over HTTP", () => {
  let clock = START_MS;
  let sim: Simulator;
  let jobsUrl: string;

  beforeEach(async () => {
    clock = START_MS;
    sim = await startSimulator({
      token: TOKEN,
      seed: 5,
      accounts: 5,
      idleAccounts: 1,
      now: () => clock,
    });
    jobsUrl = `${sim.url}/v1/minimax/agent/jobs`;
  });

  afterEach(async () => {
    await sim.close();
  });

  it("listens on a loopback port and gives its URL without a trailing slash", () => {
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("serves the model's payload at the simulated time to the right token", async () => {
    const first = await call(jobsUrl, { headers: AUTH });
    expect(first.status).toBe(200);
    expect(first.headers["content-type"]).toBe("application/json");
    const body = JSON.parse(first.body) as JobsBody;
    expect(body).toEqual(sim.activity.payload(START_MS));
    expect(body.accounts).toEqual(sim.activity.accounts);
    expect(body.executing).not.toHaveProperty(sim.activity.idleAccounts[0] ?? "");
    clock += 20 * 60_000;
    const later = JSON.parse((await call(jobsUrl, { headers: AUTH })).body) as JobsBody;
    expect(later).toEqual(sim.activity.payload(clock));
    expect(later).not.toEqual(body);
  });

  it.each([
    ["no Authorization header", {}],
    ["a wrong token", { authorization: "Bearer user:1234-wrong" }],
    ["the token without the Bearer scheme", { authorization: TOKEN }],
    ["a lower-case scheme", { authorization: `bearer ${TOKEN}` }],
  ])("answers 401 Unauthorized to a request with %s", async (_name, headers) => {
    const answer = await call(jobsUrl, { headers });
    expect(answer.status).toBe(401);
    expect(answer.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(answer.body)).toEqual({ error: "Unauthorized" });
  });

  it("records the last request's headers and counts requests", async () => {
    await call(jobsUrl, {
      headers: { ...AUTH, "user-agent": "tester/1.0", accept: "application/json" },
    });
    await call(`${sim.url}/elsewhere`);
    const stats = sim.stats;
    expect(stats.requests).toBe(2);
    expect(stats.jobsRequests).toBe(1);
    expect(stats.lastAuthorization).toBe(`Bearer ${TOKEN}`);
    expect(stats.lastUserAgent).toBe("tester/1.0");
    expect(stats.lastAccept).toBe("application/json");
    expect(stats.inFlight).toBe(0);
    expect(stats.maxInFlight).toBe(1);
  });

  it("answers 404 on other paths and 405 with Allow: GET to other methods on the endpoint", async () => {
    const missing = await call(`${sim.url}/v1/minimax/agent/jobs/extra`, { headers: AUTH });
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toEqual({ error: "Not found", code: 404 });
    const post = await call(jobsUrl, { method: "POST", headers: AUTH, body: "{}" });
    expect(post.status).toBe(405);
    expect(post.headers["allow"]).toBe("GET");
  });

  it.each<[SimulatorMode, number, RegExp, string]>([
    ["unauthorized", 401, /^application\/json/, '{"error":"Unauthorized"}'],
    ["forbidden", 403, /^application\/json/, '{"error":"Forbidden","code":403}'],
    ["rate_limited", 429, /^application\/json/, '{"error":"Too many requests","code":429}'],
    ["bad_request", 400, /^application\/json/, '{"error":"Bad request","code":400}'],
    [
      "server_error",
      503,
      /^text\/html/,
      "<html><body><h1>503 Service Unavailable</h1></body></html>",
    ],
    [
      "wrong_shape",
      200,
      /^application\/json/,
      '{"accounts":"67890","summary":[],"executing":null}',
    ],
  ])("in mode %s answers %i with the expected body", async (mode, status, type, body) => {
    sim.setMode(mode);
    const answer = await call(jobsUrl, { headers: AUTH });
    expect(answer.status).toBe(status);
    expect(answer.headers["content-type"]).toMatch(type);
    expect(answer.body).toBe(body);
  });

  it("sends Retry-After 2 when rate limited, or the configured value", async () => {
    sim.setMode("rate_limited");
    expect((await call(jobsUrl, { headers: AUTH })).headers["retry-after"]).toBe("2");
    sim.setMode("rate_limited", { retryAfter: "Wed, 21 Oct 2026 07:28:00 GMT" });
    const answer = await call(jobsUrl, { headers: AUTH });
    expect(answer.headers["retry-after"]).toBe("Wed, 21 Oct 2026 07:28:00 GMT");
  });

  it("keeps a mode until it is changed and applies it only to authorized requests", async () => {
    sim.setMode("forbidden");
    expect((await call(jobsUrl, { headers: AUTH })).status).toBe(403);
    expect((await call(jobsUrl, { headers: AUTH })).status).toBe(403);
    expect((await call(jobsUrl)).status).toBe(401);
    expect((await call(`${sim.url}/nope`, { headers: AUTH })).status).toBe(404);
    sim.setMode("ok");
    expect((await call(jobsUrl, { headers: AUTH })).status).toBe(200);
  });

  it("answers malformed JSON with status 200 in mode malformed_json", async () => {
    sim.setMode("malformed_json");
    const answer = await call(jobsUrl, { headers: AUTH });
    expect(answer.status).toBe(200);
    expect(answer.headers["content-type"]).toBe("application/json");
    expect(answer.body.startsWith('{"accounts": [')).toBe(true);
    expect(() => JSON.parse(answer.body) as unknown).toThrow(SyntaxError);
  });

  it("never answers in mode hang, holding the request in flight until the client gives up", async () => {
    sim.setMode("hang");
    const pending = call(jobsUrl, { headers: AUTH, signal: AbortSignal.timeout(150) });
    await expect(pending).rejects.toThrow(/abort|timeout/i);
    expect(sim.stats.maxInFlight).toBe(1);
    await waitFor(() => sim.stats.inFlight === 0);
  });

  it("destroys the connection without a response in mode reset", async () => {
    sim.setMode("reset");
    const error: unknown = await call(jobsUrl, { headers: AUTH }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error & { code?: string }).code)).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
    await waitFor(() => sim.stats.inFlight === 0);
  });

  it("streams a valid JSON body of the configured size, without Content-Length, in mode oversized", async () => {
    const bytes = 3 * 1024 * 1024 + 17;
    sim.setMode("oversized", { bytes });
    const response = await request(jobsUrl, { headers: AUTH });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-length"]).toBeUndefined();
    const body = Buffer.from(await response.body.arrayBuffer());
    expect(body.length).toBe(bytes);
    expect(JSON.parse(body.toString("utf8"))).toMatchObject({ accounts: [], executing: {} });
  });

  it("sends more than 16 MiB by default in mode oversized", async () => {
    sim.setMode("oversized");
    const response = await request(jobsUrl, { headers: AUTH });
    let received = 0;
    for await (const chunk of response.body) received += (chunk as Buffer).length;
    expect(received).toBeGreaterThanOrEqual(16 * 1024 * 1024);
  });

  it("stops streaming an oversized body when the client goes away", async () => {
    sim.setMode("oversized", { bytes: 512 * 1024 * 1024 });
    const controller = new AbortController();
    const response = await request(jobsUrl, { headers: AUTH, signal: controller.signal });
    let received = 0;
    const reading = (async () => {
      for await (const chunk of response.body) {
        received += (chunk as Buffer).length;
        if (received > 1024 * 1024) controller.abort();
      }
    })();
    await expect(reading).rejects.toThrow();
    await waitFor(() => sim.stats.inFlight === 0);
    expect(received).toBeLessThan(64 * 1024 * 1024);
  });

  it("sends the headers and the first bytes at once but holds the rest back in mode slow_body", async () => {
    sim.setMode("slow_body", { delayMs: 10_000 });
    const response = await request(jobsUrl, { headers: AUTH, signal: AbortSignal.timeout(200) });
    expect(response.statusCode).toBe(200);
    const expected = JSON.stringify(sim.activity.payload(clock));
    expect(response.headers["content-length"]).toBe(String(Buffer.byteLength(expected)));
    const chunks = response.body[Symbol.asyncIterator]();
    const first = String((await chunks.next()).value);
    expect(first.length).toBeGreaterThan(0);
    expect(first.length).toBeLessThan(expected.length);
    expect(expected.startsWith(first)).toBe(true);
    await expect(chunks.next()).rejects.toThrow(/abort|timeout/i);
  });

  it("delivers the whole valid body after the configured delay in mode slow_body", async () => {
    sim.setMode("slow_body", { delayMs: 150 });
    const started = performance.now();
    const answer = await call(jobsUrl, { headers: AUTH });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(JSON.parse(answer.body)).toEqual(sim.activity.payload(clock));
  });

  it("serves a fixed payload when given one and the model again after setPayload(undefined)", async () => {
    sim.setPayload({ accounts: ["1"], summary: {}, executing: {} });
    expect(JSON.parse((await call(jobsUrl, { headers: AUTH })).body)).toEqual({
      accounts: ["1"],
      summary: {},
      executing: {},
    });
    sim.setPayload(undefined);
    const back = JSON.parse((await call(jobsUrl, { headers: AUTH })).body) as JobsBody;
    expect(back.accounts).toEqual(sim.activity.accounts);
  });

  it("rejects an unknown mode or bad options in process", () => {
    expect(() => {
      sim.setMode("bogus" as SimulatorMode);
    }).toThrow(RangeError);
    expect(() => {
      sim.setMode("oversized", { bytes: -1 });
    }).toThrow(/bytes/);
    expect(() => {
      sim.setPayload(() => 1);
    }).toThrow(TypeError);
  });

  it("closes quickly while a request hangs, and the hung client sees an error", async () => {
    sim.setMode("hang");
    const pending = call(jobsUrl, { headers: AUTH }).catch((e: unknown) => e);
    await waitFor(() => sim.stats.inFlight === 1);
    // A close that waited for the held request would outlast the test's timeout.
    await sim.close();
    expect(await pending).toBeInstanceOf(Error);
  });

  it("closes quickly while a slow body is pending", async () => {
    sim.setMode("slow_body", { delayMs: 60_000 });
    const response = await request(jobsUrl, { headers: AUTH });
    const reading = response.body.text().catch((e: unknown) => e);
    // A close that waited for the held request would outlast the test's timeout.
    await sim.close();
    expect(await reading).toBeInstanceOf(Error);
  });
});

describe("the simulator's HTTP control endpoints", () => {
  let sim: Simulator;
  let jobsUrl: string;

  beforeEach(async () => {
    sim = await startSimulator({ token: TOKEN, seed: 9, accounts: 3, idleAccounts: 1 });
    jobsUrl = `${sim.url}/v1/minimax/agent/jobs`;
  });

  afterEach(async () => {
    await sim.close();
  });

  const post = (path: string, body: string): Promise<Answer> =>
    call(`${sim.url}/__simulator/${path}`, { method: "POST", body });

  it("switches modes with their options", async () => {
    const answer = await post("mode", '{"mode":"rate_limited","retryAfter":"9"}');
    expect(answer.status).toBe(200);
    const limited = await call(jobsUrl, { headers: AUTH });
    expect(limited.status).toBe(429);
    expect(limited.headers["retry-after"]).toBe("9");
    expect((await post("mode", '{"mode":"ok"}')).status).toBe(200);
    expect((await call(jobsUrl, { headers: AUTH })).status).toBe(200);
  });

  it.each([
    ['{"mode":"bogus"}', /mode must be one of/],
    ['{"mode":"oversized","bytes":"big"}', /bytes/],
    ['{"mode":"slow_body","delayMs":-1}', /delayMs/],
    ["not json", /not valid JSON/],
    ['["ok"]', /JSON object/],
  ])("answers 400 to the mode command %s and keeps the current mode", async (body, message) => {
    const answer = await post("mode", body);
    expect(answer.status).toBe(400);
    expect((JSON.parse(answer.body) as { error: string }).error).toMatch(message);
    expect((await call(jobsUrl, { headers: AUTH })).status).toBe(200);
  });

  it("serves a posted payload and returns to the model after an empty post", async () => {
    expect((await post("payload", '{"accounts":[]}')).status).toBe(200);
    expect((await call(jobsUrl, { headers: AUTH })).body).toBe('{"accounts":[]}');
    expect((await post("payload", "")).status).toBe(200);
    const back = JSON.parse((await call(jobsUrl, { headers: AUTH })).body) as JobsBody;
    expect(back.accounts).toEqual(sim.activity.accounts);
    expect((await post("payload", "{nope")).status).toBe(400);
  });

  it("injects a job that then appears in the payload, and refuses unknown accounts", async () => {
    const idle = sim.activity.idleAccounts[0] ?? "";
    const answer = await post("jobs", JSON.stringify({ account: idle, durationSeconds: 900 }));
    expect(answer.status).toBe(201);
    const { jobId } = JSON.parse(answer.body) as { jobId: string };
    expect(jobId).toMatch(JOB_ID);
    const body = JSON.parse((await call(jobsUrl, { headers: AUTH })).body) as JobsBody;
    expect(body.executing[idle]?.map((job) => job.jobId)).toEqual([jobId]);
    expect(body.summary[idle]).toEqual({ executing: 1 });
    const unknown = await post("jobs", '{"account":"00000","durationSeconds":5}');
    expect(unknown.status).toBe(400);
    expect((await post("jobs", JSON.stringify({ account: idle }))).status).toBe(400);
  });

  it("reports stats over HTTP without echoing the token", async () => {
    await call(jobsUrl, { headers: { ...AUTH, "user-agent": "probe/2" } });
    const answer = await call(`${sim.url}/__simulator/stats`);
    expect(answer.status).toBe(200);
    expect(answer.body).not.toContain(TOKEN);
    expect(JSON.parse(answer.body)).toMatchObject({
      requests: 2,
      jobsRequests: 1,
      inFlight: 0,
      lastUserAgent: "probe/2",
      lastAuthorizationValid: true,
    });
  });

  it("answers 405 to a wrong method on a control path and 404 to an unknown one", async () => {
    expect((await call(`${sim.url}/__simulator/mode`)).status).toBe(405);
    expect((await post("stats", "")).status).toBe(405);
    expect((await post("nothing", "")).status).toBe(404);
  });
});

describe("the simulator's job and accounts endpoints", () => {
  let clock = START_MS;
  let sim: Simulator;

  beforeEach(async () => {
    clock = START_MS;
    sim = await startSimulator({
      token: TOKEN,
      seed: 3,
      accounts: 20,
      idleAccounts: 2,
      now: () => clock,
    });
  });

  afterEach(async () => {
    await sim.close();
  });

  const jobUrl = (jobId: string): string =>
    `${sim.url}/v1/minimax/agent/${encodeURIComponent(jobId)}`;
  const lookUp = async (jobId: string): Promise<JobBody> => {
    const answer = await call(jobUrl(jobId), { headers: AUTH });
    expect(answer.status).toBe(200);
    return JSON.parse(answer.body) as JobBody;
  };
  const listed = async (): Promise<JobsBody> =>
    JSON.parse(
      (await call(`${sim.url}/v1/minimax/agent/jobs`, { headers: AUTH })).body,
    ) as JobsBody;
  const control = (path: string, body: unknown): Promise<Answer> =>
    call(`${sim.url}/__simulator/${path}`, { method: "POST", body: JSON.stringify(body) });

  it("answers a running job with status started, its creation time and a marked prompt", async () => {
    const job = sim.activity.running()[0];
    if (!job) throw new Error("nothing runs at the start");
    const body = await lookUp(job.jobId);
    expect(body).toEqual({
      jobId: job.jobId,
      status: "started",
      created: new Date(job.startMs).toISOString(),
      request: {
        prompt: expect.stringContaining(PROMPT_MARKER) as unknown,
        models: ["hailuo-2.3"],
        async: true,
      },
    });
  });

  it("answers an ended job with its outcome: a response when completed, an error when failed", async () => {
    const idle = sim.activity.idleAccounts[0] ?? "";
    const done = sim.activity.startJob(idle, clock, 135_000);
    const broken = sim.activity.startJob(idle, clock, 40_000, "failed");
    clock += 136_000;
    const completed = await lookUp(done);
    expect(completed).toMatchObject({
      jobId: done,
      status: "completed",
      created: new Date(START_MS).toISOString(),
      response: { elapsedTime: "02:15", timestamp: START_MS + 135_000, attachments: [] },
    });
    expect(completed).not.toHaveProperty("error");
    const failed = await lookUp(broken);
    expect(failed).toMatchObject({
      jobId: broken,
      status: "failed",
      error: { message: expect.any(String) as unknown, status: 502 },
    });
    expect(failed).not.toHaveProperty("response");
    expect(failed.request.prompt).toContain(PROMPT_MARKER);
  });

  it("accepts the job ID with its colon unencoded", async () => {
    const job = sim.activity.running()[0];
    if (!job) throw new Error("nothing runs at the start");
    const answer = await call(`${sim.url}/v1/minimax/agent/${job.jobId}`, { headers: AUTH });
    expect(answer.status).toBe(200);
    expect((JSON.parse(answer.body) as JobBody).jobId).toBe(job.jobId);
  });

  it.each([
    ["a word", "hello"],
    ["another bot", "p123456789-u12345-a67890-bot:other"],
    ["letters in the project", "pX23456789-u12345-a67890-bot:minimax"],
    ["an encoded slash", "p1-u2-a3/bot:minimax"],
    ["broken percent-encoding", "%E0%A4%A"],
  ])("answers 400 Invalid jobId to a malformed ID (%s)", async (_name, jobId) => {
    const url = `${sim.url}/v1/minimax/agent/${jobId.startsWith("%") ? jobId : encodeURIComponent(jobId)}`;
    const answer = await call(url, { headers: AUTH });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({ error: "Invalid jobId", code: 400 });
  });

  it("answers 400 not found to a well-formed ID it never handed out", async () => {
    const answer = await call(jobUrl("p123456789-u99999-a67890-bot:minimax"), { headers: AUTH });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({
      error: "Job not found or not owned by this token",
      code: 400,
    });
  });

  it("reports every job that leaves the list as completed or failed, and those that hit the expiry as failed with 504", async () => {
    const listedIds = async (): Promise<Set<string>> =>
      new Set(
        Object.values((await listed()).executing).flatMap((jobs) => jobs.map((j) => j.jobId)),
      );
    let previous = await listedIds();
    let left = 0;
    let expired = 0;
    for (let step = 1; step <= 30; step++) {
      clock = START_MS + step * 60_000;
      const current = await listedIds();
      const gone = [...previous].filter((id) => !current.has(id));
      const still = [...current].slice(0, 2);
      const answers = await Promise.all([...gone, ...still].map(lookUp));
      for (const answer of answers.slice(gone.length)) expect(answer.status).toBe("started");
      for (const answer of answers.slice(0, gone.length)) {
        left++;
        const truth = sim.activity.history().find((job) => job.jobId === answer.jobId);
        expect(truth?.endMs).toBeLessThanOrEqual(clock);
        expect(answer.status).toBe(truth?.status);
        expect(["completed", "failed"]).toContain(answer.status);
        if (truth && truth.endMs - truth.startMs === JOB_EXPIRY_MS) {
          expired++;
          expect(answer.error).toEqual({
            message: "Timeout waiting for assistant response",
            status: 504,
          });
        }
        if (answer.status === "completed") {
          expect(answer.response?.timestamp).toBe(Math.floor(truth?.endMs ?? 0));
        }
      }
      previous = current;
    }
    expect(left).toBeGreaterThan(100);
    expect(expired).toBeGreaterThan(0);
  });

  it("serves the ended jobs at the history control path, as the model has them", async () => {
    clock += HOUR_MS;
    const answer = await call(`${sim.url}/__simulator/history`);
    expect(answer.status).toBe(200);
    const { jobs } = JSON.parse(answer.body) as { jobs: EndedJob[] };
    expect(jobs.length).toBeGreaterThan(500);
    expect(jobs).toEqual(sim.activity.history());
    expect(jobs.at(-1)?.endMs).toBeLessThanOrEqual(clock);
    const twin = createActivity({ seed: 3, accounts: 20, idleAccounts: 2, startMs: START_MS });
    twin.advanceTo(clock);
    expect(twin.history()).toEqual(jobs);
    expect((await call(`${sim.url}/__simulator/history`, { method: "POST" })).status).toBe(405);
  });

  it("serves every account's configuration, and one account's alone, with 404 for an unknown one", async () => {
    const answer = await call(`${sim.url}/v1/minimax/accounts`, { headers: AUTH });
    expect(answer.status).toBe(200);
    expect(answer.headers["content-type"]).toBe("application/json");
    const body = JSON.parse(answer.body) as AccountsBody;
    expect(body).toEqual(sim.activity.accountsBody(clock));
    expect(Object.keys(body)).toHaveLength(20);
    expect(answer.body).toContain(JWT_SECRET_MARKER);
    const account = sim.activity.accounts[3] ?? "";
    const one = await call(`${sim.url}/v1/minimax/accounts/${account}`, { headers: AUTH });
    expect(one.status).toBe(200);
    expect(JSON.parse(one.body)).toEqual(body[account]);
    const missing = await call(`${sim.url}/v1/minimax/accounts/00000`, { headers: AUTH });
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toEqual({ error: "Account not configured", code: 404 });
  });

  it("flags an account's error and moves its session expiry through the control paths", async () => {
    const account = sim.activity.accounts[0] ?? "";
    const fetchOne = async (): Promise<AccountsBody[string]> =>
      JSON.parse(
        (await call(`${sim.url}/v1/minimax/accounts/${account}`, { headers: AUTH })).body,
      ) as AccountsBody[string];
    expect(await fetchOne()).not.toHaveProperty("error");
    expect((await control("accounts/error", { account, error: "Account on hold" })).status).toBe(
      200,
    );
    expect((await fetchOne()).error).toBe("Account on hold");
    expect((await control("accounts/error", { account, error: null })).status).toBe(200);
    expect(await fetchOne()).not.toHaveProperty("error");
    const expMs = START_MS - 1_500;
    expect((await control("accounts/expiry", { account, expMs })).status).toBe(200);
    expect((await fetchOne()).jwt).toMatchObject({
      exp: expMs / 1000,
      exp_Expire: new Date(expMs).toISOString(),
    });
    expect((await control("accounts/error", { account: "00000", error: "x" })).status).toBe(400);
    expect((await control("accounts/error", { account })).status).toBe(400);
    expect((await control("accounts/expiry", { account, expMs: "soon" })).status).toBe(400);
    expect((await call(`${sim.url}/__simulator/accounts/error`)).status).toBe(405);
  });

  it("injects a failed job through the control path", async () => {
    const account = sim.activity.idleAccounts[0] ?? "";
    const answer = await control("jobs", { account, durationSeconds: 5, outcome: "failed" });
    expect(answer.status).toBe(201);
    const { jobId } = JSON.parse(answer.body) as { jobId: string };
    clock += 5_000;
    expect((await lookUp(jobId)).status).toBe("failed");
    expect((await control("jobs", { account, durationSeconds: 5, outcome: "lost" })).status).toBe(
      400,
    );
  });

  it.each([
    ["the job endpoint", "/v1/minimax/agent/p1-u2-a3-bot:minimax"],
    ["the accounts list", "/v1/minimax/accounts"],
    ["one account", "/v1/minimax/accounts/12345"],
  ])("answers 401 without the token and 405 to a POST on %s", async (_name, path) => {
    const wrong = await call(`${sim.url}${path}`, {
      headers: { authorization: "Bearer user:1234-wrong" },
    });
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.body)).toEqual({ error: "Unauthorized" });
    expect((await call(`${sim.url}${path}`)).status).toBe(401);
    const post = await call(`${sim.url}${path}`, { method: "POST", headers: AUTH, body: "{}" });
    expect(post.status).toBe(405);
    expect(post.headers["allow"]).toBe("GET");
  });

  it("keeps a mode per endpoint, the jobs list's by default", async () => {
    const job = sim.activity.running()[0]?.jobId ?? "";
    const accountsUrl = `${sim.url}/v1/minimax/accounts`;
    const jobsUrl = `${sim.url}/v1/minimax/agent/jobs`;
    const statuses = async (): Promise<number[]> =>
      Promise.all(
        [jobsUrl, accountsUrl, jobUrl(job)].map(
          async (url) => (await call(url, { headers: AUTH })).status,
        ),
      );
    sim.setMode("rate_limited", {}, "accounts");
    expect(await statuses()).toEqual([200, 429, 200]);
    sim.setMode("server_error");
    expect(await statuses()).toEqual([503, 429, 200]);
    sim.setMode("forbidden", {}, "job");
    expect(await statuses()).toEqual([503, 429, 403]);
    sim.setMode("ok", {}, "accounts");
    sim.setMode("ok");
    expect(await statuses()).toEqual([200, 200, 403]);
    expect(() => {
      sim.setMode("ok", {}, "bogus" as "job");
    }).toThrow(RangeError);
  });

  it("switches an endpoint's mode over HTTP and refuses an unknown endpoint", async () => {
    const answer = await control("mode", { mode: "malformed_json", endpoint: "accounts" });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ mode: "malformed_json", endpoint: "accounts" });
    const broken = await call(`${sim.url}/v1/minimax/accounts`, { headers: AUTH });
    expect(broken.status).toBe(200);
    expect(() => JSON.parse(broken.body) as unknown).toThrow(SyntaxError);
    expect((await call(`${sim.url}/v1/minimax/agent/jobs`, { headers: AUTH })).status).toBe(200);
    const bad = await control("mode", { mode: "ok", endpoint: "everything" });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatch(/endpoint must be one of/);
  });

  it.each<[SimulatorEndpoint, string]>([
    ["accounts", "/v1/minimax/accounts"],
    ["job", "/v1/minimax/agent/p1-u2-a3-bot:minimax"],
  ])("hangs and answers wrong shapes on the %s endpoint when told to", async (endpoint, path) => {
    sim.setMode("wrong_shape", {}, endpoint);
    const odd = await call(`${sim.url}${path}`, { headers: AUTH });
    expect(odd.status).toBe(200);
    expect(JSON.parse(odd.body)).not.toEqual({});
    sim.setMode("hang", {}, endpoint);
    const pending = call(`${sim.url}${path}`, { headers: AUTH, signal: AbortSignal.timeout(100) });
    await expect(pending).rejects.toThrow(/abort|timeout/i);
  });

  it("counts requests per endpoint without touching the jobs list's counters", async () => {
    const job = sim.activity.running()[0]?.jobId ?? "";
    await call(`${sim.url}/v1/minimax/accounts`, { headers: AUTH });
    await call(`${sim.url}/v1/minimax/accounts/00000`, { headers: AUTH });
    await call(jobUrl(job), { headers: { ...AUTH, "user-agent": "lookup/1" } });
    await call(jobUrl("nonsense"));
    const stats = sim.stats;
    expect(stats).toMatchObject({
      requests: 4,
      jobsRequests: 0,
      accountsRequests: 2,
      jobLookups: 2,
      jobLookupsInFlight: 0,
      maxJobLookupsInFlight: 1,
      inFlight: 0,
      maxInFlight: 0,
      lastUserAgent: undefined,
    });
    const overHttp = await call(`${sim.url}/__simulator/stats`);
    expect(JSON.parse(overHttp.body)).toMatchObject({ accountsRequests: 2, jobLookups: 2 });
  });
});

describe("the simulator's job lookup delay", () => {
  let sim: Simulator;

  beforeEach(async () => {
    sim = await startSimulator({ token: TOKEN, seed: 3, accounts: 4, jobLookupDelayMs: 80 });
  });

  afterEach(async () => {
    await sim.close();
  });

  it("holds each job answer back, so concurrent lookups overlap and sequential ones do not", async () => {
    const jobId = encodeURIComponent(sim.activity.running()[0]?.jobId ?? "");
    const url = `${sim.url}/v1/minimax/agent/${jobId}`;
    const started = performance.now();
    expect((await call(url, { headers: AUTH })).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(70);
    expect((await call(url, { headers: AUTH })).status).toBe(200);
    expect(sim.stats.maxJobLookupsInFlight).toBe(1);
    const answers = await Promise.all([1, 2, 3].map(() => call(url, { headers: AUTH })));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(sim.stats).toMatchObject({ jobLookups: 5, maxJobLookupsInFlight: 3 });
    await waitFor(() => sim.stats.jobLookupsInFlight === 0);
  });

  it("closes quickly while lookups are held back", async () => {
    const url = `${sim.url}/v1/minimax/agent/p1-u2-a3-bot:minimax`;
    const pending = call(url, { headers: AUTH }).catch((e: unknown) => e);
    await waitFor(() => sim.stats.jobLookupsInFlight === 1);
    // A close that waited for the held request would outlast the test's timeout.
    await sim.close();
    expect(await pending).toBeInstanceOf(Error);
  });

  it("refuses a negative delay", async () => {
    await expect(startSimulator({ token: TOKEN, jobLookupDelayMs: -1 })).rejects.toThrow(
      /jobLookupDelayMs/,
    );
  });
});

describe("the simulator command line", () => {
  const env = { USEAPI_TOKEN: TOKEN };

  it("reads the listen address, seed and accounts, with loopback defaults", () => {
    expect(
      parseSimulatorArgs(["--listen=127.0.0.1:9878", "--seed=3", "--accounts=4"], env),
    ).toEqual({
      token: TOKEN,
      host: "127.0.0.1",
      port: 9878,
      seed: 3,
      accounts: 4,
      idleAccounts: 1,
    });
    expect(parseSimulatorArgs(["--listen=[::1]:0"], env)).toMatchObject({ host: "::1", port: 0 });
    expect(parseSimulatorArgs(["--listen=:9000"], env)).toMatchObject({
      host: "127.0.0.1",
      port: 9000,
    });
  });

  it.each([
    [[], {}, /USEAPI_TOKEN is not set/],
    [["--seed=x"], env, /^--seed: /],
    [["--accounts=0"], env, /^--accounts: /],
    [["--listen=nohost"], env, /^--listen: /],
    [["--listen=127.0.0.1:70000"], env, /^--listen port: /],
    [["--bogus"], env, /bogus/],
  ])("refuses %j with a one-line message naming the problem", (argv, environment, message) => {
    const attempt = (): unknown => parseSimulatorArgs(argv, environment);
    expect(attempt).toThrow(CliError);
    expect(attempt).toThrow(message);
  });

  it("never puts the token in an error message", () => {
    let message = "";
    try {
      parseSimulatorArgs(["--seed=-1"], env);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/--seed/);
    expect(message).not.toContain(TOKEN);
  });
});
