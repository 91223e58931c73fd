import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scrape, startStack, type Stack } from "../harness.js";

const NOW = Date.parse("2025-11-24T12:00:00Z");

/** Compares with test/golden/NAME; UPDATE_GOLDEN=1 rewrites the file instead. */
function expectGolden(name: string, actual: string): void {
  const url = new URL(`../golden/${name}`, import.meta.url);
  if (process.env["UPDATE_GOLDEN"] === "1") writeFileSync(url, actual);
  expect(actual).toBe(readFileSync(url, "utf8"));
}

/** The families of the subscription source, HELP and TYPE lines included, as scraped. */
function subscriptionFamilies(text: string): string {
  return text
    .split("\n# HELP ")
    .filter((block) => /^useapi_minimax_subscription/.test(block))
    .map((block) => `# HELP ${block.trimEnd()}\n`)
    .join("");
}

describe("golden /metrics of the subscription source", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      flags: ["--subscription.interval=1h"],
      deps: { now: () => NOW, monotonic: () => 0, defaultMetrics: false },
      simulator: { now: () => NOW, accounts: 4 },
      before: (sim) => {
        sim.activity.setAccountError(sim.activity.accounts[0] ?? "", "Session expired");
      },
    });
  });
  afterAll(async () => {
    await stack.close();
  });

  it("matches the golden exposition of the simulator's subscription", async () => {
    expect(await stack.exporter.runner("subscription").pollOnce()).toBe("success");
    expectGolden("subscription.metrics", subscriptionFamilies(await scrape(stack)));
  });
});
