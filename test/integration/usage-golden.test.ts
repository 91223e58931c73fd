import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scrape, startStack, type Stack } from "../harness.js";

const NOW = Date.parse("2026-02-13T10:45:00Z");
const USAGE_FAMILIES = [
  "useapi_minimax_api_requests_total",
  "useapi_minimax_api_request_duration_seconds",
];

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8"));
}

/** The lines of the usage families only, so that other sources' families never change the file. */
function usageLines(text: string): string {
  const lines = text.split("\n").filter((line) => {
    const name = /^(?:# (?:HELP|TYPE) )?([a-z_]+)/.exec(line)?.[1] ?? "";
    return USAGE_FAMILIES.some((n) => name === n || name.startsWith(`${n}_`));
  });
  return `${lines.join("\n")}\n`;
}

/** Compares with test/golden/NAME; UPDATE_GOLDEN=1 rewrites the file instead. */
function expectGolden(name: string, actual: string): void {
  const url = new URL(`../golden/${name}`, import.meta.url);
  if (process.env["UPDATE_GOLDEN"] === "1") writeFileSync(url, actual);
  expect(actual).toBe(readFileSync(url, "utf8"));
}

describe("golden /metrics of the usage families", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      flags: ["--usage.interval=1h"],
      deps: { now: () => NOW, monotonic: () => 0, defaultMetrics: false },
      before: (sim) => sim.setPayload(fixture("usage-payload.json"), "usage"),
    });
    expect(await stack.exporter.runner("usage").pollOnce()).toBe("success");
    // The same answer again: nothing is counted twice.
    expect(await stack.exporter.runner("usage").pollOnce()).toBe("success");
  });
  afterAll(async () => {
    await stack.close();
  });

  it("matches the golden exposition for a documented-shape answer", async () => {
    expectGolden("usage-payload.metrics", usageLines(await scrape(stack)));
  });
});
