import { safeText } from "../../upstream/redaction.js";

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

/** A time as the landing page shows it: ISO 8601 in UTC to the second; "" for no valid time. */
export function pageTime(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? "" : `${date.toISOString().slice(0, 19)}Z`;
}

/** Rows of a landing-page table at most; the rest are counted, and all of them are in /metrics. */
export const MAX_LANDING_ROWS = 1_000;

/** An account ID as a table cell: redacted when parsed, so only the cut and the escape are left. */
export function accountCell(account: string): string {
  return `<td>${escapeHtml(safeText(account, []))}</td>`;
}

/** Rows of `<td>` cells, MAX_LANDING_ROWS at most (a last row counts the rest); else `empty`. */
export function htmlTable(
  headers: readonly string[],
  rows: readonly string[],
  empty: string,
): string {
  const shown = rows.slice(0, MAX_LANDING_ROWS).map((cells) => `<tr>${cells}</tr>`);
  const hidden = rows.length - shown.length;
  const span = `colspan="${headers.length}"`;
  if (hidden > 0)
    shown.push(`<tr><td ${span}>${hidden} more accounts not shown (see the metrics).</td></tr>`);
  const body = shown.length > 0 ? shown.join("\n") : `<tr><td ${span}>${empty}</td></tr>`;
  return `<table>
<thead><tr>${headers.map((h) => `<th>${h}</th>`).join("")}</tr></thead>
<tbody>
${body}
</tbody>
</table>
`;
}

/** By account ID, for people; snapshots keep upstream order so that polls stay linear. */
export function byAccount(a: { account: string }, b: { account: string }): number {
  return a.account < b.account ? -1 : a.account > b.account ? 1 : 0;
}
