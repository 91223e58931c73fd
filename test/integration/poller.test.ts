import { afterEach, describe, expect, it } from "vitest";
import {
  accountSamples,
  get,
  ownSamples,
  requestDeadline,
  scrape,
  startStack,
  type Stack,
} from "../harness.js";
import { OUTCOMES } from "../../src/upstream/outcome.js";
import { until, within } from "../deadline.js";
import { VirtualClock, type VirtualTimer } from "../virtual-clock.js";

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const INTERVAL = 15_000;
const NOW = Date.parse("2026-01-01T00:00:00Z");
const STALE_AFTER = 4 * INTERVAL + 1;
/** The poll loop's timer: every timer but the staleness window's and the requests' deadlines. */
const pollTimer = (timer: VirtualTimer) => timer.ms !== STALE_AFTER && !requestDeadline(timer);

/** The delays of the poll loop's timers, in the order it scheduled them. */
const pollDelays = (clock: VirtualClock): number[] =>
  clock.scheduledTimers.filter(pollTimer).map((timer) => timer.ms);

/** Two per-account gauges (executing, max elapsed) for every account of the simulator's answer. */
const accountGauges = (s: Stack): number => 2 * s.simulator.activity.accounts.length;

async function stackOn(
  clock: VirtualClock,
  mode?: Parameters<Stack["simulator"]["setMode"]>[0],
  flags: string[] = [],
): Promise<Stack> {
  return startStack({
    flags: [`--poll.interval=${INTERVAL}ms`, `--poll.stale-after=${STALE_AFTER}ms`, ...flags],
    deps: { timers: clock, now: () => NOW, random: () => 0.999_999 },
    before: mode ? (sim) => sim.setMode(mode) : undefined,
  });
}

