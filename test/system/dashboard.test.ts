import { describe, expect, it } from "vitest";
import {
  type Json,
  type ThresholdStep,
  dashboardPanels,
  dashboardQueries,
  dashboardThresholdSteps,
  isRecord,
} from "../dashboard-model.js";
import { HAVE_JSONNET, mixinOutputs } from "../mixin.js";

const DATASOURCE = { type: "prometheus", uid: "${datasource}" };
/** The series with an account label: the exporter's per-account families and their records. */
const PER_ACCOUNT_METRIC =
  /\b(?:useapi_minimax_(?:agent|account|generations?|video)_\w+|account\w*:\w+:\w+)/;
const SECONDS_PER_DAY = 86_400;
const SECONDS_PER_HOUR = 3600;
/** The poll age turns orange after a minute; no alert has that threshold. */
const POLL_AGE_WARNING_SECONDS = 60;

/** The dashboard of mixin/render.jsonnet with `config` merged into _config (the default with none). */
const renderDashboard = (config: Record<string, unknown> = {}): Json =>
  mixinOutputs(config).dashboard;

/** The mixin's default _config, from mixin/config.libsonnet. */
const defaultConfig = (): Json => mixinOutputs().config;

/** Reads one rendered dashboard: its panels by title, their field defaults, its variables. */
function view(model: Json) {
  const panels = dashboardPanels(model);
  const panelTitled = (title: string): Json => {
    const panel = panels.find((candidate) => candidate["title"] === title);
    if (!panel) throw new Error(`no panel titled ${title}`);
    return panel;
  };
  const fieldDefaults = (title: string): Json =>
    (panelTitled(title)["fieldConfig"] as Json)["defaults"] as Json;
  const variable = (name: string): Json => {
    const templating = model["templating"];
    const list =
      isRecord(templating) && Array.isArray(templating["list"]) ? templating["list"] : [];
    const found: unknown = list.find((entry) => isRecord(entry) && entry["name"] === name);
    if (!isRecord(found)) throw new Error(`no variable named ${name}`);
    return found;
  };
  const description = (title: string): string => String(panelTitled(title)["description"]);
  const targets = (title: string): Json[] => panelTitled(title)["targets"] as Json[];
  const override = (title: string, field: string): Json[] => {
    const overrides = (panelTitled(title)["fieldConfig"] as Json)["overrides"] as Json[];
    const found = overrides.find((o) => (o["matcher"] as Json)["options"] === field);
    if (!found) throw new Error(`no override of ${field} in ${title}`);
    return found["properties"] as Json[];
  };
  return { panels, panelTitled, fieldDefaults, variable, description, targets, override };
}

const thresholdSteps = (defaults: Json): Json[] =>
  (defaults["thresholds"] as Json)["steps"] as Json[];

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

/** Each threshold step the dashboard draws, from the _config the alerts compare with. */
function expectedSteps(config: Json): ThresholdStep[] {
  const n = (key: string): number => config[key] as number;
  const step = (panel: string, field: string, color: string, value: number): ThresholdStep => ({
    panel,
    field,
    color,
    value,
  });
  return [
    step("Per-account summary", "Longest job", "orange", n("jobNearExpirySeconds")),
    step("Per-account summary", "Longest job", "red", n("jobExpirySeconds")),
    step("Longest-running job per account", "", "red", n("jobExpirySeconds")),
    step("Job duration p50/p90/p99 per account", "", "red", n("jobExpirySeconds")),
    step("Saturation per account", "", "red", n("saturationRatio")),
    // UseapiMinimaxSessionExpired compares the time past the expiry with 0.
    step("Session expiry per account", "", "orange", 0),
    step(
      "Session expiry per account",
      "",
      "green",
      n("sessionExpiryWarningSeconds") / SECONDS_PER_DAY,
    ),
    step("Failure ratio", "", "red", n("failureRatio")),
    step("Longest-running generation per account", "", "red", n("generationRunningLongSeconds")),
    step("Age of last successful poll", "", "orange", POLL_AGE_WARNING_SECONDS),
    step("Age of last successful poll", "", "red", n("dataStaleSeconds")),
    step("Exporters", "Last successful poll", "orange", POLL_AGE_WARNING_SECONDS),
    step("Exporters", "Last successful poll", "red", n("dataStaleSeconds")),
    step("Upstream up", "", "green", 1),
    step("Upstream endpoints up by source", "", "green", 1),
    step("Subscription active", "", "green", 1),
    step("Videos of credits left per account", "", "transparent", n("creditsLowVideos")),
    step(
      "Next credits expiry per account",
      "",
      "green",
      n("creditsExpiryWarningSeconds") / SECONDS_PER_HOUR,
    ),
    step("Request failure ratio per account", "", "red", n("submissionsFailingRatio")),
  ];
}

