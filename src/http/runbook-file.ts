import { readFileSync } from "node:fs";
import { markdownToHtml } from "./markdown.js";

const STYLE =
  "body{font-family:sans-serif;margin:2em;max-width:60em;line-height:1.4}" +
  "code{background:#f4f4f4;padding:0 .2em}pre{background:#f4f4f4;padding:.6em;overflow:auto}" +
  "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}";

/** docs/runbook.md as the page served at /runbook: its HTML, with a link back to the exporter. */
export function runbookPage(markdown: string): Buffer {
  return Buffer.from(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Runbook - useapi-minimax-exporter</title>
<style>${STYLE}</style>
</head>
<body>
<p><a href="/">useapi-minimax-exporter</a></p>
${markdownToHtml(markdown)}
</body>
</html>
`);
}

let page: Buffer | null | undefined;

/**
 * The runbook shipped in docs/runbook.md (src/ and dist/ sit beside docs/; this file is one folder
 * down), rendered once per process; undefined when the file is not packaged.
 */
export function loadRunbook(): Buffer | undefined {
  if (page === undefined) {
    try {
      page = runbookPage(readFileSync(new URL("../../docs/runbook.md", import.meta.url), "utf8"));
    } catch {
      page = null;
    }
  }
  return page ?? undefined;
}
