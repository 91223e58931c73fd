import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { haveBinary } from "../binaries.js";

// Tiny runs of every benchmark in bench/ (plain JavaScript over dist/, which the global setup
// builds), so that the scripts cannot rot. Times vary by machine: no test asserts one.

interface Load {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  timeouts: number;
}
interface ServeRow {
  accounts: number;
  gzip: boolean;
  bytes: number;
  series: number;
  exporter: Load;
  ceiling: Load;
  express: Load;
  single: Load;
  exporterToCeiling: number | null;
  exporterToExpress: number | null;
}
interface ProcessFigures {
  steadyMb: number;
  peakMb: number;
  cpuPerHour: number | null;
  cpuPerHourWholeRun: number;
  samples: number;
}
interface BoundsRow {
  case: string;
  bytes?: number;
  outcome: string;
  peakMb: number;
  loopMaxMs: number;
  slowestHealthyMs: number;
  healthyAnswers: number;
}
interface Goal {
  goal: string;
  measured: string;
  met: boolean;
}
interface BenchModules {
  scheduler: {
    runSchedulerPoll: (o: { generations: number[]; iterations: number }) => Promise<{
      rows: {
        generations: number;
        bytes: number;
        jsonParseMs: number;
        processMs: number;
        ratio: number;
        churnRatio: number;
        churnExposition: number;
        exposition: number;
      }[];
    }>;
  };
  serve: {
    runServe: (o: {
      accounts: number[];
      durationSec: number;
      warmupSec: number;
      runs: number;
    }) => Promise<{ runs: number; rows: ServeRow[] }>;
    wrkMs: (text: string) => number;
  };
  poll: {
    runPoll: (o: { accounts: number[]; iterations: number }) => Promise<{
      linearity: number;
      rows: {
        accounts: number;
        bytes: number;
        jsonParseMs: number;
        processMs: number;
        ratio: number;
        usPerAccount: number;
      }[];
    }>;
  };
  memory: {
    runMemory: (o: {
      accounts: number;
      polls: number;
      warmupPolls: number;
      idleMs: number;
      env?: Record<string, string>;
    }) => Promise<{
      warmBusyRssMb: number;
      warmRssMb: number;
      finalBusyRssMb: number;
      finalRssMb: number;
      finalHeapMb: number;
      growthPercent: number;
      busyGrowthPercent: number;
      env: string;
    }>;
  };
  economy: {
    runEconomy: (o: {
      scrapers: number;
      scrapeMs: number;
      intervalMs: number;
      durationMs: number;
    }) => Promise<{
      scrapes: number;
      failedScrapes: number;
      upstreamRequests: number;
      sources: { source: string; requests: number; expected: number }[];
    }>;
  };
  rendering: {
    runRenderings: (o: { rounds: number; burst: number }) => Promise<{
      alone: { source: string; outcome: string; renderings: number }[];
      together: { polls: number; renderings: number }[];
      polls: number;
      renderings: number;
      burst: { refreshes: number; renderings: number };
    }>;
  };
  usage: {
    runUsage: (o: { counts: number[]; iterations: number }) => Promise<
      {
        rows: number;
        bytes: number;
        jsonParseMs: number;
        firstAnswerMs: number;
        nextAnswerMs: number;
        firstRatio: number;
        nextRatio: number;
      }[]
    >;
    usageAnswer: (first: number, count: number) => string;
  };
  users: {
    runUsers: (o: {
      sizes: number[];
      minutes: number;
      sampleSec: number;
      scrapeSec: number;
    }) => Promise<{
      windowMinutes: number[];
      floor: ProcessFigures;
      rows: {
        accounts: number;
        exporter: ProcessFigures;
        blackbox: ProcessFigures;
        scrapes: number;
        failedScrapes: number;
        upstreamRequests: Record<string, number>;
        probes: Record<string, number>;
        load: Record<string, number>;
      }[];
    }>;
  };
  bounds: {
    runBounds: (o: { names: string[]; seconds: number; scrapeSec: number }) => Promise<{
      bounds: { accounts: number; jobs: number; generations: number; usageRows: number };
      runs: { node: string; rows: BoundsRow[] }[];
    }>;
    imageNodeVersion: () => string | undefined;
  };
  "usage-bound": {
    runUsageBound: (o: { answers: number; rows: number }) => Promise<{
      distinctRows: number;
      requestSeries: number;
      durationSeries: number;
    }>;
  };
  run: { render: (result: unknown) => string };
  goals: { goals: (result: unknown) => Goal[] };
  sources: {
    SOURCES: string[];
    runSources: (o: { sizes: number[]; iterations: number }) => Promise<{
      refreshFloorMs: number;
      rows: {
        source: string;
        size: number;
        items: number;
        bytes: number;
        jsonParseMs: number;
        processMs: number;
        ratio: number;
        exposition: number;
        changingProcessMs: number | null;
        changingRatio: number | null;
      }[];
    }>;
  };
}

