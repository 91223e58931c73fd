/** Reads the alerting rules of a Prometheus rule file and the thresholds in their expressions. */
import { parse } from "yaml";
import type { AlertThreshold } from "../grafana/alert-thresholds.js";
import { isRecord } from "./dashboard-model.js";

export interface AlertRule {
  alert: string;
  /** The expression with its whitespace collapsed to single spaces. */
  expr: string;
}

const collapse = (text: string): string => text.replace(/\s+/g, " ").trim();
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The alerting rules of every group, recording rules left out. */
export function alertRules(text: string): AlertRule[] {
  const file: unknown = parse(text);
  const groups = isRecord(file) && Array.isArray(file["groups"]) ? file["groups"] : [];
  return groups.flatMap((group: unknown) => {
    const rules = isRecord(group) && Array.isArray(group["rules"]) ? group["rules"] : [];
    return rules.flatMap((rule: unknown) =>
      isRecord(rule) && typeof rule["alert"] === "string" && typeof rule["expr"] === "string"
        ? [{ alert: rule["alert"], expr: collapse(rule["expr"]) }]
        : [],
    );
  });
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
