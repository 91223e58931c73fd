import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { alertRules, recordingRules, type AlertRule } from "../alert-rules.js";
import { dashboardQueries } from "../dashboard-model.js";
import { HAVE_JSONNET, mixinOutputs, renderMixin, type RenderedFiles } from "../mixin.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const read = (path: string): string => readFileSync(join(ROOT, path), "utf8");

/** Every .libsonnet and .jsonnet file under mixin/. */
function jsonnetFiles(dir = join(ROOT, "mixin")): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? jsonnetFiles(join(dir, entry.name))
      : /\.(lib)?sonnet$/.test(entry.name)
        ? [join(dir, entry.name)]
        : [],
  );
}

const CUSTOM_SELECTOR = 'job="minimax-prod", cluster="eu-1"';

/**
 * Each vector selector of a PromQL expression: a series name (an exporter or recorded metric,
 * `up`, `process_start_time_seconds`) with the text of its braces, or undefined without braces.
 */
function vectorSelectors(expr: string): { name: string; matchers: string | undefined }[] {
  const names = /\b(up|process_start_time_seconds|useapi_minimax_\w+|\w+:\w+:\w+)\b(\{[^}]*\})?/g;
  return [...expr.matchAll(names)].map((m) => ({ name: m[1] ?? "", matchers: m[2] }));
}

/** Each vector selector of `queries` that lacks `selector`, as "where: name{matchers}". */
function withoutSelector(queries: { rule: string; expr: string }[], selector: string): string[] {
  return queries.flatMap(({ rule, expr }) =>
    vectorSelectors(expr)
      .filter((s) => !(s.matchers ?? "").includes(selector))
      .map((s) => `${rule}: ${s.name}${s.matchers ?? ""}`),
  );
}

/** Every alert and recording rule expression of a render, with its rule's name. */
function expressions(files: RenderedFiles): { rule: string; expr: string }[] {
  return [
    ...alertRules(files["prometheus/alerts.yml"]).map((r) => ({ rule: r.alert, expr: r.expr })),
    ...recordingRules(files["prometheus/rules.yml"]).map((r) => ({
      rule: r.record,
      expr: r.expr,
    })),
  ];
}

const PATHS: (keyof RenderedFiles)[] = [
  "prometheus/alerts.yml",
  "prometheus/rules.yml",
  "grafana/dashboard.json",
  "deploy/kubernetes/prometheus-rule.yaml",
];

