import { readFileSync } from "node:fs";
import { defaultDashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { describe, expect, it } from "vitest";
import {
  DASHBOARD_UID,
  buildDashboard,
  dashboardPanels,
  dashboardQueries,
  serializeDashboard,
} from "../grafana/dashboard.js";

const DASHBOARD_FILE = new URL("../grafana/dashboard.json", import.meta.url);
const DATASOURCE = { type: "prometheus", uid: "${datasource}" };
const PER_ACCOUNT_METRIC = /useapi_minimax_agent_\w+/;

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const model = buildDashboard() as Json;
const panels = dashboardPanels(model);
const contentPanels = panels.filter((panel) => panel["type"] !== "row");

function panelTitled(title: string): Json {
  const panel = panels.find((candidate) => candidate["title"] === title);
  if (!panel) throw new Error(`no panel titled ${title}`);
  return panel;
}

function variable(name: string): Json {
  const templating = model["templating"];
  const list = isRecord(templating) && Array.isArray(templating["list"]) ? templating["list"] : [];
  const found: unknown = list.find((entry) => isRecord(entry) && entry["name"] === name);
  if (!isRecord(found)) throw new Error(`no variable named ${name}`);
  return found;
}

/** Every value held under a "datasource" key anywhere in the tree, with its JSON path. */
function datasourceRefs(value: unknown, path = "$"): { path: string; ref: unknown }[] {
  if (Array.isArray(value))
    return value.flatMap((item, i) => datasourceRefs(item, `${path}[${i}]`));
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([key, child]) => [
    ...(key === "datasource" ? [{ path: `${path}.${key}`, ref: child }] : []),
    ...datasourceRefs(child, `${path}.${key}`),
  ]);
}

