import { escapeHtml } from "../sources/common/html.js";

/**
 * The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens. The
 * alerts' runbook_url fragments are these, so /runbook and the published file share them.
 */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");
}

// Code spans first at any position, so that what they hold is never read as markup.
const INLINE = /`([^`]+)`|\*\*(.+?)\*\*|\[([^\]]+)\]\(([^()\s]+)\)/g;

/** Only fragments and http(s) links are links; any other target stays text. */
function safeHref(href: string): string | undefined {
  return /^#[\p{L}\p{N}_-]+$/u.test(href) || /^https?:\/\/[^\s<>"'`]+$/.test(href)
    ? href
    : undefined;
}

function inline(text: string): string {
  let html = "";
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    const [whole, code, strong, label, href] = match;
    html += escapeHtml(text.slice(last, match.index));
    if (code !== undefined) html += `<code>${escapeHtml(code)}</code>`;
    else if (strong !== undefined) html += `<strong>${inline(strong)}</strong>`;
    else {
      const safe = safeHref(href ?? "");
      const inner = inline(label ?? "");
      html += safe === undefined ? inner : `<a href="${escapeHtml(safe)}">${inner}</a>`;
    }
    last = match.index + whole.length;
  }
  return html + escapeHtml(text.slice(last));
}

/** The cells of a table row; a `|` inside a code span does not split. */
function cells(row: string): string[] {
  const inner = row.trim().replace(/^\|/, "").replace(/\|$/, "");
  const out: string[] = [];
  let cell = "";
  let inCode = false;
  for (const c of inner) {
    if (c === "`") inCode = !inCode;
    if (c === "|" && !inCode) {
      out.push(cell.trim());
      cell = "";
    } else cell += c;
  }
  out.push(cell.trim());
  return out;
}

const FENCE = /^```/;
const HEADING = /^(#{1,6}) (.+)$/;
const ITEM = /^([-*+]|\d+\.) (.*)$/;
const TABLE_RULE = /^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

function startsBlock(line: string, next: string | undefined): boolean {
  return (
    FENCE.test(line) ||
    HEADING.test(line) ||
    ITEM.test(line) ||
    (line.startsWith("|") && TABLE_RULE.test(next ?? ""))
  );
}

/**
 * The Markdown the runbook is written in, as HTML: headings (with GitHub's anchors as ids),
 * paragraphs, lists, fenced code, pipe tables, and inline code, bold and links. Everything else
 * is text: the input's HTML is escaped, never passed through.
 */
export function markdownToHtml(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  const html: string[] = [];
  const used = new Map<string, number>();
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? "";
    if (line.trim() === "") {
      i++;
    } else if (FENCE.test(line)) {
      const code: string[] = [];
      for (i++; i < lines.length && !FENCE.test(lines[i] ?? ""); i++) code.push(lines[i] ?? "");
      i++;
      html.push(`<pre><code>${escapeHtml(code.join("\n"))}</code></pre>`);
    } else if (HEADING.test(line)) {
      const [, hashes = "#", text = ""] = HEADING.exec(line) ?? [];
      // GitHub's rule for repeats: the second "x" is "x-1", the third "x-2".
      const base = headingAnchor(text);
      const seen = used.get(base) ?? 0;
      used.set(base, seen + 1);
      const id = seen === 0 ? base : `${base}-${seen}`;
      const level = hashes.length;
      html.push(`<h${level} id="${escapeHtml(id)}">${inline(text.trim())}</h${level}>`);
      i++;
    } else if (ITEM.test(line)) {
      const ordered = /^\d/.test(line);
      const items: string[] = [];
      while (i < lines.length) {
        const item = ITEM.exec(lines[i] ?? "");
        if (item === null || /^\d/.test(item[1] ?? "") !== ordered) break;
        const text = [item[2] ?? ""];
        for (i++; i < lines.length && /^\s+\S/.test(lines[i] ?? ""); i++) {
          text.push((lines[i] ?? "").trim());
        }
        items.push(`<li>${inline(text.join("\n"))}</li>`);
      }
      const tag = ordered ? "ol" : "ul";
      html.push(`<${tag}>\n${items.join("\n")}\n</${tag}>`);
    } else if (line.startsWith("|") && TABLE_RULE.test(lines[i + 1] ?? "")) {
      const head = cells(line).map((c) => `<th>${inline(c)}</th>`);
      const rows: string[] = [];
      for (i += 2; i < lines.length && (lines[i] ?? "").startsWith("|"); i++) {
        rows.push(
          `<tr>${cells(lines[i] ?? "")
            .map((c) => `<td>${inline(c)}</td>`)
            .join("")}</tr>`,
        );
      }
      html.push(
        `<table>\n<thead><tr>${head.join("")}</tr></thead>\n<tbody>\n${rows.join("\n")}\n</tbody>\n</table>`,
      );
    } else {
      const text: string[] = [];
      while (
        i < lines.length &&
        (lines[i] ?? "").trim() !== "" &&
        (text.length === 0 || !startsBlock(lines[i] ?? "", lines[i + 1]))
      ) {
        text.push(lines[i] ?? "");
        i++;
      }
      html.push(`<p>${inline(text.join("\n"))}</p>`);
    }
  }
  return html.join("\n");
}
