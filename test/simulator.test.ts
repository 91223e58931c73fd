import { request } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  JOB_EXPIRY_MS,
  createActivity,
  formatElapsed,
  generatePayload,
  type Activity,
  type JobsBody,
  type SimulatedJob,
} from "../src/simulator/activity.js";
import { CliError, parseSimulatorArgs } from "../src/simulator/cli.js";
import { startSimulator, type Simulator, type SimulatorMode } from "../src/simulator/server.js";

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

  it("builds a large static payload quickly, deterministically and with unique job IDs", () => {
    const started = performance.now();
    const big = generatePayload({ seed: 3, accounts: 10_000, jobsPerAccount: 5 });
    // Generous: only quadratic work would come near it.
    expect(performance.now() - started).toBeLessThan(1_500);
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

async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
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
    const started = performance.now();
    await sim.close();
    expect(performance.now() - started).toBeLessThan(500);
    expect(await pending).toBeInstanceOf(Error);
  });

  it("closes quickly while a slow body is pending", async () => {
    sim.setMode("slow_body", { delayMs: 60_000 });
    const response = await request(jobsUrl, { headers: AUTH });
    const reading = response.body.text().catch((e: unknown) => e);
    const started = performance.now();
    await sim.close();
    expect(performance.now() - started).toBeLessThan(500);
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
