import { afterEach, describe, expect, it } from "vitest";
import { JWT_SECRET_MARKER } from "../../src/simulator/activity.js";
import { PROMPT_MARKER } from "../../src/simulator/server.js";
import { get, ownSamples, requestDeadline, scrape, startStack, type Stack } from "../harness.js";
import { within } from "../deadline.js";
import { HeldTimers } from "../simulator-fixtures.js";
import { VirtualClock } from "../virtual-clock.js";

const START = Date.parse("2026-01-01T00:00:00Z");
const STEP_MS = 5_000;
/** Jobs running at START with seed 11, 8 accounts and none idle. */
const SEED_11_RUNNING = 5;
/** Jobs running at START in the harness's simulator (4 accounts, 1 idle) with seed 5. */
const SEED_5_RUNNING = 5;
/** The status lookups' retry delay: min(--poll.interval (the harness's 1 h), 10 s). */
const RETRY_MS = 10_000;

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

/** The finished-jobs counter of each account with status `status`, as scraped. */
function finishedBy(values: Map<string, number>, status: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, value] of values) {
    const match =
      /^useapi_minimax_agent_jobs_finished_total\{account="([^"]+)",status="(\w+)"\}$/.exec(key);
    if (match?.[2] === status && value !== 0) out.set(match[1] ?? "", value);
  }
  return out;
}

/** Executing jobs summed over the accounts, as scraped. */
function executing(values: Map<string, number>): number {
  return [...values]
    .filter(([key]) => key.startsWith("useapi_minimax_agent_jobs_executing{"))
    .reduce((sum, [, value]) => sum + value, 0);
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const item of items) out.set(key(item), (out.get(key(item)) ?? 0) + 1);
  return out;
}

