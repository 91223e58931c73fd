import { describe, expect, it } from "vitest";
import { families } from "../family-blocks.js";
import fc from "fast-check";
import { Counter, Histogram, Registry } from "prom-client";
import { JOB_STATUSES } from "../../src/sources/common/finished-jobs.js";
import { createJobTracker } from "../../src/sources/jobs/job-tracker.js";
import {
  createLifecycleMetrics,
  DURATION_BUCKETS,
} from "../../src/sources/jobs/lifecycle-families.js";
import type { SnapshotJob } from "../../src/sources/jobs/snapshot.js";
import { familiesWriter, type FamilyWriters } from "../../src/metrics/rendering.js";
import { JOBS_FAMILIES } from "../../src/sources/jobs/families.js";

function jobs(...specs: [string, string, number?][]): SnapshotJob[] {
  return specs.map(([jobId, account, elapsedSeconds]) => ({ jobId, account, elapsedSeconds }));
}

describe("createJobTracker", () => {
  it("does not count the jobs already running in the first answer as started", () => {
    const tracker = createJobTracker({ maxTracked: 10 });
    const change = tracker.observe(jobs(["a", "1", 30], ["b", "2", 5]));
    expect(change.started.size).toBe(0);
    expect(change.finished).toEqual([]);
    expect(tracker.tracked).toBe(2);
  });

  it("counts new job IDs as started per account and missing ones as finished with their last elapsed", () => {
    const tracker = createJobTracker({ maxTracked: 10 });
    tracker.observe(jobs(["a", "1", 30], ["b", "2", 5]));
    const change = tracker.observe(jobs(["b", "2", 20], ["c", "1", 1], ["d", "1", 2], ["e", "2"]));
    expect([...change.started]).toEqual([
      ["1", 2],
      ["2", 1],
    ]);
    expect(change.finished).toEqual([{ jobId: "a", account: "1", lastElapsedSeconds: 30 }]);
  });

  it("reports an unparsable last elapsed as undefined", () => {
    const tracker = createJobTracker({ maxTracked: 10 });
    tracker.observe(jobs(["a", "1"]));
    expect(tracker.observe([]).finished).toEqual([
      { jobId: "a", account: "1", lastElapsedSeconds: undefined },
    ]);
  });

  it("frees the memory of jobs that left", () => {
    const tracker = createJobTracker({ maxTracked: 1000 });
    tracker.observe(
      jobs(...Array.from({ length: 500 }, (_, i): [string, string] => [`j${i}`, "1"])),
    );
    expect(tracker.tracked).toBe(500);
    tracker.observe(jobs(["x", "1"]));
    expect(tracker.tracked).toBe(1);
  });

  it("tracks at most maxTracked jobs and reports the rest as untracked", () => {
    const tracker = createJobTracker({ maxTracked: 2 });
    const change = tracker.observe(jobs(["a", "1"], ["b", "1"], ["c", "1"]));
    expect(change.untracked).toBe(1);
    expect(tracker.tracked).toBe(2);
  });

  it("counts a job that comes back after leaving as started again", () => {
    const tracker = createJobTracker({ maxTracked: 10 });
    tracker.observe(jobs(["a", "1", 1]));
    tracker.observe([]);
    expect([...tracker.observe(jobs(["a", "1", 1])).started]).toEqual([["1", 1]]);
  });
});

/** The families' text, as the exposition writes it. */
function familiesText(writers: FamilyWriters): string {
  let text = "";
  const written = JOBS_FAMILIES.flatMap((meta) => {
    const write = writers[meta.name];
    return write ? [{ meta, write }] : [];
  });
  familiesWriter(written)({ write: (chunk) => (text += chunk) });
  return text;
}

