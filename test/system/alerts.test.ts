import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { alertRuleTestCases, alertRules, promqlTestExprs, recordingRules } from "../alert-rules.js";
import { haveBinary } from "../binaries.js";
import { HAVE_JSONNET, renderMixin } from "../mixin.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const RULES = "prometheus/alerts.yml";
const RULE_TESTS = "prometheus/alerts.test.yml";
const RECORDS = "prometheus/rules.yml";
const RECORD_TESTS = "prometheus/rules.test.yml";

/** The recording rules the alerts, the dashboard and the README use. */
const RECORD_NAMES = [
  "account:useapi_minimax_agent_jobs_executing_per_max_jobs:ratio",
  "account:useapi_minimax_agent_jobs_started:rate5m",
  "account_status:useapi_minimax_agent_jobs_finished:rate5m",
  "account:useapi_minimax_agent_jobs_completed_or_failed:increase1h",
  "account:useapi_minimax_agent_jobs_failed_per_completed_or_failed:ratio_increase1h",
  "account_type:useapi_minimax_generations_started:rate5m",
  "account_type:useapi_minimax_generations_finished:rate5m",
  "account:useapi_minimax_video_slots_used:count",
  "account:useapi_minimax_video_slots_used_per_slots:ratio",
  "account:useapi_minimax_account_credits_per_video_cost:ratio",
  "account_code:useapi_minimax_api_requests:increase30m",
  "account:useapi_minimax_api_requests_not_rate_limited:increase1h",
  "account:useapi_minimax_api_requests_failed_per_not_rate_limited:ratio_increase1h",
];

/** The alert names other files (README, end-to-end test) depend on. */
const ALERT_NAMES = [
  "UseapiMinimaxExporterDown",
  "UseapiMinimaxPollsFailing",
  "UseapiMinimaxTokenRejected",
  "UseapiMinimaxRateLimited",
  "UseapiMinimaxDataStale",
  "UseapiMinimaxJobNearExpiry",
  "UseapiMinimaxJobPastExpiry",
  "UseapiMinimaxAccountSaturated",
  "UseapiMinimaxSessionExpiringSoon",
  "UseapiMinimaxSessionExpired",
  "UseapiMinimaxAccountError",
  "UseapiMinimaxJobFailureRatioHigh",
  "UseapiMinimaxVideoSlotsExhausted",
  "UseapiMinimaxGenerationRunningLong",
  "UseapiMinimaxSchedulerFailing",
  "UseapiMinimaxCreditsLow",
  "UseapiMinimaxOutOfCredits",
  "UseapiMinimaxAccountOnHold",
  "UseapiMinimaxSubmissionsFailing",
  "UseapiMinimaxSubscriptionInactive",
  "UseapiMinimaxAccountsInError",
  "UseapiMinimaxCreditsExpiringSoon",
];

/** The alerts about one account: their descriptions name it. */
const PER_ACCOUNT_ALERTS = [
  "UseapiMinimaxJobNearExpiry",
  "UseapiMinimaxJobPastExpiry",
  "UseapiMinimaxAccountSaturated",
  "UseapiMinimaxSessionExpiringSoon",
  "UseapiMinimaxSessionExpired",
  "UseapiMinimaxAccountError",
  "UseapiMinimaxJobFailureRatioHigh",
  "UseapiMinimaxVideoSlotsExhausted",
  "UseapiMinimaxGenerationRunningLong",
  "UseapiMinimaxCreditsLow",
  "UseapiMinimaxOutOfCredits",
  "UseapiMinimaxAccountOnHold",
  "UseapiMinimaxSubmissionsFailing",
  "UseapiMinimaxCreditsExpiringSoon",
];

function read(path: string): string {
  return readFileSync(join(ROOT, path), "utf8");
}

interface RunResult {
  code: number | null;
  stdout: string;
  /** stdout and stderr together. */
  output: string;
}

function run(command: string, args: string[], cwd = ROOT): RunResult {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", timeout: 15_000 });
  return { code: result.status, stdout: result.stdout, output: result.stdout + result.stderr };
}

const rules = alertRules(read(RULES));
const ruleTestCases = alertRuleTestCases(read(RULE_TESTS));

