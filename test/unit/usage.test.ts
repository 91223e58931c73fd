import { MetricRegistry } from "../../src/metrics/registry.js";
import { ownLabel } from "../../src/metrics/label-value.js";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/logging/logger.js";
import { LimitError, PayloadError } from "../../src/upstream/json-checks.js";
import {
  MAX_USAGE_ROWS,
  NO_DURATION,
  parseUsageAnswer,
  type UsageAnswer,
} from "../../src/sources/usage/answer.js";
import { createRowMemory } from "../../src/sources/usage/row-memory.js";
import { createUsageSource } from "../../src/sources/usage/source.js";
import { createUsageMetrics } from "../../src/sources/usage/usage-metrics.js";
import { logRecords } from "../log-records.js";

interface RowSpec {
  jobid: string;
  config?: unknown;
  endpoint?: unknown;
  code?: unknown;
  msec?: unknown;
}

function row(jobid: string, config = "111", code = 201, msec = 4000): RowSpec {
  return { jobid, config, endpoint: "post-videos-create", code, msec };
}

function body(rows: readonly unknown[]): unknown {
  return { bot: "minimax", total: rows.length, data: rows };
}

/** The answer's columns read back row by row. */
function rowsOf(answer: UsageAnswer) {
  return answer.jobIds.map((jobId, i) => ({
    jobId,
    account: answer.accounts[i] ?? "",
    endpoint: answer.endpoints[i] ?? "",
    code: answer.codes[i] ?? "",
    seconds: answer.seconds[i],
  }));
}

/** The sample lines of the registry's exposition that start with `prefix`. */
async function samples(registry: MetricRegistry, prefix: string): Promise<string[]> {
  return (await registry.metrics()).split("\n").filter((l) => l.startsWith(prefix));
}

/** A usage source with a small limit, its anomalies and its log lines. */
function source(limit = 1000) {
  const anomalies = new Map<string, number>();
  const logs: string[] = [];
  const logger = createLogger({
    level: "debug",
    format: "json",
    destination: { write: (line: string) => void logs.push(line) },
  });
  const registry = new MetricRegistry();
  const usage = createUsageSource({
    registry,
    intervalMs: 3_600_000,
    limit,
    logger,
    countAnomaly: (kind, n) => anomalies.set(kind, (anomalies.get(kind) ?? 0) + n),
  });
  let now = 0;
  const take = (rows: readonly unknown[]) =>
    usage.update(usage.parse(body(rows)), (now += 3_600_000));
  const count = async (account = "111", code = 201) =>
    Number(
      new RegExp(
        `^useapi_minimax_api_requests_total\\{account="${account}",endpoint="post-videos-create",code="${code}"\\} (\\d+)$`,
        "m",
      ).exec(await registry.metrics())?.[1] ?? 0,
    );
  return { registry, usage, take, count, anomalies, logs };
}

