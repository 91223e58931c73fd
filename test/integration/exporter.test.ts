import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { registerFamily } from "../../src/metrics/family.js";
import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import {
  accountSamples,
  get,
  ownSamples,
  samples,
  scrape,
  startStack,
  type Stack,
} from "../harness.js";

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

describe("the exporter over HTTP", () => {
  it("serves its own metrics with up 0 and answers not ready before the first poll ends", async () => {
    stack = await startStack({
      flags: ["--poll.timeout=2s"],
      before: (sim) => sim.setMode("hang"),
    });
    const metrics = await get(`${stack.exporter.url}/metrics`);
    expect(metrics.status).toBe(200);
    const values = ownSamples(metrics.body);
    expect(values.get("useapi_minimax_up")).toBe(0);
    expect(
      values.get('useapi_minimax_source_requests_total{source="jobs",outcome="success"}'),
    ).toBe(0);
    expect(accountSamples(metrics.body).size).toBe(0);
    const ready = await get(`${stack.exporter.url}/-/ready`);
    expect(ready.status).toBe(503);
    expect(ready.headers["retry-after"]).toBe("5");
    expect((await get(`${stack.exporter.url}/-/healthy`)).status).toBe(200);
  });

  it("serves per-account gauges for every simulated account after the first poll", async () => {
    stack = await startStack();
    await stack.exporter.runner("jobs").pollOnce();
    const text = await scrape(stack);
    const values = ownSamples(text);
    const accounts = stack.simulator.activity.payload(Date.now()).accounts;
    expect(values.get("useapi_minimax_up")).toBe(1);
    expect(values.get("useapi_minimax_accounts")).toBe(accounts.length);
    for (const account of accounts) {
      expect(values.has(`useapi_minimax_agent_jobs_executing{account="${account}"}`)).toBe(true);
      expect(values.has(`useapi_minimax_agent_job_max_elapsed_seconds{account="${account}"}`)).toBe(
        true,
      );
    }
    expect((await get(`${stack.exporter.url}/-/ready`)).status).toBe(200);
  });

  it("sends the token, a JSON Accept header and a User-Agent naming the exporter", async () => {
    stack = await startStack();
    await stack.exporter.runner("jobs").pollOnce();
    const stats = stack.simulator.stats;
    expect(stats.lastAuthorization).toBe(`Bearer user:1234-abcdefghijklmnopqrstuv`);
    expect(stats.lastAccept).toBe("application/json");
    expect(stats.lastUserAgent).toMatch(/^useapi-minimax-exporter\/\d+\.\d+\.\d+/);
  });

  it("serves the same rendering to every scrape between two polls", async () => {
    stack = await startStack();
    await stack.exporter.runner("jobs").pollOnce();
    const first = await scrape(stack);
    // A family registered after the rendering: a fresh rendering would show it, a served one not.
    registerFamily(stack.exporter.registry, {
      ...{ name: "test_marker", help: "Set between two scrapes.", type: "gauge", labelNames: [] },
      samples: (set) => set({}, 1),
    });
    expect(await scrape(stack)).toBe(first);
    await stack.exporter.runner("jobs").pollOnce();
    const afterPoll = await scrape(stack);
    expect(samples(afterPoll).get("test_marker")).toBe(1);
    expect(
      samples(afterPoll).get(
        'useapi_minimax_source_requests_total{source="jobs",outcome="success"}',
      ),
    ).toBe(2);
  });

  it("compresses /metrics with gzip when the client accepts it, with the exposition content type", async () => {
    stack = await startStack();
    await stack.exporter.runner("jobs").pollOnce();
    const plain = await scrape(stack);
    const response = await request(`${stack.exporter.url}/metrics`, {
      headers: { "accept-encoding": "gzip" },
    });
    const bytes = Buffer.from(await response.body.arrayBuffer());
    expect(response.headers["content-encoding"]).toBe("gzip");
    expect(response.headers["content-type"]).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(gunzipSync(bytes).toString("utf8")).toBe(plain);
    expect(bytes.length).toBeLessThan(Buffer.byteLength(plain));
    const identity = await get(`${stack.exporter.url}/metrics`, {
      headers: { "accept-encoding": "identity" },
    });
    expect(identity.headers["content-encoding"]).toBeUndefined();
    expect(identity.body).toBe(plain);
  });

  it("serves metrics under a configured telemetry path only", async () => {
    stack = await startStack({ flags: ["--web.telemetry-path=/custom/metrics"] });
    expect((await get(`${stack.exporter.url}/custom/metrics`)).status).toBe(200);
    expect((await get(`${stack.exporter.url}/metrics`)).status).toBe(404);
  });

  it("shows a landing page with the version, last poll, accounts and a link to the metrics", async () => {
    stack = await startStack();
    await stack.exporter.runner("jobs").pollOnce();
    const page = await get(`${stack.exporter.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toMatch(/^text\/html/);
    expect(page.body).toContain('<a href="/metrics">');
    expect(page.body).toMatch(/Version \d+\.\d+\.\d+/);
    expect(page.body).toContain("<strong>success</strong>");
    for (const account of stack.simulator.activity.payload(Date.now()).accounts) {
      expect(page.body).toContain(`<td>${account}</td>`);
    }
  });

  it("escapes account IDs from the upstream on the landing page", async () => {
    stack = await startStack();
    stack.simulator.setPayload({ accounts: ['<script>alert("x")</script>&'] });
    await stack.exporter.runner("jobs").pollOnce();
    const page = await get(`${stack.exporter.url}/`);
    expect(page.body).not.toContain("<script>");
    expect(page.body).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;");
  });

  it("lists the accounts on the landing page sorted, whatever the upstream order", async () => {
    stack = await startStack();
    stack.simulator.setPayload({ accounts: ["30", "10", "20"] });
    await stack.exporter.runner("jobs").pollOnce();
    const page = await get(`${stack.exporter.url}/`);
    const cells = [...page.body.matchAll(/<tr><td>(\d+)<\/td>/g)].map((m) => m[1]);
    expect(cells).toEqual(["10", "20", "30"]);
  });

  it.each(["/nope", "/metrics/extra", "/-/unknown"])(
    "answers 404 on the unknown path %s",
    async (path) => {
      stack ??= await startStack();
      const answer = await get(stack.exporter.url + path);
      expect(answer.status).toBe(404);
      expect(answer.body).toBe("Not found\n");
    },
  );

  it.each([
    ["POST", "/metrics"],
    ["DELETE", "/"],
    ["PUT", "/-/healthy"],
    ["POST", "/-/ready"],
  ])("answers 405 with an Allow header to %s %s", async (method, path) => {
    stack ??= await startStack();
    const answer = await get(stack.exporter.url + path, { method });
    expect(answer.status).toBe(405);
    expect(answer.headers["allow"]).toBe("GET, HEAD");
    expect(answer.body).not.toMatch(/at .*\.(js|ts)/);
  });

  it("answers HEAD on /metrics without a body", async () => {
    stack = await startStack();
    const answer = await get(`${stack.exporter.url}/metrics`, { method: "HEAD" });
    expect(answer.status).toBe(200);
    expect(answer.body).toBe("");
  });

  it("answers a malformed request with a short text and no stack trace", async () => {
    stack = await startStack();
    const answer = await get(`${stack.exporter.url}/%E0%A4%A`);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.body).not.toMatch(/node_modules|at .*\(|Error:/);
  });
});

describe("the Grafana dashboard endpoint", () => {
  it("serves the committed grafana/dashboard.json and links it from the landing page", async () => {
    const committed = readFileSync(
      new URL("../../grafana/dashboard.json", import.meta.url),
      "utf8",
    );
    const local = await startStack();
    try {
      const answer = await get(`${local.exporter.url}/grafana/dashboard.json`);
      expect(answer.status).toBe(200);
      expect(answer.headers["content-type"]).toMatch(/^application\/json/);
      expect(answer.body).toBe(committed);
      expect((await get(`${local.exporter.url}/`)).body).toContain(
        '<a href="/grafana/dashboard.json">',
      );
    } finally {
      await local.close();
    }
  });
});