describe.runIf(HAVE_JSONNET)("the monitoring mixin (mixin/)", () => {
  let defaults: RenderedFiles;
  beforeAll(async () => {
    defaults = await renderMixin();
    expect(Object.keys(defaults).sort()).toEqual([...PATHS].sort());
  });

  it.each(PATHS)(
    "renders %s with the default _config exactly as committed (npm run mixin)",
    (path) => {
      expect(defaults[path], `${path} differs from the mixin: run npm run mixin`).toBe(read(path));
    },
  );

  it("is laid out as jsonnetfmt lays it out", () => {
    const files = jsonnetFiles();
    expect(files.length).toBeGreaterThanOrEqual(5);
    const result = spawnSync("jsonnetfmt", ["--test", ...files], { encoding: "utf8" });
    expect(result.stderr, "run jsonnetfmt -i on the files it names").toBe("");
    expect(result.status).toBe(0);
  });

  describe("with a custom selector", () => {
    let custom: RenderedFiles;
    beforeAll(async () => {
      custom = await renderMixin({ selector: CUSTOM_SELECTOR });
    });

    it("selects with it in every vector selector of every alert and recording rule", () => {
      const rules = expressions(custom);
      expect(rules.length).toBe(expressions(defaults).length);
      expect(withoutSelector(rules, CUSTOM_SELECTOR)).toEqual([]);
      expect(rules.flatMap(({ expr }) => vectorSelectors(expr)).length).toBeGreaterThan(30);
    });

    it("selects with it in every vector selector of every dashboard query and variable", () => {
      const dashboard = JSON.parse(custom["grafana/dashboard.json"]) as {
        templating: { list: { name: string; query?: unknown }[] };
      };
      const queries = [
        ...dashboardQueries(dashboard).map(({ panel, expr }) => ({ rule: panel, expr })),
        ...dashboard.templating.list.flatMap((v) =>
          typeof v.query === "string" && v.query.startsWith("label_values(")
            ? [{ rule: `variable ${v.name}`, expr: v.query }]
            : [],
        ),
      ];
      expect(withoutSelector(queries, CUSTOM_SELECTOR)).toEqual([]);
      expect(queries.length).toBeGreaterThan(30);
    });

    it("leaves the default job nowhere in the rules, the dashboard or the PrometheusRule", () => {
      for (const [path, text] of Object.entries(custom)) {
        expect(text.includes('job="useapi-minimax"'), path).toBe(false);
        expect(text.includes('job=\\"useapi-minimax\\"'), path).toBe(false);
      }
    });

    it("reaches the dashboard's job variable", () => {
      const dashboard = JSON.parse(custom["grafana/dashboard.json"]) as {
        templating: { list: { name: string; query?: unknown }[] };
      };
      const job = dashboard.templating.list.find((v) => v.name === "job");
      expect(JSON.stringify(job?.query)).toContain(JSON.stringify(CUSTOM_SELECTOR).slice(1, -1));
    });

    it("builds the PrometheusRule from the same groups: recording rules, then alerts", () => {
      const manifest = parse(custom["deploy/kubernetes/prometheus-rule.yaml"]) as {
        kind: string;
        spec: { groups: unknown[] };
      };
      const groups = (path: keyof RenderedFiles): unknown[] =>
        (parse(custom[path]) as { groups: unknown[] }).groups;
      expect(manifest.kind).toBe("PrometheusRule");
      expect(manifest.spec.groups).toEqual([
        ...groups("prometheus/rules.yml"),
        ...groups("prometheus/alerts.yml"),
      ]);
    });
  });

  /** Each threshold of _config, the alert that compares with it and the comparison. */
  const THRESHOLDS: { key: string; alert: string; comparison: string; value: number }[] = [
    {
      key: "jobNearExpirySeconds",
      alert: "UseapiMinimaxJobNearExpiry",
      comparison: ">=",
      value: 601,
    },
    { key: "jobExpirySeconds", alert: "UseapiMinimaxJobPastExpiry", comparison: ">", value: 1201 },
    {
      key: "saturationRatio",
      alert: "UseapiMinimaxAccountSaturated",
      comparison: ">=",
      value: 0.9,
    },
    {
      key: "failureRatio",
      alert: "UseapiMinimaxJobFailureRatioHigh",
      comparison: ">",
      value: 0.4,
    },
    {
      key: "failureRatioMinJobs",
      alert: "UseapiMinimaxJobFailureRatioHigh",
      comparison: ">=",
      value: 9,
    },
    {
      key: "sessionExpiryWarningSeconds",
      alert: "UseapiMinimaxSessionExpiringSoon",
      comparison: "<",
      value: 259200,
    },
    {
      key: "generationRunningLongSeconds",
      alert: "UseapiMinimaxGenerationRunningLong",
      comparison: ">",
      value: 2700,
    },
    { key: "dataStaleSeconds", alert: "UseapiMinimaxDataStale", comparison: ">", value: 420 },
    { key: "rateLimitedRatio", alert: "UseapiMinimaxRateLimited", comparison: ">", value: 0.5 },
    { key: "creditsLowVideos", alert: "UseapiMinimaxCreditsLow", comparison: "<", value: 25 },
    {
      key: "creditsExpiryWarningSeconds",
      alert: "UseapiMinimaxCreditsExpiringSoon",
      comparison: "<",
      value: 172800,
    },
    {
      key: "submissionsFailingRatio",
      alert: "UseapiMinimaxSubmissionsFailing",
      comparison: ">",
      value: 0.35,
    },
    {
      key: "submissionsFailingMinRequests",
      alert: "UseapiMinimaxSubmissionsFailing",
      comparison: ">=",
      value: 30,
    },
  ];

  describe("with other thresholds", () => {
    // One evaluation with every threshold changed: the values differ from each other and the defaults.
    let changed: AlertRule[];
    beforeAll(() => {
      const config = Object.fromEntries(THRESHOLDS.map(({ key, value }) => [key, value]));
      changed = alertRules(JSON.stringify(mixinOutputs(config).alerts));
    });

    it.each(THRESHOLDS)(
      "compares $alert with _config.$key ($comparison $value when set so)",
      ({ alert, comparison, value }) => {
        const find = (rules: AlertRule[]) => rules.find((r) => r.alert === alert)?.expr ?? "";
        const pattern = new RegExp(` ${comparison} ${value}( |$)`);
        expect(find(changed)).toMatch(pattern);
        expect(find(alertRules(defaults["prometheus/alerts.yml"]))).not.toMatch(pattern);
      },
    );
  });

  it("points every runbook_url at _config.runbookURL and the alert's own anchor", () => {
    const base = "https://runbooks.example.com/minimax.md";
    const rules = alertRules(JSON.stringify(mixinOutputs({ runbookURL: base }).alerts));
    expect(rules.length).toBe(22);
    for (const rule of rules) {
      expect(rule.annotations["runbook_url"]).toBe(`${base}#${rule.alert.toLowerCase()}`);
    }
  });

  it("links by default the alerting exporter's /runbook, and nothing when the exporter is down", () => {
    const rules = alertRules(JSON.stringify(mixinOutputs({}).alerts));
    expect(rules.length).toBe(22);
    for (const rule of rules) {
      expect(rule.annotations["runbook_url"], rule.alert).toBe(
        rule.alert === "UseapiMinimaxExporterDown"
          ? undefined
          : `http://{{ $labels.instance }}/runbook#${rule.alert.toLowerCase()}`,
      );
    }
  });

  it("links a published runbook from UseapiMinimaxExporterDown when _config names one", () => {
    const fallback = "https://runbooks.example.com/fallback.md";
    const rules = alertRules(
      JSON.stringify(
        mixinOutputs({ exporterScheme: "https", runbookFallbackURL: fallback }).alerts,
      ),
    );
    expect(rules.length).toBe(22);
    for (const rule of rules) {
      const base =
        rule.alert === "UseapiMinimaxExporterDown"
          ? fallback
          : "https://{{ $labels.instance }}/runbook";
      expect(rule.annotations["runbook_url"], rule.alert).toBe(
        `${base}#${rule.alert.toLowerCase()}`,
      );
    }
  });

  it("renders as docs/alerts.md's example shows, with its selector in every rule", () => {
    const page = read("docs/alerts.md");
    const start = page.indexOf("cat > minimax.jsonnet <<'EOF'");
    const end = page.indexOf("> dashboard.json", start);
    expect(page).toContain("cat > minimax.jsonnet <<'EOF'");
    const script = page.slice(start, end + "> dashboard.json".length);
    const dir = mkdtempSync(join(tmpdir(), "mixin-page-"));
    try {
      mkdirSync(join(dir, "vendor"));
      symlinkSync(join(ROOT, "mixin"), join(dir, "vendor", "mixin"));
      const result = spawnSync("bash", ["-e", "-c", script], { cwd: dir, encoding: "utf8" });
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
      const alerts = alertRules(readFileSync(join(dir, "alerts.yml"), "utf8"));
      const records = recordingRules(readFileSync(join(dir, "rules.yml"), "utf8"));
      expect(alerts.length).toBe(22);
      expect(records.length).toBe(13);
      for (const { expr } of [...alerts, ...records]) expect(expr).toContain('cluster="eu-1"');
      const dashboard = readFileSync(join(dir, "dashboard.json"), "utf8");
      expect(dashboard).toContain('cluster=\\"eu-1\\"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