describe("prometheus/alerts.yml", () => {
  it("defines exactly the documented alerts, in one group named useapi-minimax", () => {
    expect(rules.map((r) => r.alert)).toEqual(ALERT_NAMES);
    expect([...read(RULES).matchAll(/^\s*- name:\s*"?([^"\s]+)"?\s*$/gm)].map((m) => m[1])).toEqual(
      ["useapi-minimax"],
    );
  });

  it.each(ALERT_NAMES)("gives %s a for duration, a severity and both annotations", (name) => {
    const rule = rules.find((r) => r.alert === name);
    expect(rule?.for).toMatch(/^\d+[smh]$/);
    expect(["critical", "warning"]).toContain(rule?.labels["severity"]);
    expect(rule?.annotations["summary"]).toMatch(/\S/);
    expect(rule?.annotations["description"]).toMatch(/\{\{ \$labels\.instance \}\}/);
  });

  it.each(PER_ACCOUNT_ALERTS)(
    "names the account and the value in the description of %s",
    (name) => {
      const description = rules.find((r) => r.alert === name)?.annotations["description"];
      expect(description).toContain("{{ $labels.account }}");
      expect(description).toMatch(/\{\{ \$value( \| \w+( "[^"]*")?)? \}\}/);
    },
  );

  it("names the job's elapsed time and the session's remaining or past time as durations", () => {
    for (const name of [
      "UseapiMinimaxJobNearExpiry",
      "UseapiMinimaxJobPastExpiry",
      "UseapiMinimaxSessionExpiringSoon",
      "UseapiMinimaxSessionExpired",
      "UseapiMinimaxGenerationRunningLong",
      "UseapiMinimaxCreditsExpiringSoon",
    ]) {
      const description = rules.find((r) => r.alert === name)?.annotations["description"];
      expect(description, name).toContain("{{ $value | humanizeDuration }}");
    }
  });

  it("selects the scrape job useapi-minimax that the example Prometheus configuration defines", () => {
    expect(rules.find((r) => r.alert === "UseapiMinimaxExporterDown")?.expr).toBe(
      'up{job="useapi-minimax"} == 0',
    );
    expect(read("prometheus/prometheus.yml")).toMatch(/^\s*- job_name: useapi-minimax$/m);
  });
});

describe("prometheus/alerts.test.yml", () => {
  it.each(ALERT_NAMES)("tests %s with at least one firing and one not-firing case", (name) => {
    const cases = ruleTestCases.filter((c) => c.alertname === name);
    expect(cases.filter((c) => c.firing).length).toBeGreaterThanOrEqual(1);
    expect(cases.filter((c) => !c.firing).length).toBeGreaterThanOrEqual(1);
  });

  it("tests no alert that alerts.yml does not define", () => {
    const tested = new Set(ruleTestCases.map((c) => c.alertname));
    expect([...tested].sort()).toEqual([...ALERT_NAMES].sort());
  });
});

describe.runIf(haveBinary("promtool", "prometheus"))("promtool on the rules and the config", () => {
  it("checks the rules without lint findings and counts one rule per alert", () => {
    const result = run("promtool", ["check", "rules", "--lint=all", "--lint-fatal", RULES]);
    expect(result.output).toContain(`SUCCESS: ${ALERT_NAMES.length} rules found`);
    expect(result.code).toBe(0);
  });

  it("passes the rule unit tests", () => {
    const result = run("promtool", ["test", "rules", RULE_TESTS]);
    expect(result.output).toContain("SUCCESS");
    expect(result.code).toBe(0);
  });

  /** Runs the unit tests against a copy of the rules with one alert's `for` set to 0s. */
  function testWithoutFor(name: string): RunResult {
    const dir = mkdtempSync(join(tmpdir(), "useapi-alerts-"));
    try {
      cpSync(join(ROOT, RULE_TESTS), join(dir, "alerts.test.yml"));
      cpSync(join(ROOT, RECORDS), join(dir, "rules.yml"));
      const lines = read(RULES).split("\n");
      const at = lines.findIndex((l) => l.trim() === `- alert: ${name}`);
      const forAt = lines.findIndex((l, i) => i > at && /^\s*for: /.test(l));
      lines[forAt] = (lines[forAt] ?? "").replace(/for: \S+/, "for: 0s");
      writeFileSync(join(dir, "alerts.yml"), lines.join("\n"));
      return run("promtool", ["test", "rules", "alerts.test.yml"], dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it.each(ALERT_NAMES)("fails the unit tests when %s loses its for duration", (name) => {
    const result = testWithoutFor(name);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(`alertname: ${name},`);
  });

  it("validates the example Prometheus configuration together with the rule file it loads", () => {
    const result = run("promtool", ["check", "config", "prometheus/prometheus.yml"]);
    expect(result.output).toContain("SUCCESS: 2 rule files found");
    expect(result.output).toContain(`SUCCESS: ${RECORD_NAMES.length} rules found`);
    expect(result.output).toContain(`SUCCESS: ${ALERT_NAMES.length} rules found`);
    expect(result.code).toBe(0);
  });
});

const records = recordingRules(read(RECORDS));

describe("prometheus/rules.yml", () => {
  it("defines exactly the documented recording rules, in one group of their own", () => {
    expect(records.map((r) => r.record)).toEqual(RECORD_NAMES);
    expect(
      [...read(RECORDS).matchAll(/^\s*- name:\s*"?([^"\s]+)"?\s*$/gm)].map((m) => m[1]),
    ).toEqual(["useapi-minimax.rules"]);
  });

  it.each(RECORD_NAMES)("tests %s in prometheus/rules.test.yml", (name) => {
    expect(promqlTestExprs(read(RECORD_TESTS))).toContain(name);
  });

  it("is used by the alerts: a change to a record's name breaks them", () => {
    const used = RECORD_NAMES.filter((name) => rules.some((r) => r.expr.includes(name)));
    expect(used).toEqual([
      "account:useapi_minimax_agent_jobs_executing_per_max_jobs:ratio",
      "account:useapi_minimax_agent_jobs_completed_or_failed:increase1h",
      "account:useapi_minimax_agent_jobs_failed_per_completed_or_failed:ratio_increase1h",
      "account:useapi_minimax_video_slots_used_per_slots:ratio",
      "account:useapi_minimax_account_credits_per_video_cost:ratio",
      "account_code:useapi_minimax_api_requests:increase30m",
      "account:useapi_minimax_api_requests_not_rate_limited:increase1h",
      "account:useapi_minimax_api_requests_failed_per_not_rate_limited:ratio_increase1h",
    ]);
  });
});

describe.runIf(haveBinary("promtool", "prometheus"))("promtool on the recording rules", () => {
  it("checks them without lint findings", () => {
    const result = run("promtool", ["check", "rules", "--lint=all", "--lint-fatal", RECORDS]);
    expect(result.output).toContain(`SUCCESS: ${RECORD_NAMES.length} rules found`);
    expect(result.code).toBe(0);
  });

  it("passes their unit tests", () => {
    const result = run("promtool", ["test", "rules", RECORD_TESTS]);
    expect(result.output).toContain("SUCCESS");
    expect(result.code).toBe(0);
  });

  it.runIf(HAVE_JSONNET)(
    "fails the unit test of every record when the mixin's selector lets another job's series in",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "useapi-rules-"));
      try {
        cpSync(join(ROOT, RECORD_TESTS), join(dir, "rules.test.yml"));
        const loose = (await renderMixin({ selector: 'job=~".+"' }))["prometheus/rules.yml"];
        writeFileSync(join(dir, "rules.yml"), loose);
        const result = run("promtool", ["test", "rules", "rules.test.yml"], dir);
        expect(result.code).not.toBe(0);
        const failed = RECORD_NAMES.filter((name) => result.output.includes(`expr: "${name}"`));
        expect(failed).toEqual(RECORD_NAMES);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

describe.runIf(haveBinary("amtool", "prometheus-alertmanager"))(
  "amtool on alertmanager.yml",
  () => {
    it("validates the example Alertmanager configuration", () => {
      const result = run("amtool", ["check-config", "alertmanager/alertmanager.yml"]);
      expect(result.output).toContain("SUCCESS");
      expect(result.code).toBe(0);
    });

    it("routes an expiry alert to the default receiver", () => {
      const result = run("amtool", [
        "config",
        "routes",
        "test",
        "--config.file=alertmanager/alertmanager.yml",
        "alertname=UseapiMinimaxJobPastExpiry",
        "account=67890",
      ]);
      expect(result.stdout.trim()).toBe("null");
      expect(result.code).toBe(0);
    });
  },
);

/** Host paths that docker-compose.yml builds from (the build context's Dockerfile) or mounts. */
function composeHostPaths(text: string): string[] {
  const paths: string[] = [];
  for (const line of text.split("\n")) {
    const build = /^\s*build:\s*["']?([^"'\s#]+)["']?\s*$/.exec(line);
    if (build) paths.push(join(build[1] ?? ".", "Dockerfile"));
    const volume = /^\s*-\s*["']?(\.{1,2}\/[^:"']*):/.exec(line);
    if (volume) paths.push(join(volume[1] ?? ""));
  }
  return paths;
}

describe("docker-compose.yml", () => {
  const compose = read("docker-compose.yml");
  const paths = composeHostPaths(compose);

  it("defines the exporter, prometheus, alertmanager and grafana services", () => {
    const services = [...compose.matchAll(/^ {2}([a-z][\w-]*):\s*$/gm)].map((m) => m[1]);
    expect(services).toEqual(["exporter", "prometheus", "alertmanager", "grafana"]);
    expect(read("prometheus/prometheus.yml")).toContain('targets: ["exporter:9877"]');
    expect(read("prometheus/prometheus.yml")).toContain('targets: ["alertmanager:9093"]');
  });

  it("builds from and mounts exactly the expected host paths", () => {
    expect([...paths].sort()).toEqual(
      [
        "Dockerfile",
        "alertmanager/alertmanager.yml",
        "grafana/dashboard.json",
        "grafana/provisioning",
        "prometheus",
      ].sort(),
    );
  });

  it.each(paths)("builds from or mounts %s, which exists in the repository", (path) => {
    expect(existsSync(join(ROOT, path))).toBe(true);
  });
});
