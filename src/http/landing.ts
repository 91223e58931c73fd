import type { SourcesStatus } from "../sources/start.js";
import { escapeHtml, htmlTable, pageTime } from "../sources/common/html.js";

/** The poll status as the page shows it, and whether the exporter polls its built-in simulator. */
export type LandingStatus = SourcesStatus;

export interface LandingInfo {
  version: string;
  telemetryPath: string;
  status: LandingStatus;
  dashboardPath?: string | undefined;
  /** Where the exporter serves docs/runbook.md; undefined when it was not packaged. */
  runbookPath?: string | undefined;
}

const time = (ms: number | undefined) => (ms === undefined ? "" : pageTime(ms));

/** One row per source: its last outcome, why it failed, when, its last success, staleness. */
function sourcesTable(status: LandingStatus): string {
  const rows = status.sources.map(
    (s) =>
      `<td>${escapeHtml(s.name)}</td><td>${escapeHtml(s.lastOutcome ?? "not asked yet")}</td><td>${escapeHtml(s.lastDetail ?? "")}</td><td>${time(s.lastPollAtMs)}</td><td>${time(s.lastSuccessAtMs)}</td><td>${s.stale ? "yes: series dropped" : "no"}</td>`,
  );
  return htmlTable(
    ["Source", "Last outcome", "Why it failed", "At", "Last success", "Stale"],
    rows,
    "No sources.",
  );
}

/** The landing page. Everything that came from the upstream is escaped. */
export function renderLanding(info: LandingInfo): string {
  const { version, telemetryPath, status, dashboardPath, runbookPath } = info;
  const path = escapeHtml(telemetryPath);
  const dashboardLink = dashboardPath
    ? `<li><a href="${escapeHtml(dashboardPath)}">Grafana dashboard</a> (JSON to import)</li>\n`
    : "";
  const runbookLink = runbookPath
    ? `<li><a href="${escapeHtml(runbookPath)}">Runbook</a> (what to do about each alert)</li>\n`
    : "";
  const demo = status.demo
    ? "<p><strong>Demo mode:</strong> these values come from the built-in simulator, not useapi.net.</p>\n"
    : "";
  const why = status.lastDetail === undefined ? "" : ` (${escapeHtml(status.lastDetail)})`;
  const poll =
    status.lastPollAtMs === undefined
      ? "No poll has finished yet"
      : `Outcome: <strong>${escapeHtml(status.lastOutcome ?? "none")}</strong>${why} at ${time(status.lastPollAtMs)}; ${
          status.lastSuccessAtMs === undefined
            ? "no poll has succeeded yet"
            : `last success at ${time(status.lastSuccessAtMs)}`
        }`;
  const stale = status.stale ? " (stale: per-account series are no longer exported)" : "";
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>useapi.net MiniMax exporter</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}</style>
</head>
<body>
<h1>useapi.net MiniMax exporter</h1>
${demo}<p>Version ${escapeHtml(version)}</p>
<ul>
<li><a href="${path}">Metrics</a> (${path})</li>
${dashboardLink}${runbookLink}<li><a href="/-/healthy">Health</a> and <a href="/-/ready">readiness</a></li>
</ul>
<h2>Last poll of the jobs list</h2>
<p>${poll}${stale}.</p>
<h2>Sources</h2>
${sourcesTable(status)}${status.sections.join("")}</body>
</html>
`;
}