async function load<K extends keyof BenchModules>(name: K): Promise<BenchModules[K]> {
  const path = fileURLToPath(new URL(`../../bench/${name}.js`, import.meta.url));
  return (await import(path)) as BenchModules[K];
}

const positive = (value: number) => {
  expect(Number.isFinite(value)).toBe(true);
  expect(value).toBeGreaterThan(0);
};

// They share two cores with the rest of the suite: a generous bound, not a speed test.
describe("benchmarks (smoke runs, no time assertions)", { timeout: 120_000 }, () => {
  it("reads wrk's latencies in every unit it prints", async () => {
    const { wrkMs } = await load("serve");
    expect([wrkMs("812.00us"), wrkMs("4.20ms"), wrkMs("1.02s"), wrkMs("1.50m")]).toEqual([
      0.812, 4.2, 1020, 90_000,
    ]);
    expect(() => wrkMs("4.2 ms")).toThrow(/unexpected wrk latency/);
  });

  it.runIf(haveBinary("wrk", "wrk")).concurrent(
    "serves /metrics from the exporter, the ceiling and express under load",
    async () => {
      const { runServe } = await load("serve");
      const { rows, runs } = await runServe({
        accounts: [50],
        durationSec: 1,
        warmupSec: 0,
        runs: 1,
      });
      expect(runs).toBe(1);
      expect(rows.map((r) => r.gzip)).toEqual([false, true]);
      for (const row of rows) {
        positive(row.bytes);
        positive(row.series);
        for (const server of [row.exporter, row.ceiling, row.express, row.single]) {
          positive(server.rps);
          expect(Number.isFinite(server.p50Ms) && Number.isFinite(server.p99Ms)).toBe(true);
          expect(server.errors + server.timeouts).toBe(0);
        }
        positive(row.exporterToCeiling ?? 0);
        positive(row.exporterToExpress ?? 0);
      }
    },
  );

  it.concurrent("times poll processing against JSON.parse of the same bytes", async () => {
    const { runPoll } = await load("poll");
    const result = await runPoll({ accounts: [20, 40], iterations: 2 });
    expect(result.rows.map((r) => r.accounts)).toEqual([20, 40]);
    for (const row of result.rows) {
      for (const value of [row.bytes, row.jsonParseMs, row.processMs, row.ratio]) positive(value);
      positive(row.usPerAccount);
    }
    positive(result.linearity);
  });

  it.concurrent(
    "times scheduler poll processing against JSON.parse of the same bytes",
    async () => {
      const { runSchedulerPoll } = await load("scheduler");
      const result = await runSchedulerPoll({ generations: [20, 40], iterations: 2 });
      expect(result.rows.map((r) => r.generations)).toEqual([20, 40]);
      for (const row of result.rows) {
        for (const value of [row.bytes, row.jsonParseMs, row.processMs, row.ratio, row.churnRatio])
          positive(value);
        // The churning answers finish generations: their exposition carries duration histograms.
        expect(row.churnExposition).toBeGreaterThan(row.exposition);
      }
    },
  );

  it.concurrent(
    "times usage poll processing, first and next answer, against JSON.parse",
    async () => {
      const { runUsage, usageAnswer } = await load("usage");
      const answer = JSON.parse(usageAnswer(5, 3)) as { total: number; data: { jobid: string }[] };
      expect(answer.total).toBe(3);
      expect(new Set(answer.data.map((row) => row.jobid)).size).toBe(3);
      const rows = await runUsage({ counts: [200, 400], iterations: 2 });
      expect(rows.map((r) => r.rows)).toEqual([200, 400]);
      for (const row of rows) {
        for (const value of [row.bytes, row.jsonParseMs, row.firstAnswerMs, row.nextAnswerMs])
          positive(value);
        positive(row.firstRatio);
        positive(row.nextRatio);
      }
    },
  );

  it.concurrent(
    "times every upstream source's poll processing against JSON.parse of the same bytes",
    async () => {
      const { runSources, SOURCES } = await load("sources");
      expect(SOURCES).toEqual([
        "jobs",
        "scheduler",
        "accounts",
        "credits",
        "subscription",
        "usage",
      ]);
      const result = await runSources({ sizes: [20, 40], iterations: 2 });
      expect(result.rows.map((r) => `${r.source} ${r.size}`)).toEqual(
        SOURCES.flatMap((source) => [`${source} 20`, `${source} 40`]),
      );
      positive(result.refreshFloorMs);
      for (const row of result.rows) {
        for (const value of [row.items, row.bytes, row.jsonParseMs, row.processMs, row.ratio])
          positive(value);
        positive(row.exposition);
        // The sources that keep state between answers are timed on changing answers too.
        if (["jobs", "scheduler", "usage"].includes(row.source)) {
          positive(row.changingProcessMs ?? 0);
          positive(row.changingRatio ?? 0);
        } else {
          expect(row.changingRatio).toBeNull();
        }
      }
    },
  );

  it.concurrent("reads the exporter's RSS after warm-up and after churning polls", async () => {
    const { runMemory } = await load("memory");
    const result = await runMemory({
      accounts: 50,
      polls: 3,
      warmupPolls: 1,
      idleMs: 50,
      env: { MALLOC_MMAP_THRESHOLD_: "131072" },
    });
    for (const mb of [result.warmBusyRssMb, result.warmRssMb, result.finalBusyRssMb]) positive(mb);
    positive(result.finalRssMb);
    positive(result.finalHeapMb);
    expect(Number.isFinite(result.growthPercent)).toBe(true);
    expect(Number.isFinite(result.busyGrowthPercent)).toBe(true);
    expect(result.env).toBe("MALLOC_MMAP_THRESHOLD_=131072");
  });

  it.concurrent("counts each source's upstream requests while three scrapers scrape", async () => {
    const { runEconomy } = await load("economy");
    const result = await runEconomy({
      scrapers: 3,
      scrapeMs: 20,
      intervalMs: 400,
      durationMs: 800,
    });
    positive(result.scrapes);
    expect(result.failedScrapes).toBe(0);
    expect(result.sources.map((s) => s.source)).toEqual([
      "jobs",
      "accounts",
      "scheduler",
      "subscription",
      "usage",
      "credits",
    ]);
    for (const row of result.sources) positive(row.expected);
    positive(result.upstreamRequests);
  });

  it.concurrent("counts the renderings of polls alone, together and in one turn", async () => {
    const { runRenderings } = await load("rendering");
    const result = await runRenderings({ rounds: 2, burst: 10 });
    expect(result.alone.map((a) => [a.source, a.outcome, a.renderings])).toEqual(
      ["jobs", "accounts", "scheduler", "subscription", "usage", "credits"].map((s) => [
        s,
        "success",
        1,
      ]),
    );
    expect(result.polls).toBe(12);
    expect(result.renderings).toBeGreaterThanOrEqual(2);
    expect(result.renderings).toBeLessThanOrEqual(12);
    expect(result.burst).toEqual({ refreshes: 10, renderings: 1 });
  });

  it.runIf(haveBinary("prometheus-blackbox-exporter", "prometheus-blackbox-exporter")).concurrent(
    "samples the floor, the exporter and blackbox_exporter where users live",
    async () => {
      const { runUsers } = await load("users");
      const result = await runUsers({ sizes: [3], minutes: 0.1, sampleSec: 1, scrapeSec: 2 });
      expect(result.windowMinutes).toEqual([0.03, 0.1]);
      positive(result.floor.steadyMb);
      expect(result.rows.map((r) => r.accounts)).toEqual([3]);
      for (const row of result.rows) {
        for (const p of [row.exporter, row.blackbox]) {
          positive(p.steadyMb);
          expect(p.peakMb).toBeGreaterThanOrEqual(p.steadyMb);
          expect(p.samples).toBeGreaterThan(3);
        }
        expect(row.failedScrapes).toBe(0);
        positive(row.scrapes);
        // Both asked the jobs list at the start, and the load was read off the simulator.
        positive(row.upstreamRequests["jobs"] ?? 0);
        positive(row.probes["jobs"] ?? 0);
        expect(Object.keys(row.load).sort()).toEqual([
          "creditBatches",
          "jobsEndedPerHour",
          "runningGenerations",
          "runningJobs",
          "usageRows",
        ]);
        positive(row.load["usageRows"] ?? 0);
      }
    },
  );

  it.concurrent(
    "measures the exporter process at the bounds and under a hostile body, loop delay preloaded",
    async () => {
      const { runBounds, imageNodeVersion } = await load("bounds");
      expect(imageNodeVersion()).toBe("24");
      const result = await runBounds({ names: ["harmless"], seconds: 2, scrapeSec: 1 });
      expect(result.bounds).toEqual({
        accounts: 1000,
        jobs: 10_000,
        generations: 10_000,
        usageRows: 10_000,
      });
      const [run] = result.runs;
      expect(run?.rows.map((r) => r.case)).toEqual(["every source at the bounds", "harmless"]);
      expect(run?.rows[1]?.outcome).toBe("success");
      expect(run?.rows[0]?.outcome).toMatch(/^jobs \d+\/\d+, scheduler /);
      for (const row of run?.rows ?? []) {
        positive(row.peakMb);
        expect(Number.isFinite(row.loopMaxMs) && row.loopMaxMs >= 0).toBe(true);
        expect(Number.isFinite(row.slowestHealthyMs)).toBe(true);
        positive(row.healthyAnswers);
      }
    },
  );

  it("bounds the usage request series whatever the distinct rows", async () => {
    const { runUsageBound } = await load("usage-bound");
    const result = await runUsageBound({ answers: 2, rows: 1000 });
    expect(result.distinctRows).toBe(2000);
    // 1,000 series, then one `other` series per code of the 500 the rows carry.
    expect(result.requestSeries).toBe(1500);
    positive(result.durationSeries);
  });

  it("judges the goals on one run's figures and renders RESULTS.md with every section", async () => {
    const { render } = await load("run");
    const { goals } = await load("goals");
    const load1: Load = { rps: 10, p50Ms: 1, p99Ms: 2, errors: 0, timeouts: 0 };
    const processing = (source: string, ratio: number) => ({
      ...{ source, size: 10000, items: 10000, unit: "items", bytes: 1 },
      ...{ jsonParseMs: 1, processMs: ratio, ratio, changingRatio: null },
    });
    const flooded = (server: string, p95Ms: number, worstMs: number) => ({
      ...{ server, goodScrapes: 10, successPercent: 100, p50Ms: 1, p95Ms, worstMs, polls: null },
      ...{ floodSent: 5, answered: { 401: 2, 503: 3, other: 0 }, connectionErrors: 0 },
      ...{
        floodConnections: 1,
        floodAnsweredSec: 1,
        window: { serverCpuSec: 1, serverRunQueueSec: 0 },
      },
    });
    const figures = (steadyMb: number, peakMb: number, cpuPerHour: number) => ({
      ...{ steadyMb, peakMb, cpuPerHour, cpuPerHourWholeRun: cpuPerHour * 2, samples: 180 },
    });
    const userRow = (accounts: number, exporter: ProcessFigures, blackbox: ProcessFigures) => ({
      ...{ accounts, exporter, blackbox, scrapes: 60, failedScrapes: 0 },
      ...{ upstreamRequests: { jobs: 60 }, probes: { jobs: 60 } },
      load: {
        ...{ runningJobs: 1, jobsEndedPerHour: 40, runningGenerations: 0.8 },
        ...{ creditBatches: 1.5, usageRows: 80 },
      },
    });
    const boundsRow = (name: string, peakMb: number, loopMaxMs: number, healthyMs: number) => ({
      ...{ case: name, bytes: 1, outcome: "success", peakMb, loopMaxMs },
      ...{ slowestHealthyMs: healthyMs, healthyAnswers: 10 },
    });
    const result = {
      machine: {
        cpu: "cpu × 2",
        memoryGb: 1,
        os: "os",
        node: "v20",
        loadAverage: "0",
        freshPageMicros: 1,
      },
      date: "2026-01-01T00:00:00.000Z",
      seconds: 1,
      loads: [{ step: "where users live", load: 0.5 }],
      users: {
        ...{ minutes: 15, windowMinutes: [5, 15], sampleSec: 5, scrapeSec: 15, nodeFlags: "" },
        blackboxVersion: "0.23.0",
        floor: figures(80, 90, 1),
        rows: [
          userRow(3, figures(90, 100, 20), figures(18, 19, 10)), // 1.125 ×, 1.11 ×, 2 ×
          userRow(100, figures(100, 130, 30), figures(18, 19, 10)), // 1.25 ×, 1.3 ×, 3 ×
        ],
      },
      bounds: {
        bounds: { accounts: 1000, jobs: 10000, generations: 10000, usageRows: 10000 },
        ...{ seconds: 60, scrapeSec: 15, flags: "" },
        runs: [
          {
            node: "host (v20)",
            rows: [
              boundsRow("every source at the bounds", 150, 120, 200),
              boundsRow("{} as jobs", 199, 260, 300),
            ],
          },
          {
            node: "image (node@24) (v24)",
            rows: [boundsRow("every source at the bounds", 201, 100, 1001)],
          },
          { node: "image (node@26)", error: "could not be fetched", rows: [] },
        ],
      },
      serve: {
        connections: 50,
        durationSec: 1,
        runs: 3,
        rows: [
          {
            ...{ accounts: 100, gzip: false, bytes: 1, series: 1 },
            ...{ exporter: { ...load1, p99Ms: 5 }, ceiling: load1, express: load1, single: load1 },
            ...{ exporterToCeiling: 0.95, exporterToExpress: 1 },
          },
        ],
      },
      sources: { iterations: 1, rows: [processing("jobs", 2), processing("scheduler", 3.5)] },
      poll: { iterations: 1, rows: [] },
      memory: [
        {
          ...{ accounts: 1000, jobsPerAccount: 5, warmupPolls: 1, polls: 1000, idleMs: 1000 },
          ...{ env: "", warmBusyRssMb: 1, warmRssMb: 110, finalBusyRssMb: 1, finalRssMb: 1 },
          ...{ warmHeapMb: 1, finalHeapMb: 1, growthPercent: 6, busyGrowthPercent: 0, seconds: 1 },
        },
      ],
      usageBound: { distinctRows: 50000, requestSeries: 1500, durationSeries: 663 },
      economy: {
        ...{ scrapers: 3, scrapeMs: 1, intervalMs: 1, windowMs: 1, intervals: 1, scrapes: 1 },
        failedScrapes: 0,
        sources: [
          { source: "jobs", requests: 1, expected: 1, exact: true, perInterval: 1, met: true },
        ],
      },
      renderings: {
        alone: [{ source: "jobs", outcome: "success", renderings: 1 }],
        together: [{ polls: 6, renderings: 2 }],
        polls: 6,
        renderings: 2,
        burst: { refreshes: 100, renderings: 1 },
      },
      flood: {
        settings: {
          ...{
            bcryptCost: 10,
            wrongPasswords: 5,
            seconds: 1,
            floodPerSecond: 5,
            floodPath: "/metrics",
          },
          ...{ floodTimeoutMs: 1000, scrapeEveryMs: 50, scrapeTimeoutMs: 10000 },
          ...{ exporterPollInterval: "1s", blackbox: { version: "0.23.0" } },
        },
        rows: [
          flooded("useapi-minimax-exporter", 3, 300),
          flooded("blackbox_exporter 0.23.0", 4, 200),
        ],
      },
    };
    const judged = goals(result);
    const met = (start: string) => {
      const found = judged.filter((g) => g.goal.startsWith(start));
      expect(found, start).toHaveLength(1);
      return found[0]?.met;
    };
    const users = (accounts: number, what: string) =>
      met(`${accounts} accounts, every source at its default interval: ${what}`);
    expect(users(3, "steady RSS")).toBe(true);
    expect(users(3, "peak RSS")).toBe(true);
    expect(users(3, "CPU seconds")).toBe(true);
    expect(users(100, "steady RSS")).toBe(false);
    expect(users(100, "peak RSS")).toBe(false);
    expect(users(100, "CPU seconds")).toBe(false);
    const host = "At the default bounds, every source and each hostile body, on host (v20): ";
    expect(met(`${host}peak RSS`)).toBe(true);
    expect(met(`${host}longest event-loop block`)).toBe(false);
    expect(met(`${host}/-/healthy`)).toBe(true);
    const image =
      "At the default bounds, every source and each hostile body, on image (node@24) (v24): ";
    expect(met(`${image}peak RSS`)).toBe(false);
    expect(met(`${image}longest event-loop block`)).toBe(true);
    expect(met(`${image}/-/healthy`)).toBe(false);
    expect(
      met("At the default bounds, every source and each hostile body, on image (node@26)"),
    ).toBe(false);
    expect(met("/metrics at 100 accounts, gzip off, 50 connections: ≥ 0.9")).toBe(true);
    expect(met("/metrics at 100 accounts, gzip off, 50 connections: p99")).toBe(false); // 2.5 ×
    expect(met("During the credential flood, the good scraper's p95")).toBe(true);
    expect(met("During the credential flood, the good scraper's worst")).toBe(false);
    expect(met("Idle RSS growth")).toBe(false);
    expect(met("Usage request series")).toBe(true);
    expect(met("Each source asks the upstream once")).toBe(true);
    expect(met("One rendering of /metrics per poll")).toBe(true);
    // The JSON.parse ratios are a table, not goals.
    expect(judged.filter((g) => g.goal.includes("JSON.parse"))).toEqual([]);
    expect(judged).toHaveLength(6 + 3 * 2 + 1 + 2 + 2 + 4);
    const text = render({ ...result, goals: judged });
    for (const heading of [
      "## Goals",
      "## 1. Where users live",
      "## 2. At the default bounds",
      "## 3. Serving /metrics",
      "## 4. Credential flood, beside blackbox_exporter",
      "## 5. Must not regress",
      "### Memory over churning polls",
      "### Upstream economy",
      "### Renderings per poll",
      "### Poll processing against JSON.parse (informational, not goals)",
    ]) {
      expect(text).toContain(heading);
    }
    expect(text).toContain(`${judged.filter((g) => g.met).length} of ${judged.length} met.`);
    expect(text).toMatch(
      /\| 100 accounts, every source at its default interval: steady RSS \(median, minutes 5–15\) ≤ 1.15 × the floor's \| 1.25 × \(100 \/ 80 MiB\) \| \*\*no\*\* \|/,
    );
    expect(text).toContain("| floor |  | 80 | 90 | 1 | 2 |  |");
    expect(text).toContain("On image (node@26): could not be fetched:");
  });
});
