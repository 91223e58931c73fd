import { readdirSync, readFileSync } from "node:fs";
import { sep } from "node:path";
import { describe, expect, it } from "vitest";
import { envName, FLAGS } from "../../src/config/config.js";
import { scrape, startStack } from "../harness.js";
import { ANOMALY_KINDS } from "../../src/sources/jobs/snapshot.js";
import { SCHEDULER_ANOMALY_KINDS } from "../../src/sources/scheduler/snapshot.js";
import { OUTCOMES } from "../../src/upstream/outcome.js";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

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

/** The rows of the "Layout of src/" table: a folder, its files, their job. */
function layoutRows(): string[][] {
  const match = /<!-- layout:start -->([\s\S]*?)<!-- layout:end -->/.exec(readme);
  if (match === null)
    throw new Error("README.md has no <!-- layout:start --> … <!-- layout:end -->");
  return (match[1] ?? "")
    .split("\n")
    .filter((line) => line.startsWith("| ") && !line.startsWith("| Folder ") && !/^\| -/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split(" | ")
        .map((cell) => cell.trim()),
    );
}

/** `src/…/file.ts` for every row's file, or the row itself when it is not `folder/` | `a.ts`, `b.ts` | job. */
function layoutFiles(rows: string[][]): { files: string[]; malformed: string[] } {
  const files: string[] = [];
  const malformed: string[] = [];
  for (const cells of rows) {
    const folder = /^`(src\/(?:[a-z0-9-]+\/)*)`$/.exec(cells[0] ?? "")?.[1];
    const cell = (cells[1] ?? "").split(", ");
    const names = cell.flatMap((name) => /^`([a-z0-9-]+\.ts)`$/.exec(name)?.[1] ?? []);
    if (
      cells.length !== 3 ||
      folder === undefined ||
      names.length !== cell.length ||
      cells[2] === ""
    ) {
      malformed.push(`| ${cells.join(" | ")} |`);
      continue;
    }
    for (const name of names) files.push(folder + name);
  }
  return { files, malformed };
}

const sourceFiles = readdirSync(new URL("../../src", import.meta.url), {
  recursive: true,
  encoding: "utf8",
})
  .map((path) => `src/${path.split(sep).join("/")}`)
  .filter((path) => path.endsWith(".ts"));

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
    const stack = await startStack({
      flags: ["--accounts.interval=1m", "--jobs.resolve-status=true", "--scheduler.interval=1h"],
    });
    const text = await scrape(stack);
    await stack.close();
    const names = [...text.matchAll(/^# TYPE (useapi_minimax_\w+)/gm)].map((m) => m[1]);
    const documented = rows
      .map((cells) => /^`(useapi_minimax_[a-z_]+)`$/.exec(cells[0] ?? "")?.[1])
      .filter((name) => name !== undefined);
    expect(documented.sort()).toEqual(names.sort());
  });

  it("names every outcome and anomaly kind", () => {
    for (const name of [...OUTCOMES, ...ANOMALY_KINDS, ...SCHEDULER_ANOMALY_KINDS])
      expect(readme).toContain(`\`${name}\``);
  });

  it("shows the sample from the golden file of the documented payload", () => {
    const golden = readFileSync(new URL("../golden/doc-payload.metrics", import.meta.url), "utf8");
    const sample = golden
      .split("\n")
      .filter((l) => !l.includes("_bucket{") && l !== "")
      .join("\n");
    expect(readme).toContain("```text\n" + sample + "\n```");
  });

  it("names every file of src/ in the layout section, and no other", () => {
    const { files, malformed } = layoutFiles(layoutRows());
    expect.soft(malformed, "rows that are not `src/folder/` | `a.ts`, `b.ts` | job").toEqual([]);
    expect(files.length).toBeGreaterThan(0);
    const unnamed = sourceFiles.filter((file) => !files.includes(file));
    expect
      .soft(unnamed, "files under src/ that the README's layout section does not name")
      .toEqual([]);
    const missing = files.filter((file) => !sourceFiles.includes(file));
    expect
      .soft(missing, "files the README's layout section names that are not in src/")
      .toEqual([]);
    const twice = files.filter((file, i) => files.indexOf(file) !== i);
    expect.soft(twice, "files the README's layout section names twice").toEqual([]);
  });

  it("lists every alert of prometheus/alerts.yml with its severity", () => {
    const rules = readFileSync(new URL("../../prometheus/alerts.yml", import.meta.url), "utf8");
    const alerts = [...rules.matchAll(/- alert: (\w+)[\s\S]*?severity: (\w+)/g)];
    expect(alerts.length).toBeGreaterThanOrEqual(7);
    for (const [, name, severity] of alerts) {
      expect(rows.find((cells) => cells[0] === `\`${name}\``)?.[1]).toBe(severity);
    }
  });
});
