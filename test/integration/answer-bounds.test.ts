import { gunzipSync } from "node:zlib";
import { MetricRegistry } from "../../src/metrics/registry.js";
import { afterEach, describe, expect, it } from "vitest";
import { createExposition } from "../../src/metrics/rendering.js";
import { createRegistry } from "../../src/metrics/registry.js";
import { createSourceHealth } from "../../src/sources/health.js";
import { toSnapshot } from "../../src/sources/jobs/snapshot.js";
import { parseJobsAnswer } from "../../src/sources/jobs/answer.js";
import { accountSamples, get, ownSamples, scrape, startStack, type Stack } from "../harness.js";
import { failingFamily, failingRendering } from "../failing-rendering.js";
import { logRecords, outcomeChanges, type LogRecord } from "../log-records.js";

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const ids = (n: number) => Array.from({ length: n }, (_, i) => String(10_000 + i));
const good = { accounts: ids(3), summary: { "10000": { executing: 1 } } };

function warnings(s: Stack): LogRecord[] {
  return logRecords(s.logs).filter((r) => r.level === "warn");
}

describe("answers beyond --useapi.max-accounts and --useapi.max-jobs", () => {
  it.each([
    ["accounts listed", { accounts: ids(21) }, "--useapi.max-accounts"],
    [
      "accounts in summary",
      { accounts: [], summary: Object.fromEntries(ids(21).map((a) => [a, { executing: 0 }])) },
      "--useapi.max-accounts",
    ],
    [
      "accounts in executing",
      { accounts: [], executing: Object.fromEntries(ids(21).map((a) => [a, []])) },
      "--useapi.max-accounts",
    ],
    [
      "running jobs",
      { accounts: ["1", "2"], executing: { "1": jobs(15, "a"), "2": jobs(15, "b") } },
      "--useapi.max-jobs",
    ],
  ])(
    "refuses too many %s as limit_exceeded: last good values kept, up 0, one log line naming the flag",
    async (_name, payload, flag) => {
      stack = await startStack({ flags: ["--useapi.max-accounts=20", "--useapi.max-jobs=20"] });
      stack.simulator.setPayload(good);
      expect(await stack.exporter.runner("jobs").pollOnce()).toBe("success");
      const before = await scrape(stack);
      const page = (await get(`${stack.exporter.url}/`)).body;

      stack.simulator.setPayload(payload);
      expect(await stack.exporter.runner("jobs").pollOnce()).toBe("limit_exceeded");
      expect(await stack.exporter.runner("jobs").pollOnce()).toBe("limit_exceeded");
      const during = await scrape(stack);
      const values = ownSamples(during);
      expect(values.get("useapi_minimax_up")).toBe(0);
      expect(
        values.get('useapi_minimax_source_requests_total{source="jobs",outcome="limit_exceeded"}'),
      ).toBe(2);
      expect(accountSamples(during)).toEqual(accountSamples(before));
      expect((await get(`${stack.exporter.url}/`)).body.split("<h2>Accounts</h2>")[1]).toBe(
        page.split("<h2>Accounts</h2>")[1],
      );
      const lines = warnings(stack);
      expect(lines).toHaveLength(1);
      expect(lines[0]?.detail).toContain(flag);
    },
  );

  it("accepts an answer exactly at both bounds", async () => {
    stack = await startStack({ flags: ["--useapi.max-accounts=20", "--useapi.max-jobs=20"] });
    stack.simulator.setPayload({ accounts: ids(20), executing: { "10000": jobs(20, "a") } });
    expect(await stack.exporter.runner("jobs").pollOnce()).toBe("success");
    expect(ownSamples(await scrape(stack)).get("useapi_minimax_accounts")).toBe(20);
  });

  it("bounds answers at 1,000 accounts and 10,000 running jobs by default", async () => {
    stack = await startStack({ flags: ["--useapi.max-response-bytes=4MiB"] });
    const busy = (n: number) => ({ accounts: ["1"], executing: { "1": jobs(n, "j") } });
    for (const [payload, outcome] of [
      [{ accounts: ids(1_000) }, "success"],
      [{ accounts: ids(1_001) }, "limit_exceeded"],
      [busy(10_000), "success"],
      [busy(10_001), "limit_exceeded"],
    ] as const) {
      stack.simulator.setPayload(payload);
      expect(await stack.exporter.runner("jobs").pollOnce()).toBe(outcome);
    }
  });

  it("refuses an accounts answer beyond --useapi.max-accounts on the accounts endpoint too", async () => {
    stack = await startStack({ flags: ["--useapi.max-accounts=3", "--accounts.interval=1h"] });
    stack.simulator.setMode("ok");
    expect(await stack.exporter.runner("accounts").pollOnce()).toBe("limit_exceeded");
    const values = ownSamples(await scrape(stack));
    expect(
      values.get(
        'useapi_minimax_source_requests_total{source="accounts",outcome="limit_exceeded"}',
      ),
    ).toBe(1);
    expect(values.get('useapi_minimax_source_up{source="accounts"}')).toBe(0);
  });

  it("checks the bound before it looks at the jobs, in the parser", () => {
    const body = { accounts: ids(2), executing: { "10000": [{ jobId: 5 }, { jobId: 6 }] } };
    expect(() => parseJobsAnswer(body, { maxAccounts: 1, maxJobs: 10 })).toThrow(/max-accounts/);
    expect(() => parseJobsAnswer(body, { maxAccounts: 10, maxJobs: 1 })).toThrow(/max-jobs/);
    expect(toSnapshot(parseJobsAnswer(good), 0).accounts).toHaveLength(3);
  });
});

