import { existsSync, readdirSync, readFileSync } from "node:fs";
import { sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { FLAGS } from "../../src/cli.js";
import { envName } from "../../src/config/config.js";
import { scrape, startStack } from "../harness.js";
import { ANOMALY_KINDS } from "../../src/sources/jobs/snapshot.js";
import { SCHEDULER_ANOMALY_KINDS } from "../../src/sources/scheduler/snapshot.js";
import { OUTCOMES } from "../../src/upstream/outcome.js";
import { SOURCE_MODULES } from "../../src/sources/index.js";
import { alertRules, recordingRules } from "../alert-rules.js";
import {
  anchors,
  DOCS_PAGES,
  localLinks,
  marked,
  readDoc,
  ROOT_URL,
  tableRows,
} from "../markdown.js";

const ALERTS = alertRules(readDoc("prometheus/alerts.yml"));
const RECORDS = recordingRules(readDoc("prometheus/rules.yml"));

/** An expression and those of the recording rules it reads, and of the rules those read. */
function readThrough(expr: string): string[] {
  const read = [expr];
  for (let i = 0; i < read.length; i++)
    for (const rule of RECORDS)
      if (read[i]?.includes(rule.record) === true && !read.includes(rule.expr))
        read.push(rule.expr);
  return read;
}

const README = readDoc("README.md");
const FLAGS_PAGE = readDoc("docs/flags.md");
const METRICS_PAGE = readDoc("docs/metrics.md");
const ALERTS_PAGE = readDoc("docs/alerts.md");
const DEVELOPMENT_PAGE = readDoc("docs/development.md");

/** The rows of the "Layout of src/" table: a folder, its files, their job. */
const layoutRows = (): string[][] =>
  tableRows(marked(DEVELOPMENT_PAGE, "layout", "docs/development.md")).filter(
    (cells) => cells[0] !== "Folder" && !/^-/.test(cells[0] ?? ""),
  );

/** The metric named in the first cell of each row, `useapi_minimax_*` only. */
const metricsOf = (rows: string[][]): string[] =>
  rows
    .map((cells) => /^`(useapi_minimax_[a-z_]+)`$/.exec(cells[0] ?? "")?.[1])
    .filter((name) => name !== undefined);

/** The families of a scrape with every source on. */
async function registeredMetrics(): Promise<string[]> {
  const stack = await startStack({
    flags: [
      "--accounts.interval=1m",
      "--jobs.resolve-status=true",
      "--scheduler.interval=1h",
      "--subscription.interval=1h",
      "--credits.interval=1h",
      "--usage.interval=1h",
    ],
  });
  const text = await scrape(stack);
  await stack.close();
  return [...text.matchAll(/^# TYPE (useapi_minimax_\w+)/gm)].flatMap((m) => m[1] ?? []);
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

describe("docs/flags.md", () => {
  it.each(FLAGS.map((f) => [f.name, f] as const))(
    "documents the flag --%s as the code defines it",
    (_n, flag) => {
      const variable = envName(flag);
      expect(tableRows(marked(FLAGS_PAGE, "flags", "docs/flags.md"))).toContainEqual([
        `\`--${flag.name}\``,
        variable === undefined ? "" : `\`${variable}\``,
        flag.default === "" ? "" : `\`${flag.default}\``,
        flag.help,
      ]);
    },
  );
});

describe("docs/metrics.md", () => {
  it("documents every metric the exporter registers, and no other", async () => {
    const names = await registeredMetrics();
    expect(metricsOf(tableRows(METRICS_PAGE)).sort()).toEqual(names.sort());
  });

  it("names every source module as its source label", () => {
    for (const { name } of SOURCE_MODULES) expect(METRICS_PAGE).toContain(`\`${name}\``);
  });

  it("names every outcome and anomaly kind", () => {
    const kinds = SOURCE_MODULES.flatMap((module) => module.anomalyKinds);
    expect(kinds).toEqual(expect.arrayContaining([...ANOMALY_KINDS, ...SCHEDULER_ANOMALY_KINDS]));
    for (const name of [...OUTCOMES, ...kinds]) expect(METRICS_PAGE).toContain(`\`${name}\``);
  });

  it("shows the sample from the golden file of the documented payload", () => {
    const golden = readFileSync(new URL("../golden/doc-payload.metrics", import.meta.url), "utf8");
    const sample = golden
      .split("\n")
      .filter((l) => !l.includes("_bucket{") && l !== "")
      .join("\n");
    expect(marked(METRICS_PAGE, "sample", "docs/metrics.md")).toContain(
      "```text\n" + sample + "\n```",
    );
  });
});

describe("docs/development.md", () => {
  it("names every file of src/ in the layout section, and no other", () => {
    const { files, malformed } = layoutFiles(layoutRows());
    expect.soft(malformed, "rows that are not `src/folder/` | `a.ts`, `b.ts` | job").toEqual([]);
    const unnamed = sourceFiles.filter((file) => !files.includes(file));
    expect.soft(unnamed, "files under src/ that the layout section does not name").toEqual([]);
    const missing = files.filter((file) => !sourceFiles.includes(file));
    expect.soft(missing, "files the layout section names that are not in src/").toEqual([]);
    const twice = files.filter((file, i) => files.indexOf(file) !== i);
    expect.soft(twice, "files the layout section names twice").toEqual([]);
    expect(files.length, "files named, one for each file of src/").toBe(sourceFiles.length);
  });
});

describe("docs/alerts.md", () => {
  it("lists every alert of prometheus/alerts.yml with its severity", () => {
    const rows = tableRows(ALERTS_PAGE);
    for (const rule of ALERTS) {
      expect(rows.find((cells) => cells[0] === `\`${rule.alert}\``)?.[1], rule.alert).toBe(
        rule.labels["severity"],
      );
    }
  });
});

describe("README", () => {
  /** The rows of the "What to alert on" table: metric, labels, when, alerts. */
  const alertOnRows = tableRows(README).filter((cells) => metricsOf([cells]).length === 1);

  it("stays short: at most 30 KB, the reference in docs/", () => {
    expect(Buffer.byteLength(README)).toBeLessThanOrEqual(30_000);
  });

  it("names, in its short table, only metrics the exporter registers, with their labels", async () => {
    const names = await registeredMetrics();
    const reference = tableRows(METRICS_PAGE);
    expect(alertOnRows.length).toBeGreaterThanOrEqual(8);
    for (const [metric = "", labels] of alertOnRows) {
      const name = metric.slice(1, -1);
      expect(names, metric).toContain(name);
      expect(reference.find((cells) => cells[0] === metric)?.[2], metric).toBe(labels);
    }
  });

  it("names, for each metric of its short table, alerts that read it (directly or through a recording rule)", () => {
    for (const [metric = "", , , alertsCell = ""] of alertOnRows) {
      const name = metric.slice(1, -1);
      const alerts = [...alertsCell.matchAll(/`(\w+)`/g)].map((m) => m[1] ?? "");
      expect(alerts.length, metric).toBeGreaterThan(0);
      for (const alert of alerts) {
        const expr = ALERTS.find((rule) => rule.alert === alert)?.expr;
        expect(expr, `${alert} in prometheus/alerts.yml`).toBeDefined();
        const read = readThrough(expr ?? "");
        expect(
          read.some((e) => new RegExp(`\\b${name}\\b`).test(e)),
          `${alert} reads ${name}`,
        ).toBe(true);
      }
    }
  });

  it("says it exports agent jobs, generations and accounts, as package.json's description does", () => {
    const intro = README.slice(0, README.indexOf("\n## "));
    const { description } = JSON.parse(readDoc("package.json")) as { description: string };
    for (const text of [intro, description]) {
      expect(text).toMatch(/agent jobs/);
      expect(text).toMatch(/generations/);
      expect(text).toMatch(/accounts/);
    }
  });

  it("links every page of docs/", () => {
    const links = localLinks(README).map((target) => target.split("#")[0]);
    const unlinked = DOCS_PAGES.filter((page) => !links.includes(page));
    expect(unlinked).toEqual([]);
  });

  it.each(["README.md", ...DOCS_PAGES])("%s links only files and headings that exist", (page) => {
    const broken: string[] = [];
    for (const target of localLinks(readDoc(page))) {
      const [path = "", fragment] = target.split("#");
      const file = path === "" ? page : fileURLToPath(new URL(path, new URL(page, ROOT_URL)));
      const text =
        path === "" ? readDoc(page) : existsSync(file) ? readFileSync(file, "utf8") : undefined;
      if (text === undefined) broken.push(`${target}: no such file`);
      else if (fragment !== undefined && !anchors(text).includes(fragment))
        broken.push(`${target}: no such heading`);
    }
    expect(broken).toEqual([]);
  });
});
