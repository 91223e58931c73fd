import { afterEach, describe, expect, it } from "vitest";
import { createUpstreamClient, type UpstreamClient } from "../../src/upstream/client.js";
import type { FinalStatus } from "../../src/sources/job-status/answer.js";
import type { FinishedJob } from "../../src/sources/jobs/job-tracker.js";
import { createLogger } from "../../src/logging/logger.js";
import { startSimulator, type Simulator } from "../../src/simulator/server.js";
import { createStatusResolver } from "../../src/sources/job-status/resolver.js";
import { fixedToken } from "../../src/upstream/token.js";
import { ownSamples, scrape, startStack, type Stack } from "../harness.js";

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
    userAgent: "test",
  });
  const resolved: [string, FinalStatus][] = [];
  const resolver = createStatusResolver({
    client,
    logger: createLogger({ level: "error", format: "json", destination: { write: () => true } }),
    concurrency: 1,
    ratePerSecond: 0.5, // one lookup, then a 2 s wait: the rest stays queued during the test
    maxAttempts: 3,
    retryDelayMs,
    maxQueued,
    onResolved: (job, status) => resolved.push([job.jobId, status]),
    onLookup: () => undefined,
  });
  return { resolver, resolved };
}

const finished = (count: number): FinishedJob[] =>
  Array.from({ length: count }, (_, i) => ({
    jobId: `job-${i}`,
    account: "1",
    lastElapsedSeconds: 30,
  }));

describe("status resolver", () => {
  it("counts the jobs beyond the queue bound as unknown at once, in order", async () => {
    const { resolver, resolved } = await resolverAgainstSimulator(3);
    resolver.enqueue(finished(10));
    // job-0 is being looked up, job-1..3 wait: the six others cannot wait.
    expect(resolved).toEqual(
      [4, 5, 6, 7, 8, 9].map((i) => [`job-${i}`, "unknown"] as [string, FinalStatus]),
    );
    expect(resolver.pending).toBe(4);
    await resolver.stop();
  });

  it("queues a retry even when the queue is full: the bound is on new jobs", async () => {
    const { resolver, resolved } = await resolverAgainstSimulator(1, 50);
    resolver.enqueue(finished(2)); // job-0 looked up (unknown upstream: retried), job-1 waits
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(resolved).toEqual([]); // job-0's retry was queued behind job-1, not counted unknown
    expect(resolver.pending).toBe(2);
    await resolver.stop();
  });

  it("drops what is still queued on stop, so idle() resolves", async () => {
    const { resolver } = await resolverAgainstSimulator(100);
    resolver.enqueue(finished(5));
    expect(resolver.pending).toBe(5);
    await resolver.stop();
    expect(resolver.pending).toBe(0);
    await expect(resolver.idle()).resolves.toBeUndefined();
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
    expect(await exporter.poller.pollOnce()).toBe("success");
    simulator.setPayload({ accounts: ["1"], summary: { "1": { executing: 0 } }, executing: {} });
    expect(await exporter.poller.pollOnce()).toBe("success");
    expect(await exporter.poller.pollOnce()).toBe("success"); // renders what was resolved
    const values = ownSamples(await scrape(stack));
    // One lookup is under way and 600 wait: the other 99 were counted at once.
    expect(
      values.get('useapi_minimax_agent_jobs_finished_total{account="1",status="unknown"}'),
    ).toBe(99);
    expect(exporter.statusResolver?.pending).toBe(601);
  });
});
