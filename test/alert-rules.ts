/** Reads Prometheus rule files and their promtool unit tests. */
import { parse } from "yaml";
import { isRecord } from "./dashboard-model.js";

export interface AlertRule {
  alert: string;
  /** The expression with its whitespace collapsed to single spaces. */
  expr: string;
  /** The `for` duration as written, undefined when the rule has none. */
  for: string | undefined;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface RuleTestCase {
  alertname: string;
  /** Whether the case expects alerts: a missing or empty `exp_alerts` does not. */
  firing: boolean;
}

const collapse = (text: string): string => text.replace(/\s+/g, " ").trim();

const list = (value: unknown, key: string): unknown[] =>
  isRecord(value) && Array.isArray(value[key]) ? (value[key] as unknown[]) : [];

/** The string values of a mapping, others left out. */
function strings(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter(
      (entry): entry is [string, string] => typeof entry[1] === "string",
    ),
  );
}

/** The alerting rules of every group, recording rules left out. */
export function alertRules(text: string): AlertRule[] {
  return list(parse(text), "groups").flatMap((group) =>
    list(group, "rules").flatMap((rule) =>
      isRecord(rule) && typeof rule["alert"] === "string" && typeof rule["expr"] === "string"
        ? [
            {
              alert: rule["alert"],
              expr: collapse(rule["expr"]),
              for: typeof rule["for"] === "string" ? rule["for"] : undefined,
              labels: strings(rule["labels"]),
              annotations: strings(rule["annotations"]),
            },
          ]
        : [],
    ),
  );
}

export interface RecordingRule {
  record: string;
  /** The expression with its whitespace collapsed to single spaces. */
  expr: string;
}

/** The recording rules of every group, alerting rules left out. */
export function recordingRules(text: string): RecordingRule[] {
  return list(parse(text), "groups").flatMap((group) =>
    list(group, "rules").flatMap((rule) =>
      isRecord(rule) && typeof rule["record"] === "string" && typeof rule["expr"] === "string"
        ? [{ record: rule["record"], expr: collapse(rule["expr"]) }]
        : [],
    ),
  );
}

/** The expression of every promql_expr_test case of a promtool rule test file. */
export function promqlTestExprs(text: string): string[] {
  return list(parse(text), "tests").flatMap((test) =>
    list(test, "promql_expr_test").flatMap((entry) =>
      isRecord(entry) && typeof entry["expr"] === "string" ? [entry["expr"]] : [],
    ),
  );
}

/** Every alert_rule_test case of a promtool rule test file. */
export function alertRuleTestCases(text: string): RuleTestCase[] {
  return list(parse(text), "tests").flatMap((test) =>
    list(test, "alert_rule_test").flatMap((entry) =>
      isRecord(entry) && typeof entry["alertname"] === "string"
        ? [{ alertname: entry["alertname"], firing: list(entry, "exp_alerts").length > 0 }]
        : [],
    ),
  );
}