describe("job lifecycle against the simulator's ground truth", () => {
  it("counts started, finished and failed jobs exactly and durations within one poll interval", async () => {
    let simNow = START;
    stack = await startStack({
      flags: [
        "--jobs.resolve-status=true",
        "--jobs.lookup-concurrency=3",
        "--jobs.lookup-rate=100",
      ],
      simulator: { now: () => simNow, seed: 11, accounts: 6, idleAccounts: 1, jobLookupDelayMs: 5 },
    });
    const { exporter, simulator } = stack;
    expect(await exporter.runner("jobs").pollOnce()).toBe("success");
    const t0 = simNow;
    for (let i = 0; i < 360; i++) {
      simNow += STEP_MS; // half an hour of simulated activity, one poll every 5 s
      expect(await exporter.runner("jobs").pollOnce()).toBe("success");
    }
    await exporter.idle();
    await exporter.runner("jobs").pollOnce(); // renders the statuses resolved since the last poll
    const values = ownSamples(await scrape(stack));

    const started = simulator.activity.startedJobs().filter((j) => j.startMs > t0);
    const ended = simulator.activity.history().filter((j) => j.endMs > t0 && j.endMs <= simNow);
    expect(started.length).toBeGreaterThan(50);
    expect(ended.some((j) => j.status === "failed")).toBe(true);

    for (const [account, count] of countBy(started, (j) => j.account)) {
      expect(values.get(`useapi_minimax_agent_jobs_started_total{account="${account}"}`)).toBe(
        count,
      );
    }
    for (const [key, count] of countBy(ended, (j) => `${j.account}|${j.status}`)) {
      const [account, status] = key.split("|");
      expect(
        values.get(
          `useapi_minimax_agent_jobs_finished_total{account="${account}",status="${status}"}`,
        ),
      ).toBe(count);
    }
    const unknown = [...values].filter(([k, v]) => k.includes('status="unknown"') && v > 0);
    expect(unknown).toEqual([]);

    const byAccount = new Map<string, typeof ended>();
    for (const job of ended)
      byAccount.set(job.account, [...(byAccount.get(job.account) ?? []), job]);
    for (const [account, jobs] of byAccount) {
      const truth = jobs.reduce((sum, j) => sum + (j.endMs - j.startMs) / 1000, 0);
      const count = values.get(
        `useapi_minimax_agent_job_duration_seconds_count{account="${account}"}`,
      );
      const sum =
        values.get(`useapi_minimax_agent_job_duration_seconds_sum{account="${account}"}`) ?? NaN;
      expect(count).toBe(jobs.length);
      // Each job's last seen elapsed is at most one poll interval (plus the whole-second floor) short.
      expect(sum).toBeLessThanOrEqual(truth);
      expect(truth - sum).toBeLessThanOrEqual(jobs.length * (STEP_MS / 1000 + 1));
    }

    const lookups = simulator.stats;
    expect(lookups.jobLookups).toBe(ended.length);
    expect(
      values.get('useapi_minimax_source_requests_total{source="job_status",outcome="success"}'),
    ).toBe(ended.length);
  });

  it("runs no more status lookups at once than the configured concurrency", async () => {
    let simNow = START;
    const clock = new VirtualClock();
    const held = new HeldTimers();
    stack = await startStack({
      flags: [
        "--jobs.resolve-status=true",
        "--jobs.lookup-concurrency=3",
        "--jobs.lookup-rate=100",
      ],
      // The rate cap's 10 ms pauses on the virtual clock; each lookup held until released.
      deps: { timers: clock, monotonic: clock.now },
      simulator: {
        now: () => simNow,
        seed: 11,
        accounts: 8,
        idleAccounts: 0,
        jobLookupDelayMs: 100,
        schedule: held.schedule,
      },
    });
    await stack.exporter.runner("jobs").pollOnce();
    const running = stack.simulator.activity.running().length;
    expect(running).toBe(SEED_11_RUNNING);
    simNow += 20 * 60_000; // every job running now has ended by the expiry
    await stack.exporter.runner("jobs").pollOnce();
    const pause = (timer: { ms: number }) => timer.ms <= 10;
    for (let left = running; left > 0; left -= 3) {
      const batch = Math.min(3, left);
      await clock.fireUntil(held.waitForHeld(batch), `${batch} lookups held upstream`, pause);
      expect(stack.simulator.stats.jobLookupsInFlight).toBe(batch);
      // Three in flight: the resolver waits for one to end and schedules no start meanwhile.
      expect(clock.pending().filter(pause)).toEqual([]);
      held.fireAll();
    }
    await within(stack.exporter.idle(), "the status lookups to settle");
    expect(stack.simulator.stats.jobLookups).toBe(running);
    expect(stack.simulator.stats.maxJobLookupsInFlight).toBe(3);
  });

  it("does not count a failed poll as the disappearance of every job", async () => {
    let simNow = START;
    stack = await startStack({
      flags: ["--jobs.resolve-status=false"],
      simulator: { now: () => simNow, seed: 5 },
    });
    await stack.exporter.runner("jobs").pollOnce();
    const running = stack.simulator.activity.running().length;
    expect(running).toBe(SEED_5_RUNNING);
    expect(executing(ownSamples(await scrape(stack)))).toBe(running);
    stack.simulator.setMode("server_error");
    simNow += 1_000;
    expect(await stack.exporter.runner("jobs").pollOnce()).toBe("server_error");
    stack.simulator.setMode("ok");
    expect(await stack.exporter.runner("jobs").pollOnce()).toBe("success");
    const values = ownSamples(await scrape(stack));
    const finished = [...values].filter(([k]) =>
      k.startsWith("useapi_minimax_agent_jobs_finished_total"),
    );
    expect(finished.reduce((sum, [, v]) => sum + v, 0)).toBe(0);
  });

  it("counts finished jobs as unknown, without any lookup, when status resolution is off", async () => {
    let simNow = START;
    stack = await startStack({
      flags: ["--jobs.resolve-status=false"],
      simulator: { now: () => simNow, seed: 5 },
    });
    await stack.exporter.runner("jobs").pollOnce();
    // Seen at the first poll and ended by the second: jobs that start later are still running.
    const seen = stack.simulator.activity.running();
    expect(seen.length).toBe(SEED_5_RUNNING);
    simNow += 20 * 60_000; // every running job has ended by the expiry
    await stack.exporter.runner("jobs").pollOnce();
    const values = ownSamples(await scrape(stack));
    expect(finishedBy(values, "unknown")).toEqual(countBy(seen, (j) => j.account));
    expect(finishedBy(values, "completed")).toEqual(new Map());
    expect(finishedBy(values, "failed")).toEqual(new Map());
    expect(stack.simulator.stats.jobLookups).toBe(0);
  });

  it("gives a job up as unknown after three failed lookups, 10 s apart", async () => {
    let simNow = START;
    const clock = new VirtualClock();
    stack = await startStack({
      flags: ["--jobs.resolve-status=true", "--poll.stale-after=5h", "--jobs.lookup-rate=100"],
      // The rate cap's and the retries' timers, both on the virtual clock.
      deps: { timers: clock, monotonic: clock.now },
      simulator: { now: () => simNow, seed: 5 },
    });
    await stack.exporter.runner("jobs").pollOnce();
    const seen = stack.simulator.activity.running();
    expect(seen.length).toBe(SEED_5_RUNNING);
    stack.simulator.setMode("server_error", {}, "job");
    simNow += 20 * 60_000;
    await stack.exporter.runner("jobs").pollOnce();
    // The retry waits min(--poll.interval, 10 s), the rate cap 10 ms; the poll's 1 h and deadlines stay.
    const lookupTimer = (timer: { ms: number }) => timer.ms <= RETRY_MS && !requestDeadline(timer);
    await clock.fireUntil(stack.exporter.idle(), "every lookup to be given up", lookupTimer);
    await stack.exporter.runner("jobs").pollOnce();
    const values = ownSamples(await scrape(stack));
    expect(finishedBy(values, "unknown")).toEqual(countBy(seen, (j) => j.account));
    expect(stack.simulator.stats.jobLookups).toBe(3 * seen.length);
    const retries = clock.scheduledTimers.filter((timer) => timer.ms === RETRY_MS);
    expect(retries.length).toBe(2 * seen.length);
    expect(values.get('useapi_minimax_source_up{source="job_status"}')).toBe(0);
    expect(values.get('useapi_minimax_source_up{source="jobs"}')).toBe(1);
  });
});

