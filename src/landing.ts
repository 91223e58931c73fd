import type { PollStatus } from "./poller.js";

export interface LandingInfo {
  version: string;
  telemetryPath: string;
  status: Readonly<PollStatus>;
  dashboardPath?: string | undefined;
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function time(ms: number | undefined): string {
  return ms === undefined ? "never" : new Date(ms).toISOString();
}

/** The landing page. Everything that came from the upstream is escaped. */
export function renderLanding(info: LandingInfo): string {
  const { version, telemetryPath, status, dashboardPath } = info;
  const path = escapeHtml(telemetryPath);
  const dashboardLink = dashboardPath
    ? `<li><a href="${escapeHtml(dashboardPath)}">Grafana dashboard</a> (JSON to import)</li>\n`
    : "";
  // Sorted here, for people; the snapshot keeps upstream order so that polls stay linear.
  const rows = [...(status.snapshot?.accounts ?? [])]
    .sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : 0))
    .map(
      (a) =>
        `<tr><td>${escapeHtml(a.account)}</td><td>${a.executing}</td><td>${a.maxElapsedSeconds}</td></tr>`,
    )
    .join("\n");
  const stale = status.stale ? " (stale: per-account series are no longer exported)" : "";
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>useapi.net MiniMax exporter</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}</style>
</head>
<body>
<h1>useapi.net MiniMax exporter</h1>
<p>Version ${escapeHtml(version)}</p>
<ul>
<li><a href="${path}">Metrics</a> (${path})</li>
${dashboardLink}<li><a href="/-/healthy">Health</a> and <a href="/-/ready">readiness</a></li>
</ul>
<h2>Last poll</h2>
<p>Outcome: <strong>${escapeHtml(status.lastOutcome ?? "none yet")}</strong> at ${time(status.lastPollAtMs)};
last success at ${time(status.lastSuccessAtMs)}${stale}.</p>
<h2>Accounts</h2>
<table>
<thead><tr><th>Account</th><th>Jobs executing</th><th>Longest job (s)</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="3">No accounts reported yet.</td></tr>'}
</tbody>
</table>
</body>
</html>
`;
}
