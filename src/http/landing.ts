import { safeText } from "../upstream/redaction.js";
import type { SourceStatus } from "../sources/health.js";
import type { Snapshot } from "../sources/jobs/snapshot.js";
import type { GenerationSnapshot } from "../sources/scheduler/snapshot.js";

/** The poll status as the page shows it, and whether the exporter polls its built-in simulator. */
export type LandingStatus = Readonly<SourceStatus> & {
  /** The last good snapshot of the jobs list; still shown after failures. */
  readonly snapshot: Snapshot | undefined;
  /** The last good snapshot of the scheduler; undefined when it is not polled or not yet. */
  readonly generations?: GenerationSnapshot | undefined;
  readonly demo?: boolean;
};

export interface LandingInfo {
  version: string;
  telemetryPath: string;
  status: LandingStatus;
  dashboardPath?: string | undefined;
}

/** Rows of the account table at most; the rest are counted, and all of them are in /metrics. */
export const MAX_LANDING_ROWS = 1_000;

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

/** The table of a snapshot, sorted and written once: a page request never sorts the accounts. */
const tables = new WeakMap<Snapshot, string>();

function accountTable(snapshot: Snapshot | undefined): string {
  if (snapshot === undefined) return "";
  let table = tables.get(snapshot);
  if (table !== undefined) return table;
  // Account IDs were redacted when parsed, so only the cut is left to do (no secrets passed).
  // Sorted here, for people; the snapshot keeps upstream order so that polls stay linear.
  const sorted = [...snapshot.accounts].sort((a, b) =>
    a.account < b.account ? -1 : a.account > b.account ? 1 : 0,
  );
  const rows = sorted
    .slice(0, MAX_LANDING_ROWS)
    .map(
      (a) =>
        `<tr><td>${escapeHtml(safeText(a.account, []))}</td><td>${a.executing}</td><td>${a.maxElapsedSeconds}</td></tr>`,
    );
  const hidden = sorted.length - rows.length;
  if (hidden > 0) {
    rows.push(`<tr><td colspan="3">${hidden} more accounts not shown (see the metrics).</td></tr>`);
  }
  table = rows.join("\n");
  tables.set(snapshot, table);
  return table;
}

const generationTables = new WeakMap<GenerationSnapshot, string>();

/** Accounts running generations first, most first; then the rest by ID. Written once per snapshot. */
function generationTable(snapshot: GenerationSnapshot): string {
  let table = generationTables.get(snapshot);
  if (table !== undefined) return table;
  const running = (a: GenerationSnapshot["accounts"][number]) => a.executing[0] + a.executing[1];
  const sorted = [...snapshot.accounts].sort(
    (a, b) =>
      running(b) - running(a) || (a.account < b.account ? -1 : a.account > b.account ? 1 : 0),
  );
  const slot = (value: number | undefined) => (value === undefined ? "" : String(value));
  const rows = sorted
    .slice(0, MAX_LANDING_ROWS)
    .map(
      (a) =>
        `<tr><td>${escapeHtml(safeText(a.account, []))}</td><td>${a.executing[0]}</td><td>${a.executing[1]}</td><td>${Math.max(...a.maxElapsedSeconds)}</td><td>${slot(a.available)}</td><td>${slot(a.maxJobs)}</td></tr>`,
    );
  const hidden = sorted.length - rows.length;
  if (hidden > 0) {
    rows.push(`<tr><td colspan="6">${hidden} more accounts not shown (see the metrics).</td></tr>`);
  }
  table = rows.join("\n");
  generationTables.set(snapshot, table);
  return table;
}

function generationSection(snapshot: GenerationSnapshot | undefined): string {
  if (snapshot === undefined) return "";
  const rows = generationTable(snapshot);
  return `<h2>Generations</h2>
<p>${snapshot.generations.size} video and image generations running at ${new Date(snapshot.takenAtMs).toISOString()}.</p>
<table>
<thead><tr><th>Account</th><th>Videos</th><th>Images</th><th>Longest (s)</th><th>Video slots free</th><th>Video slots</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="6">No accounts reported.</td></tr>'}
</tbody>
</table>
`;
}

/** The landing page. Everything that came from the upstream is escaped. */
export function renderLanding(info: LandingInfo): string {
  const { version, telemetryPath, status, dashboardPath } = info;
  const path = escapeHtml(telemetryPath);
  const dashboardLink = dashboardPath
    ? `<li><a href="${escapeHtml(dashboardPath)}">Grafana dashboard</a> (JSON to import)</li>\n`
    : "";
  const rows = accountTable(status.snapshot);
  const demo = status.demo
    ? "<p><strong>Demo mode:</strong> these values come from the built-in simulator, not useapi.net.</p>\n"
    : "";
  const poll =
    status.lastPollAtMs === undefined
      ? "No poll has finished yet"
      : `Outcome: <strong>${escapeHtml(status.lastOutcome ?? "none")}</strong> at ${new Date(status.lastPollAtMs).toISOString()}; ${
          status.lastSuccessAtMs === undefined
            ? "no poll has succeeded yet"
            : `last success at ${new Date(status.lastSuccessAtMs).toISOString()}`
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
${dashboardLink}<li><a href="/-/healthy">Health</a> and <a href="/-/ready">readiness</a></li>
</ul>
<h2>Last poll</h2>
<p>${poll}${stale}.</p>
<h2>Accounts</h2>
<table>
<thead><tr><th>Account</th><th>Jobs executing</th><th>Longest job (s)</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="3">No accounts reported yet.</td></tr>'}
</tbody>
</table>
${generationSection(status.generations)}</body>
</html>
`;
}
