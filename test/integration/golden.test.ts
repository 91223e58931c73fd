import { readFileSync, writeFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import type { ExporterDeps } from "../../src/exporter.js";
import type { Simulator } from "../../src/simulator/server.js";
import { scrape, startStack, type Stack } from "../harness.js";

const NOW = Date.parse("2025-11-24T12:00:00Z");
const HOUR = 3_600_000;

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8"));
}

/** The HELP/TYPE blocks of the families whose names match `name`, as scraped. */
function familyBlocks(name: RegExp): (text: string) => string {
  return (text) =>
    text
      .split("\n# HELP ")
      .filter((block) => name.test(block))
      .map((block) => `# HELP ${block.trimEnd()}\n`)
      .join("");
}

/** The lines of the usage families only, so that other sources' families never change the file. */
function usageLines(text: string): string {
  const names = [
    "useapi_minimax_api_requests_total",
    "useapi_minimax_api_request_duration_seconds",
  ];
  const lines = text.split("\n").filter((line) => {
    const name = /^(?:# (?:HELP|TYPE) )?([a-z_]+)/.exec(line)?.[1] ?? "";
    return names.some((n) => name === n || name.startsWith(`${n}_`));
  });
  return `${lines.join("\n")}\n`;
}

interface GoldenCase {
  /** The file in test/golden/. */
  golden: string;
  what: string;
  flags?: string[];
  deps?: Partial<ExporterDeps>;
  /** The simulator's clock starts at NOW and moves only by `later` steps; the real one unless set. */
  simulatedTime?: boolean;
  simulator?: { accounts?: number };
  before?: (sim: Simulator) => void;
  /**
   * Before the scrape, in order: a source's poll (which must succeed), the simulated time moved
   * `later` ms, or the jobs answer replaced by a fixture.
   */
  steps: (string | { later: number } | { payload: string })[];
  /** The part of the exposition the file holds; all of it unless given. */
  select?: (text: string) => string;
}

const FIXED = { now: () => NOW, monotonic: () => 0, defaultMetrics: false };
const BUILD = { buildInfo: { version: "0.0.0-test", nodejs: "v0.0.0" } };

const CASES: GoldenCase[] = [
  {
    golden: "doc-payload.metrics",
    what: "the jobs payload in the upstream documentation",
    deps: { ...FIXED, ...BUILD },
    before: (sim) => sim.setPayload(fixture("doc-payload.json")),
    steps: ["jobs"],
  },
  {
    golden: "anomalies-payload.metrics",
    what: "a jobs payload full of tolerated anomalies, after the documented one",
    deps: { ...FIXED, ...BUILD },
    before: (sim) => sim.setPayload(fixture("doc-payload.json")),
    steps: ["jobs", { payload: "anomalies-payload.json" }, "jobs"],
  },
  {
    golden: "accounts-and-scheduler.metrics",
    what: "the simulator's accounts and the documented scheduler answer, with a speech generation",
    flags: ["--accounts.interval=1h", "--scheduler.interval=1h"],
    deps: { ...FIXED, ...BUILD },
    simulatedTime: true,
    before: (sim) => {
      sim.setPayload(fixture("doc-payload.json"));
      sim.setPayload(fixture("scheduler-doc-answer.json"), "scheduler");
    },
    steps: ["jobs", "accounts", "scheduler"],
  },
  {
    golden: "subscription.metrics",
    what: "the simulator's subscription, one account's session expired",
    flags: ["--subscription.interval=1h"],
    deps: FIXED,
    simulatedTime: true,
    simulator: { accounts: 4 },
    before: (sim) =>
      sim.activity.setAccountError(sim.activity.accounts[0] ?? "", "Session expired"),
    steps: ["subscription"],
    select: familyBlocks(/^useapi_minimax_subscription/),
  },
  {
    golden: "usage-payload.metrics",
    what: "a documented-shape usage answer, polled twice (nothing counted twice)",
    flags: ["--usage.interval=1h"],
    deps: { ...FIXED, now: () => Date.parse("2026-02-13T10:45:00Z") },
    before: (sim) => sim.setPayload(fixture("usage-payload.json"), "usage"),
    steps: ["usage", "usage"],
    select: usageLines,
  },
  {
    golden: "credits.metrics",
    what: "the credits of the simulator's accounts six hours on",
    flags: ["--credits.interval=1h", "--credits.concurrency=1"],
    deps: FIXED,
    simulatedTime: true,
    steps: ["jobs", { later: 6 * HOUR }, "credits"],
    select: familyBlocks(/^useapi_minimax_account_(credits|plan_info|video_cost|queue_limit)/),
  },
];

/** Compares with test/golden/NAME; UPDATE_GOLDEN=1 rewrites the file instead. */
function expectGolden(name: string, actual: string): void {
  const url = new URL(`../golden/${name}`, import.meta.url);
  if (process.env["UPDATE_GOLDEN"] === "1") writeFileSync(url, actual);
  expect(actual).toBe(readFileSync(url, "utf8"));
}

describe("golden /metrics", () => {
  let stack: Stack | undefined;
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  it.each(CASES)("$golden: $what", async (c) => {
    let simulated = NOW;
    stack = await startStack({
      ...(c.flags ? { flags: c.flags } : {}),
      ...(c.deps ? { deps: c.deps } : {}),
      simulator: { ...c.simulator, ...(c.simulatedTime ? { now: () => simulated } : {}) },
      ...(c.before ? { before: c.before } : {}),
    });
    for (const step of c.steps) {
      if (typeof step === "string") {
        expect(await stack.exporter.runner(step).pollOnce(), step).toBe("success");
      } else if ("payload" in step) {
        stack.simulator.setPayload(fixture(step.payload));
      } else {
        simulated += step.later;
      }
    }
    const text = await scrape(stack);
    expectGolden(c.golden, c.select ? c.select(text) : text);
  });
});
