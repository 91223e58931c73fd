import { accountCell, byAccount, escapeHtml, htmlTable, pageTime } from "../common/html.js";
import type { AccountCredits, Ledger } from "./ledger.js";

const HEADERS = ["Account", "Credits", "Next expiry (UTC)", "Plan", "Last request"];
const EMPTY = "No account asked about yet.";

/** The credits section of the landing page, written again only when the ledger changed. */
export function creditsLanding(ledger: Ledger): () => string {
  let version = -1;
  let section = "";
  return () => {
    if (ledger.version() !== version) {
      version = ledger.version();
      const rows = [...ledger.rows()].sort(byAccount).map(row);
      section = `<h2>Credits</h2>\n${htmlTable(HEADERS, rows, EMPTY)}`;
    }
    return section;
  };
}

function row(a: AccountCredits): string {
  const credits = a.credits?.totalCredits;
  const next = a.next === undefined ? "" : `${pageTime(a.next.atMs)} (${a.next.credits})`;
  return (
    accountCell(a.account) +
    `<td>${credits ?? ""}</td><td>${escapeHtml(next)}</td>` +
    `<td>${escapeHtml(a.credits?.plan ?? "")}</td><td>${a.outcome ?? "not yet"}</td>`
  );
}
