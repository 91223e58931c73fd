import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { alertRuleTestCases, alertRules } from "./alert-rules.js";
import { haveBinary } from "./binaries.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RULES = "prometheus/alerts.yml";
const RULE_TESTS = "prometheus/alerts.test.yml";

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
    expect([...read(RULES).matchAll(/^\s*- name:\s*(\S+)\s*$/gm)].map((m) => m[1])).toEqual([
      "useapi-minimax",
    ]);
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
      expect(description).toMatch(/\{\{ \$value( \| \w+)? \}\}/);
    },
  );

  it("names the job's elapsed time and the session's remaining or past time as durations", () => {
    for (const name of [
      "UseapiMinimaxJobNearExpiry",
      "UseapiMinimaxJobPastExpiry",
      "UseapiMinimaxSessionExpiringSoon",
      "UseapiMinimaxSessionExpired",
      "UseapiMinimaxGenerationRunningLong",
    ]) {
      const description = rules.find((r) => r.alert === name)?.annotations["description"];
      expect(description, name).toContain("{{ $value | humanizeDuration }}");
    }
  });

  it("keeps the thresholds as literals right after the comparison, for end-to-end copies", () => {
    const text = read(RULES);
    expect(text).toMatch(/useapi_minimax_agent_job_max_elapsed_seconds >= 780\n/);
    expect(text).toMatch(/useapi_minimax_agent_job_max_elapsed_seconds > 900\n/);
    expect(text).toMatch(/\n\s*useapi_minimax_account_max_jobs\n\s*>= 1\n/);
    expect(text).toMatch(
      /useapi_minimax_account_session_expiry_timestamp_seconds - time\(\) < 604800\n/,
    );
    expect(text).toMatch(
      /useapi_minimax_account_session_expiry_timestamp_seconds - time\(\) > 0\n/,
    );
    expect(text).toMatch(
      /time\(\) - useapi_minimax_account_session_expiry_timestamp_seconds >= 0\n/,
    );
    expect(text).toMatch(/useapi_minimax_account_error == 1\n/);
    expect(text).toMatch(/\) > 0\.25\n/);
    expect(text).toMatch(/\[1h\]\)\) >= 4\n/);
    expect(text).toMatch(/\n\s*useapi_minimax_video_slots_available == 0\n/);
    expect(text).toMatch(/useapi_minimax_generation_max_elapsed_seconds > 1800\n/);
    expect(text).toMatch(/useapi_minimax_source_up\{source="scheduler"\} == 0\n/);
    expect([...text.matchAll(/^\s*for: \d+[smh]$/gm)]).toHaveLength(ALERT_NAMES.length);
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
    expect(result.output).toContain("SUCCESS: 1 rule files found");
    expect(result.output).toContain(`SUCCESS: ${ALERT_NAMES.length} rules found`);
    expect(result.code).toBe(0);
  });
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
