import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { haveBinary } from "../binaries.js";

// Tiny runs of bench/flood.js over dist/ (built by the global setup), so that it cannot rot.
// Times vary by machine: nothing here asserts one.

interface FloodRow {
  path: string;
  connections: number;
  scrapes: number;
  successRate: number;
  p95Ms: number | null;
  polls: number;
  flood: Record<string, number>;
}

interface ComparisonRow {
  server: string;
  goodScrapes: number;
  successPercent: number;
  p50Ms: number | null;
  p95Ms: number | null;
  worstMs: number | null;
  floodSent: number;
  answered: { 401: number; 503: number; other: number };
  connectionErrors: number;
  floodConnections: number;
  floodAnsweredSec: number;
  polls: number | null;
}

interface FloodModule {
  runFlood: (o: object) => Promise<FloodRow[]>;
  runFloodComparison: (o: object) => Promise<{
    rows: ComparisonRow[];
    settings: { wrongPasswords: number; seconds: number; blackbox: { version: string } };
  }>;
}

const load = async () =>
  (await import(fileURLToPath(new URL("../../bench/flood.js", import.meta.url)))) as FloodModule;

describe("the flood benchmark (a smoke run)", { timeout: 120_000 }, () => {
  it("floods an exporter in a child process and reports the good scraper and the polls", async () => {
    const { runFlood } = await load();
    const rows = await runFlood({ seconds: 0.3, connections: [2], paths: ["/no-such-path"] });
    expect(rows).toHaveLength(1);
    const [row] = rows as [FloodRow];
    expect(row).toMatchObject({ path: "/no-such-path", connections: 2 });
    expect(row.scrapes).toBeGreaterThanOrEqual(1);
    expect(Number.isInteger(row.polls)).toBe(true);
    const answers = Object.keys(row.flood);
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.every((status) => status === "401" || status === "503")).toBe(true);
  });

  it("names the binary and the Debian package when blackbox_exporter is missing", async () => {
    const { runFloodComparison } = await load();
    await expect(
      runFloodComparison({ blackbox: "/nonexistent/prometheus-blackbox-exporter" }),
    ).rejects.toThrow(
      /\/nonexistent\/prometheus-blackbox-exporter .*Debian package prometheus-blackbox-exporter/,
    );
  });

  it.runIf(haveBinary("prometheus-blackbox-exporter", "prometheus-blackbox-exporter"))(
    "floods this exporter and blackbox_exporter one after the other with the same web config",
    async () => {
      const { runFloodComparison } = await load();
      const { rows, settings } = await runFloodComparison({ wrongPasswords: 10, seconds: 0.5 });
      expect(settings).toMatchObject({ wrongPasswords: 10, seconds: 0.5 });
      expect(rows.map((r) => r.server)).toEqual([
        "useapi-minimax-exporter",
        `blackbox_exporter ${settings.blackbox.version}`,
      ]);
      for (const row of rows) {
        expect(row.floodSent).toBe(10);
        const { 401: unauthorized, 503: busy, other } = row.answered;
        expect(unauthorized + busy + other + row.connectionErrors).toBe(row.floodSent);
        // every flood request carries a wrong password: none may be let through
        expect(other).toBe(0);
        expect(row.goodScrapes).toBeGreaterThanOrEqual(1);
        expect(row.successPercent).toBeGreaterThanOrEqual(0);
        expect(row.successPercent).toBeLessThanOrEqual(100);
        for (const ms of [row.p50Ms, row.p95Ms, row.worstMs]) {
          expect(Number.isFinite(ms)).toBe(true);
        }
        expect(row.p50Ms).toBeLessThanOrEqual(row.worstMs as number);
        expect(row.floodConnections).toBeGreaterThanOrEqual(1);
        expect(Number.isFinite(row.floodAnsweredSec)).toBe(true);
      }
      expect(Number.isInteger(rows[0]?.polls)).toBe(true);
      expect(rows[1]?.polls).toBeNull();
    },
  );
});
