import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import { hashSync } from "@node-rs/bcrypt";
import { afterAll, describe, expect, it } from "vitest";
import { basicAuth } from "../../src/http/auth.js";
import { headingAnchor } from "../../scripts/runbook-page.js";
import { loadRunbook } from "../../src/http/runbook-file.js";
import { listen } from "../../src/http/server.js";
import { alertRules } from "../alert-rules.js";
import { builtRunbook } from "../built-runbook.js";
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
    // UseapiMinimaxExporterDown has none by default: its exporter cannot serve it.
    const linked = ALERTS.filter((rule) => rule.annotations["runbook_url"] !== undefined);
    expect(linked.length).toBe(21);
    const fragments = linked.map((rule) => {
      const link = rule.annotations["runbook_url"] ?? "";
      return link.slice(link.indexOf("#") + 1);
    });
    expect(fragments.filter((fragment) => !anchors.has(fragment))).toEqual([]);
    expect(fragments).toEqual(linked.map((rule) => headingAnchor(rule.alert)));
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

  it("is the page npm run build wrote to dist/, which the compiled exporter reads and src/ has none of", async () => {
    const dist = (await import(
      new URL("../../dist/http/runbook-file.js", import.meta.url).href
    )) as {
      loadRunbook: () => Buffer | undefined;
    };
    const built = dist.loadRunbook();
    expect(built?.toString()).toContain('<h2 id="useapiminimaxexporterdown">');
    expect(built?.equals(builtRunbook())).toBe(true);
    expect(loadRunbook()).toBeUndefined();
  });
});
