import { beforeEach, describe, expect, it } from "vitest";
import {
  JOB_EXPIRY_MS,
  createActivity,
  type EndedJob,
  type JobsBody,
} from "../../src/simulator/activity.js";
import type { JobBody } from "../../src/simulator/job-body.js";
import { PROMPT_MARKER, startSimulator, type Simulator } from "../../src/simulator/server.js";
import {
  AUTH,
  HOUR_MS,
  START_MS,
  TOKEN,
  call,
  jobUrl,
  postControl,
  startTestSimulator,
  waitFor,
  type HeldTimers,
  type TestClock,
} from "../simulator-fixtures.js";

describe("the simulator's job and accounts endpoints", () => {
  let sim: Simulator;
  let clock: TestClock;

  beforeEach(async () => {
    ({ sim, clock } = await startTestSimulator({ seed: 3, accounts: 20, idleAccounts: 2 }));
    return () => sim.close();
  });

  const lookUp = async (jobId: string): Promise<JobBody> => {
    const answer = await call(jobUrl(sim, jobId), { headers: AUTH });
    expect(answer.status).toBe(200);
    return JSON.parse(answer.body) as JobBody;
  };
  const listed = async (): Promise<JobsBody> =>
    JSON.parse(
      (await call(`${sim.url}/v1/minimax/agent/jobs`, { headers: AUTH })).body,
    ) as JobsBody;

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
    const done = sim.activity.startJob(idle, clock.ms, 135_000);
    const broken = sim.activity.startJob(idle, clock.ms, 40_000, "failed");
    clock.ms += 136_000;
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
    const answer = await call(jobUrl(sim, "p123456789-u99999-a67890-bot:minimax"), {
      headers: AUTH,
    });
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
      clock.ms = START_MS + step * 60_000;
      const current = await listedIds();
      const gone = [...previous].filter((id) => !current.has(id));
      const still = [...current].slice(0, 2);
      const answers = await Promise.all([...gone, ...still].map(lookUp));
      for (const answer of answers.slice(gone.length)) expect(answer.status).toBe("started");
      for (const answer of answers.slice(0, gone.length)) {
        left++;
        const truth = sim.activity.history().find((job) => job.jobId === answer.jobId);
        expect(truth?.endMs).toBeLessThanOrEqual(clock.ms);
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
    // The model's count: jobs listed at one of the steps and ended by the last one.
    const steps = Array.from({ length: 30 }, (_, step) => START_MS + step * 60_000);
    const leftTruth = sim.activity
      .startedJobs()
      .filter((job) => job.endMs <= clock.ms)
      .filter((job) => steps.some((at) => job.startMs <= at && at < job.endMs));
    expect(left).toBe(leftTruth.length);
    expect(expired).toBe(
      leftTruth.filter((job) => job.endMs - job.startMs === JOB_EXPIRY_MS).length,
    );
    expect({ left, expired }).toEqual({ left: 252, expired: 9 }); // the seed's half hour
  });

  it("serves the ended jobs at the history control path, as the model has them", async () => {
    clock.ms += HOUR_MS;
    const answer = await call(`${sim.url}/__simulator/history`);
    expect(answer.status).toBe(200);
    const { jobs } = JSON.parse(answer.body) as { jobs: EndedJob[] };
    expect(jobs.length).toBeGreaterThan(500);
    expect(jobs).toEqual(sim.activity.history());
    expect(jobs.at(-1)?.endMs).toBeLessThanOrEqual(clock.ms);
    const twin = createActivity({ seed: 3, accounts: 20, idleAccounts: 2, startMs: START_MS });
    twin.advanceTo(clock.ms);
    expect(twin.history()).toEqual(jobs);
    expect((await call(`${sim.url}/__simulator/history`, { method: "POST" })).status).toBe(405);
  });

  it("injects a failed job through the control path", async () => {
    const account = sim.activity.idleAccounts[0] ?? "";
    const answer = await postControl(sim, "jobs", {
      account,
      durationSeconds: 5,
      outcome: "failed",
    });
    expect(answer.status).toBe(201);
    const { jobId } = JSON.parse(answer.body) as { jobId: string };
    clock.ms += 5_000;
    expect((await lookUp(jobId)).status).toBe("failed");
    expect(
      (await postControl(sim, "jobs", { account, durationSeconds: 5, outcome: "lost" })).status,
    ).toBe(400);
  });
});

describe("the simulator's job lookup delay", () => {
  let sim: Simulator;
  let timers: HeldTimers;

  beforeEach(async () => {
    ({ sim, timers } = await startTestSimulator({ seed: 3, accounts: 4, jobLookupDelayMs: 80 }));
    return () => sim.close();
  });

  it("holds each job answer back, so concurrent lookups overlap and sequential ones do not", async () => {
    const jobId = encodeURIComponent(sim.activity.running()[0]?.jobId ?? "");
    const url = `${sim.url}/v1/minimax/agent/${jobId}`;
    const lookUp = async (): Promise<number> => (await call(url, { headers: AUTH })).status;
    const lookUpAlone = async (): Promise<void> => {
      const answer = lookUp();
      await timers.waitForHeld(1);
      expect(timers.delays).toEqual([80]);
      timers.fireAll();
      expect(await answer).toBe(200);
      await waitFor(() => sim.stats.jobLookupsInFlight === 0, "the simulator to end every lookup");
    };
    await lookUpAlone();
    await lookUpAlone();
    expect(sim.stats.maxJobLookupsInFlight).toBe(1);
    const answers = Promise.all([1, 2, 3].map(lookUp));
    await timers.waitForHeld(3);
    expect(timers.delays).toEqual([80, 80, 80]);
    timers.fireAll();
    expect(await answers).toEqual([200, 200, 200]);
    expect(sim.stats).toMatchObject({ jobLookups: 5, maxJobLookupsInFlight: 3 });
    await waitFor(() => sim.stats.jobLookupsInFlight === 0, "the simulator to end every lookup");
  });

  it("closes quickly while lookups are held back", async () => {
    const url = `${sim.url}/v1/minimax/agent/p1-u2-a3-bot:minimax`;
    const pending = call(url, { headers: AUTH }).catch((e: unknown) => e);
    await waitFor(() => sim.stats.jobLookupsInFlight === 1, "the simulator to hold the lookup");
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