describe("parseUsageAnswer", () => {
  it("keeps only jobid, config, endpoint, code and msec of a row", () => {
    const answer = parseUsageAnswer(
      body([
        {
          timestamp: "2026-02-13T10:30:00.000Z",
          jobid: "j1",
          config: "567890",
          endpoint: "post-videos-create",
          status: "Created",
          code: 201,
          msec: 5432,
          prompt: "SECRET PROMPT",
          captchaToken: "SECRET CAPTCHA",
        },
      ]),
    );
    expect(rowsOf(answer)).toEqual([
      {
        jobId: "j1",
        account: "567890",
        endpoint: "post-videos-create",
        code: "201",
        seconds: 5.432,
      },
    ]);
    expect(Object.keys(answer).sort()).toEqual([
      "accounts",
      "codes",
      "endpoints",
      "invalidLabels",
      "invalidRows",
      "jobIds",
      "listed",
      "oddRows",
      "seconds",
    ]);
    expect(JSON.stringify(answer)).not.toContain("SECRET");
  });

  it("reads codes 100 to 599 or unknown, and a config or endpoint of a string or whole number", () => {
    const atBound = "a".repeat(128);
    const answer = parseUsageAnswer(
      body([
        { jobid: "1", config: atBound, endpoint: atBound, code: 99, msec: -1 },
        { jobid: "2", config: 42, endpoint: "e", code: 600, msec: "12" },
        { jobid: "3", config: null, endpoint: [], code: 201.5 },
        { jobid: "4", config: "c", endpoint: "e", code: "201", msec: 0 },
        { jobid: "5", config: "c", endpoint: "e", code: 599, msec: 1 },
      ]),
    );
    const rows = rowsOf(answer);
    expect(rows.map((r) => r.code)).toEqual(["unknown", "unknown", "unknown", "unknown", "599"]);
    expect(rows.map((r) => r.account)).toEqual([atBound, "42", "unknown", "c", "c"]);
    expect(rows.map((r) => r.endpoint)).toEqual([atBound, "e", "unknown", "e", "e"]);
    expect(rows.map((r) => r.seconds)).toEqual([NO_DURATION, NO_DURATION, NO_DURATION, 0, 0.001]);
    expect(answer.oddRows).toBe(4);
    expect(answer.invalidLabels).toBe(0);
  });

  it("leaves out, and counts, a row whose config or endpoint the label check refuses", () => {
    const refused = ["a".repeat(129), "\ud800", "\udc00", "a\nb", "\u202ex"];
    const answer = parseUsageAnswer(
      body([
        ...refused.map((config, i) => ({ jobid: `c${i}`, config, endpoint: "e", code: 201 })),
        ...refused.map((endpoint, i) => ({ jobid: `e${i}`, config: "c", endpoint, code: 201 })),
        { jobid: "ok", config: "c", endpoint: "e", code: 201, msec: 1 },
      ]),
    );
    expect(answer.jobIds).toEqual(["ok"]);
    expect(answer.invalidLabels).toBe(10);
    expect(answer.listed).toBe(11);
  });

  it("skips rows without a usable jobid and counts them", () => {
    const answer = parseUsageAnswer(
      body([null, "x", [], {}, { jobid: 7 }, { jobid: "" }, { jobid: "j".repeat(257) }, row("ok")]),
    );
    expect(answer.jobIds).toEqual(["ok"]);
    expect(rowsOf(answer).map((r) => r.account)).toEqual(["111"]);
    expect(answer.invalidRows).toBe(7);
    expect(answer.listed).toBe(8);
  });

  it("takes an answer without data as no rows, and refuses a wrong shape or bot", () => {
    expect(parseUsageAnswer({ bot: "minimax", date: "2026-02-13", total: 0 }).jobIds).toEqual([]);
    expect(() => parseUsageAnswer([])).toThrow(PayloadError);
    expect(() => parseUsageAnswer({ data: {} })).toThrow(PayloadError);
    expect(() => parseUsageAnswer({ bot: "kling", data: [] })).toThrow(PayloadError);
    const many = Array.from({ length: MAX_USAGE_ROWS + 1 }, () => 0);
    expect(() => parseUsageAnswer({ data: many })).toThrow(LimitError);
  });
});

describe("createRowMemory", () => {
  it("counts every row of the first answer, then only rows not seen in the last two answers", () => {
    const memory = createRowMemory();
    const take = (jobIds: readonly string[]) => {
      const taken = memory.take(jobIds);
      return { ...taken, fresh: [...taken.fresh] };
    };
    expect(take(["a", "b", "c"])).toEqual({ fresh: [0, 1, 2], duplicates: 0, first: true });
    expect(take(["d", "b", "c"]).fresh).toEqual([0]);
    // An answer that lacks what it listed before (lagging) recounts nothing after it.
    expect(take(["d"]).fresh).toEqual([]);
    expect(take(["e", "d", "b"]).fresh).toEqual([0]);
    expect(take(["e", "e", "f"])).toEqual({ fresh: [2], duplicates: 1, first: false });
  });

  it("keeps its memory through any number of empty answers", () => {
    const memory = createRowMemory();
    expect(memory.take([]).first).toBe(false);
    expect(memory.take(["a", "b"]).first).toBe(true);
    expect([...memory.take(["c"]).fresh]).toEqual([0]);
    for (let i = 0; i < 5; i++) expect(memory.take([]).fresh).toHaveLength(0);
    // a and b were in the last two non-empty answers, c in the last one.
    expect([...memory.take(["a", "b", "c", "d"]).fresh]).toEqual([3]);
  });
});

