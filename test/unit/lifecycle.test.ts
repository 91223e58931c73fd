import { MetricRegistry } from "../../src/metrics/registry.js";
import { ownLabel } from "../../src/metrics/label-value.js";
import { describe, expect, it } from "vitest";
import { JOB_STATUSES } from "../../src/sources/common/finished-jobs.js";
import { createIdDiff } from "../../src/sources/common/id-diff.js";
import { createLifecycle, type LifecycleSpec } from "../../src/sources/common/lifecycle.js";

interface Run {
  id: string;
  account: string;
  elapsedSeconds?: number | undefined;
}

const runs = (...specs: [string, string, number?][]): Run[] =>
  specs.map(([id, account, elapsedSeconds]) => ({ id, account, elapsedSeconds }));

describe("createIdDiff", () => {
  const diff = () => createIdDiff((run: Run) => run.id);

  it("does not count the runs already listed in the first answer as started", () => {
    expect(diff().observe(runs(["a", "1", 30], ["b", "2", 5]))).toEqual({
      started: [],
      finished: [],
    });
  });

  it("reports new IDs as started and missing ones as finished, as last seen", () => {
    const d = diff();
    d.observe(runs(["a", "1", 30], ["b", "2", 5]));
    expect(d.observe(runs(["b", "2", 20], ["c", "1", 1], ["e", "2"]))).toEqual({
      started: runs(["c", "1", 1], ["e", "2"]),
      finished: runs(["a", "1", 30]),
    });
    expect(d.observe([]).finished).toEqual(runs(["b", "2", 20], ["c", "1", 1], ["e", "2"]));
  });

  it("counts a run that comes back after leaving as started again", () => {
    const d = diff();
    d.observe(runs(["a", "1", 1]));
    d.observe([]);
    expect(d.observe(runs(["a", "1", 1])).started).toEqual(runs(["a", "1", 1]));
  });
});

/** The sample lines of a registry's families, `le` buckets and all, in /metrics order. */
async function lines(registry: MetricRegistry): Promise<string[]> {
  const text = await registry.metrics();
  return text.split("\n").filter((line) => line !== "" && !line.startsWith("#"));
}

const JOBS: LifecycleSpec = {
  labelNames: ["account"],
  started: { name: "started_total", help: "h" },
  finished: { name: "finished_total", help: "h", statuses: JOB_STATUSES },
  duration: { name: "duration_seconds", help: "h", buckets: [30, 60] },
};

describe("createLifecycle", () => {
  it("starts a new series at 0 and drops every series of one the answer no longer holds", async () => {
    const registry = new MetricRegistry();
    const lifecycle = createLifecycle(registry, JOBS);
    lifecycle.keep([{ account: ownLabel("a") }, { account: ownLabel("b") }]);
    lifecycle.ended({ account: ownLabel("a") }, 42);
    lifecycle.finished({ account: ownLabel("a") }, "completed");
    lifecycle.started({ account: ownLabel("b") }, 2);
    expect(await lines(registry)).toEqual([
      'started_total{account="a"} 0',
      'started_total{account="b"} 2',
      'finished_total{account="a",status="completed"} 1',
      'finished_total{account="a",status="failed"} 0',
      'finished_total{account="a",status="unknown"} 0',
      'finished_total{account="b",status="completed"} 0',
      'finished_total{account="b",status="failed"} 0',
      'finished_total{account="b",status="unknown"} 0',
      'duration_seconds_bucket{le="30",account="a"} 0',
      'duration_seconds_bucket{le="60",account="a"} 1',
      'duration_seconds_bucket{le="+Inf",account="a"} 1',
      'duration_seconds_sum{account="a"} 42',
      'duration_seconds_count{account="a"} 1',
    ]);
    lifecycle.keep([{ account: ownLabel("b") }]);
    expect((await lines(registry)).filter((line) => line.includes('"a"'))).toEqual([]);
  });

  it("holds a departed series' last runs until the next answer, and all its series when it returns", async () => {
    const registry = new MetricRegistry();
    const lifecycle = createLifecycle(registry, JOBS);
    lifecycle.keep([{ account: ownLabel("a") }]);
    lifecycle.keep([]); // a left in this answer, and its last run with it
    lifecycle.ended({ account: ownLabel("a") }, 30);
    lifecycle.finished({ account: ownLabel("a") }, "failed");
    expect(await lines(registry)).toEqual([
      'finished_total{account="a",status="failed"} 1',
      'duration_seconds_bucket{le="30",account="a"} 1',
      'duration_seconds_bucket{le="60",account="a"} 1',
      'duration_seconds_bucket{le="+Inf",account="a"} 1',
      'duration_seconds_sum{account="a"} 30',
      'duration_seconds_count{account="a"} 1',
    ]);
    lifecycle.keep([{ account: ownLabel("a") }]);
    expect((await lines(registry)).slice(0, 4)).toEqual([
      'started_total{account="a"} 0',
      'finished_total{account="a",status="failed"} 1',
      'finished_total{account="a",status="completed"} 0',
      'finished_total{account="a",status="unknown"} 0',
    ]);
    lifecycle.keep([]);
    expect(await lines(registry)).toEqual([]);
  });

  it("counts runs without a status by every label of the series, and observes no unread time", async () => {
    const registry = new MetricRegistry();
    const lifecycle = createLifecycle(registry, {
      labelNames: ["account", "type"],
      started: { name: "started_total", help: "h" },
      finished: { name: "finished_total", help: "h" },
      duration: { name: "duration_seconds", help: "h", buckets: [30] },
    });
    lifecycle.keep([
      { account: ownLabel("1"), type: ownLabel("video") },
      { account: ownLabel("1"), type: ownLabel("image") },
    ]);
    lifecycle.started({ account: ownLabel("1"), type: ownLabel("image") }, 1);
    lifecycle.finished({ account: ownLabel("1"), type: ownLabel("video") });
    lifecycle.ended({ account: ownLabel("1"), type: ownLabel("video") }, undefined);
    expect(await lines(registry)).toEqual([
      'started_total{account="1",type="video"} 0',
      'started_total{account="1",type="image"} 1',
      'finished_total{account="1",type="video"} 1',
      'finished_total{account="1",type="image"} 0',
    ]);
  });
});