describe("createLifecycleMetrics", () => {
  it("starts a new account's counters at 0 and drops every lifecycle series of an account that left", () => {
    const metrics = createLifecycleMetrics();
    metrics.setAccounts(["a", "b"]);
    metrics.recordLeft({ jobId: "j", account: "a", lastElapsedSeconds: 42 });
    metrics.recordFinished({ jobId: "j", account: "a", lastElapsedSeconds: 42 }, "completed");
    const before = familiesText(metrics.writers);
    expect(before).toContain('useapi_minimax_agent_jobs_started_total{account="b"} 0');
    expect(before).toContain(
      'useapi_minimax_agent_jobs_finished_total{account="a",status="completed"} 1',
    );
    expect(before).toContain('useapi_minimax_agent_job_duration_seconds_count{account="a"} 1');

    metrics.setAccounts(["b", "c"]);
    const after = familiesText(metrics.writers);
    expect(after).not.toContain('account="a"');
    expect(after).toContain('useapi_minimax_agent_jobs_started_total{account="c"} 0');
    expect(after).toContain(
      'useapi_minimax_agent_jobs_finished_total{account="b",status="failed"} 0',
    );
  });

  it("exports a departed account's last finished jobs only, and all its counters when it returns", () => {
    const metrics = createLifecycleMetrics();
    const job = { jobId: "j", account: "a", lastElapsedSeconds: 30 };
    metrics.setAccounts(["a"]);
    metrics.setAccounts([]); // a left in this answer, and its last job with it
    metrics.recordLeft(job);
    metrics.recordFinished(job, "failed");
    const departed = familiesText(metrics.writers);
    expect(departed).not.toContain("useapi_minimax_agent_jobs_started_total{");
    expect(departed).toContain('{account="a",status="failed"} 1');
    expect(departed).not.toContain('{account="a",status="completed"}');
    expect(departed).toContain(
      'useapi_minimax_agent_job_duration_seconds_bucket{le="30",account="a"} 1',
    );

    metrics.setAccounts(["a"]);
    const back = familiesText(metrics.writers);
    expect(back).toContain('useapi_minimax_agent_jobs_started_total{account="a"} 0');
    expect(back).toContain('{account="a",status="completed"} 0');
    expect(back).toContain('{account="a",status="failed"} 1');
  });

  it("writes what prom-client writes for the same operations (families in order, series in any order)", async () => {
    const account = fc.oneof(fc.constantFrom("1", "2", "3"), fc.string({ maxLength: 4 }));
    const op = fc.oneof(
      fc.record({ kind: fc.constant("accounts" as const), accounts: fc.uniqueArray(account) }),
      fc.record({ kind: fc.constant("started" as const), account, count: fc.nat(5) }),
      fc.record({
        kind: fc.constant("left" as const),
        account,
        seconds: fc.option(fc.oneof(fc.nat(2000), fc.double({ min: 0, max: 2000, noNaN: true })), {
          nil: undefined,
        }),
      }),
      fc.record({
        kind: fc.constant("finished" as const),
        account,
        status: fc.constantFrom(...JOB_STATUSES),
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 30 }), async (ops) => {
        const ours = createLifecycleMetrics();
        const reference = referenceLifecycle();
        for (const o of ops) {
          const job = {
            jobId: "j",
            account: "account" in o ? o.account : "",
            lastElapsedSeconds: 0,
          };
          if (o.kind !== "accounts") reference.touched.add(o.account);
          if (o.kind === "accounts") {
            ours.setAccounts(o.accounts);
            reference.setAccounts(o.accounts);
          } else if (o.kind === "started") {
            ours.recordStarted(new Map([[o.account, o.count]]));
            reference.started.inc({ account: o.account }, o.count);
          } else if (o.kind === "left") {
            ours.recordLeft({ ...job, lastElapsedSeconds: o.seconds });
            if (o.seconds !== undefined)
              reference.duration.observe({ account: o.account }, o.seconds);
          } else {
            ours.recordFinished(job, o.status);
            reference.finished.inc({ account: o.account, status: o.status });
          }
        }
        expect(families(familiesText(ours.writers))).toEqual(
          families(await reference.registry.metrics()),
        );
      }),
    );
  });
});

/** prom-client doing what createLifecycleMetrics does, as the reference for its text. */
function referenceLifecycle() {
  const registry = new Registry();
  const registers = [registry];
  const started = new Counter({
    name: "useapi_minimax_agent_jobs_started_total",
    help: "Agent jobs seen appearing in the running list between two successful polls.",
    labelNames: ["account"],
    registers,
  });
  const finished = new Counter({
    name: "useapi_minimax_agent_jobs_finished_total",
    help: "Agent jobs that left the running list, by final status (completed, failed or unknown).",
    labelNames: ["account", "status"],
    registers,
  });
  const duration = new Histogram({
    name: "useapi_minimax_agent_job_duration_seconds",
    help: "Run time of finished agent jobs: the elapsed time last seen before they left the list.",
    labelNames: ["account"],
    buckets: DURATION_BUCKETS,
    registers,
  });
  const touched = new Set<string>(); // every account with a series since the last answer
  return {
    registry,
    touched,
    started,
    finished,
    duration,
    setAccounts(accounts: readonly string[]) {
      for (const account of touched) {
        if (accounts.includes(account)) continue;
        started.remove({ account });
        for (const status of JOB_STATUSES) finished.remove({ account, status });
        duration.remove({ account });
      }
      for (const account of accounts) {
        started.inc({ account }, 0);
        for (const status of JOB_STATUSES) finished.inc({ account, status }, 0);
      }
      touched.clear();
      for (const account of accounts) touched.add(account);
    },
  };
}
