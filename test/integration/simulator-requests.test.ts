import { beforeEach, describe, expect, it } from "vitest";
import type { JobsBody } from "../../src/simulator/activity.js";
import type { Simulator } from "../../src/simulator/server.js";
import {
  AUTH,
  START_MS,
  TOKEN,
  call,
  jobUrl,
  startTestSimulator,
  type TestClock,
} from "../simulator-fixtures.js";

describe("the simulator over HTTP", () => {
  let sim: Simulator;
  let clock: TestClock;
  let jobsUrl: string;

  beforeEach(async () => {
    ({ sim, clock, jobsUrl } = await startTestSimulator({ seed: 5, accounts: 5, idleAccounts: 1 }));
    return () => sim.close();
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
    clock.ms += 20 * 60_000;
    const later = JSON.parse((await call(jobsUrl, { headers: AUTH })).body) as JobsBody;
    expect(later).toEqual(sim.activity.payload(clock.ms));
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
});

describe("the simulator's job and accounts endpoints", () => {
  let sim: Simulator;

  beforeEach(async () => {
    ({ sim } = await startTestSimulator({ seed: 3, accounts: 20, idleAccounts: 2 }));
    return () => sim.close();
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

  it("counts requests per endpoint without touching the jobs list's counters", async () => {
    const job = sim.activity.running()[0]?.jobId ?? "";
    await call(`${sim.url}/v1/minimax/accounts`, { headers: AUTH });
    await call(`${sim.url}/v1/minimax/accounts/00000`, { headers: AUTH });
    await call(jobUrl(sim, job), { headers: { ...AUTH, "user-agent": "lookup/1" } });
    await call(jobUrl(sim, "nonsense"));
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
