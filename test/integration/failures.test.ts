import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  accountSamples,
  get,
  ownSamples,
  scrape,
  startStack,
  TOKEN,
  type Stack,
} from "../harness.js";
import { FAILURE_CASES } from "../failure-cases.js";
import { pollCase } from "../failure-poll.js";
import { VirtualClock } from "../virtual-clock.js";

const docPayload: unknown = JSON.parse(
  readFileSync(new URL("../fixtures/doc-payload.json", import.meta.url), "utf8"),
);
const laterPayload = {
  accounts: ["67890", "54321", "11111"],
  summary: { "67890": { executing: 1 } },
  executing: { "67890": [{ jobId: "p1-u12345-a67890-bot:minimax", elapsed: "03:00" }] },
};

const START = Date.parse("2026-01-01T00:00:00Z");

describe("after each upstream failure", () => {
  let stack: Stack;
  let now = START;
  // The requests' deadlines on it: a timeout is fired once the request reaches the simulator.
  const clock = new VirtualClock();
  beforeAll(async () => {
    stack = await startStack({
      flags: ["--useapi.max-response-bytes=1MiB"],
      deps: { now: () => now, timers: clock },
      before: (sim) => sim.setPayload(docPayload),
    });
    await stack.exporter.runner("jobs").pollOnce();
  });
  afterAll(async () => {
    await stack.close();
  });

  it.each(FAILURE_CASES)(
    "%s: keeps serving, sets up to 0, counts the outcome, keeps every account value, and recovers",
    async (mode, options, outcome) => {
      stack.simulator.setPayload(docPayload);
      stack.simulator.setMode("ok");
      now += 60_000;
      const succeededAt = now;
      expect(await stack.exporter.runner("jobs").pollOnce()).toBe("success");
      const before = await scrape(stack);
      const countBefore = ownSamples(before).get(
        `useapi_minimax_source_requests_total{source="jobs",outcome="${outcome}"}`,
      );

      stack.simulator.setMode(mode, options);
      now += 1_000;
      expect(await pollCase(stack, clock, "jobs", outcome)).toBe(outcome);
      const during = await scrape(stack);
      const values = ownSamples(during);
      expect(values.get("useapi_minimax_up")).toBe(0);
      expect(
        values.get(`useapi_minimax_source_requests_total{source="jobs",outcome="${outcome}"}`),
      ).toBe((countBefore ?? NaN) + 1);
      expect(accountSamples(during)).toEqual(accountSamples(before));
      expect(accountSamples(during).size).toBe(4);
      expect(values.get("useapi_minimax_accounts")).toBe(2);
      const lastSuccess = 'useapi_minimax_source_last_success_timestamp_seconds{source="jobs"}';
      expect(ownSamples(before).get(lastSuccess)).toBe(succeededAt / 1000);
      expect(values.get(lastSuccess)).toBe(succeededAt / 1000);
      expect((await get(`${stack.exporter.url}/-/ready`)).status).toBe(200);
      expect((await get(`${stack.exporter.url}/`)).body).toContain(`<strong>${outcome}</strong>`);

      stack.simulator.setMode("ok");
      stack.simulator.setPayload(laterPayload);
      expect(await stack.exporter.runner("jobs").pollOnce()).toBe("success");
      const after = ownSamples(await scrape(stack));
      expect(after.get("useapi_minimax_up")).toBe(1);
      expect(after.get("useapi_minimax_accounts")).toBe(3);
      expect(after.get('useapi_minimax_agent_jobs_executing{account="67890"}')).toBe(1);
      expect(after.get('useapi_minimax_agent_job_max_elapsed_seconds{account="67890"}')).toBe(180);
      expect(after.get('useapi_minimax_agent_jobs_executing{account="11111"}')).toBe(0);
    },
  );

  it("never writes the token into a log line or a response body", async () => {
    const secretPart = TOKEN.split(":")[1] ?? TOKEN;
    const bodies: string[] = [];
    for (const [mode, options, outcome] of FAILURE_CASES) {
      stack.simulator.setMode(mode, options);
      expect(await pollCase(stack, clock, "jobs", outcome)).toBe(outcome);
      for (const path of ["/metrics", "/", "/-/ready", "/-/healthy", "/nope"]) {
        bodies.push((await get(stack.exporter.url + path)).body);
      }
    }
    stack.simulator.setMode("ok");
    await stack.exporter.runner("jobs").pollOnce();
    bodies.push((await get(`${stack.exporter.url}/metrics`)).body);
    expect(stack.logs.length).toBeGreaterThan(FAILURE_CASES.length);
    for (const text of [...stack.logs, ...bodies]) {
      expect(text).not.toContain(secretPart);
      expect(text).not.toContain("Bearer");
    }
  });
});