describe("the accounts endpoint", () => {
  it("exports max jobs, session expiry, error flags and capabilities, and nothing of the jwt", async () => {
    stack = await startStack({
      flags: ["--accounts.interval=1h", "--jobs.resolve-status=true"],
      simulator: { seed: 3, accounts: 3 },
    });
    const account = stack.simulator.activity.accounts[0] ?? "";
    stack.simulator.activity.setAccountError(account, "Session expired");
    await stack.exporter.runner("accounts").pollOnce();
    await stack.exporter.runner("jobs").pollOnce();
    const text = await scrape(stack);
    const values = ownSamples(text);
    const profile = stack.simulator.activity.accountProfile(account);
    expect(values.get(`useapi_minimax_account_max_jobs{account="${account}"}`)).toBe(
      stack.simulator.activity.maxJobs(account),
    );
    expect(
      values.get(`useapi_minimax_account_session_expiry_timestamp_seconds{account="${account}"}`),
    ).toBeCloseTo(profile.jwtExpMs / 1000, 3);
    expect(values.get(`useapi_minimax_account_error{account="${account}"}`)).toBe(1);
    expect(
      values.get(
        `useapi_minimax_account_error{account="${stack.simulator.activity.accounts[1] ?? ""}"}`,
      ),
    ).toBe(0);
    expect(text).toMatch(
      new RegExp(`useapi_minimax_account_info\\{account="${account}",video="true",`),
    );
    expect(values.get('useapi_minimax_source_up{source="accounts"}')).toBe(1);

    stack.simulator.setMode("server_error", {}, "accounts");
    await stack.exporter.runner("accounts").pollOnce();
    const after = ownSamples(await scrape(stack));
    expect(after.get('useapi_minimax_source_up{source="accounts"}')).toBe(0);
    expect(after.get("useapi_minimax_up")).toBe(1);
    expect(after.get(`useapi_minimax_account_max_jobs{account="${account}"}`)).toBe(
      stack.simulator.activity.maxJobs(account),
    );

    const base = stack.exporter.url;
    const bodies = await Promise.all(["/metrics", "/", "/-/ready"].map((p) => get(base + p)));
    for (const text of [...stack.logs, ...bodies.map((b) => b.body)]) {
      expect(text).not.toContain(JWT_SECRET_MARKER);
      expect(text).not.toContain(PROMPT_MARKER);
    }
  });
});
