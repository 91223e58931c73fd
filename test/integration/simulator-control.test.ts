import { beforeEach, describe, expect, it } from "vitest";
import type { JobsBody } from "../../src/simulator/activity.js";
import type { Simulator } from "../../src/simulator/server.js";
import {
  AUTH,
  JOB_ID,
  TOKEN,
  call,
  postControl,
  startTestSimulator,
  type Answer,
} from "../simulator-fixtures.js";

describe("the simulator's HTTP control endpoints", () => {
  let sim: Simulator;
  let jobsUrl: string;

  beforeEach(async () => {
    ({ sim, jobsUrl } = await startTestSimulator({ seed: 9, accounts: 3, idleAccounts: 1 }));
    return () => sim.close();
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

  it("injects a speech generation that the scheduler lists under audioId and counts in executingAudio", async () => {
    const idle = sim.activity.idleAccounts[0] ?? "";
    const command = { account: idle, durationSeconds: 30, type: "audio" };
    const answer = await post("generations", JSON.stringify(command));
    expect(answer.status).toBe(201);
    const { id } = JSON.parse(answer.body) as { id: string };
    expect(id).toMatch(new RegExp(`^user:\\d+-minimax:${idle}-audio:injected1$`));
    const scheduler = await call(`${sim.url}/v1/minimax/scheduler/available`, { headers: AUTH });
    const body = JSON.parse(scheduler.body) as {
      executing: Record<string, unknown>[];
      available: { account: string; executing: number; executingAudio?: number }[];
    };
    expect(
      body.executing.filter((g) => String(g["audioId"] ?? g["videoId"]).includes(idle)),
    ).toEqual([{ audioId: id, started: expect.any(String) as unknown, elapsed: "00:00" }]);
    expect(body.available.find((a) => a.account === idle)).toMatchObject({
      executing: 0,
      executingAudio: 1,
    });
    const music = await post("generations", JSON.stringify({ ...command, type: "music" }));
    expect(music.status).toBe(400);
    expect((JSON.parse(music.body) as { error: string }).error).toBe(
      'type must be "video", "image" or "audio"',
    );
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
  let sim: Simulator;

  beforeEach(async () => {
    ({ sim } = await startTestSimulator({ seed: 3, accounts: 20, idleAccounts: 2 }));
    return () => sim.close();
  });

  it("switches an endpoint's mode over HTTP and refuses an unknown endpoint", async () => {
    const answer = await postControl(sim, "mode", { mode: "malformed_json", endpoint: "accounts" });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ mode: "malformed_json", endpoint: "accounts" });
    const broken = await call(`${sim.url}/v1/minimax/accounts`, { headers: AUTH });
    expect(broken.status).toBe(200);
    expect(() => JSON.parse(broken.body) as unknown).toThrow(SyntaxError);
    expect((await call(`${sim.url}/v1/minimax/agent/jobs`, { headers: AUTH })).status).toBe(200);
    const bad = await postControl(sim, "mode", { mode: "ok", endpoint: "everything" });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatch(/endpoint must be one of/);
  });
});
