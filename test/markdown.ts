/** The README and the pages of docs/ as the tests read them: tables, marked sections, links. */
import { readdirSync, readFileSync } from "node:fs";

export const ROOT_URL = new URL("../", import.meta.url);

/** A file of the repository, by its path from the root. */
export const readDoc = (path: string): string => readFileSync(new URL(path, ROOT_URL), "utf8");

/** The Markdown pages of docs/, as `docs/name.md`. */
export const DOCS_PAGES: string[] = readdirSync(new URL("docs/", ROOT_URL))
  .filter((name) => name.endsWith(".md"))
  .sort()
  .map((name) => `docs/${name}`);

/** The cells of every Markdown table row, trimmed, so that Prettier's alignment does not matter. */
export function tableRows(text: string): string[][] {
  return text
    .split("\n")
    .filter((line) => line.startsWith("| "))
    .map((line) =>
      line
        .slice(1, -1)
        .split(" | ")
        .map((cell) => cell.trim()),
    );
}

/** The text between `<!-- name:start -->` and `<!-- name:end -->`. */
export function marked(text: string, name: string, file: string): string {
  const match = new RegExp(`<!-- ${name}:start -->([\\s\\S]*?)<!-- ${name}:end -->`).exec(text);
  if (match === null)
    throw new Error(`${file} has no <!-- ${name}:start --> … <!-- ${name}:end -->`);
  return match[1] ?? "";
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens. */
export const anchor = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");

/** The anchors of a page's headings, code blocks left out. */
export function anchors(text: string): string[] {
  return text
    .replace(/^```[\s\S]*?^```/gm, "")
    .split("\n")
    .flatMap((line) => /^#{1,6} (.+)$/.exec(line)?.[1] ?? [])
    .map(anchor);
}

/** The targets of a page's inline links that stay in this repository (no scheme), code left out. */
export function localLinks(text: string): string[] {
  const prose = text.replace(/^```[\s\S]*?^```/gm, "").replace(/`[^`\n]*`/g, "");
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1] ?? "")
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}
