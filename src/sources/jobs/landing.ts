import { accountCell, byAccount, htmlTable } from "../common/html.js";
import type { Snapshot } from "./snapshot.js";

const HEADERS = ["Account", "Jobs executing", "Longest job (s)"];
const section = (rows: readonly string[]) =>
  `<h2>Accounts</h2>\n${htmlTable(HEADERS, rows, "No accounts reported yet.")}`;
/** Written once per snapshot: a page request never sorts the accounts. */
const sections = new WeakMap<Snapshot, string>();

/** The jobs list's part of the landing page: running jobs per account. */
export function jobsLanding(snapshot: Snapshot | undefined): string {
  if (snapshot === undefined) return section([]);
  let written = sections.get(snapshot);
  if (written === undefined) {
    const rows = [...snapshot.accounts]
      .sort(byAccount)
      .map(
        (a) => `${accountCell(a.account)}<td>${a.executing}</td><td>${a.maxElapsedSeconds}</td>`,
      );
    sections.set(snapshot, (written = section(rows)));
  }
  return written;
}
