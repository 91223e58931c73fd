import MarkdownIt from "markdown-it";
import type { StateCore, Token } from "markdown-it";

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

/** Only fragments and http(s) URLs are links on the page; the docs' relative links do not resolve there. */
const linkable = (href: string): boolean => /^(#|https?:\/\/)/i.test(href);

/** A heading's text as a reader sees it (markup dropped), from which GitHub makes its anchor. */
const plainText = (inline: Token | undefined): string =>
  (inline?.children ?? [])
    .filter((child) => child.type === "text" || child.type === "code_inline")
    .map((child) => child.content)
    .join("");

/** Gives every heading GitHub's anchor as its id; a repeat gets "-1", "-2", as on GitHub. */
function headingIds(state: StateCore): void {
  const used = new Map<string, number>();
  state.tokens.forEach((token, i) => {
    if (token.type !== "heading_open") return;
    const base = headingAnchor(plainText(state.tokens[i + 1]));
    const seen = used.get(base) ?? 0;
    used.set(base, seen + 1);
    token.attrSet("id", seen === 0 ? base : `${base}-${seen}`);
  });
}

/** Keeps the label of a link whose target is neither a fragment nor http(s), and drops the link. */
function unlinkOthers(state: StateCore): void {
  for (const block of state.tokens) {
    if (block.children === null) continue;
    let dropping = false;
    block.children = block.children.filter((token) => {
      if (token.type === "link_open") dropping = !linkable(String(token.attrGet("href") ?? ""));
      else if (token.type !== "link_close") return true;
      const keep = !dropping;
      if (token.type === "link_close") dropping = false;
      return keep;
    });
  }
}

// CommonMark with GFM tables; the input's HTML is escaped, never passed through, and an image
// stays text (the page loads nothing).
const md = new MarkdownIt({ html: false, linkify: false, typographer: false }).disable("image");
md.core.ruler.push("heading_ids", headingIds);
md.core.ruler.push("unlink_others", unlinkOthers);

/** The runbook's Markdown as the HTML of the page's body. */
export function renderRunbook(markdown: string): string {
  return md.render(markdown);
}

const STYLE =
  "body{font-family:sans-serif;margin:2em;max-width:60em;line-height:1.4}" +
  "code{background:#f4f4f4;padding:0 .2em}pre{background:#f4f4f4;padding:.6em;overflow:auto}" +
  "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}";

/** docs/runbook.md as the page served at /runbook: its HTML, with a link back to the exporter. */
export function runbookPage(markdown: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Runbook - useapi-minimax-exporter</title>
<style>${STYLE}</style>
</head>
<body>
<p><a href="/">useapi-minimax-exporter</a></p>
${renderRunbook(markdown)}</body>
</html>
`;
}
