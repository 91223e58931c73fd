import { describe, expect, it } from "vitest";
import {
  HISTORY_LIMIT,
  JOB_EXPIRY_MS,
  JOB_RETENTION_MS,
  TIMEOUT_ERROR,
  createActivity,
  formatElapsed,
  generatePayload,
  type Activity,
  type JobsBody,
  type SimulatedJob,
} from "../../src/simulator/activity.js";
import { Recent } from "../../src/simulator/recent.js";
import { HOUR_MS, JOB_ID, START_MS } from "../simulator-fixtures.js";

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
      // The model's running jobs by account: an account with none is not listed.
      const running = new Map<string, number>();
      for (const job of activity.running())
        running.set(job.account, (running.get(job.account) ?? 0) + 1);
      expect(new Map(Object.entries(body.executing).map(([a, jobs]) => [a, jobs.length]))).toEqual(
        running,
      );
      for (const [account, jobs] of Object.entries(body.executing)) {
        expect(body.summary[account]?.executing).toBe(jobs.length);
      }
      if (Object.keys(body.summary).length > 0) busyPayloads++;
    });
    expect(busyPayloads).toBeGreaterThan(300);
  });

  it("starts with jobs already running at the start time", () => {
    const activity = createActivity(options);
    const body = activity.payload(START_MS);
    const elapsed = Object.values(body.executing).flatMap((jobs) => jobs.map((j) => j.elapsed));
    expect(elapsed.length).toBe(activity.running().length);
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
    expect(atCapacity).toBe(4668); // of seed 7's hour
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
    const unended = started.filter((job) => job.endMs > START_MS + HOUR_MS);
    expect(new Set(running.map((job) => job.jobId))).toEqual(new Set(unended.map((j) => j.jobId)));
    expect(running.length).toBe(16); // of seed 42's hour
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
