import { afterEach, describe, expect, it } from "vitest";
import { get, startStack, TOKEN, type Stack } from "../harness.js";
import { logRecords, outcomeChanges } from "../log-records.js";
import { VirtualClock } from "../virtual-clock.js";

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const records = (s: Stack) => logRecords(s.logs);
/** [level, outcome] of each line logged when the source's polls changed outcome. */
const changes = (s: Stack, source = "jobs") =>
  outcomeChanges(records(s), source).map((r) => [r.level, r.outcome]);

describe("what a new user reads", () => {
  // What each of these lines says is asserted in log-lines.test.ts.
  it("warns when the very first poll fails, and again when one fails after a success", async () => {
    stack = await startStack();
    stack.simulator.setMode("server_error");
    expect(await stack.exporter.runner("jobs").pollOnce()).toBe("server_error");
    expect(changes(stack)).toEqual([["warn", "server_error"]]);
    stack.simulator.setMode("ok");
    expect(await stack.exporter.runner("jobs").pollOnce()).toBe("success");
    stack.simulator.setMode("server_error");
    await stack.exporter.runner("jobs").pollOnce();
    expect(changes(stack)).toEqual([
      ["warn", "server_error"],
      ["info", "success"],
      ["warn", "server_error"],
    ]);
  });

  it("warns the same of the accounts endpoint", async () => {
    stack = await startStack({ flags: ["--accounts.interval=1h"] });
    stack.simulator.setMode("server_error", {}, "accounts");
    await stack.exporter.runner("accounts").pollOnce();
    expect(changes(stack, "accounts")).toEqual([["warn", "server_error"]]);
  });

  it("shows on the landing page that demo mode is on", async () => {
    stack = await startStack({ flags: ["--demo"] });
    const page = (await get(`${stack.exporter.url}/`)).body;
    expect(page).toContain("Demo mode:");
    expect(page).not.toContain("never");
  });

  it("names the base URL, the interval and the sources polled at startup, never the token", async () => {
    stack = await startStack({
      flags: ["--accounts.interval=1h", "--jobs.resolve-status=true"],
    });
    const line = records(stack).find((r) => r["sources"] !== undefined);
    expect(line).toMatchObject({
      level: "info",
      metrics: `${stack.exporter.url}/metrics`,
      baseUrl: stack.simulator.url,
      pollIntervalSeconds: 3600,
      sources: ["jobs", "accounts", "job_status"],
    });
    expect(stack.logs.join("")).not.toContain(TOKEN);
  });

  it("gives the staleness window in seconds and the last success as an ISO time", async () => {
    const at = Date.UTC(2026, 5, 1, 12, 0, 0);
    const clock = new VirtualClock();
    stack = await startStack({
      flags: ["--poll.stale-after=90m"],
      deps: { now: () => at, timers: clock },
    });
    expect(await stack.exporter.runner("jobs").pollOnce()).toBe("success");
    // The window is at least the 1 h interval; the virtual clock ends it without waiting.
    clock.fire(
      await clock.scheduled((timer) => timer.ms === 90 * 60_000, "the 90 min staleness window"),
    );
    const stale = records(stack).find((r) => r["staleAfterSeconds"] !== undefined);
    expect(stale).toMatchObject({
      level: "warn",
      source: "jobs",
      staleAfterSeconds: 5400,
      lastSuccessAt: "2026-06-01T12:00:00.000Z",
    });
    expect(JSON.stringify(stale)).not.toContain(String(at));
  });
});