const byPlace = (a: ThresholdStep, b: ThresholdStep): number =>
  `${a.panel}|${a.field}|${a.color}`.localeCompare(`${b.panel}|${b.field}|${b.color}`);

/** The sentences by which each panel states the thresholds of _config. */
function thresholdSentences(config: Json): [string, string][] {
  const n = (key: string): number => config[key] as number;
  const expiry = n("jobExpirySeconds") / 60;
  return [
    ["Per-account summary", `near ${expiry} minutes`],
    ["Longest-running job per account", `${expiry}-minute job expiry`],
    ["Job duration p50/p90/p99 per account", `${expiry}-minute job expiry`],
    ["Age of last successful poll", `red after ${n("dataStaleSeconds") / 60} minutes`],
    ["Exporters", `red after ${n("dataStaleSeconds") / 60} minutes`],
    ["Saturation per account", `The red line is ${n("saturationRatio") * 100}%`],
    [
      "Session expiry per account",
      `Orange under ${n("sessionExpiryWarningSeconds") / SECONDS_PER_DAY} days`,
    ],
    [
      "Longest-running generation per account",
      `the red line is the ${n("generationRunningLongSeconds") / 60} minutes of UseapiMinimaxGenerationRunningLong`,
    ],
    [
      "Failure ratio",
      `The red line is the ${n("failureRatio") * 100}% of UseapiMinimaxJobFailureRatioHigh`,
    ],
    ["Failure ratio", `at least ${n("failureRatioMinJobs")} such jobs`],
    ["Videos of credits left per account", `below ${n("creditsLowVideos")} videos`],
    [
      "Next credits expiry per account",
      `Orange under ${n("creditsExpiryWarningSeconds") / SECONDS_PER_DAY} day`,
    ],
    [
      "Request failure ratio per account",
      `The red line is the ${n("submissionsFailingRatio") * 100}% of UseapiMinimaxSubmissionsFailing`,
    ],
    [
      "Request failure ratio per account",
      `at least ${n("submissionsFailingMinRequests")} requests other than 429`,
    ],
  ];
}