describe("the poll loop", () => {
  it("polls once at startup and then once each time the interval's timer fires", async () => {
    const clock = new VirtualClock();
    stack = await stackOn(clock);
    for (let polls = 1; polls <= 6; polls++) {
      const next = await clock.scheduled(pollTimer, "the next poll's timer");
      expect(next.ms).toBe(INTERVAL);
      expect(stack.simulator.stats.jobsRequests).toBe(polls);
      if (polls < 6) clock.fire(next);
    }
    expect(stack.simulator.stats.maxInFlight).toBe(1);
  });

  it("backs off exponentially while failing and returns to the interval after a success", async () => {
    const clock = new VirtualClock();
    stack = await stackOn(clock, "server_error", [`--poll.max-backoff=${8 * INTERVAL}ms`]);
    for (let polls = 1; polls <= 6; polls++) {
      const next = await clock.scheduled(pollTimer, "the next poll's timer");
      if (polls === 4) stack.simulator.setMode("ok");
      clock.fire(next);
    }
    await clock.scheduled(pollTimer, "the next poll's timer");
    expect(pollDelays(clock)).toEqual([
      INTERVAL,
      2 * INTERVAL,
      4 * INTERVAL,
      8 * INTERVAL,
      INTERVAL,
      INTERVAL,
      INTERVAL,
    ]);
  });

  it("caps the backoff at --poll.max-backoff", async () => {
    const clock = new VirtualClock();
    stack = await stackOn(clock, "server_error", [`--poll.max-backoff=${3 * INTERVAL}ms`]);
    for (let polls = 1; polls <= 4; polls++)
      clock.fire(await clock.scheduled(pollTimer, "the next poll's timer"));
    await clock.scheduled(pollTimer, "the next poll's timer");
    expect(pollDelays(clock)).toEqual([
      INTERVAL,
      2 * INTERVAL,
      3 * INTERVAL,
      3 * INTERVAL,
      3 * INTERVAL,
    ]);
  });

  it("waits as long as the upstream's Retry-After asks, and polls only when that wait ends", async () => {
    const clock = new VirtualClock();
    stack = await startStack({
      flags: ["--poll.interval=2s", "--poll.max-backoff=2s"],
      deps: { timers: clock },
      before: (sim) => sim.setMode("rate_limited", { retryAfter: "3" }),
    });
    const next = await clock.scheduled((timer) => timer.ms === 3_000, "the 3 s Retry-After wait");
    expect(pollDelays(clock)).toEqual([3_000]);
    expect(stack.simulator.stats.jobsRequests).toBe(1);
    clock.fire(next);
    await clock.scheduled(
      (timer) => timer.id > next.id && timer.ms === 3_000,
      "the second 3 s Retry-After wait",
    );
    expect(stack.simulator.stats.jobsRequests).toBe(2);
  });

  it("never has two polls in flight: concurrent calls join the running one", async () => {
    const clock = new VirtualClock();
    stack = await startStack({
      deps: { timers: clock },
      before: (sim) => sim.setMode("hang"),
    });
    await until(
      () => stack?.simulator.stats.inFlight === 1,
      "the simulator to hold the first poll",
    );
    const poller = stack.exporter.runner("jobs");
    const calls = [1, 2, 3].map(() => poller.pollOnce());
    clock.fire(await clock.scheduled(requestDeadline, "the first poll's deadline"));
    const outcomes = await within(Promise.all(calls), "the polls to end once the deadline fired");
    expect(outcomes).toEqual(["timeout", "timeout", "timeout"]);
    expect(clock.scheduledTimers.filter(requestDeadline)).toHaveLength(1);
    expect(stack.simulator.stats.jobsRequests).toBe(1);
    expect(stack.simulator.stats.maxInFlight).toBe(1);
  });

  it("aborts the poll in flight when stopped and counts no outcome for it", async () => {
    const clock = new VirtualClock();
    stack = await startStack({
      flags: ["--poll.timeout=5s"],
      deps: { timers: clock },
      before: (sim) => sim.setMode("hang"),
    });
    await until(
      () => stack?.simulator.stats.inFlight === 1,
      "the simulator to hold the first poll",
    );
    const joined = stack.exporter.runner("jobs").pollOnce();
    await stack.exporter.runner("jobs").stop();
    expect(await joined).toBe("aborted");
    expect(clock.pending()).toEqual([]);
    const polls = [...ownSamples(await scrape(stack))].filter(([key]) =>
      key.startsWith('useapi_minimax_source_requests_total{source="jobs",'),
    );
    const none = OUTCOMES.map((o) => [
      `useapi_minimax_source_requests_total{source="jobs",outcome="${o}"}`,
      0,
    ]);
    expect(new Map(polls)).toEqual(new Map(none as [string, number][]));
  });

  it("drops per-account series after the staleness window but keeps up, counters and timestamps", async () => {
    const clock = new VirtualClock();
    stack = await stackOn(clock);
    const stale = await clock.scheduled(
      (timer) => timer.ms === STALE_AFTER,
      "the staleness window",
    );
    const fresh = await scrape(stack);
    expect(accountSamples(fresh).size).toBe(accountGauges(stack));

    stack.simulator.setMode("server_error");
    clock.fire(await clock.scheduled(pollTimer, "the next poll's timer"));
    await clock.scheduled(pollTimer, "the next poll's timer");
    expect(stack.exporter.runner("jobs").status().lastOutcome).toBe("server_error");
    expect(stack.exporter.runner("jobs").status().stale).toBe(false);
    clock.fire(stale);
    expect(stack.exporter.runner("jobs").status().stale).toBe(true);
    const running = stack;
    await until(
      async () => accountSamples(await scrape(running)).size === 0,
      "a scrape without the stale per-account series",
    );
    const values = ownSamples(await scrape(stack));
    expect(values.get("useapi_minimax_up")).toBe(0);
    expect(values.get("useapi_minimax_accounts")).toBe(stack.simulator.activity.accounts.length);
    expect(values.get('useapi_minimax_source_last_success_timestamp_seconds{source="jobs"}')).toBe(
      NOW / 1000,
    );
    expect(
      values.get('useapi_minimax_source_requests_total{source="jobs",outcome="server_error"}'),
    ).toBe(1);
    expect((await get(`${stack.exporter.url}/`)).body).toContain("stale");

    stack.simulator.setMode("ok");
    clock.fire(await clock.scheduled(pollTimer, "the next poll's timer"));
    await clock.scheduled((timer) => timer.ms === STALE_AFTER, "the staleness window");
    expect(stack.exporter.runner("jobs").status().stale).toBe(false);
    expect(accountSamples(await scrape(stack)).size).toBe(accountGauges(stack));
  });

  it("logs a line when the outcome changes, not one per failed poll", async () => {
    const clock = new VirtualClock();
    stack = await stackOn(clock, "server_error");
    for (let polls = 1; polls <= 5; polls++) {
      const next = await clock.scheduled(pollTimer, "the next poll's timer");
      if (polls === 5) stack.simulator.setMode("ok");
      clock.fire(next);
    }
    await clock.scheduled(pollTimer, "the next poll's timer");
    expect(stack.exporter.runner("jobs").status().lastOutcome).toBe("success");
    expect(stack.simulator.stats.jobsRequests).toBe(6);
    const records = stack.logs.map((l) => JSON.parse(l) as { level: string; outcome?: string });
    const changes = records.filter((r) => r.level !== "debug" && r.outcome !== undefined);
    expect(changes.map((r) => [r.level, r.outcome])).toEqual([
      ["warn", "server_error"],
      ["info", "success"],
    ]);
  });
});
