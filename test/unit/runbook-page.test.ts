import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { renderRunbook, runbookPage } from "../../scripts/runbook-page.js";
import { loadRunbook, MAX_RUNBOOK_BYTES } from "../../src/http/runbook-file.js";

describe("renderRunbook", () => {
  it("gives headings GitHub's anchors, from their text without markup, a repeated one with a suffix", () => {
    expect(
      renderRunbook("# Runbook: useapi.net *alerts*\n\n## A b\n\n## A b\n\n## `x` [y](#z) & w\n"),
    ).toBe(
      [
        '<h1 id="runbook-useapinet-alerts">Runbook: useapi.net <em>alerts</em></h1>',
        '<h2 id="a-b">A b</h2>',
        '<h2 id="a-b-1">A b</h2>',
        '<h2 id="x-y--w"><code>x</code> <a href="#z">y</a> &amp; w</h2>',
        "",
      ].join("\n"),
    );
  });

  it("writes paragraphs, lists with their continuation lines, fenced code and tables", () => {
    const html = renderRunbook(
      [
        "One line",
        "and the next.",
        "- **Item.** one,",
        "  continued",
        "- `two`",
        "",
        "1. first",
        "2. second",
        "",
        "```sh",
        "echo '<b>' && true",
        "```",
        "",
        "| Outcome | What |",
        "| ------- | ---- |",
        "| `a\\|b` | [See](#x) |",
      ].join("\n"),
    );
    expect(html).toBe(
      [
        "<p>One line\nand the next.</p>",
        "<ul>\n<li><strong>Item.</strong> one,\ncontinued</li>\n<li><code>two</code></li>\n</ul>",
        "<ol>\n<li>first</li>\n<li>second</li>\n</ol>",
        "<pre><code class=\"language-sh\">echo '&lt;b&gt;' &amp;&amp; true\n</code></pre>",
        "<table>\n<thead>\n<tr>\n<th>Outcome</th>\n<th>What</th>\n</tr>\n</thead>",
        '<tbody>\n<tr>\n<td><code>a|b</code></td>\n<td><a href="#x">See</a></td>\n</tr>\n</tbody>\n</table>',
        "",
      ].join("\n"),
    );
  });

  it("passes no HTML of its input through and links only fragments and http(s) URLs", () => {
    const html = renderRunbook(
      [
        "<script>alert(1)</script> `<img src=x onerror=alert(1)>`",
        "[a](javascript:alert(1)) [a2](javascript:void) [b](https://example.com/?q=1&r=2) [c](#ok) [d](../README.md)",
        '[e](https://x/"onmouseover=alert(1)) **<i>** ![f](https://example.com/f.png)',
        "[g](<javascript:x>) [h](data:text/html,x) [i](file:///etc/passwd) <javascript:y>",
        "## <b>Heading</b>",
      ].join("\n"),
    );
    expect(html).not.toMatch(/<(script|img|i|b)[ >]/);
    // Every link is a bare href, its quote percent-encoded: no attribute can be slipped in.
    expect([...html.matchAll(/<a [^>]*>/g)].map((m) => m[0])).toEqual([
      '<a href="https://example.com/?q=1&amp;r=2">',
      '<a href="#ok">',
      '<a href="https://x/%22onmouseover=alert(1)">',
      '<a href="https://example.com/f.png">',
    ]);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain(" d\n"); // the relative link's label stays, as text
    expect(html).toContain('<h2 id="bheadingb">&lt;b&gt;Heading&lt;/b&gt;</h2>');
  });
});

describe("runbookPage", () => {
  it("is a whole document: its title, styles and a link back to the exporter around the runbook", () => {
    const page = runbookPage("## A b\n");
    expect(page).toMatch(/^<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n/);
    expect(page).toContain("<title>Runbook - useapi-minimax-exporter</title>");
    expect(page).toMatch(/<style>[^<]*table\{border-collapse:collapse\}[^<]*<\/style>/);
    expect(page).toContain(
      '<body>\n<p><a href="/">useapi-minimax-exporter</a></p>\n<h2 id="a-b">A b</h2>\n</body>\n</html>\n',
    );
  });
});

describe("loadRunbook", () => {
  const dir = mkdtempSync(join(tmpdir(), "runbook-page-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, bytes: Buffer): URL => {
    writeFileSync(join(dir, name), bytes);
    return pathToFileURL(join(dir, name));
  };

  it("reads the page's bytes as they are, up to MAX_RUNBOOK_BYTES", () => {
    const page = Buffer.from("<p>caf\u00e9</p>\n");
    expect(loadRunbook(file("page.html", page))?.equals(page)).toBe(true);
    const full = Buffer.alloc(MAX_RUNBOOK_BYTES, "a");
    expect(loadRunbook(file("full.html", full))?.equals(full)).toBe(true);
  });

  it("has no page when the file is missing, is a folder, or is larger than MAX_RUNBOOK_BYTES", () => {
    expect(loadRunbook(pathToFileURL(join(dir, "missing.html")))).toBeUndefined();
    expect(loadRunbook(pathToFileURL(dir))).toBeUndefined();
    const over = Buffer.alloc(MAX_RUNBOOK_BYTES + 1, "a");
    expect(loadRunbook(file("over.html", over))).toBeUndefined();
  });
});
