import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { alertRules } from "../alert-rules.js";
import { dashboardPanels } from "../dashboard-model.js";

const read = (path: string): string => readFileSync(new URL(path, import.meta.url), "utf8");

const RUNBOOK = read("../../docs/runbook.md");
const ALERTS = alertRules(read("../../prometheus/alerts.yml"));
const PANEL_TITLES = new Set(
  dashboardPanels(JSON.parse(read("../../grafana/dashboard.json")) as object).map((p) => p.title),
);

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens. */
const anchor = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");

/** Each level-2 section of the runbook: its heading and its text up to the next one. */
function sections(text: string): { heading: string; body: string }[] {
  return text
    .split(/^## /m)
    .slice(1)
    .map((part) => {
      const newline = part.indexOf("\n");
      return { heading: part.slice(0, newline).trim(), body: part.slice(newline + 1) };
    });
}

const headingAnchors = new Set(
  [...RUNBOOK.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchor(m[1] ?? "")),
);

describe("docs/runbook.md", () => {
  it("has the anchor of every alert's runbook_url", () => {
    expect(ALERTS.length).toBe(22);
    const linked = ALERTS.filter((rule) => rule.alert !== "UseapiMinimaxExporterDown");
    const missing = linked.flatMap((rule) => {
      const url = rule.annotations["runbook_url"] ?? "";
      const fragment = url.slice(url.indexOf("#") + 1);
      return /^http:\/\/\{\{ \$labels\.instance \}\}\/runbook#|\/docs\/runbook\.md#/.test(url) &&
        headingAnchors.has(fragment)
        ? []
        : [`${rule.alert}: ${url}`];
    });
    expect(missing).toEqual([]);
  });

  it("is linked from each alert on the alerting exporter's own /runbook; the exporter being down carries its first steps instead", () => {
    const bases = new Map(
      ALERTS.map((rule) => {
        const url = rule.annotations["runbook_url"] ?? "";
        return [rule.alert, url.slice(0, url.indexOf("#"))];
      }),
    );
    const down = ALERTS.find((rule) => rule.alert === "UseapiMinimaxExporterDown");
    expect(down?.annotations["runbook_url"]).toBeUndefined();
    expect(down?.annotations["description"]).toMatch(
      /First steps: .*exit code.*log lines.*Targets page/,
    );
    bases.delete("UseapiMinimaxExporterDown");
    expect(new Set(bases.values())).toEqual(new Set(["http://{{ $labels.instance }}/runbook"]));
  });

  it("has one section per alert, in the order of the rules, and none for an alert that does not exist", () => {
    const alertSections = sections(RUNBOOK).filter((s) => s.heading !== "Contents");
    expect(alertSections.map((s) => s.heading)).toEqual(ALERTS.map((r) => r.alert));
  });

  it.each(ALERTS.map((r) => r.alert))(
    "says what %s means, its impact, how to diagnose it and what to do, in that order",
    (name) => {
      const body = sections(RUNBOOK).find((s) => s.heading === name)?.body ?? "";
      const labels = [...body.matchAll(/^\*\*(Meaning|Impact|Diagnosis|Resolution)\.\*\*/gm)].map(
        (m) => m[1],
      );
      expect(labels).toEqual(["Meaning", "Impact", "Diagnosis", "Resolution"]);
    },
  );

  it("names only panels the dashboard has, where it says panel", () => {
    const text = RUNBOOK.replace(/\s+/g, " ");
    const quotes = (list: string): string[] =>
      [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1] ?? "");
    const named = [
      ...[...text.matchAll(/\b[Pp]anels? ((?:"[^"]+"(?:, | and | or )?)+)/g)].flatMap((m) =>
        quotes(m[1] ?? ""),
      ),
      ...[...text.matchAll(/"([^"]+)" panels?\b/g)].map((m) => m[1] ?? ""),
    ];
    expect(named.length).toBeGreaterThan(20);
    expect(named.filter((title) => !PANEL_TITLES.has(title))).toEqual([]);
  });

  it.each(ALERTS.map((r) => r.alert))(
    "points the diagnosis of %s at a panel the dashboard has",
    (name) => {
      const body = sections(RUNBOOK).find((s) => s.heading === name)?.body ?? "";
      const diagnosis = body
        .slice(body.indexOf("**Diagnosis.**"), body.indexOf("**Resolution.**"))
        .replace(/\s+/g, " ");
      const quoted = [...diagnosis.matchAll(/"([^"]+)"/g)].map((m) => m[1] ?? "");
      expect(quoted.filter((title) => PANEL_TITLES.has(title)).length).toBeGreaterThan(0);
    },
  );

  it("links every entry of its contents to a heading", () => {
    const contents = sections(RUNBOOK).find((s) => s.heading === "Contents")?.body ?? "";
    const links = [...contents.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1] ?? "");
    expect(links.length).toBe(ALERTS.length);
    expect(links.filter((link) => !headingAnchors.has(link))).toEqual([]);
  });
});
