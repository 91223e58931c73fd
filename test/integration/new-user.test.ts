import { afterEach, describe, expect, it } from "vitest";
import { get, startStack, TOKEN, type Stack } from "../harness.js";
import { VirtualClock } from "../virtual-clock.js";

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

type Record = { level: string; msg: string; [key: string]: unknown };
const records = (s: Stack) => s.logs.map((line) => JSON.parse(line) as Record);
const warnings = (s: Stack) => records(s).filter((r) => r.level === "warn");

describe("what a new user reads", () => {
  it("says 'no good values yet' when the very first poll fails, and 'the last good values' after a success", async () => {
    stack = await startStack();
    stack.simulator.setMode("server_error");
    expect(await stack.exporter.runner("jobs").pollOnce()).toBe("server_error");
    expect(warnings(stack).map((r) => r.msg)).toEqual([
      "polls of the jobs list fail; no good values yet",
    ]);
    stack.simulator.setMode("ok");
    expect(await stack.exporter.runner("jobs").pollOnce()).toBe("success");
    stack.simulator.setMode("server_error");
    await stack.exporter.runner("jobs").pollOnce();
    expect(warnings(stack).map((r) => r.msg)).toEqual([
      "polls of the jobs list fail; no good values yet",
      "polls of the jobs list fail; serving the last good values",
    ]);
  });

  it("says the same of the accounts endpoint", async () => {
    stack = await startStack({ flags: ["--accounts.interval=1h"] });
    stack.simulator.setMode("server_error", {}, "accounts");
    await stack.exporter.runner("accounts").pollOnce();
    expect(warnings(stack).map((r) => r.msg)).toContain(
      "polls of the accounts endpoint fail; no good values yet",
    );
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
    const line = records(stack).find((r) => r.msg.startsWith("exporter listening"));
    expect(line).toMatchObject({
      baseUrl: stack.simulator.url,
      pollIntervalSeconds: 3600,
      sources: ["jobs", "accounts", "job_status"],
    });
    expect(line?.msg).toContain(`polling ${stack.simulator.url} every 3600s`);
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
    const stale = records(stack).find((r) => r.msg.startsWith("no successful poll"));
    expect(stale).toMatchObject({
      staleAfterSeconds: 5400,
      lastSuccessAt: "2026-06-01T12:00:00.000Z",
    });
    expect(JSON.stringify(stale)).not.toContain(String(at));
  });
});
