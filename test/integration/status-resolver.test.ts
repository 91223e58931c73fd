import { afterEach, describe, expect, it } from "vitest";
import { ownLabel } from "../../src/metrics/label-value.js";
import { createUpstreamClient, type UpstreamClient } from "../../src/upstream/client.js";
import type { FinalStatus, FinishedJob } from "../../src/sources/common/finished-jobs.js";
import { createLogger } from "../../src/logging/logger.js";
import { startSimulator, type Simulator } from "../../src/simulator/server.js";
import {
  createStatusResolver,
  type StatusResolver,
} from "../../src/sources/job-status/resolver.js";
import { fixedToken } from "../../src/upstream/token.js";
import { ownSamples, scrape, startStack, type Stack } from "../harness.js";
import { VirtualClock } from "../virtual-clock.js";

const TOKEN = "user:77-status-resolver-test-token";

let simulator: Simulator | undefined;
let client: UpstreamClient | undefined;
afterEach(async () => {
  await client?.close();
  await simulator?.close();
  client = undefined;
  simulator = undefined;
});

async function resolverAgainstSimulator(maxQueued: number, retryDelayMs = 60_000) {
  simulator = await startSimulator({ token: TOKEN, accounts: 2 });
  client = createUpstreamClient({
    baseUrl: simulator.url,
    token: fixedToken(TOKEN),
    timeoutMs: 5_000,
    maxResponseBytes: 1 << 20,
    maxAccounts: 1_000,
    userAgent: "test",
  });
  const clock = new VirtualClock();
  const resolved: [string, FinalStatus][] = [];
  const settle = (job: FinishedJob, status: FinalStatus) => void resolved.push([job.jobId, status]);
  const real = createStatusResolver({
    client,
    logger: createLogger({ level: "error", format: "json", destination: { write: () => true } }),
    concurrency: 1,
    ratePerSecond: 0.5, // lookups 2 s apart, in virtual time: nothing waits on the wall clock
    maxAttempts: 3,
    retryDelayMs,
    maxQueued,
    onLookup: () => undefined,
    timers: clock,
    monotonic: clock.now,
  });
  const resolver = {
    enqueue: (jobs: readonly FinishedJob[]) => real.enqueue({ jobs, settle }),
    get pending() {
      return real.pending;
    },
    idle: () => real.idle(),
    stop: () => real.stop(),
  };
  const sim = simulator;
  return { resolver, resolved, clock, lookups: () => sim.stats.jobLookups };
}

/**
 * Waits for the microtasks that end a lookup (its bookkeeping runs in a .finally after it has
 * scheduled its retry): no I/O is involved, so one turn of the event loop is always enough.
 */
const lookupSettled = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Fires the resolver's timers, earliest first, until nothing is pending; the virtual time then. */
function runUntilIdle(
  clock: VirtualClock,
  resolver: Pick<StatusResolver, "idle">,
): Promise<number> {
  return clock.fireUntil(resolver.idle(), "the resolver to settle every job");
}

const finished = (count: number): FinishedJob[] =>
  Array.from({ length: count }, (_, i) => ({
    jobId: `job-${i}`,
    account: ownLabel("1"),
    lastElapsedSeconds: 30,
  }));

describe("status resolver", () => {
  it("counts the jobs beyond the queue bound as unknown at once, in order", async () => {
    const { resolver, resolved, clock, lookups } = await resolverAgainstSimulator(3);
    resolver.enqueue(finished(10));
    // job-0 is being looked up, job-1..3 wait: the six others cannot wait.
    expect(resolved).toEqual(
      [4, 5, 6, 7, 8, 9].map((i) => [`job-${i}`, "unknown"] as [string, FinalStatus]),
    );
    expect(resolver.pending).toBe(4);
    // job-0's answer (not final) schedules its retry; the rate cap holds job-1 for 2 s.
    await clock.scheduled((timer) => timer.ms === 60_000, "job-0's 60 s retry");
    await lookupSettled();
    expect(lookups()).toBe(1);
    expect(clock.pending().map((timer) => timer.ms)).toEqual([2_000, 60_000]);
    expect(resolver.pending).toBe(4);
    await resolver.stop();
    expect(clock.pending()).toEqual([]);
  });

  it("queues a retry even when the queue is full: the bound is on new jobs", async () => {
    const { resolver, resolved, clock, lookups } = await resolverAgainstSimulator(1, 50);
    resolver.enqueue(finished(2)); // job-0 looked up (not final upstream: retried), job-1 waits
    const retry = await clock.scheduled((timer) => timer.ms === 50, "job-0's 50 ms retry");
    await lookupSettled();
    expect(lookups()).toBe(1);
    clock.fire(retry); // job-0 rejoins the queue behind job-1, which fills it
    expect(resolved).toEqual([]); // queued, not counted unknown
    expect(resolver.pending).toBe(2);
    // Both jobs get their three lookups, 2 s apart, and only then count as unknown.
    expect(await runUntilIdle(clock, resolver)).toBe(10_000);
    expect(lookups()).toBe(6);
    expect(resolved).toEqual([
      ["job-0", "unknown"],
      ["job-1", "unknown"],
    ]);
    await resolver.stop();
  });

  it("drops what is still queued on stop, so idle() resolves", async () => {
    const { resolver, resolved, clock } = await resolverAgainstSimulator(100);
    resolver.enqueue(finished(5));
    expect(resolver.pending).toBe(5);
    await resolver.stop();
    expect(resolver.pending).toBe(0);
    await expect(resolver.idle()).resolves.toBeUndefined();
    expect(clock.pending()).toEqual([]); // no retry or rate-cap timer outlives stop()
    expect(resolved).toEqual([]);
  });
});

describe("status lookups in the exporter", () => {
  let stack: Stack | undefined;
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  it("counts a finished job unknown at once when it would wait over 10 minutes of lookups", async () => {
    // At 1 lookup per second the queue holds 600 jobs; 700 finish at once.
    const running = Array.from({ length: 700 }, (_, i) => ({ jobId: `j${i}`, elapsed: "00:30" }));
    stack = await startStack({
      flags: ["--jobs.resolve-status=true", "--jobs.lookup-rate=1", "--jobs.lookup-concurrency=1"],
    });
    const { exporter, simulator } = stack;
    simulator.setPayload({
      accounts: ["1"],
      summary: { "1": { executing: 700 } },
      executing: { "1": running },
    });
    expect(await exporter.runner("jobs").pollOnce()).toBe("success");
    simulator.setPayload({ accounts: ["1"], summary: { "1": { executing: 0 } }, executing: {} });
    expect(await exporter.runner("jobs").pollOnce()).toBe("success");
    expect(await exporter.runner("jobs").pollOnce()).toBe("success"); // renders what was resolved
    const values = ownSamples(await scrape(stack));
    // One lookup is under way and 600 wait: the other 99 were counted at once.
    expect(
      values.get('useapi_minimax_agent_jobs_finished_total{account="1",status="unknown"}'),
    ).toBe(99);
  });
});