describe.runIf(HAVE_JSONNET)("the Grafana dashboard of the mixin", () => {
  // Vitest collects a skipped describe's body too: without jsonnet there is nothing to render.
  const config = HAVE_JSONNET ? defaultConfig() : {};
  const model = HAVE_JSONNET ? renderDashboard() : {};
  const { panels, panelTitled, fieldDefaults, variable, description, targets, override } =
    view(model);
  const contentPanels = panels.filter((panel) => !["row", "text"].includes(String(panel["type"])));

  it("takes its uid, title, refresh and time range from _config", () => {
    expect(model["uid"]).toBe(config["dashboardUID"]);
    expect(model["uid"]).toBe("useapi-minimax-exporter");
    expect(model["title"]).toBe(config["dashboardTitle"]);
    expect(model["refresh"]).toBe(config["dashboardRefresh"]);
    expect(model["time"]).toEqual({ from: config["dashboardTimeFrom"], to: "now" });
    expect(model["schemaVersion"]).toBe(41);
  });

  it("is not editable in Grafana, since it is generated", () => {
    expect(model["editable"]).toBe(false);
  });

  it("links no runbook or README of its own by default: nothing is published where they could point", () => {
    expect(config["runbookFallbackURL"]).toBe("");
    expect(config["projectURL"]).toBe("");
    expect(model["links"]).toEqual([]);
  });

  it("opens with a short markdown panel on what the exporter measures, where the values come from, and links", () => {
    const [first] = panels;
    expect(first).toMatchObject({ type: "text", gridPos: { x: 0, y: 0, w: 24 } });
    expect(panels.filter((panel) => panel["type"] === "text")).toHaveLength(1);
    const options = first?.["options"] as Json;
    expect(options["mode"]).toBe("markdown");
    const content = String(options["content"]);
    for (const topic of ["agent jobs", "accounts", "job status lookups", "scheduler"])
      expect(content, topic).toContain(topic);
    expect(content).toMatch(/background polls of useapi\.net, one per interval, served from/);
    expect(content).toContain("last successful poll");
    expect(content).not.toContain("](");
    expect(content).toContain("landing page");
    expect(content).toContain("the runbook it serves");
    expect(content.split("\n").filter((line) => line.trim() !== "").length).toBeLessThanOrEqual(4);
  });

  it("links each exporter's landing page from its instance in the Exporters table", () => {
    expect(panelTitled("Exporters")["type"]).toBe("table");
    const links = override("Exporters", "Instance").find((p) => p["id"] === "links");
    expect(links?.["value"]).toEqual([
      {
        title: "Landing page of ${__value.raw}",
        url: "http://${__value.raw}/",
        targetBlank: true,
      },
      {
        title: "Runbook of ${__value.raw}",
        url: "http://${__value.raw}/runbook",
        targetBlank: true,
      },
    ]);
    const exprs = targets("Exporters").map((target) => String(target["expr"]));
    expect(exprs.map((expr) => /max by \(job, instance(, version)?\)/.test(expr))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(exprs[0]).toContain("useapi_minimax_exporter_build_info{");
    const organize = (panelTitled("Exporters")["transformations"] as Json[])[1]?.[
      "options"
    ] as Json;
    expect(organize["renameByName"]).toMatchObject({ instance: "Instance", version: "Version" });
  });

  it("stacks no panel, so that a line flat at an account's limit reads as saturation", () => {
    const stacked = contentPanels
      .filter((panel) => {
        const custom = ((panel["fieldConfig"] as Json)["defaults"] as Json)["custom"];
        const stacking = isRecord(custom) ? custom["stacking"] : undefined;
        return isRecord(stacking) && stacking["mode"] !== "none";
      })
      .map((panel) => panel["title"]);
    expect(stacked).toEqual([]);
    for (const title of [
      "Jobs executing per account",
      "Generations running per account and type",
    ]) {
      expect(description(title), title).not.toContain("stacked so");
      expect(description(title), title).toContain("not stacked");
    }
  });

  it("refers to no data source but the one picked in the datasource variable", () => {
    const refs = datasourceRefs(model);
    expect(refs.length).toBeGreaterThan(contentPanels.length);
    expect(refs.filter(({ ref }) => !isRecord(ref) || ref["uid"] !== DATASOURCE.uid)).toEqual([]);
    expect(refs.filter(({ ref }) => !isRecord(ref) || ref["type"] !== DATASOURCE.type)).toEqual([]);
  });

  it("sets the data source on every panel and every query", () => {
    expect(contentPanels.length).toBe(panels.length - 5);
    for (const panel of contentPanels) {
      expect(panel["datasource"], String(panel["title"])).toEqual(DATASOURCE);
      const panelTargets = Array.isArray(panel["targets"]) ? (panel["targets"] as unknown[]) : [];
      expect(panelTargets.length, String(panel["title"])).toBeGreaterThan(0);
      for (const target of panelTargets) {
        expect(isRecord(target) && target["datasource"], String(panel["title"])).toEqual(
          DATASOURCE,
        );
      }
    }
  });

  it("describes what every panel shows, the panels inside rows included", () => {
    const undescribed = panels
      .filter((panel) => panel["type"] !== "row")
      .filter(
        (panel) => typeof panel["description"] !== "string" || panel["description"].trim() === "",
      )
      .map((panel) => panel["title"]);
    expect(undescribed).toEqual([]);
  });

  it("offers the datasource, job, instance and account variables, the job one selecting with _config.selector", () => {
    expect(variable("datasource")).toMatchObject({ type: "datasource", query: "prometheus" });
    expect(variable("job")).toMatchObject({
      type: "query",
      query: `label_values(useapi_minimax_up{${String(config["selector"])}}, job)`,
      datasource: DATASOURCE,
      multi: true,
      includeAll: true,
    });
    expect(variable("instance")).toMatchObject({
      type: "query",
      query: `label_values(useapi_minimax_up{${String(config["selector"])}, job=~"$job"}, instance)`,
      datasource: DATASOURCE,
      multi: true,
      includeAll: true,
    });
    expect(variable("account")).toMatchObject({
      type: "query",
      query: `label_values(useapi_minimax_agent_jobs_executing{${String(config["selector"])}, job=~"$job", instance=~"$instance"}, account)`,
      datasource: DATASOURCE,
      multi: true,
      includeAll: true,
    });
  });

  it.each([
    ["About", "text"],
    ["Jobs executing now", "stat"],
    ["Jobs executing per account", "timeseries"],
    ["Longest-running job per account", "timeseries"],
    ["Accounts configured", "stat"],
    ["Per-account summary", "table"],
    ["Exporter health", "row"],
    ["Upstream up", "stat"],
    ["Age of last successful poll", "stat"],
    ["Exporters", "table"],
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
    ["Credits and subscription", "row"],
    ["Subscription active", "stat"],
    ["Subscription renewed", "stat"],
    ["Subscription accounts by state", "timeseries"],
    ["Credits per account", "timeseries"],
    ["Videos of credits left per account", "timeseries"],
    ["Next credits expiry per account", "bargauge"],
    ["Plan and limits per account", "table"],
    ["Requests by code", "timeseries"],
    ["Request failure ratio per account", "timeseries"],
    ["Request duration p50/p90/p99 per endpoint", "timeseries"],
  ])("has the panel %s, of type %s", (title, type) => {
    expect(panelTitled(title)["type"]).toBe(type);
  });

  it("gives every panel a unique id", () => {
    const ids = panels.map((panel) => panel["id"]);
    expect(ids.every((id) => typeof id === "number" && id > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("lays the panels out on the 24-column grid without overlaps, rows across the full width", () => {
    const boxes = panels.map((panel) => ({
      title: String(panel["title"]),
      ...(panel["gridPos"] as { x: number; y: number; w: number; h: number }),
    }));
    for (const box of boxes) {
      expect(box.x >= 0 && box.w > 0 && box.x + box.w <= 24 && box.h > 0, box.title).toBe(true);
    }
    const overlapping = boxes.flatMap((a, i) =>
      boxes
        .slice(i + 1)
        .filter((b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h)
        .map((b) => `${a.title} / ${b.title}`),
    );
    expect(overlapping).toEqual([]);
    for (const row of panels.filter((panel) => panel["type"] === "row"))
      expect(row["gridPos"], String(row["title"])).toMatchObject({ x: 0, w: 24, h: 1 });
    const ys = boxes.map((box) => box.y);
    expect(ys).toEqual([...ys].sort((a, b) => a - b));
  });

  it("puts the lifecycle panels in their row and the endpoint health in the exporter health row", () => {
    const titles = panels.map((panel) => panel["title"]);
    const lifecycle = titles.indexOf("Job lifecycle and capacity");
    const generations = titles.indexOf("Video, image and speech generations");
    const credits = titles.indexOf("Credits and subscription");
    const health = titles.indexOf("Exporter health");
    const rows = panels.filter((panel) => panel["type"] === "row").map((panel) => panel["title"]);
    expect(rows).toEqual([
      "Job lifecycle and capacity",
      "Video, image and speech generations",
      "Credits and subscription",
      "Exporter health",
    ]);
    /** Each title comes after the row `from` and before the row `to`. */
    const between = (from: number, to: number, inRow: string[]) => {
      for (const title of inRow) {
        expect(titles.indexOf(title), title).toBeGreaterThan(from);
        expect(titles.indexOf(title), title).toBeLessThan(to);
      }
    };
    between(lifecycle, generations, [
      "Saturation per account",
      "Jobs started and finished per minute",
      "Failure ratio",
      "Job duration p50/p90/p99 per account",
      "Session expiry per account",
    ]);
    between(generations, credits, [
      "Generations running per account and type",
      "Longest-running generation per account",
      "Video slots used and free per account",
      "Generations started and finished per minute",
      "Generation duration p50/p90/p99 per type",
    ]);
    between(credits, health, [
      "Subscription active",
      "Subscription renewed",
      "Subscription accounts by state",
      "Credits per account",
      "Videos of credits left per account",
      "Next credits expiry per account",
      "Plan and limits per account",
      "Requests by code",
      "Request failure ratio per account",
      "Request duration p50/p90/p99 per endpoint",
    ]);
    between(health, titles.length, ["Upstream endpoints up by source", "Exporters"]);
  });

  it("draws the job expiry as a threshold line on the longest-running job panel, kept in view", () => {
    const defaults = fieldDefaults("Longest-running job per account");
    expect(thresholdSteps(defaults).map((step) => step["value"])).toEqual([
      null,
      config["jobExpirySeconds"],
    ]);
    expect((defaults["custom"] as Json)["thresholdsStyle"]).toEqual({ mode: "line" });
    expect((defaults["custom"] as Json)["axisSoftMax"]).toBeGreaterThan(
      config["jobExpirySeconds"] as number,
    );
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
    expect(
      targets("Upstream endpoints up by source").map((t) => [t["legendFormat"], t["expr"]]),
    ).toEqual([
      [
        "{{source}}",
        `min by (source) (useapi_minimax_source_up{${String(config["selector"])}, job=~"$job", instance=~"$instance"})`,
      ],
    ]);
  });

  it("shows saturation from its recording rule, with a line at _config.saturationRatio", () => {
    const [target] = targets("Saturation per account");
    expect(target?.["expr"]).toMatch(
      /^max by \(account\) \(account:useapi_minimax_agent_jobs_executing_per_max_jobs:ratio\{.*\}\)$/,
    );
    const defaults = fieldDefaults("Saturation per account");
    expect(defaults["unit"]).toBe("percentunit");
    expect(thresholdSteps(defaults).map((step) => step["value"])).toEqual([
      null,
      config["saturationRatio"],
    ]);
    expect((defaults["custom"] as Json)["thresholdsStyle"]).toEqual({ mode: "line" });
    expect(description("Saturation per account")).toContain(
      "account:useapi_minimax_agent_jobs_executing_per_max_jobs:ratio",
    );
  });

  it("counts jobs started and finished per minute from the 5-minute rate records, the finished ones by status", () => {
    expect(
      targets("Jobs started and finished per minute").map((t) => [t["legendFormat"], t["expr"]]),
    ).toEqual([
      [
        "started",
        expect.stringMatching(
          /^sum\(account:useapi_minimax_agent_jobs_started:rate5m\{.*\}\) \* 60$/,
        ),
      ],
      [
        "{{status}}",
        expect.stringMatching(
          /^sum by \(status\) \(account_status:useapi_minimax_agent_jobs_finished:rate5m\{.*\}\) \* 60$/,
        ),
      ],
    ]);
    expect(description("Jobs started and finished per minute")).toContain("over 5 minutes");
  });

  it("counts generations started and finished and the video slots used from their records", () => {
    expect(targets("Generations started and finished per minute").map((t) => t["expr"])).toEqual([
      expect.stringMatching(
        /^sum by \(type\) \(account_type:useapi_minimax_generations_started:rate5m\{.*\}\) \* 60$/,
      ),
      expect.stringMatching(
        /^sum by \(type\) \(account_type:useapi_minimax_generations_finished:rate5m\{.*\}\) \* 60$/,
      ),
    ]);
    const [used] = targets("Video slots used and free per account");
    expect(used).toMatchObject({
      legendFormat: "used {{account}}",
      expr: expect.stringMatching(
        /^sum by \(account\) \(account:useapi_minimax_video_slots_used:count\{.*\}\)$/,
      ) as unknown,
    });
  });

  it("draws the scheduler's generations by type beside the accounts' own count of speech, and says which is which", () => {
    expect(targets("Generations running per account and type")).toMatchObject([
      {
        expr: expect.stringMatching(
          /^sum by \(account, type\) \(useapi_minimax_generations_executing\{.*\}\)$/,
        ) as unknown,
        legendFormat: "{{account}} {{type}}",
      },
      {
        expr: expect.stringMatching(
          /^sum by \(account\) \(useapi_minimax_speech_executing\{.*\}\)$/,
        ) as unknown,
        legendFormat: "{{account}} speech (own count)",
      },
    ]);
    const running = description("Generations running per account and type");
    expect(running).toContain("audio for speech");
    expect(running).toContain("own count of speech in flight (executingAudio)");
    expect(running).toContain("the scheduler's list");
    for (const title of [
      "Longest-running generation per account",
      "Generations started and finished per minute",
      "Generation duration p50/p90/p99 per type",
    ])
      expect(description(title), title).toContain("audio for speech");
  });

  it("shows each account's failure ratio over the last hour, as the alert compares it, as a percentage", () => {
    const [target] = targets("Failure ratio");
    expect(target).toMatchObject({
      legendFormat: "{{account}}",
      expr: expect.stringMatching(
        /^max by \(account\) \(account:useapi_minimax_agent_jobs_failed_per_completed_or_failed:ratio_increase1h\{.*\}\)$/,
      ) as unknown,
    });
    expect(description("Failure ratio")).toContain("over the last hour");
    expect(fieldDefaults("Failure ratio")["unit"]).toBe("percentunit");
  });

  it("labels the job duration quantiles p50, p90 and p99 per account", () => {
    const perAccount =
      "sum by \\(account, le\\) \\(rate\\(useapi_minimax_agent_job_duration_seconds_bucket\\{";
    expect(
      targets("Job duration p50/p90/p99 per account").map((t) => [t["legendFormat"], t["expr"]]),
    ).toEqual([
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

  it("shows the days left of each session", () => {
    const [target] = targets("Session expiry per account");
    expect(target?.["expr"]).toMatch(
      /^\(max by \(account\) \(useapi_minimax_account_session_expiry_timestamp_seconds\{.*\}\) - time\(\)\) \/ 86400$/,
    );
    expect(fieldDefaults("Session expiry per account")["unit"]).toBe("d");
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

  it("shows the videos' worth of credits left from its recording rule, red below _config.creditsLowVideos", () => {
    expect(targets("Videos of credits left per account").map((t) => t["expr"])).toEqual([
      expect.stringMatching(
        /^max by \(account\) \(account:useapi_minimax_account_credits_per_video_cost:ratio\{.*\}\)$/,
      ),
    ]);
    const defaults = fieldDefaults("Videos of credits left per account");
    expect(thresholdSteps(defaults)).toEqual([
      { value: null, color: "red" },
      { value: config["creditsLowVideos"], color: "transparent" },
    ]);
    expect((defaults["custom"] as Json)["thresholdsStyle"]).toEqual({ mode: "line+area" });
  });

  it("counts the recorded requests by code and their failure ratio from the usage records", () => {
    expect(targets("Requests by code").map((t) => [t["legendFormat"], t["expr"]])).toEqual([
      [
        "{{code}}",
        expect.stringMatching(
          /^sum by \(code\) \(account_code:useapi_minimax_api_requests:increase30m\{.*\}\)$/,
        ),
      ],
    ]);
    expect(targets("Request failure ratio per account").map((t) => t["expr"])).toEqual([
      expect.stringMatching(
        /^max by \(account\) \(account:useapi_minimax_api_requests_failed_per_not_rate_limited:ratio_increase1h\{.*\}\)$/,
      ),
    ]);
    expect(fieldDefaults("Request failure ratio per account")["unit"]).toBe("percentunit");
  });

  it("shows the next credits expiry in hours, only for batches that hold credits", () => {
    const [target] = targets("Next credits expiry per account");
    expect(target?.["expr"]).toMatch(
      /^\(max by \(account\) \(useapi_minimax_account_credits_next_expiry_timestamp_seconds\{.*\}\) - time\(\)\) \/ 3600 and max by \(account\) \(useapi_minimax_account_credits_expiring_next\{.*\}\) > 0$/,
    );
    expect(fieldDefaults("Next credits expiry per account")["unit"]).toBe("h");
  });

  it("labels the recorded request duration quantiles p50, p90 and p99 per endpoint", () => {
    const perEndpoint =
      "sum by \\(endpoint, le\\) \\(rate\\(useapi_minimax_api_request_duration_seconds_bucket\\{";
    expect(
      targets("Request duration p50/p90/p99 per endpoint").map((t) => [
        t["legendFormat"],
        t["expr"],
      ]),
    ).toEqual([
      [
        "p50 {{endpoint}}",
        expect.stringMatching(new RegExp(`^histogram_quantile\\(0\\.5, ${perEndpoint}`)),
      ],
      [
        "p90 {{endpoint}}",
        expect.stringMatching(new RegExp(`^histogram_quantile\\(0\\.9, ${perEndpoint}`)),
      ],
      [
        "p99 {{endpoint}}",
        expect.stringMatching(new RegExp(`^histogram_quantile\\(0\\.99, ${perEndpoint}`)),
      ],
    ]);
  });

  it("labels the poll duration quantiles p50, p90 and p99", () => {
    expect(targets("Poll duration quantiles").map((t) => [t["legendFormat"], t["expr"]])).toEqual([
      ["p50", expect.stringMatching(/^histogram_quantile\(0\.5, /)],
      ["p90", expect.stringMatching(/^histogram_quantile\(0\.9, /)],
      ["p99", expect.stringMatching(/^histogram_quantile\(0\.99, /)],
    ]);
  });

  it.each(["Per-account summary", "Exporters"])(
    "reads the %s table with instant table queries merged into one row per key",
    (title) => {
      const tableTargets = targets(title);
      expect(tableTargets.length).toBeGreaterThanOrEqual(3);
      for (const target of tableTargets)
        expect(target).toMatchObject({ instant: true, format: "table" });
      const transformations = panelTitled(title)["transformations"] as Json[];
      expect(transformations.map((step) => step["id"])).toEqual(["merge", "organize"]);
    },
  );

  it("draws every threshold at the value of _config the alerts compare with, and no other step", () => {
    expect([...dashboardThresholdSteps(model)].sort(byPlace)).toEqual(
      expectedSteps(config).sort(byPlace),
    );
  });

  it.each(thresholdSentences(config))("states in %s its threshold: %s", (title, sentence) => {
    expect(description(title)).toContain(sentence);
  });

  describe("rendered with a custom _config", () => {
    const custom = {
      selector: 'job="custom"',
      jobNearExpirySeconds: 1080,
      jobExpirySeconds: 1200,
      saturationRatio: 0.75,
      failureRatio: 0.5,
      failureRatioMinJobs: 9,
      sessionExpiryWarningSeconds: 259_200,
      generationRunningLongSeconds: 2700,
      dataStaleSeconds: 420,
      creditsLowVideos: 25,
      creditsExpiryWarningSeconds: 172_800,
      submissionsFailingRatio: 0.35,
      submissionsFailingMinRequests: 30,
      runbookURL: "https://runbooks.example.com/minimax.md",
      projectURL: "https://git.example.com/minimax-exporter",
      exporterScheme: "https",
      dashboardUID: "minimax-custom",
      dashboardTitle: "MiniMax (custom)",
      dashboardRefresh: "1m",
      dashboardTimeFrom: "now-24h",
    };
    const customModel = HAVE_JSONNET ? renderDashboard(custom) : {};
    const other = view(customModel);

    it("differs from the default in every value the test sets", () => {
      for (const [key, value] of Object.entries(custom))
        expect(config[key], key).not.toEqual(value);
    });

    it("draws every threshold at the custom values", () => {
      expect([...dashboardThresholdSteps(customModel)].sort(byPlace)).toEqual(
        expectedSteps(custom).sort(byPlace),
      );
    });

    it.each(thresholdSentences(custom))(
      "states in %s the custom threshold: %s",
      (title, sentence) => {
        expect(other.description(title)).toContain(sentence);
      },
    );

    it("keeps the job expiry line in view at the custom expiry", () => {
      const custom_ = other.fieldDefaults("Longest-running job per account")["custom"] as Json;
      expect(custom_["axisSoftMax"]).toBeGreaterThan(custom.jobExpirySeconds);
    });

    it("selects the job variable's values with the custom selector", () => {
      expect(other.variable("job")["query"]).toBe(
        'label_values(useapi_minimax_up{job="custom"}, job)',
      );
    });

    it("links the custom runbook, README and landing page scheme", () => {
      expect((customModel["links"] as Json[]).map((link) => link["url"])).toEqual([
        custom.runbookURL,
        `${custom.projectURL}#readme`,
      ]);
      const content = String((other.panelTitled("About")["options"] as Json)["content"]);
      expect(content).toContain(`[Runbook](${custom.runbookURL})`);
      expect(content).toContain(`](${custom.projectURL})`);
      const links = other.override("Exporters", "Instance").find((p) => p["id"] === "links");
      expect((links?.["value"] as Json[]).map((link) => link["url"])).toEqual([
        "https://${__value.raw}/",
        "https://${__value.raw}/runbook",
      ]);
    });

    it("takes the custom uid, title, refresh and time range", () => {
      expect(customModel).toMatchObject({
        uid: custom.dashboardUID,
        title: custom.dashboardTitle,
        refresh: custom.dashboardRefresh,
        time: { from: custom.dashboardTimeFrom, to: "now" },
      });
    });
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
