import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Tiny runs of bench/hostile-memory.js and bench/scan-cost.js (over dist/, which the global setup
// builds), so that the scripts cannot rot. No test asserts a time or a size.

interface HostileRow {
  body: string;
  bytes: number;
  outcome: string;
  peakMb: number;
  slowestHealthyMs: number;
  healthyAnswers: number;
}
interface ScanCost {
  bytes: number;
  jsonParseMs: number;
  scanMs: number;
  redactMs: number;
  scanRatio: number;
}

const script = (name: string) => fileURLToPath(new URL(`../../bench/${name}.js`, import.meta.url));

describe("the hostile-answer benchmarks (smoke runs)", { timeout: 120_000 }, () => {
  it("polls a hostile answer in a fresh exporter and reads its peak RSS", async () => {
    const { runHostileMemory } = (await import(script("hostile-memory"))) as {
      runHostileMemory: (o: { names: string[] }) => Promise<HostileRow[]>;
    };
    const rows = await runHostileMemory({ names: ["harmless", "nested [] as an account ID"] });
    expect(rows.map((r) => r.outcome)).toEqual(["success", "invalid_json"]);
    for (const row of rows) {
      expect(row.peakMb).toBeGreaterThan(0);
      expect(row.healthyAnswers).toBeGreaterThan(0);
      expect(Number.isFinite(row.slowestHealthyMs)).toBe(true);
    }
    expect(rows[1]?.bytes).toBeGreaterThan(4_000_000);
  });

  it("lists issue 26's credits body, served to every account's credits call, under the cap", async () => {
    const { BODIES, bodyTarget, CREDITS_ACCOUNTS } = (await import(script("hostile-memory"))) as {
      BODIES: Record<string, () => string>;
      bodyTarget: (name: string) => string;
      CREDITS_ACCOUNTS: number;
    };
    const names = Object.keys(BODIES).filter((name) => bodyTarget(name) === "credits");
    expect(names).toEqual(["100,000 credit batches, each of 40 accounts (credits)"]);
    expect(CREDITS_ACCOUNTS).toBe(40);
    const text = BODIES[names[0] ?? ""]?.() ?? "";
    expect(text.length).toBeGreaterThan(3 * 2 ** 20);
    expect(text.length).toBeLessThan(4 * 2 ** 20);
    const body = JSON.parse(text) as { creditExpireText: unknown[] };
    expect(body.creditExpireText).toHaveLength(100_000);
  });

  it("times the scan and the redaction against JSON.parse", async () => {
    const { runScanCost } = (await import(script("scan-cost"))) as {
      runScanCost: (o: { cap: number; iterations: number }) => ScanCost;
    };
    const result = runScanCost({ cap: 64 * 1024, iterations: 1 });
    expect(result.bytes).toBeLessThanOrEqual(64 * 1024);
    expect(result.jsonParseMs).toBeGreaterThan(0);
    for (const value of [result.scanMs, result.redactMs, result.scanRatio]) {
      expect(Number.isFinite(value) && value >= 0).toBe(true);
    }
  });
});
