import { afterEach, describe, expect, it } from "vitest";
import { PROMPT_MARKER } from "../../src/simulator/server.js";
import {
  CAPTCHA_MARKER,
  MAX_LATENCY_MS,
  MIN_LATENCY_MS,
  recordedRequests,
  USAGE_RETENTION_MS,
  visibleRequests,
  type UsageModel,
} from "../../src/simulator/usage.js";
import type { Simulator } from "../../src/simulator/server.js";
import { get, ownSamples, scrape, startStack, TOKEN, type Stack } from "../harness.js";

const START = Date.parse("2026-02-13T12:00:00Z");
const HOUR = 3_600_000;

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

function usageModel(simulator: Simulator): UsageModel {
  const idle = new Set(simulator.activity.idleAccounts);
  const busy = simulator.activity.accounts.filter((a) => !idle.has(a));
  return {
    generations: simulator.generations,
    busyAccounts: () => busy,
    creditsLeft: (account, atMs) => simulator.credits.body(account, atMs)?.totalCredits,
  };
}

async function stats(simulator: Simulator, query: string) {
  const answer = await get(`${simulator.url}/v2/account/stats${query}`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  return { status: answer.status, body: JSON.parse(answer.body) as Record<string, unknown> };
}

describe("the simulator's GET /v2/account/stats", () => {
  it("lists its own generation requests, newest first, 5 to 15 minutes late, limit honoured", async () => {
    let now = START;
    stack = await startStack({ simulator: { now: () => now, seed: 3, accounts: 5 } });
    now = START + 6 * 3_600_000; // long enough for the second account to run out of credits
    const model = usageModel(stack.simulator);
    const { status, body } = await stats(stack.simulator, "?bot=minimax&limit=50000");
    expect(status).toBe(200);
    const data = body["data"] as {
      timestamp: string;
      jobid: string;
      code: number;
      config: string;
    }[];
    const truth = recordedRequests(model, now - USAGE_RETENTION_MS, now);
    const shown = truth.filter((r) => r.visibleAtMs <= now);
    expect(data.map((r) => r.jobid)).toEqual(shown.map((r) => r.jobid));
    expect(shown.length).toBeLessThan(truth.length); // the last 15 minutes are partly hidden
    for (const r of truth) {
      expect(r.visibleAtMs - r.timestampMs).toBeGreaterThanOrEqual(MIN_LATENCY_MS);
      expect(r.visibleAtMs - r.timestampMs).toBeLessThanOrEqual(MAX_LATENCY_MS);
    }
    const times = data.map((r) => Date.parse(r.timestamp));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(new Set(data.map((r) => r.code))).toEqual(new Set([201, 412, 429, 596]));
    expect(body["total"]).toBe(data.length);
    const summary = body["summary"] as { by_code: Record<string, number> };
    expect(summary.by_code["201"]).toBe(data.filter((r) => r.code === 201).length);
    // Every generation start is one row: 201, or 412 once its account had no credits left.
    const starts = stack.simulator.generations.startsBetween(now - USAGE_RETENTION_MS, now);
    const answered = truth.filter((r) => r.code === 201 || r.code === 412);
    expect(answered).toHaveLength(starts.length);
    for (const g of starts) {
      const left = stack.simulator.credits.body(g.account, g.startMs - 1)?.totalCredits ?? 0;
      const rowOf = answered.find((r) => r.timestampMs === g.startMs && r.config === g.account);
      expect(rowOf?.code, g.id).toBe(left <= 0 ? 412 : 201);
    }

    const three = await stats(stack.simulator, "?bot=minimax&limit=3");
    expect((three.body["data"] as { jobid: string }[]).map((r) => r.jobid)).toEqual(
      data.slice(0, 3).map((r) => r.jobid),
    );
    expect((await stats(stack.simulator, "?limit=3")).status).toBe(400);
    expect((await stats(stack.simulator, "?bot=minimax&limit=50001")).status).toBe(400);
  });
});

describe("the usage source against the simulator's ground truth", () => {
  it("counts every recorded request exactly once over several polls with late rows", async () => {
    let now = START;
    stack = await startStack({
      flags: ["--usage.interval=1h"],
      simulator: { now: () => now, seed: 9, accounts: 5, idleAccounts: 1 },
      deps: { now: () => now },
    });
    const runner = stack.exporter.runner("usage");
    const t0 = now;
    expect(await runner.pollOnce()).toBe("success");
    for (let i = 0; i < 5; i++) {
      now += i % 2 === 0 ? HOUR : 7 * 60_000; // hourly, and once in a while a quick second look
      expect(await runner.pollOnce()).toBe("success");
    }
    const model = usageModel(stack.simulator);
    // What happened from the first answer's horizon on and showed by the last poll.
    const truth = recordedRequests(model, t0 - USAGE_RETENTION_MS, now).filter(
      (r) => r.visibleAtMs <= now,
    );
    // Late rows: shown at a poll after rows newer than them had been counted.
    const late = truth.filter((r) => r.visibleAtMs > t0 && r.timestampMs < t0);
    expect(late.length).toBe(23); // of the seeded model

    const expected = new Map<string, number>();
    const durations = new Map<string, number>();
    for (const r of truth) {
      const key = `useapi_minimax_api_requests_total{account="${r.config}",endpoint="${r.endpoint}",code="${r.code}"}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
      const count = `useapi_minimax_api_request_duration_seconds_count{endpoint="${r.endpoint}"}`;
      durations.set(count, (durations.get(count) ?? 0) + 1);
    }
    const values = ownSamples(await scrape(stack));
    const counted = new Map(
      [...values].filter(([key]) => key.startsWith("useapi_minimax_api_requests_total{")),
    );
    expect(counted).toEqual(expected);
    for (const [key, count] of durations) expect(values.get(key)).toBe(count);
    for (const kind of ["usage_rows_missed", "usage_duplicate_row", "usage_invalid_row"]) {
      expect(
        values.get(`useapi_minimax_payload_anomalies_total{source="usage",kind="${kind}"}`),
      ).toBe(0);
    }
    expect(values.get('useapi_minimax_source_up{source="usage"}')).toBe(1);
  });

  it("keeps prompts, captcha fields and the echoed token out of logs, scrape and landing page", async () => {
    const now = START;
    stack = await startStack({
      flags: ["--usage.interval=1h"],
      simulator: { now: () => now, seed: 9 },
      deps: { now: () => now },
    });
    const model = usageModel(stack.simulator);
    expect(visibleRequests(model, now).length).toBe(217); // of the seeded model
    const runner = stack.exporter.runner("usage");
    expect(await runner.pollOnce()).toBe("success"); // the model's rows carry both markers
    stack.simulator.setPayload(
      {
        bot: "minimax",
        total: 2,
        data: [
          {
            jobid: `j-${TOKEN}`,
            config: TOKEN,
            endpoint: `post-${TOKEN}`,
            code: 201,
            msec: 10,
            prompt: `${PROMPT_MARKER} ${TOKEN}`,
            captcha: { token: CAPTCHA_MARKER },
          },
          { jobid: "j2", config: "1", endpoint: "<script>x</script>", code: 412, msec: 5 },
        ],
      },
      "usage",
    );
    expect(await runner.pollOnce()).toBe("success");
    const metrics = await scrape(stack);
    const landing = (await get(`${stack.exporter.url}/`)).body;
    expect(metrics).toContain('account="[token]",endpoint="post-[token]",code="201"} 1');
    expect(landing).toContain("Recorded requests");
    expect(landing).not.toContain("<script>x");
    for (const text of [metrics, landing, ...stack.logs]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(PROMPT_MARKER);
      expect(text).not.toContain(CAPTCHA_MARKER);
    }
  });
});
