import { request } from "undici";
import { beforeEach, describe, expect, it } from "vitest";
import type { Simulator, SimulatorEndpoint, SimulatorMode } from "../../src/simulator/server.js";
import {
  AUTH,
  call,
  jobUrl,
  startTestSimulator,
  waitFor,
  type HeldTimers,
  type TestClock,
} from "../simulator-fixtures.js";

describe("the simulator over HTTP", () => {
  let sim: Simulator;
  let clock: TestClock;
  let timers: HeldTimers;
  let jobsUrl: string;

  beforeEach(async () => {
    ({ sim, clock, timers, jobsUrl } = await startTestSimulator({
      seed: 5,
      accounts: 5,
      idleAccounts: 1,
    }));
    return () => sim.close();
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
    const client = new AbortController();
    const pending = call(jobsUrl, { headers: AUTH, signal: client.signal });
    await waitFor(() => sim.stats.inFlight === 1, "the simulator to hold the request");
    client.abort();
    await expect(pending).rejects.toThrow(/abort/i);
    expect(sim.stats.maxInFlight).toBe(1);
    await waitFor(() => sim.stats.inFlight === 0, "the simulator to see the request end");
  });

  it("destroys the connection without a response in mode reset", async () => {
    sim.setMode("reset");
    const error: unknown = await call(jobsUrl, { headers: AUTH }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error & { code?: string }).code)).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
    await waitFor(() => sim.stats.inFlight === 0, "the simulator to see the request end");
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
    await waitFor(() => sim.stats.inFlight === 0, "the simulator to see the request end");
    expect(received).toBeLessThan(64 * 1024 * 1024);
  });

  it("sends the headers and the first bytes at once but holds the rest back in mode slow_body", async () => {
    sim.setMode("slow_body", { delayMs: 10_000 });
    const response = await request(jobsUrl, { headers: AUTH });
    expect(response.statusCode).toBe(200);
    const expected = JSON.stringify(sim.activity.payload(clock.ms));
    expect(response.headers["content-length"]).toBe(String(Buffer.byteLength(expected)));
    const chunks = response.body[Symbol.asyncIterator]();
    const first = String((await chunks.next()).value);
    // slow_body's first write: 16 bytes (a body longer than that), alone until the timer fires.
    expect(first).toBe(expected.slice(0, 16));
    expect(timers.delays).toEqual([10_000]);
    timers.fireAll();
    let rest = "";
    for (let next = await chunks.next(); next.done !== true; next = await chunks.next()) {
      rest += String(next.value);
    }
    expect(first + rest).toBe(expected);
  });

  it("delivers the whole valid body after the configured delay in mode slow_body", async () => {
    sim.setMode("slow_body", { delayMs: 150 });
    const answer = call(jobsUrl, { headers: AUTH });
    await timers.waitForHeld(1);
    expect(timers.delays).toEqual([150]);
    timers.fireAll();
    expect(JSON.parse((await answer).body)).toEqual(sim.activity.payload(clock.ms));
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
    await waitFor(() => sim.stats.inFlight === 1, "the simulator to hold the request");
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

describe("the simulator's job and accounts endpoints", () => {
  let sim: Simulator;

  beforeEach(async () => {
    ({ sim } = await startTestSimulator({ seed: 3, accounts: 20, idleAccounts: 2 }));
    return () => sim.close();
  });

  it("keeps a mode per endpoint, the jobs list's by default", async () => {
    const job = sim.activity.running()[0]?.jobId ?? "";
    const accountsUrl = `${sim.url}/v1/minimax/accounts`;
    const jobsUrl = `${sim.url}/v1/minimax/agent/jobs`;
    const statuses = async (): Promise<number[]> =>
      Promise.all(
        [jobsUrl, accountsUrl, jobUrl(sim, job)].map(
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

  it.each<[SimulatorEndpoint, string]>([
    ["accounts", "/v1/minimax/accounts"],
    ["job", "/v1/minimax/agent/p1-u2-a3-bot:minimax"],
  ])("hangs and answers wrong shapes on the %s endpoint when told to", async (endpoint, path) => {
    sim.setMode("wrong_shape", {}, endpoint);
    const odd = await call(`${sim.url}${path}`, { headers: AUTH });
    expect(odd.status).toBe(200);
    expect(JSON.parse(odd.body)).not.toEqual({});
    sim.setMode("hang", {}, endpoint);
    const client = new AbortController();
    const pending = call(`${sim.url}${path}`, { headers: AUTH, signal: client.signal });
    await waitFor(() => sim.stats.requests === 2, "the simulator to count the second request");
    client.abort();
    await expect(pending).rejects.toThrow(/abort/i);
  });
});
