import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { until, within } from "../deadline.js";
import { get, startStack, TOKEN, type Stack } from "../harness.js";
import { logRecords, outcomeChanges } from "../log-records.js";
import { VirtualClock } from "../virtual-clock.js";

let stack: Stack | undefined;
let upstream: Server | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
  upstream?.closeAllConnections();
  upstream?.close();
  upstream = undefined;
});

/** A port-0 upstream answering `status` with a body that echoes the Authorization it got. */
async function echoingUpstream(status: number, body: (authorization: string) => string) {
  upstream = createServer((req, res) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(body(req.headers.authorization ?? ""));
  });
  upstream.listen(0, "127.0.0.1");
  await once(upstream, "listening");
  return `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
}

/** The landing page's Sources table: its headers, and each row's cells. */
function sourcesTable(page: string): { headers: string[]; rows: string[][] } {
  const table = /<h2>Sources<\/h2>\n<table>([\s\S]*?)<\/table>/.exec(page)?.[1] ?? "";
  const headers = [...table.matchAll(/<th>(.*?)<\/th>/g)].map((m) => m[1] ?? "");
  const rows = [...table.matchAll(/<tr>(<td>[\s\S]*?)<\/tr>/g)].map((m) =>
    [...(m[1] ?? "").matchAll(/<td>(.*?)<\/td>/g)].map((c) => c[1] ?? ""),
  );
  return { headers, rows };
}

const records = (s: Stack) => logRecords(s.logs);
/** [level, outcome] of each line logged when the source's polls changed outcome. */
const changes = (s: Stack, source = "jobs") =>
  outcomeChanges(records(s), source).map((r) => [r.level, r.outcome]);

describe("what a new user reads", () => {
  // What each of these lines says is asserted in log-lines.test.ts.
  it("warns when the very first poll fails, and again when one fails after a success", async () => {
    stack = await startStack();
    stack.simulator.setMode("server_error");
    expect(await stack.exporter.runner("jobs").pollOnce()).toBe("server_error");
    expect(changes(stack)).toEqual([["warn", "server_error"]]);
    stack.simulator.setMode("ok");
    expect(await stack.exporter.runner("jobs").pollOnce()).toBe("success");
    stack.simulator.setMode("server_error");
    await stack.exporter.runner("jobs").pollOnce();
    expect(changes(stack)).toEqual([
      ["warn", "server_error"],
      ["info", "success"],
      ["warn", "server_error"],
    ]);
  });

  it("warns the same of the accounts endpoint", async () => {
    stack = await startStack({ flags: ["--accounts.interval=1h"] });
    stack.simulator.setMode("server_error", {}, "accounts");
    await stack.exporter.runner("accounts").pollOnce();
    expect(changes(stack, "accounts")).toEqual([["warn", "server_error"]]);
  });

  it("shows on the landing page that demo mode is on", async () => {
    stack = await startStack({ flags: ["--demo"] });
    const page = (await get(`${stack.exporter.url}/`)).body;
    expect(page).toContain("Demo mode:");
    expect(page).not.toContain("never");
  });

  it("names the base URL, the interval and the sources polled at startup, never the token", async () => {
    stack = await startStack({
      flags: ["--accounts.interval=1h", "--jobs.resolve-status=true"],
    });
    const line = records(stack).find((r) => r["sources"] !== undefined);
    expect(line).toMatchObject({
      level: "info",
      metrics: `${stack.exporter.url}/metrics`,
      baseUrl: stack.simulator.url,
      pollIntervalSeconds: 3600,
      sources: ["jobs", "accounts", "job_status"],
    });
    expect(stack.logs.join("")).not.toContain(TOKEN);
  });

  it("gives the staleness window in seconds and the last success as an ISO time", async () => {
    const at = Date.UTC(2026, 5, 1, 12, 0, 0);
    const clock = new VirtualClock();
    stack = await startStack({
      flags: ["--poll.stale-after=90m"],
      deps: { now: () => at, timers: clock },
    });
    expect(await stack.exporter.runner("jobs").pollOnce()).toBe("success");
    // The window is at least the 1 h interval; the virtual clock ends it without waiting.
    clock.fire(
      await clock.scheduled((timer) => timer.ms === 90 * 60_000, "the 90 min staleness window"),
    );
    const stale = records(stack).find((r) => r["staleAfterSeconds"] !== undefined);
    expect(stale).toMatchObject({
      level: "warn",
      source: "jobs",
      staleAfterSeconds: 5400,
      lastSuccessAt: "2026-06-01T12:00:00.000Z",
    });
    expect(JSON.stringify(stale)).not.toContain(String(at));
  });

  it.each([
    [
      "401 echoing the Authorization header",
      401,
      (auth: string) => auth,
      "unauthorized",
      "HTTP 401",
    ],
    [
      "200 whose JSON has the token as a key",
      200,
      (auth: string) => JSON.stringify({ accounts: [], executing: { [auth]: 5 } }),
      "invalid_payload",
      "[token]",
    ],
  ] as const)(
    "shows why a source fails on the landing page, the token never: %s",
    async (_name, status, body, outcome, why) => {
      const url = await echoingUpstream(status, body);
      stack = await startStack({ flags: [`--useapi.base-url=${url}`] });
      expect(await stack.exporter.runner("jobs").pollOnce()).toBe(outcome);
      const page = (await get(`${stack.exporter.url}/`)).body;
      const jobs = sourcesTable(page).rows.find((cells) => cells[0] === "jobs");
      expect(jobs?.[1]).toBe(outcome);
      expect(jobs?.[2]).toContain(why);
      expect(page).toContain(`<strong>${outcome}</strong> (`);
      expect(page).not.toContain(TOKEN);
      expect(page).not.toContain(TOKEN.slice(5));
    },
  );

  it("shows why the credits round and the job status lookups fail, the token never", async () => {
    let running = true;
    upstream = createServer((req, res) => {
      const url = req.url ?? "";
      if (url === "/v1/minimax/agent/jobs") {
        const jobs = running ? [{ jobId: "j1", elapsed: "00:10" }] : [];
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ accounts: ["1"], executing: { "1": jobs } }));
        return;
      }
      // The credits call and the lookup of the job that left the list: a 401 echoing the token.
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: `bad token ${req.headers.authorization ?? ""}` }));
    });
    upstream.listen(0, "127.0.0.1");
    await once(upstream, "listening");
    const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    stack = await startStack({
      flags: [`--useapi.base-url=${url}`, "--credits.interval=1h", "--jobs.resolve-status=true"],
    });
    expect(await stack.exporter.runner("jobs").pollOnce()).toBe("success");
    running = false;
    expect(await stack.exporter.runner("jobs").pollOnce()).toBe("success");
    await within(stack.exporter.runner("credits").pollOnce(), "the credits round");
    const exporter = stack.exporter;
    const lookedUp = async () =>
      /useapi_minimax_source_requests_total\{source="job_status",outcome="unauthorized"\} [1-9]/.test(
        (await get(`${exporter.url}/metrics`)).body,
      );
    await until(lookedUp, "the lookup of the job that left the list");
    const page = (await get(`${stack.exporter.url}/`)).body;
    const row = (name: string) => sourcesTable(page).rows.find((cells) => cells[0] === name);
    for (const name of ["credits", "job_status"]) {
      expect(row(name)?.[1]).toBe("unauthorized");
      expect(row(name)?.[2]).toContain("HTTP 401");
    }
    expect(page).not.toContain(TOKEN);
    expect(page).not.toContain(TOKEN.slice(5));
  });

  it("shows a refused connection's code, and clears the reason after a success", async () => {
    const url = await echoingUpstream(200, () => "{}");
    upstream?.close();
    await once(upstream as Server, "close");
    stack = await startStack({ flags: [`--useapi.base-url=${url}`] });
    expect(await stack.exporter.runner("jobs").pollOnce()).toBe("network");
    const failing = (await get(`${stack.exporter.url}/`)).body;
    expect(sourcesTable(failing).rows[0]?.[2]).toContain("ECONNREFUSED");
    const working = await startStack();
    try {
      expect(await working.exporter.runner("jobs").pollOnce()).toBe("success");
      const page = (await get(`${working.exporter.url}/`)).body;
      expect(sourcesTable(page).rows[0]?.slice(0, 3)).toEqual(["jobs", "success", ""]);
    } finally {
      await working.close();
    }
  });

  it("names every column of the Sources table and gives times to the second", async () => {
    stack = await startStack({ flags: ["--accounts.interval=1h"] });
    expect(await stack.exporter.runner("jobs").pollOnce()).toBe("success");
    const page = (await get(`${stack.exporter.url}/`)).body;
    const { headers, rows } = sourcesTable(page);
    expect(headers).toEqual([
      "Source",
      "Last outcome",
      "Why it failed",
      "At",
      "Last success",
      "Stale",
    ]);
    expect(rows.map((cells) => [cells[0], cells.length])).toEqual([
      ["jobs", 6],
      ["accounts", 6],
    ]);
    expect(rows[0]?.[3]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(rows[0]?.[5]).toBe("no");
    expect(rows[1]?.[4]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(page).toMatch(/\d\d:\d\d:\d\dZ/);
    expect(page).not.toMatch(/\d\d:\d\d:\d\d\.\d+Z/);
  });
});
