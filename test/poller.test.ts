import { afterEach, describe, expect, it } from "vitest";
import { accountSamples, get, ownSamples, scrape, startStack, type Stack } from "./harness.js";

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await sleep(10);
  }
}

/** The delays the poll loop scheduled, from its debug log lines. */
function scheduledDelays(logs: string[]): number[] {
  return logs
    .map((line) => JSON.parse(line) as { msg: string; delayMs?: number })
    .filter((r) => r.msg === "next poll scheduled")
    .map((r) => r.delayMs ?? NaN);
}

describe("the poll loop", () => {
  it("polls once at startup and then once per interval", async () => {
    stack = await startStack({ pollIntervalMs: 200, pollTimeoutMs: 100 });
    await until(() => stack?.simulator.stats.jobsRequests === 1);
    await sleep(1_050);
    const requests = stack.simulator.stats.jobsRequests;
    expect(requests).toBeGreaterThanOrEqual(5);
    expect(requests).toBeLessThanOrEqual(7);
    expect(stack.simulator.stats.maxInFlight).toBe(1);
  });

  it("backs off exponentially while failing and returns to the interval after a success", async () => {
    stack = await startStack(
      { pollIntervalMs: 100, pollTimeoutMs: 50, maxBackoffMs: 2_000 },
      { random: () => 0.999_999 },
      (sim) => sim.setMode("server_error"),
    );
    await until(() => (stack?.simulator.stats.jobsRequests ?? 0) >= 4);
    stack.simulator.setMode("ok");
    await until(() => scheduledDelays(stack?.logs ?? []).length >= 6);
    expect(scheduledDelays(stack.logs).slice(0, 6)).toEqual([100, 200, 400, 800, 100, 100]);
  });

  it("waits as long as the upstream's Retry-After asks", async () => {
    stack = await startStack(
      { pollIntervalMs: 100, pollTimeoutMs: 50, maxBackoffMs: 200 },
      {},
      (sim) => sim.setMode("rate_limited", { retryAfter: "3" }),
    );
    await until(() => scheduledDelays(stack?.logs ?? []).length >= 1);
    expect(scheduledDelays(stack.logs)[0]).toBe(3_000);
    await sleep(300);
    expect(stack.simulator.stats.jobsRequests).toBe(1);
  });

  it("never has two polls in flight: concurrent calls join the running one", async () => {
    stack = await startStack({ pollTimeoutMs: 300 }, {}, (sim) => sim.setMode("hang"));
    await until(() => stack?.simulator.stats.inFlight === 1);
    const poller = stack.exporter.poller;
    const calls = [1, 2, 3].map(() => poller.pollOnce());
    expect(await Promise.all(calls)).toEqual(["timeout", "timeout", "timeout"]);
    expect(stack.simulator.stats.jobsRequests).toBe(1);
    expect(stack.simulator.stats.maxInFlight).toBe(1);
  });

  it("aborts the poll in flight when stopped", async () => {
    stack = await startStack({ pollTimeoutMs: 5_000 }, {}, (sim) => sim.setMode("hang"));
    await until(() => stack?.simulator.stats.inFlight === 1);
    const started = Date.now();
    await stack.exporter.poller.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(
      ownSamples(await scrape(stack)).get('useapi_minimax_polls_total{outcome="timeout"}'),
    ).toBe(0);
  });

  it("drops per-account series after the staleness window but keeps up, counters and timestamps", async () => {
    stack = await startStack({ pollIntervalMs: 100, pollTimeoutMs: 50, staleAfterMs: 400 });
    await until(() => stack?.exporter.poller.status().lastSuccessAtMs !== undefined);
    const fresh = await scrape(stack);
    expect(accountSamples(fresh).size).toBeGreaterThan(0);
    stack.simulator.setMode("server_error");
    await until(() => stack?.exporter.poller.status().stale === true);
    const stale = await scrape(stack);
    const values = ownSamples(stale);
    expect(accountSamples(stale).size).toBe(0);
    expect(values.get("useapi_minimax_up")).toBe(0);
    expect(values.get("useapi_minimax_accounts")).toBeGreaterThan(0);
    expect(values.get("useapi_minimax_last_poll_success_timestamp_seconds")).toBeGreaterThan(0);
    expect(values.get('useapi_minimax_polls_total{outcome="server_error"}')).toBeGreaterThan(0);
    expect((await get(`${stack.exporter.url}/`)).body).toContain("stale");
    stack.simulator.setMode("ok");
    await until(() => stack?.exporter.poller.status().stale === false);
    expect(accountSamples(await scrape(stack)).size).toBe(accountSamples(fresh).size);
  });

  it("logs a line when the outcome changes, not one per failed poll", async () => {
    stack = await startStack(
      { pollIntervalMs: 100, pollTimeoutMs: 50, maxBackoffMs: 100 },
      {},
      (sim) => sim.setMode("server_error"),
    );
    await until(() => (stack?.simulator.stats.jobsRequests ?? 0) >= 5);
    stack.simulator.setMode("ok");
    await until(() => stack?.exporter.poller.status().lastOutcome === "success");
    const records = stack.logs.map((l) => JSON.parse(l) as { level: string; outcome?: string });
    const changes = records.filter((r) => r.level !== "debug" && r.outcome !== undefined);
    expect(changes.map((r) => [r.level, r.outcome])).toEqual([
      ["warn", "server_error"],
      ["info", "success"],
    ]);
  });
});