describe("createUsageSource", () => {
  it("counts each row exactly once across overlapping answers, in any order, late rows included", async () => {
    const s = source();
    s.take([row("r3"), row("r2"), row("r1")]); // newest first
    expect(await s.count()).toBe(3);
    // Oldest first, with a late row (r0, older than everything seen) and two new ones.
    s.take([row("r0"), row("r1"), row("r2"), row("r3"), row("r4"), row("r5", "111", 412)]);
    expect(await s.count()).toBe(5);
    expect(await s.count("111", 412)).toBe(1);
    // Shuffled, with a duplicate: nothing new but r6.
    s.take([row("r4"), row("r6"), row("r0"), row("r6"), row("r2")]);
    expect(await s.count()).toBe(6);
    expect(s.anomalies.get("usage_duplicate_row")).toBe(1);
    expect(s.anomalies.get("usage_rows_missed") ?? 0).toBe(0);
  });

  it("counts 100 rows once when two empty answers come between two answers listing them", async () => {
    for (const empties of [
      [
        { bot: "minimax", total: 0, data: [] },
        { bot: "minimax", total: 0, data: [] },
      ],
      [
        { bot: "minimax", total: 0 },
        { bot: "minimax", total: 0 },
      ],
      [
        { bot: "minimax", total: 0, data: [] },
        { bot: "minimax", total: 0 },
      ],
    ]) {
      const s = source();
      const rows = Array.from({ length: 100 }, (_, i) => row(`r${i}`));
      s.take(rows);
      let now = 0;
      for (const empty of empties) s.usage.update(s.usage.parse(empty), (now += 1000));
      s.take(rows);
      expect(await s.count()).toBe(100);
      expect(await samples(s.registry, "useapi_minimax_api_requests_total")).toHaveLength(1);
      expect(s.anomalies.get("usage_rows_missed") ?? 0).toBe(0);
    }
  });

  it("writes the duration histogram by endpoint from msec", async () => {
    const s = source();
    s.take([row("a", "1", 201, 400), row("b", "2", 201, 4000), row("c", "1", 429, 400_000)]);
    const name = "useapi_minimax_api_request_duration_seconds";
    const bucket = (le: string, n: number) =>
      `${name}_bucket{le="${le}",endpoint="post-videos-create"} ${n}`;
    expect(await samples(s.registry, name)).toEqual([
      bucket("0.5", 1),
      bucket("1", 1),
      bucket("2", 1),
      bucket("5", 2),
      ...["10", "20", "30", "60", "120", "300"].map((le) => bucket(le, 2)),
      bucket("+Inf", 3),
      `${name}_sum{endpoint="post-videos-create"} 404.4`,
      `${name}_count{endpoint="post-videos-create"} 3`,
    ]);
  });

  it("counts a full answer of only new rows as possibly missed rows, and warns once", async () => {
    const s = source(3);
    s.take([row("a"), row("b"), row("c")]); // the first answer: nothing to compare with
    expect(s.anomalies.get("usage_rows_missed") ?? 0).toBe(0);
    s.take([row("d"), row("e")]); // all new, but not full: everything fitted
    s.take([row("f"), row("g"), row("d")]); // full, one seen before
    expect(s.anomalies.get("usage_rows_missed") ?? 0).toBe(0);
    s.take([row("h"), row("i"), row("j")]);
    s.take([row("k"), row("l"), row("m")]);
    expect(s.anomalies.get("usage_rows_missed")).toBe(2);
    expect(await s.count()).toBe(13);
    const warnings = logRecords(s.logs).filter((r) => r.level === "warn");
    expect(warnings).toEqual([expect.objectContaining({ source: "usage", rows: 3, limit: 3 })]);
  });

  it("counts odd and invalid rows as anomalies, still counting the odd ones", async () => {
    const s = source();
    s.take([{ jobid: "a", config: "111", endpoint: "post-videos-create", code: 700 }, { x: 1 }]);
    expect(await s.count("111", "unknown" as unknown as number)).toBe(1);
    expect(s.anomalies.get("usage_odd_row")).toBe(1);
    expect(s.anomalies.get("usage_invalid_row")).toBe(1);
  });
});

