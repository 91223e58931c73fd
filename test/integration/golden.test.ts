import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scrape, startStack, type Stack } from "../harness.js";

const NOW = Date.parse("2025-11-24T12:00:00Z");

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8"));
}

/** Compares with test/golden/NAME; UPDATE_GOLDEN=1 rewrites the file instead. */
function expectGolden(name: string, actual: string): void {
  const url = new URL(`../golden/${name}`, import.meta.url);
  if (process.env["UPDATE_GOLDEN"] === "1") writeFileSync(url, actual);
  expect(actual).toBe(readFileSync(url, "utf8"));
}

describe("golden /metrics", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      deps: {
        now: () => NOW,
        monotonic: () => 0,
        defaultMetrics: false,
        buildInfo: { version: "0.0.0-test", nodejs: "v0.0.0" },
      },
      before: (sim) => sim.setPayload(fixture("doc-payload.json")),
    });
    await stack.exporter.runner("jobs").pollOnce();
  });
  afterAll(async () => {
    await stack.close();
  });

  it("matches the golden exposition for the payload in the upstream documentation", async () => {
    expectGolden("doc-payload.metrics", await scrape(stack));
  });

  it("matches the golden exposition for a payload full of tolerated anomalies", async () => {
    stack.simulator.setPayload(fixture("anomalies-payload.json"));
    expect(await stack.exporter.runner("jobs").pollOnce()).toBe("success");
    expectGolden("anomalies-payload.metrics", await scrape(stack));
  });
});

describe("golden /metrics of the accounts endpoint and the scheduler", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      flags: ["--accounts.interval=1h", "--scheduler.interval=1h"],
      deps: {
        now: () => NOW,
        monotonic: () => 0,
        defaultMetrics: false,
        buildInfo: { version: "0.0.0-test", nodejs: "v0.0.0" },
      },
      simulator: { now: () => NOW },
      before: (sim) => {
        sim.setPayload(fixture("doc-payload.json"));
        sim.setPayload(fixture("scheduler-doc-answer.json"), "scheduler");
      },
    });
    expect(await stack.exporter.runner("jobs").pollOnce()).toBe("success");
    expect(await stack.exporter.runner("accounts").pollOnce()).toBe("success");
    expect(await stack.exporter.runner("scheduler").pollOnce()).toBe("success");
  });
  afterAll(async () => {
    await stack.close();
  });

  it("matches the golden exposition for the simulator's accounts and the documented scheduler answer", async () => {
    expectGolden("accounts-and-scheduler.metrics", await scrape(stack));
  });
});
