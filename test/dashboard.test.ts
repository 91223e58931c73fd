import { readFileSync } from "node:fs";
import { defaultDashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { describe, expect, it } from "vitest";
import { ALERT_THRESHOLDS } from "../grafana/alert-thresholds.js";
import { DASHBOARD_UID, buildDashboard, serializeDashboard } from "../grafana/dashboard.js";
import { alertRules, ruleThreshold, thresholdMismatches } from "./alert-rules.js";
import {
  type Json,
  type ThresholdStep,
  dashboardPanels,
  dashboardQueries,
  dashboardThresholdSteps,
  isRecord,
} from "./dashboard-model.js";

const DASHBOARD_FILE = new URL("../grafana/dashboard.json", import.meta.url);
const RULES_TEXT = readFileSync(new URL("../prometheus/alerts.yml", import.meta.url), "utf8");
const DATASOURCE = { type: "prometheus", uid: "${datasource}" };
const PER_ACCOUNT_METRIC = /useapi_minimax_(?:agent|account)_\w+/;
const SECONDS_PER_DAY = 86_400;

const model = buildDashboard() as Json;
const rules = alertRules(RULES_TEXT);
const panels = dashboardPanels(model);
const contentPanels = panels.filter((panel) => panel["type"] !== "row");

function panelTitled(title: string): Json {
  const panel = panels.find((candidate) => candidate["title"] === title);
  if (!panel) throw new Error(`no panel titled ${title}`);
  return panel;
}

function fieldDefaults(title: string): Json {
  return (panelTitled(title)["fieldConfig"] as Json)["defaults"] as Json;
}

const thresholdSteps = (defaults: Json): Json[] =>
  (defaults["thresholds"] as Json)["steps"] as Json[];

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
    ["Job lifecycle and capacity", "row"],
    ["Saturation per account", "timeseries"],
    ["Jobs started and finished per minute", "timeseries"],
    ["Failure ratio", "timeseries"],
    ["Job duration p50/p90/p99 per account", "timeseries"],
    ["Session expiry per account", "bargauge"],
    ["Upstream endpoints up by source", "state-timeline"],
  ])("has the panel %s, of type %s", (title, type) => {
    expect(panelTitled(title)["type"]).toBe(type);
  });

  it("gives every panel a unique id", () => {
    const ids = panels.map((panel) => panel["id"]);
    expect(ids.every((id) => typeof id === "number" && id > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("puts the lifecycle panels in their row and the endpoint health in the exporter health row", () => {
    const titles = panels.map((panel) => panel["title"]);
    const lifecycle = titles.indexOf("Job lifecycle and capacity");
    const health = titles.indexOf("Exporter health");
    expect(lifecycle).toBeGreaterThan(0);
    expect(health).toBeGreaterThan(lifecycle);
    for (const title of [
      "Saturation per account",
      "Jobs started and finished per minute",
      "Failure ratio",
      "Job duration p50/p90/p99 per account",
      "Session expiry per account",
    ]) {
      expect(titles.indexOf(title), title).toBeGreaterThan(lifecycle);
      expect(titles.indexOf(title), title).toBeLessThan(health);
    }
    expect(titles.indexOf("Upstream endpoints up by source")).toBeGreaterThan(health);
    const generations = titles.indexOf("Video and image generations");
    expect(generations).toBeGreaterThan(lifecycle);
    for (const title of [
      "Generations running per account and type",
      "Longest-running generation per account",
      "Video slots used and free per account",
      "Generations started and finished per minute",
      "Generation duration p50/p90/p99 per type",
    ]) {
      expect(titles.indexOf(title), title).toBeGreaterThan(generations);
      expect(titles.indexOf(title), title).toBeLessThan(health);
    }
  });

  it("draws the job expiry of UseapiMinimaxJobPastExpiry as a threshold line on the longest-running job panel", () => {
    const defaults = fieldDefaults("Longest-running job per account");
    const steps = thresholdSteps(defaults);
    expect(steps.map((step) => step["value"])).toEqual([
      null,
      ruleThreshold(rules, ALERT_THRESHOLDS.jobExpirySeconds),
    ]);
    expect((defaults["custom"] as Json)["thresholdsStyle"]).toEqual({ mode: "line" });
    expect(defaults["unit"]).toBe("s");
  });

  it.each(["Upstream up", "Upstream endpoints up by source"])(
    "maps the up values of %s to UP and DOWN",
    (title) => {
      expect(fieldDefaults(title)["mappings"]).toEqual([
        {
          type: "value",
          options: {
            "0": { text: "DOWN", color: "red", index: 1 },
            "1": { text: "UP", color: "green", index: 0 },
          },
        },
      ]);
    },
  );

  it("shows each upstream endpoint's up value by source", () => {
    const targets = panelTitled("Upstream endpoints up by source")["targets"] as Json[];
    expect(targets.map((target) => [target["legendFormat"], target["expr"]])).toEqual([
      [
        "{{source}}",
        'min by (source) (useapi_minimax_source_up{job=~"$job", instance=~"$instance"})',
      ],
    ]);
  });

  it("shows saturation as executing jobs over the account's job limit, with a line at 100%", () => {
    const panel = panelTitled("Saturation per account");
    const [target] = panel["targets"] as Json[];
    expect(target?.["expr"]).toMatch(
      /^max by \(account\) \(useapi_minimax_agent_jobs_executing\{.*\}\) \/ max by \(account\) \(useapi_minimax_account_max_jobs\{.*\}\)$/,
    );
    const defaults = fieldDefaults("Saturation per account");
    expect(defaults["unit"]).toBe("percentunit");
    expect(thresholdSteps(defaults).map((step) => step["value"])).toEqual([
      null,
      ruleThreshold(rules, ALERT_THRESHOLDS.saturationRatio),
    ]);
    expect((defaults["custom"] as Json)["thresholdsStyle"]).toEqual({ mode: "line" });
  });

  it("counts jobs started and finished per minute, the finished ones by status", () => {
    const targets = panelTitled("Jobs started and finished per minute")["targets"] as Json[];
    expect(targets.map((target) => [target["legendFormat"], target["expr"]])).toEqual([
      [
        "started",
        expect.stringMatching(/^sum\(rate\(useapi_minimax_agent_jobs_started_total\{.*\) \* 60$/),
      ],
      [
        "{{status}}",
        expect.stringMatching(
          /^sum by \(status\) \(rate\(useapi_minimax_agent_jobs_finished_total\{.*\) \* 60$/,
        ),
      ],
    ]);
  });

  it("computes the failure ratio over completed and failed jobs only, as a percentage", () => {
    const [target] = panelTitled("Failure ratio")["targets"] as Json[];
    const expr = String(target?.["expr"]);
    const [failed, finished] = expr.split(" / ");
    expect(failed).toContain('status="failed"');
    expect(finished).toContain('status=~"completed|failed"');
    expect(fieldDefaults("Failure ratio")["unit"]).toBe("percentunit");
  });

  it("labels the job duration quantiles p50, p90 and p99 per account", () => {
    const targets = panelTitled("Job duration p50/p90/p99 per account")["targets"] as Json[];
    const perAccount =
      "sum by \\(account, le\\) \\(rate\\(useapi_minimax_agent_job_duration_seconds_bucket\\{";
    expect(targets.map((target) => [target["legendFormat"], target["expr"]])).toEqual([
      [
        "p50 {{account}}",
        expect.stringMatching(new RegExp(`^histogram_quantile\\(0\\.5, ${perAccount}`)),
      ],
      [
        "p90 {{account}}",
        expect.stringMatching(new RegExp(`^histogram_quantile\\(0\\.9, ${perAccount}`)),
      ],
      [
        "p99 {{account}}",
        expect.stringMatching(new RegExp(`^histogram_quantile\\(0\\.99, ${perAccount}`)),
      ],
    ]);
  });

  it("shows the days left of each session, red once expired and orange within the warning of UseapiMinimaxSessionExpiringSoon", () => {
    const [target] = panelTitled("Session expiry per account")["targets"] as Json[];
    expect(target?.["expr"]).toMatch(
      /^\(max by \(account\) \(useapi_minimax_account_session_expiry_timestamp_seconds\{.*\}\) - time\(\)\) \/ 86400$/,
    );
    const steps = thresholdSteps(fieldDefaults("Session expiry per account"));
    expect(steps).toEqual([
      { value: null, color: "red" },
      {
        value: ruleThreshold(rules, ALERT_THRESHOLDS.sessionExpiredSeconds) / SECONDS_PER_DAY,
        color: "orange",
      },
      {
        value: ruleThreshold(rules, ALERT_THRESHOLDS.sessionExpiringSoonSeconds) / SECONDS_PER_DAY,
        color: "green",
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

type ThresholdKey = keyof typeof ALERT_THRESHOLDS;

/** Each threshold step that draws an alert's threshold; the session panel shows days. */
const MIRRORS: { step: Omit<ThresholdStep, "value">; threshold: ThresholdKey; per?: number }[] = [
  {
    step: { panel: "Per-account summary", field: "Longest job", color: "orange" },
    threshold: "jobNearExpirySeconds",
  },
  {
    step: { panel: "Per-account summary", field: "Longest job", color: "red" },
    threshold: "jobExpirySeconds",
  },
  {
    step: { panel: "Longest-running job per account", field: "", color: "red" },
    threshold: "jobExpirySeconds",
  },
  {
    step: { panel: "Job duration p50/p90/p99 per account", field: "", color: "red" },
    threshold: "jobExpirySeconds",
  },
  {
    step: { panel: "Age of last successful poll", field: "", color: "red" },
    threshold: "dataStaleSeconds",
  },
  {
    step: { panel: "Saturation per account", field: "", color: "red" },
    threshold: "saturationRatio",
  },
  {
    step: { panel: "Session expiry per account", field: "", color: "orange" },
    threshold: "sessionExpiredSeconds",
    per: SECONDS_PER_DAY,
  },
  {
    step: { panel: "Session expiry per account", field: "", color: "green" },
    threshold: "sessionExpiringSoonSeconds",
    per: SECONDS_PER_DAY,
  },
  { step: { panel: "Failure ratio", field: "", color: "red" }, threshold: "failureRatio" },
  {
    step: { panel: "Longest-running generation per account", field: "", color: "red" },
    threshold: "generationRunningLongSeconds",
  },
];

/** The threshold steps that mirror no alert. */
const OWN_STEPS: ThresholdStep[] = [
  { panel: "Age of last successful poll", field: "", color: "orange", value: 60 },
  { panel: "Upstream up", field: "", color: "green", value: 1 },
  { panel: "Upstream endpoints up by source", field: "", color: "green", value: 1 },
];

const byPlace = (a: ThresholdStep, b: ThresholdStep): number =>
  `${a.panel}|${a.field}|${a.color}`.localeCompare(`${b.panel}|${b.field}|${b.color}`);

/** The number a rule compares with, read from the rules, in the unit of the panel. */
const fromRules = (threshold: ThresholdKey, per = 1): number =>
  ruleThreshold(rules, ALERT_THRESHOLDS[threshold]) / per;

describe("the dashboard's thresholds and prometheus/alerts.yml", () => {
  it("keeps every value of the dashboard's threshold table equal to the number its alert rule compares with", () => {
    expect(thresholdMismatches(rules, ALERT_THRESHOLDS)).toEqual([]);
  });

  it("reports a rule whose threshold changed without the table, and a rule whose comparison changed", () => {
    const longer = RULES_TEXT.replace(
      "useapi_minimax_agent_job_max_elapsed_seconds > 900\n",
      "useapi_minimax_agent_job_max_elapsed_seconds > 1200\n",
    );
    expect(longer).not.toBe(RULES_TEXT);
    expect(thresholdMismatches(alertRules(longer), ALERT_THRESHOLDS)).toEqual([
      'jobExpirySeconds is 900 but UseapiMinimaxJobPastExpiry compares "useapi_minimax_agent_job_max_elapsed_seconds >" with 1200',
    ]);
    const inclusive = RULES_TEXT.replace(/\) > 0\.25(\n\s*and\n)/, ") >= 0.25$1");
    expect(inclusive).not.toBe(RULES_TEXT);
    expect(thresholdMismatches(alertRules(inclusive), ALERT_THRESHOLDS)).toEqual([
      'failureRatio: UseapiMinimaxJobFailureRatioHigh has no ") >" followed by a number',
    ]);
  });

  it("draws every alert threshold at the number its rule compares with, and no other threshold step but its own", () => {
    const expected = [
      ...MIRRORS.map(({ step, threshold, per }) => ({ ...step, value: fromRules(threshold, per) })),
      ...OWN_STEPS,
    ];
    expect([...dashboardThresholdSteps(model)].sort(byPlace)).toEqual(expected.sort(byPlace));
  });

  it("draws every threshold of the table on some panel", () => {
    expect(new Set(MIRRORS.map(({ threshold }) => threshold))).toEqual(
      new Set(Object.keys(ALERT_THRESHOLDS)),
    );
  });

  it("states in the panel descriptions the thresholds the alert rules use", () => {
    const description = (title: string): string => String(panelTitled(title)["description"]);
    const expiryMinutes = fromRules("jobExpirySeconds") / 60;
    expect(description("Per-account summary")).toContain(`near ${expiryMinutes} minutes`);
    for (const title of ["Longest-running job per account", "Job duration p50/p90/p99 per account"])
      expect(description(title), title).toContain(`${expiryMinutes}-minute job expiry`);
    expect(description("Age of last successful poll")).toContain(
      `red after ${fromRules("dataStaleSeconds") / 60} minutes`,
    );
    expect(description("Saturation per account")).toContain(
      `The red line is ${fromRules("saturationRatio") * 100}%`,
    );
    expect(description("Session expiry per account")).toContain(
      `Orange under ${fromRules("sessionExpiringSoonSeconds", SECONDS_PER_DAY)} days`,
    );
    expect(description("Longest-running generation per account")).toContain(
      `the red line is the ${fromRules("generationRunningLongSeconds") / 60} minutes of UseapiMinimaxGenerationRunningLong`,
    );
    expect(description("Failure ratio")).toContain(
      `The red line is the ${fromRules("failureRatio") * 100}% of UseapiMinimaxJobFailureRatioHigh`,
    );
  });

  it("keeps the job expiry line in view on the longest-running job panel while every job is short", () => {
    const custom = fieldDefaults("Longest-running job per account")["custom"] as Json;
    expect(custom["axisSoftMax"]).toBeGreaterThan(fromRules("jobExpirySeconds"));
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
