import { readFileSync } from "node:fs";
import { parser } from "@prometheus-io/lezer-promql";
import { describe, expect, it } from "vitest";
import { alertRules, promqlTestExprs, recordingRules } from "../alert-rules.js";
import { dashboardQueries, isRecord, type Json } from "../dashboard-model.js";

/*
 * Prometheus 3's PromQL grammar (@prometheus-io/lezer-promql, pinned to the release of Prometheus
 * 3.15) over every expression that ships, and guards for what docs/deploy.md's review of
 * Prometheus 3's migration found: Prometheus 2.42 runs the same files end to end.
 */
const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

/** Grafana's variables as Prometheus would receive them once Grafana has put in their values. */
const grafanaValues = (expr: string) =>
  expr.replace(/\$__rate_interval|\$__interval|\$__range/g, "5m");

const dashboard = JSON.parse(read("grafana/dashboard.json")) as Json;
const templating = isRecord(dashboard["templating"]) ? dashboard["templating"] : {};
const variableQueries = (Array.isArray(templating["list"]) ? templating["list"] : [])
  .filter(isRecord)
  .flatMap((variable) => {
    const query = variable["query"];
    const inner = typeof query === "string" ? /^label_values\((.*), \w+\)$/.exec(query) : null;
    return inner === null
      ? []
      : [{ where: `variable ${String(variable["name"])}`, expr: inner[1] ?? "" }];
  });

const EXPRESSIONS: { where: string; expr: string }[] = [
  ...alertRules(read("prometheus/alerts.yml")).map((r) => ({ where: r.alert, expr: r.expr })),
  ...recordingRules(read("prometheus/rules.yml")).map((r) => ({ where: r.record, expr: r.expr })),
  ...dashboardQueries(dashboard).map((q) => ({
    where: `panel ${q.panel}`,
    expr: grafanaValues(q.expr),
  })),
  ...variableQueries,
  ...promqlTestExprs(read("prometheus/rules.test.yml")).map((expr) => ({
    where: "rules.test.yml",
    expr,
  })),
];

interface Node {
  name: string;
  text: string;
}

/** The nodes of an expression's syntax tree, and the offsets where the grammar found errors. */
function parse(expr: string): { nodes: Node[]; errors: number[] } {
  const nodes: Node[] = [];
  const errors: number[] = [];
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError) errors.push(node.from);
      else nodes.push({ name: node.name, text: expr.slice(node.from, node.to) });
    },
  });
  return { nodes, errors };
}

describe("the shipped PromQL under Prometheus 3's grammar", () => {
  it("reads every alert, recording rule, dashboard query and variable", () => {
    expect(alertRules(read("prometheus/alerts.yml")).length).toBe(22);
    expect(recordingRules(read("prometheus/rules.yml")).length).toBe(13);
    expect(variableQueries.length).toBe(3);
    expect(EXPRESSIONS.length).toBeGreaterThan(100);
  });

  it("finds an error where Prometheus 3 would: a renamed function, an unknown one, a cut expression", () => {
    expect(parse("holt_winters(x[5m], 0.5, 0.5)").errors).not.toEqual([]);
    expect(parse("no_such_function(x)").errors).not.toEqual([]);
    expect(parse("rate(x[5m]").errors).not.toEqual([]);
    expect(parse("double_exponential_smoothing(x[5m], 0.5, 0.5)").errors).toEqual([]);
  });

  it("parses every expression without an error", () => {
    const failing = EXPRESSIONS.flatMap(({ where, expr }) => {
      const { errors } = parse(expr);
      return errors.length === 0 ? [] : [`${where}: error at ${errors[0]} in ${expr}`];
    });
    expect(failing).toEqual([]);
  });

  // Range selectors are left-open in Prometheus 3: a sample exactly at a window's start is left
  // out. A subquery then returns one point fewer; a window of 5 minutes or more at the usual 15 s
  // to 1 m scrape interval loses at most one of its 5 to 240 samples, which rate, increase and
  // their extrapolation absorb.
  it("uses no subquery, and no range window shorter than 5 minutes", () => {
    const nodes = EXPRESSIONS.flatMap(({ expr }) => parse(expr).nodes);
    expect(nodes.filter((n) => n.name === "SubqueryExpr").map((n) => n.text)).toEqual([]);
    const windows = nodes
      .filter((n) => n.name === "MatrixSelector")
      .map((n) => /\[(\w+)\]$/.exec(n.text)?.[1] ?? n.text);
    expect(windows.length).toBeGreaterThan(20);
    const seconds = (d: string) => Number(d.slice(0, -1)) * (d.endsWith("h") ? 3600 : 60);
    expect(new Set(windows)).toEqual(new Set(["5m", "10m", "15m", "30m", "1h"]));
    expect(Math.min(...windows.map(seconds))).toBe(300);
  });

  // `.` matches a newline in Prometheus 3's regular expressions. The label values these match
  // are the exporter's own (status) or useapi.net's codes, which the label check keeps free of
  // control characters; a new regex matcher must be reviewed here.
  it("uses only the regex matchers reviewed for Prometheus 3's `.`", () => {
    const matchers = EXPRESSIONS.flatMap(({ expr }) => parse(expr).nodes)
      .filter((n) => n.name === "UnquotedLabelMatcher" && /^\w+\s*[=!]~/.test(n.text))
      .map((n) => n.text.replace(/\s+/g, ""));
    expect(new Set(matchers)).toEqual(
      new Set([
        'status=~"completed|failed"',
        'code=~"[45].."',
        'job=~"$job"',
        'instance=~"$instance"',
        'account=~"$account"',
      ]),
    );
  });

  // Prometheus 3 writes classic histograms' `le` as floats ("20.0"): a matcher on one value breaks.
  it("never matches one value of `le` or `quantile`", () => {
    const matchers = EXPRESSIONS.flatMap(({ expr }) => parse(expr).nodes).filter(
      (n) => n.name === "UnquotedLabelMatcher" && /^(le|quantile)\b/.test(n.text),
    );
    expect(matchers.map((n) => n.text)).toEqual([]);
  });
});
