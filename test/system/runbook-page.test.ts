import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import { hashSync } from "@node-rs/bcrypt";
import { afterAll, describe, expect, it } from "vitest";
import { basicAuth } from "../../src/http/auth.js";
import { headingAnchor, markdownToHtml } from "../../src/http/markdown.js";
import { loadRunbook } from "../../src/http/runbook-file.js";
import { listen } from "../../src/http/server.js";
import { alertRules } from "../alert-rules.js";
import { get } from "../harness.js";
import { testHandler } from "../stall.js";

const ALERTS = alertRules(
  readFileSync(new URL("../../prometheus/alerts.yml", import.meta.url), "utf8"),
);

const servers: Server[] = [];
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

async function start(options: Parameters<typeof testHandler>[0] = {}): Promise<string> {
  const started = await listen(testHandler(options), { host: "127.0.0.1", port: 0 }, undefined);
  servers.push(started.server);
  return started.url;
}

const ids = (html: string): Set<string> =>
  new Set([...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1] ?? ""));

describe("markdownToHtml", () => {
  it("gives headings GitHub's anchors, a repeated one with a suffix", () => {
    expect(markdownToHtml("# Runbook: useapi.net *alerts*\n\n## A b\n\n## A b\n")).toBe(
      [
        '<h1 id="runbook-useapinet-alerts">Runbook: useapi.net *alerts*</h1>',
        '<h2 id="a-b">A b</h2>',
        '<h2 id="a-b-1">A b</h2>',
      ].join("\n"),
    );
  });

  it("writes paragraphs, lists with their continuation lines, fenced code and tables", () => {
    const html = markdownToHtml(
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
        "| `a|b` | [See](#x) |",
      ].join("\n"),
    );
    expect(html).toBe(
      [
        "<p>One line\nand the next.</p>",
        "<ul>\n<li><strong>Item.</strong> one,\ncontinued</li>\n<li><code>two</code></li>\n</ul>",
        "<ol>\n<li>first</li>\n<li>second</li>\n</ol>",
        "<pre><code>echo &#39;&lt;b&gt;&#39; &amp;&amp; true</code></pre>",
        '<table>\n<thead><tr><th>Outcome</th><th>What</th></tr></thead>\n<tbody>\n<tr><td><code>a|b</code></td><td><a href="#x">See</a></td></tr>\n</tbody>\n</table>',
      ].join("\n"),
    );
  });

  it("passes no HTML of its input through and links only fragments and http(s) URLs", () => {
    const html = markdownToHtml(
      [
        "<script>alert(1)</script> `<img src=x onerror=alert(1)>`",
        "[a](javascript:alert(1)) [a2](javascript:void) [b](https://example.com/?q=1&r=2) [c](#ok) [d](../README.md)",
        '[e](https://x/"onmouseover=alert(1)) **<i>**',
        "## <b>Heading</b>",
      ].join("\n"),
    );
    expect(html).not.toMatch(/<(script|img|i|b)[ >]/);
    expect([...html.matchAll(/<a href="([^"]*)">/g)].map((m) => m[1])).toEqual([
      "https://example.com/?q=1&amp;r=2",
      "#ok",
    ]);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain('<h2 id="bheadingb">&lt;b&gt;Heading&lt;/b&gt;</h2>');
  });
});

describe("/runbook", () => {
  it("serves docs/runbook.md as HTML with the security headers, with an anchor for every alert's runbook_url", async () => {
    const url = await start();
    const page = await get(`${url}/runbook`);
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(page.headers["x-content-type-options"]).toBe("nosniff");
    expect(page.headers["content-security-policy"]).toContain("default-src 'none'");
    const anchors = ids(page.body);
    expect(ALERTS.length).toBe(22);
    const fragments = ALERTS.map((rule) => {
      const link = rule.annotations["runbook_url"] ?? "";
      return link.slice(link.indexOf("#") + 1);
    });
    expect(fragments.filter((fragment) => !anchors.has(fragment))).toEqual([]);
    expect(fragments).toEqual(ALERTS.map((rule) => headingAnchor(rule.alert)));
    // Every in-page link (the contents, "see ..." references) lands on a heading.
    const links = [...page.body.matchAll(/<a href="#([^"]+)">/g)].map((m) => m[1] ?? "");
    expect(links.length).toBeGreaterThan(ALERTS.length);
    expect(links.filter((link) => !anchors.has(link))).toEqual([]);
  });

  it("answers HEAD, refuses other methods with 405, and is absent when there is no runbook", async () => {
    const url = await start();
    expect((await get(`${url}/runbook`, { method: "HEAD" })).status).toBe(200);
    const post = await get(`${url}/runbook`, { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers["allow"]).toBe("GET, HEAD");
    expect((await get(`${await start({ runbook: null })}/runbook`)).status).toBe(404);
  });

  it("is linked from the landing page when served, and not when absent", async () => {
    expect((await get(`${await start()}/`)).body).toContain('<a href="/runbook">Runbook</a>');
    expect((await get(`${await start({ runbook: null })}/`)).body).not.toContain("/runbook");
  });

  it("asks for the credentials basic auth asks for on every other path", async () => {
    const users = new Map([["alice", hashSync("s3cret", 4)]]);
    const url = await start({ guards: [basicAuth(users, "test")] });
    expect((await get(`${url}/runbook`)).status).toBe(401);
    const basic = `Basic ${Buffer.from("alice:s3cret").toString("base64")}`;
    expect((await get(`${url}/runbook`, { headers: { authorization: basic } })).status).toBe(200);
  });

  it("finds the packaged runbook from dist/ as well as from src/", async () => {
    const dist = (await import(
      new URL("../../dist/http/runbook-file.js", import.meta.url).href
    )) as {
      loadRunbook: () => Buffer | undefined;
    };
    const fromSrc = loadRunbook();
    expect(fromSrc?.toString()).toContain('<h2 id="useapiminimaxexporterdown">');
    expect(dist.loadRunbook()?.equals(fromSrc ?? Buffer.alloc(0))).toBe(true);
  });
});