describe("the Grafana dashboard", () => {
  it("is committed exactly as grafana/generate.ts writes it", async () => {
    const committed = readFileSync(DASHBOARD_FILE, "utf8");
    const generated = await serializeDashboard(buildDashboard());
    expect(committed, "grafana/dashboard.json is out of date: run npm run dashboard").toBe(
      generated,
    );
  });

  it("has a stable uid and the schema version of the foundation SDK", () => {
    expect(model["uid"]).toBe(DASHBOARD_UID);
    expect(DASHBOARD_UID).toBe("useapi-minimax-exporter");
    expect(model["schemaVersion"]).toBe(defaultDashboard().schemaVersion);
    expect(model["title"]).toBe("useapi.net MiniMax");
    expect(model["refresh"]).toBe("30s");
    expect(model["time"]).toEqual({ from: "now-6h", to: "now" });
  });

  it("refers to no data source but the one picked in the datasource variable", () => {
    const refs = datasourceRefs(model);
    expect(refs.length).toBeGreaterThan(contentPanels.length);
    expect(refs.filter(({ ref }) => !isRecord(ref) || ref["uid"] !== DATASOURCE.uid)).toEqual([]);
    expect(refs.filter(({ ref }) => !isRecord(ref) || ref["type"] !== DATASOURCE.type)).toEqual([]);
  });

  it("sets the data source on every panel and every query", () => {
    for (const panel of contentPanels) {
      expect(panel["datasource"], String(panel["title"])).toEqual(DATASOURCE);
      const targets = Array.isArray(panel["targets"]) ? (panel["targets"] as unknown[]) : [];
      expect(targets.length, String(panel["title"])).toBeGreaterThan(0);
      for (const target of targets) {
        expect(isRecord(target) && target["datasource"], String(panel["title"])).toEqual(
          DATASOURCE,
        );
      }
    }
  });

  it("describes what every panel shows, the panels inside rows included", () => {
    expect(contentPanels.length).toBeGreaterThan(0);
    const undescribed = contentPanels
      .filter(
        (panel) => typeof panel["description"] !== "string" || panel["description"].trim() === "",
      )
      .map((panel) => panel["title"]);
    expect(undescribed).toEqual([]);
  });

  it("offers the datasource, job, instance and account variables", () => {
    expect(variable("datasource")).toMatchObject({ type: "datasource", query: "prometheus" });
    expect(variable("job")).toMatchObject({
      type: "query",
      query: "label_values(useapi_minimax_up, job)",
      datasource: DATASOURCE,
      multi: true,
      includeAll: true,
    });
    expect(variable("instance")).toMatchObject({
      type: "query",
      query: 'label_values(useapi_minimax_up{job=~"$job"}, instance)',
      datasource: DATASOURCE,
      multi: true,
      includeAll: true,
    });
    expect(variable("account")).toMatchObject({
      type: "query",
      query:
        'label_values(useapi_minimax_agent_jobs_executing{job=~"$job", instance=~"$instance"}, account)',
      datasource: DATASOURCE,
      multi: true,
      includeAll: true,
    });
  });

  it.each([
    ["Jobs executing now", "stat"],
    ["Jobs executing per account", "timeseries"],
    ["Longest-running job per account", "timeseries"],
    ["Accounts configured", "stat"],
    ["Per-account summary", "table"],
    ["Exporter health", "row"],
    ["Upstream up", "stat"],
    ["Age of last successful poll", "stat"],
    ["Poll outcomes per second", "timeseries"],
    ["Poll duration quantiles", "timeseries"],
    ["Payload anomalies", "timeseries"],
  ])("has the panel %s, of type %s", (title, type) => {
    expect(panelTitled(title)["type"]).toBe(type);
  });

  it("gives every panel a unique id", () => {
    const ids = panels.map((panel) => panel["id"]);
    expect(ids.every((id) => typeof id === "number" && id > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("draws the 15-minute job expiry as a threshold line on the longest-running job panel", () => {
    const panel = panelTitled("Longest-running job per account");
    const defaults = (panel["fieldConfig"] as Json)["defaults"] as Json;
    const steps = (defaults["thresholds"] as Json)["steps"] as Json[];
    expect(steps.map((step) => step["value"])).toContain(900);
    expect((defaults["custom"] as Json)["thresholdsStyle"]).toEqual({ mode: "line" });
    expect(defaults["unit"]).toBe("s");
  });

  it("maps the upstream's up value to UP and DOWN", () => {
    const defaults = (panelTitled("Upstream up")["fieldConfig"] as Json)["defaults"] as Json;
    expect(defaults["mappings"]).toEqual([
      {
        type: "value",
        options: {
          "0": { text: "DOWN", color: "red", index: 1 },
          "1": { text: "UP", color: "green", index: 0 },
        },
      },
    ]);
  });

  it("filters every query by job and instance, and the per-account ones by account too", () => {
    const queries = dashboardQueries(model);
    expect(new Set(queries.map(({ panel }) => panel))).toEqual(
      new Set(contentPanels.map((panel) => panel["title"])),
    );
    for (const { panel, expr } of queries) {
      expect(expr, panel).toContain('job=~"$job", instance=~"$instance"');
      if (PER_ACCOUNT_METRIC.test(expr)) expect(expr, panel).toContain('account=~"$account"');
    }
  });

  it("labels the poll duration quantiles p50, p90 and p99", () => {
    const targets = panelTitled("Poll duration quantiles")["targets"] as Json[];
    expect(targets.map((target) => [target["legendFormat"], target["expr"]])).toEqual([
      ["p50", expect.stringMatching(/^histogram_quantile\(0\.5, /)],
      ["p90", expect.stringMatching(/^histogram_quantile\(0\.9, /)],
      ["p99", expect.stringMatching(/^histogram_quantile\(0\.99, /)],
    ]);
  });

  it("reads the per-account table with instant table queries merged into one row per account", () => {
    const panel = panelTitled("Per-account summary");
    const targets = panel["targets"] as Json[];
    expect(targets).toHaveLength(3);
    for (const target of targets) expect(target).toMatchObject({ instant: true, format: "table" });
    const transformations = panel["transformations"] as Json[];
    expect(transformations.map((step) => step["id"])).toEqual(["merge", "organize"]);
  });
});

describe("dashboardQueries", () => {
  it("lists the queries of panels inside collapsed rows with their panel's title", () => {
    const collapsed = {
      panels: [
        { type: "stat", title: "Top", targets: [{ refId: "A", expr: "up" }] },
        {
          type: "row",
          title: "Row",
          collapsed: true,
          panels: [{ type: "timeseries", title: "Inner", targets: [{ expr: "vector(1)" }, {}] }],
        },
      ],
    };
    expect(dashboardQueries(collapsed)).toEqual([
      { panel: "Top", expr: "up" },
      { panel: "Inner", expr: "vector(1)" },
    ]);
  });
});
