/** Reads Prometheus rule files, their promtool unit tests, and the thresholds in the rules. */
import { parse } from "yaml";
import type { AlertThreshold } from "../grafana/alert-thresholds.js";
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
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

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

/** Every number written right after `comparison` in the expression (whitespace collapsed). */
export function numbersAfter(expr: string, comparison: string): number[] {
  const pattern = new RegExp(
    `${escapeRegExp(collapse(comparison))} ?(-?\\d+(?:\\.\\d+)?(?:e[+-]?\\d+)?)(?![\\w.])`,
    "g",
  );
  return [...expr.matchAll(pattern)].map((match) => Number(match[1]));
}

/** The one number the rule compares with at `comparison`; throws when there is none or several. */
export function ruleThreshold(rules: AlertRule[], where: Omit<AlertThreshold, "value">): number {
  const rule = rules.find((candidate) => candidate.alert === where.alert);
  if (!rule) throw new Error(`no alert rule ${where.alert}`);
  const found = [...new Set(numbersAfter(rule.expr, where.comparison))];
  if (found.length !== 1 || found[0] === undefined) {
    throw new Error(
      `${where.alert} has ${found.length === 0 ? "no" : "several numbers after its"} "${where.comparison}"` +
        (found.length === 0 ? " followed by a number" : `: ${found.join(", ")}`),
    );
  }
  return found[0];
}

/** One sentence per entry of the table whose value is not the number its rule compares with. */
export function thresholdMismatches(
  rules: AlertRule[],
  table: Record<string, AlertThreshold>,
): string[] {
  return Object.entries(table).flatMap(([key, threshold]) => {
    try {
      const inRule = ruleThreshold(rules, threshold);
      return inRule === threshold.value
        ? []
        : [
            `${key} is ${threshold.value} but ${threshold.alert} compares "${threshold.comparison}" with ${inRule}`,
          ];
    } catch (error) {
      return [`${key}: ${(error as Error).message}`];
    }
  });
}
