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
