import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { envName, FLAGS } from "../src/config/config.js";
import { scrape, startStack } from "./harness.js";
import { ANOMALY_KINDS } from "../src/sources/jobs/snapshot.js";
import { OUTCOMES } from "../src/upstream/outcome.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

/** The cells of every Markdown table row, trimmed, so that Prettier's alignment does not matter. */
const rows = readme
  .split("\n")
  .filter((line) => line.startsWith("| "))
  .map((line) =>
    line
      .slice(1, -1)
      .split(" | ")
      .map((cell) => cell.trim()),
  );

describe("README", () => {
  it.each(FLAGS.map((f) => [f.name, f] as const))(
    "documents the flag --%s as the code defines it",
    (_n, flag) => {
      const variable = envName(flag.name);
      expect(rows).toContainEqual([
        `\`--${flag.name}\``,
        variable === undefined ? "" : `\`${variable}\``,
        flag.default === "" ? "" : `\`${flag.default}\``,
        flag.help,
      ]);
    },
  );

  it("documents every metric the exporter registers, and no other", async () => {
    const stack = await startStack({ accountsIntervalMs: 60_000, resolveJobStatus: true });
    const text = await scrape(stack);
    await stack.close();
    const names = [...text.matchAll(/^# TYPE (useapi_minimax_\w+)/gm)].map((m) => m[1]);
    const documented = rows
      .map((cells) => /^`(useapi_minimax_[a-z_]+)`$/.exec(cells[0] ?? "")?.[1])
      .filter((name) => name !== undefined);
    expect(documented.sort()).toEqual(names.sort());
  });

  it("names every outcome and anomaly kind", () => {
    for (const name of [...OUTCOMES, ...ANOMALY_KINDS]) expect(readme).toContain(`\`${name}\``);
  });

  it("shows the sample from the golden file of the documented payload", () => {
    const golden = readFileSync(new URL("golden/doc-payload.metrics", import.meta.url), "utf8");
    const sample = golden
      .split("\n")
      .filter((l) => !l.includes("_bucket{") && l !== "")
      .join("\n");
    expect(readme).toContain("```text\n" + sample + "\n```");
  });

  it("lists every alert of prometheus/alerts.yml with its severity", () => {
    const rules = readFileSync(new URL("../prometheus/alerts.yml", import.meta.url), "utf8");
    const alerts = [...rules.matchAll(/- alert: (\w+)[\s\S]*?severity: (\w+)/g)];
    expect(alerts.length).toBeGreaterThanOrEqual(7);
    for (const [, name, severity] of alerts) {
      expect(rows.find((cells) => cells[0] === `\`${name}\``)?.[1]).toBe(severity);
    }
  });
});
