import { format, resolveConfig } from "prettier";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";

const HEADER = [
  "# Generated from prometheus/alerts.yml by `npm run kubernetes`: edit that file, then run it.",
  "# A Prometheus picks this up when its ruleSelector (and ruleNamespaceSelector) match it.",
].join("\n");

/** The PrometheusRule carrying the rule groups of a Prometheus rule file unchanged. */
export function prometheusRule(rulesText: string): Record<string, unknown> {
  const rules = parse(rulesText) as { groups?: unknown };
  if (!Array.isArray(rules.groups)) throw new Error("the rule file has no list of groups");
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: {
      name: "useapi-minimax",
      labels: {
        "app.kubernetes.io/name": "useapi-minimax-exporter",
        "app.kubernetes.io/component": "exporter",
      },
    },
    spec: { groups: rules.groups },
  };
}

/** The manifest as committed in deploy/kubernetes/prometheus-rule.yaml, formatted by prettier. */
export async function serializePrometheusRule(rulesText: string): Promise<string> {
  const text = `${HEADER}\n${stringify(prometheusRule(rulesText), { lineWidth: 0 })}`;
  const options = await resolveConfig(fileURLToPath(import.meta.url));
  return format(text, { ...options, parser: "yaml" });
}
