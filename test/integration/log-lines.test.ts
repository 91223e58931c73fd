import { MetricRegistry } from "../../src/metrics/registry.js";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logging/logger.js";
import { createUsageSource } from "../../src/sources/usage/source.js";
import { failingRendering } from "../failing-rendering.js";
import { requestDeadline, startStack, type Stack, type StackOptions } from "../harness.js";
import { logRecords, type LogRecord } from "../log-records.js";
import { VirtualClock } from "../virtual-clock.js";

// The one place that asserts what the log lines say: every other test picks a line by its fields
// (level, source, outcome and the like), so that rewording a line changes this file only.

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

async function started(options: StackOptions = {}): Promise<Stack> {
  stack = await startStack(options);
  return stack;
}

const warnOf = (source: string) => (r: LogRecord) =>
  r.level === "warn" && r.source === source && r.outcome !== undefined;

interface Situation {
  /** Brings the situation about; resolves with the log lines and what the message names. */
  run: () => Promise<{ lines: readonly string[]; url?: string; upstream?: string }>;
  /** The lines of the situation, by their fields: one unless `count` says more. */
  pick: (record: LogRecord) => boolean;
  count?: number;
  /** What the line says, given the exporter's and the upstream's URL. */
  says: (urls: { url?: string; upstream?: string }) => string;
}

