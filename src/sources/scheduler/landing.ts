import { accountCell, byAccount, htmlTable, pageTime } from "../common/html.js";
import type { AccountGenerations, GenerationSnapshot } from "./snapshot.js";

/** Indexed like GENERATION_TYPES. */
const HEADERS = [
  ...["Account", "Videos", "Images", "Speech"],
  ...["Longest (s)", "Video slots free", "Video slots"],
];

/** Written once per snapshot: a page request never sorts the accounts. */
const sections = new WeakMap<GenerationSnapshot, string>();

const running = (a: AccountGenerations) => a.executing.reduce((sum, n) => sum + n, 0);
const slot = (value: number | undefined) => (value === undefined ? "" : String(value));

/** A scheduler's part of the landing page: accounts running generations first, most first. */
export function generationsLanding(snapshot: GenerationSnapshot | undefined): string {
  if (snapshot === undefined) return "";
  let section = sections.get(snapshot);
  if (section === undefined) {
    const rows = [...snapshot.accounts]
      .sort((a, b) => running(b) - running(a) || byAccount(a, b))
      .map(
        (a) =>
          `${accountCell(a.account)}${a.executing.map((n) => `<td>${n}</td>`).join("")}<td>${Math.max(...a.maxElapsedSeconds)}</td><td>${slot(a.available)}</td><td>${slot(a.maxJobs)}</td>`,
      );
    section = `<h2>Generations</h2>
<p>${snapshot.generations.length} video, image and speech generations in the scheduler at ${pageTime(snapshot.takenAtMs)}.</p>
${htmlTable(HEADERS, rows, "No accounts reported.")}`;
    sections.set(snapshot, section);
  }
  return section;
}
