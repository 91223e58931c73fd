import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// A tiny run of bench/flood.js over dist/ (built by the global setup), so that it cannot rot.
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

describe("the flood benchmark (a smoke run)", { timeout: 120_000 }, () => {
  it("floods an exporter in a child process and reports the good scraper and the polls", async () => {
    const path = fileURLToPath(new URL("../../bench/flood.js", import.meta.url));
    const { runFlood } = (await import(path)) as {
      runFlood: (o: object) => Promise<FloodRow[]>;
    };
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
});
