import { beforeEach, describe, expect, it } from "vitest";
import {
  JWT_SECRET_MARKER,
  createActivity,
  type AccountsBody,
} from "../../src/simulator/activity.js";
import type { Simulator } from "../../src/simulator/server.js";
import {
  AUTH,
  START_MS,
  call,
  postControl,
  startTestSimulator,
  type TestClock,
} from "../simulator-fixtures.js";

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

describe("the simulator's job and accounts endpoints", () => {
  let sim: Simulator;
  let clock: TestClock;

  beforeEach(async () => {
    ({ sim, clock } = await startTestSimulator({ seed: 3, accounts: 20, idleAccounts: 2 }));
    return () => sim.close();
  });

  it("serves every account's configuration, and one account's alone, with 404 for an unknown one", async () => {
    const answer = await call(`${sim.url}/v1/minimax/accounts`, { headers: AUTH });
    expect(answer.status).toBe(200);
    expect(answer.headers["content-type"]).toBe("application/json");
    const body = JSON.parse(answer.body) as AccountsBody;
    expect(body).toEqual(sim.activity.accountsBody(clock.ms));
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
    expect(
      (await postControl(sim, "accounts/error", { account, error: "Account on hold" })).status,
    ).toBe(200);
    expect((await fetchOne()).error).toBe("Account on hold");
    expect((await postControl(sim, "accounts/error", { account, error: null })).status).toBe(200);
    expect(await fetchOne()).not.toHaveProperty("error");
    const expMs = START_MS - 1_500;
    expect((await postControl(sim, "accounts/expiry", { account, expMs })).status).toBe(200);
    expect((await fetchOne()).jwt).toMatchObject({
      exp: expMs / 1000,
      exp_Expire: new Date(expMs).toISOString(),
    });
    expect(
      (await postControl(sim, "accounts/error", { account: "00000", error: "x" })).status,
    ).toBe(400);
    expect((await postControl(sim, "accounts/error", { account })).status).toBe(400);
    expect((await postControl(sim, "accounts/expiry", { account, expMs: "soon" })).status).toBe(
      400,
    );
    expect((await call(`${sim.url}/__simulator/accounts/error`)).status).toBe(405);
  });
});