const SITUATIONS: Record<string, Situation> = {
  "the exporter has started": {
    run: async () => {
      const s = await started({ flags: ["--accounts.interval=1h", "--jobs.resolve-status=true"] });
      return { lines: s.logs, url: s.exporter.url, upstream: s.simulator.url };
    },
    pick: (r) => r["sources"] !== undefined,
    says: ({ url, upstream }) =>
      `exporter listening; metrics at ${url}/metrics; polling ${upstream} every 3600s (jobs, accounts, job_status)`,
  },
  "the very first poll of the jobs list fails": {
    run: async () => {
      const s = await started({ before: (sim) => sim.setMode("server_error") });
      expect(await s.exporter.runner("jobs").pollOnce()).toBe("server_error");
      return { lines: s.logs };
    },
    pick: warnOf("jobs"),
    says: () => "polls of the jobs list fail; no good values yet",
  },
  "a poll of the jobs list fails after a success": {
    run: async () => {
      const s = await started();
      expect(await s.exporter.runner("jobs").pollOnce()).toBe("success");
      s.simulator.setMode("server_error");
      expect(await s.exporter.runner("jobs").pollOnce()).toBe("server_error");
      return { lines: s.logs };
    },
    pick: warnOf("jobs"),
    says: () => "polls of the jobs list fail; serving the last good values",
  },
  "the very first poll of the accounts endpoint fails": {
    run: async () => {
      const s = await started({ flags: ["--accounts.interval=1h"] });
      s.simulator.setMode("server_error", {}, "accounts");
      expect(await s.exporter.runner("accounts").pollOnce()).toBe("server_error");
      return { lines: s.logs };
    },
    pick: warnOf("accounts"),
    says: () => "polls of the accounts endpoint fail; no good values yet",
  },
  "polls of the jobs list succeed again": {
    run: async () => {
      const s = await started({ before: (sim) => sim.setMode("server_error") });
      expect(await s.exporter.runner("jobs").pollOnce()).toBe("server_error");
      s.simulator.setMode("ok");
      expect(await s.exporter.runner("jobs").pollOnce()).toBe("success");
      return { lines: s.logs };
    },
    pick: (r) => r.level === "info" && r.source === "jobs" && r.outcome === "success",
    says: () => "polls of the jobs list succeed",
  },
  "a poll has finished (debug)": {
    run: async () => {
      const s = await started();
      expect(await s.exporter.runner("jobs").pollOnce()).toBe("success");
      return { lines: s.logs };
    },
    pick: (r) => r.level === "debug" && r.source === "jobs" && r["durationSeconds"] !== undefined,
    says: () => "poll finished",
  },
  "no poll has succeeded within the staleness window": {
    run: async () => {
      const clock = new VirtualClock();
      const s = await started({ flags: ["--poll.stale-after=90m"], deps: { timers: clock } });
      expect(await s.exporter.runner("jobs").pollOnce()).toBe("success");
      const window = (timer: { ms: number }) => timer.ms === 90 * 60_000;
      clock.fire(await clock.scheduled(window, "the 90 min staleness window"));
      return { lines: s.logs };
    },
    pick: (r) => r["staleAfterSeconds"] !== undefined,
    says: () => "no successful poll within the staleness window; per-account series dropped",
  },
  "a job's status lookups have all failed": {
    run: async () => {
      let simNow = Date.parse("2026-01-01T00:00:00Z");
      const clock = new VirtualClock();
      const s = await started({
        flags: ["--jobs.resolve-status=true", "--jobs.lookup-rate=100"],
        deps: { timers: clock, monotonic: clock.now },
        simulator: { now: () => simNow, seed: 5 },
      });
      expect(await s.exporter.runner("jobs").pollOnce()).toBe("success");
      s.simulator.setMode("server_error", {}, "job");
      simNow += 20 * 60_000; // every job running at the first poll has ended by the expiry
      expect(await s.exporter.runner("jobs").pollOnce()).toBe("success");
      const lookupTimer = (timer: { ms: number }) => timer.ms <= 10_000 && !requestDeadline(timer);
      await clock.fireUntil(s.exporter.idle(), "every lookup to be given up", lookupTimer);
      return { lines: s.logs };
    },
    pick: (r) => r["attempts"] === 3,
    count: 5, // one for each job running at the first poll (seed 5)
    says: () => "job status unresolved; counted as unknown",
  },
  "the token file was reloaded": {
    run: async () => {
      const file = join(mkdtempSync(join(tmpdir(), "token-")), "token");
      writeFileSync(file, "user:1-first\n");
      const s = await started({ flags: [`--useapi.token-file=${file}`], env: {} });
      writeFileSync(file, "user:2-second\n");
      s.exporter.reloadToken();
      return { lines: s.logs };
    },
    pick: (r) => r["reason"] === "SIGHUP",
    says: () => "token reloaded from the token file",
  },
  "the token file has become unreadable as a token": {
    run: async () => {
      const file = join(mkdtempSync(join(tmpdir(), "token-")), "token");
      writeFileSync(file, "user:1-first\n");
      const s = await started({ flags: [`--useapi.token-file=${file}`], env: {} });
      writeFileSync(file, "\n");
      s.exporter.reloadToken();
      return { lines: s.logs };
    },
    pick: (r) => r["problem"] !== undefined,
    says: () => "bad token file; keeping the current token",
  },
  "rendering fails after a successful poll": {
    run: async () => {
      const failing = await failingRendering();
      try {
        expect(await failing.poller.pollOnce()).toBe("success");
      } finally {
        await failing.close();
      }
      return { lines: failing.lines };
    },
    pick: (r) => r.level === "error" && r["err"] !== undefined,
    says: () => "rendering metrics failed; /metrics says up 0",
  },
  "a full usage answer holds only new rows": {
    run: () => {
      const lines: string[] = [];
      const logger = createLogger({
        level: "debug",
        format: "json",
        destination: { write: (line: string) => void lines.push(line) },
      });
      const usage = createUsageSource({
        registry: new MetricRegistry(),
        intervalMs: 3_600_000,
        limit: 2,
        logger,
        countAnomaly: () => undefined,
      });
      const row = (jobid: string) => ({ jobid, config: "111", endpoint: "e", code: 201, msec: 1 });
      const body = (ids: string[]) => ({ bot: "minimax", total: 2, data: ids.map(row) });
      usage.update(usage.parse(body(["a", "b"])), 1);
      usage.update(usage.parse(body(["c", "d"])), 2);
      return Promise.resolve({ lines });
    },
    pick: (r) => r.level === "warn" && r.source === "usage",
    says: () =>
      "every row of a full usage answer was new: requests recorded since the last poll may have been missed; shorten --usage.interval (further cases are counted as usage_rows_missed only)",
  },
};

describe("what the log lines say", () => {
  it.each(Object.entries(SITUATIONS))("when %s", async (_situation, situation) => {
    const { lines, ...urls } = await situation.run();
    const picked = logRecords(lines).filter(situation.pick);
    const says = situation.says(urls);
    expect(picked.map((r) => r.msg)).toEqual(
      Array.from({ length: situation.count ?? 1 }, () => says),
    );
  });
});