function jobs(n: number, prefix: string) {
  return Array.from({ length: n }, (_, i) => ({ jobId: `${prefix}${i}`, elapsed: "00:01" }));
}

describe("a failed rendering", () => {
  it("never leaves up at 1: /metrics says up 0 and counts the failure until a rendering succeeds", async () => {
    const registry = createRegistry({
      buildInfo: { version: "t", nodejs: "v0" },
      defaultMetrics: false,
    });
    const health = createSourceHealth(registry, ["jobs"], "jobs");
    let fail = false;
    failingFamily(registry, () => fail);
    const exposition = createExposition(registry);
    health.record("jobs", "success", 0.1, 1_000);
    await exposition.refresh();
    expect(ownSamples(exposition.body().toString()).get("useapi_minimax_up")).toBe(1);

    fail = true;
    await expect(exposition.refresh()).rejects.toThrow("Invalid string length");
    const failed = ownSamples(exposition.body().toString());
    expect(failed.get("useapi_minimax_up")).toBe(0);
    expect(failed.get("useapi_minimax_rendering_failures_total")).toBe(1);
    expect(gunzipSync(exposition.gzipped()).toString()).toBe(exposition.body().toString());

    fail = false;
    await exposition.refresh();
    const after = ownSamples(exposition.body().toString());
    expect(after.get("useapi_minimax_up")).toBe(1);
    expect(after.get("useapi_minimax_rendering_failures_total")).toBe(1);
  });

  it("still counts and reports the poll, which is not lost as an aborted one", async () => {
    const failing = await failingRendering();
    const { poller, exposition, lines } = failing;
    try {
      expect(await poller.pollOnce()).toBe("success");
      expect(poller.status().lastOutcome).toBe("success");
      expect(ownSamples(exposition.body().toString()).get("useapi_minimax_up")).toBe(0);
      const records = logRecords(lines);
      expect(records.filter((r) => r.level === "error").map((r) => r["err"])).toEqual([
        expect.objectContaining({ type: "RangeError", message: "Invalid string length" }),
      ]);
      expect(outcomeChanges(records).map((r) => [r.level, r.outcome])).toEqual([
        ["info", "success"],
      ]);
    } finally {
      await failing.close();
    }
  });

  it("of a plain registry still reports the failure count", async () => {
    const registry = new MetricRegistry();
    failingFamily(registry, () => true);
    const exposition = createExposition(registry);
    await expect(exposition.refresh()).rejects.toThrow("Invalid string length");
    expect(exposition.body().toString()).toContain("useapi_minimax_rendering_failures_total 1\n");
  });
});

describe("the landing page under load", () => {
  it("shows at most 1,000 accounts and says how many more are not shown", async () => {
    stack = await startStack({
      flags: ["--useapi.max-response-bytes=4MiB", "--useapi.max-accounts=2000"],
    });
    stack.simulator.setPayload({ accounts: ids(1_500) });
    await stack.exporter.runner("jobs").pollOnce();
    const page = (await get(`${stack.exporter.url}/`)).body;
    expect([...page.matchAll(/<tr><td>\d+<\/td>/g)]).toHaveLength(1_000);
    expect(page).toContain("500 more accounts not shown");
  });
});
