import { describe, expect, it } from "vitest";
import { Registry } from "prom-client";
import { createJobTracker } from "../src/lifecycle.js";
import { createLifecycleMetrics } from "../src/lifecycle-metrics.js";
import type { SnapshotJob } from "../src/snapshot.js";

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

describe("createLifecycleMetrics", () => {
  it("starts a new account's counters at 0 and drops every lifecycle series of an account that left", async () => {
    const registry = new Registry();
    const metrics = createLifecycleMetrics(registry);
    metrics.setAccounts(["a", "b"]);
    metrics.recordLeft({ jobId: "j", account: "a", lastElapsedSeconds: 42 });
    metrics.recordFinished({ jobId: "j", account: "a", lastElapsedSeconds: 42 }, "completed");
    const before = await registry.metrics();
    expect(before).toContain('useapi_minimax_agent_jobs_started_total{account="b"} 0');
    expect(before).toContain(
      'useapi_minimax_agent_jobs_finished_total{account="a",status="completed"} 1',
    );
    expect(before).toContain('useapi_minimax_agent_job_duration_seconds_count{account="a"} 1');

    metrics.setAccounts(["b", "c"]);
    const after = await registry.metrics();
    expect(after).not.toContain('account="a"');
    expect(after).toContain('useapi_minimax_agent_jobs_started_total{account="c"} 0');
    expect(after).toContain(
      'useapi_minimax_agent_jobs_finished_total{account="b",status="failed"} 0',
    );
  });
});