describe("createUsageMetrics", () => {
  const r = (account: string, endpoint: string, code = "201") =>
    [ownLabel(account), ownLabel(endpoint), ownLabel(code), 1] as const;

  it("folds series beyond the bound into account and endpoint other, keeping the code", async () => {
    const registry = new MetricRegistry();
    const metrics = createUsageMetrics(registry, 2, 1);
    expect(metrics.record(...r("a", "e1"))).toBe(true);
    expect(metrics.record(...r("other", "other", "412"))).toBe(true);
    expect(metrics.record(...r("b", "e1", "412"))).toBe(false);
    expect(metrics.record(...r("c", "e2", "596"))).toBe(false);
    expect(metrics.record(...r("a", "e1"))).toBe(true);
    expect(await samples(registry, "useapi_minimax_api_requests_total")).toEqual([
      'useapi_minimax_api_requests_total{account="a",endpoint="e1",code="201"} 2',
      'useapi_minimax_api_requests_total{account="other",endpoint="other",code="412"} 2',
      'useapi_minimax_api_requests_total{account="other",endpoint="other",code="596"} 1',
    ]);
    expect(await samples(registry, "useapi_minimax_api_request_duration_seconds_count")).toEqual([
      'useapi_minimax_api_request_duration_seconds_count{endpoint="e1"} 3',
      'useapi_minimax_api_request_duration_seconds_count{endpoint="other"} 2',
    ]);
    expect([...metrics.byCode()]).toEqual([
      ["201", 2],
      ["412", 2],
      ["596", 1],
    ]);
  });

  it("keeps every series across renderings: totals since start", async () => {
    const registry = new MetricRegistry();
    const metrics = createUsageMetrics(registry);
    metrics.record(...r("a", "e1"));
    await registry.metrics();
    metrics.record(...r("b", "e2", "412"));
    expect(await samples(registry, "useapi_minimax_api_requests_total{")).toEqual([
      'useapi_minimax_api_requests_total{account="a",endpoint="e1",code="201"} 1',
      'useapi_minimax_api_requests_total{account="b",endpoint="e2",code="412"} 1',
    ]);
    expect(await samples(registry, "useapi_minimax_api_request_duration_seconds_count")).toEqual([
      'useapi_minimax_api_request_duration_seconds_count{endpoint="e1"} 1',
      'useapi_minimax_api_request_duration_seconds_count{endpoint="e2"} 1',
    ]);
  });

  it("holds at most the bound plus one series per code however many accounts appear", async () => {
    const registry = new MetricRegistry();
    const metrics = createUsageMetrics(registry, 1000, 50);
    for (let i = 0; i < 20_000; i++)
      metrics.record(...r(`acct${i}`, `ep${i % 300}`, String(200 + (i % 3))));
    expect(await samples(registry, "useapi_minimax_api_requests_total{")).toHaveLength(1003);
    expect(
      await samples(registry, "useapi_minimax_api_request_duration_seconds_count{"),
    ).toHaveLength(51);
  });

  it("escapes label values", async () => {
    const registry = new MetricRegistry();
    const metrics = createUsageMetrics(registry);
    metrics.record(...r('a"b\\cd', "e"));
    expect(await samples(registry, "useapi_minimax_api_requests_total{")).toEqual([
      'useapi_minimax_api_requests_total{account="a\\"b\\\\cd",endpoint="e",code="201"} 1',
    ]);
  });

  it("shows the families' HELP and TYPE lines before any row is counted, and no sample", async () => {
    const registry = new MetricRegistry();
    createUsageMetrics(registry);
    expect(await registry.metrics()).toBe(
      "# HELP useapi_minimax_api_requests_total Requests of this token's clients that useapi.net recorded (GET /v2/account/stats), by account (the row's config), endpoint and HTTP code.\n" +
        "# TYPE useapi_minimax_api_requests_total counter\n\n" +
        "# HELP useapi_minimax_api_request_duration_seconds Duration of the requests useapi.net recorded (msec of GET /v2/account/stats), by endpoint.\n" +
        "# TYPE useapi_minimax_api_request_duration_seconds histogram\n",
    );
  });
});
