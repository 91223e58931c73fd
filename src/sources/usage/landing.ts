import { escapeHtml, htmlTable, pageTime } from "../common/html.js";
import type { UsageSnapshot } from "./source.js";

/** The usage source's part of the landing page: what was counted, by HTTP code. */
export function usageLanding(snapshot: UsageSnapshot | undefined): string {
  if (snapshot === undefined) return "";
  const rows = [...snapshot.byCode]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([code, count]) => `<td>${escapeHtml(code)}</td><td>${count}</td>`);
  const missed =
    snapshot.missedAnswers > 0
      ? ` ${snapshot.missedAnswers} full answers held only new rows: some requests may have been missed.`
      : "";
  return `<h2>Recorded requests</h2>
<p>${snapshot.counted} requests counted from useapi.net's records; the answer at ${pageTime(snapshot.takenAtMs)} listed ${snapshot.listed}, ${snapshot.fresh} of them new.${missed}</p>
${htmlTable(["HTTP code", "Requests"], rows, "No requests recorded.")}`;
}
