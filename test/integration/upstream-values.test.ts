import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startExporter, type RunningExporter } from "../../src/exporter.js";
import { createLogger } from "../../src/logging/logger.js";
import { get, ownSamples, TOKEN } from "../harness.js";
import { stackConfig } from "../stack.js";

const NOW = Date.parse("2026-02-13T12:00:00Z");
const LONE = ["\ud800", "\udc00", "\udfff", "a\ud83d", "\ude00b"];
/** Every kind of value the label check refuses: lone surrogates, a control, overrides, length. */
const REFUSED = [...LONE, "a\nb", "a\u202eb", "a\u2066b", "x".repeat(129)];

/** 50 usage rows whose `config` and `endpoint` are refused (25 each), and one good row. */
const usageRows = () => [
  ...Array.from({ length: 50 }, (_, i) => ({
    jobid: `bad-${i}`,
    config: i % 2 === 0 ? (REFUSED[i % REFUSED.length] ?? "") : "1",
    endpoint: i % 2 === 0 ? "post-videos-create" : (REFUSED[i % REFUSED.length] ?? ""),
    code: 201,
    msec: 1000,
  })),
  { jobid: "good", config: "1", endpoint: "post-videos-create", code: 201, msec: 1000 },
];

/** The hostile answer of each path the exporter asks (credits by account). */
function answer(path: string, account: string | null): unknown {
  switch (path) {
    case "/v1/minimax/agent/jobs":
      return {
        accounts: ["1", "2", ...REFUSED],
        summary: { "1": { executing: 1.5 }, "2": { executing: 1e308 } },
        executing: Object.fromEntries(REFUSED.map((id) => [id, []])),
      };
    case "/v1/minimax/accounts":
      return {
        "1": { maxJobs: 1e308, jwt: { exp: 1e308 } },
        "2": { maxJobs: 1.5, jwt: { exp: 86_400 } },
        ...Object.fromEntries(REFUSED.map((id) => [id, { maxJobs: 1 }])),
      };
    case "/v1/minimax/features/":
      return {
        totalCredits: account === "1" ? 1e308 : 10,
        videoCost: 30,
        queueLength: 1.5,
        imageQueueLength: 5,
        // Two plans that UTF-8 would write alike: one series each, or none.
        memberName: account === "1" ? "\ud800" : "\udc00",
        creditExpireText: [{ credit: 5, endTime: 1e308 }],
      };
    case "/v1/minimax/scheduler/available":
      return {
        executing: LONE.map((id, i) => ({ videoId: `user:1-minimax:${id}-video:${i}` })),
        available: [
          ...REFUSED.map((id) => ({ account: id, maxJobs: 1, executing: 0, available: 1 })),
          { account: "1", maxJobs: 1e308, executing: 0, available: 1.5 },
        ],
      };
    case "/v2/account":
      return {
        subscriptionIsActive: true,
        subscriptions: 1.5,
        maxAccountsPerAPI: 1e308,
        sub: "191231",
        accounts: {
          "MiniMax API": { total: 3, active: 3, error: 0 },
          ...Object.fromEntries(LONE.map((id) => [`API ${id}`, { total: 1 }])),
          "API \u202e": { total: 1 },
        },
      };
    case "/v2/account/stats":
      return { bot: "minimax", data: usageRows() };
    default:
      return undefined;
  }
}

/** A loopback upstream answering every path with its hostile answer. */
async function hostileUpstream(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://upstream");
    const body = answer(url.pathname, url.searchParams.get("account"));
    res.writeHead(body === undefined ? 404 : 200, { "content-type": "application/json" });
    res.end(JSON.stringify(body ?? { error: "unknown path" }));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

let exporter: RunningExporter | undefined;
let upstream: Server | undefined;
afterEach(async () => {
  await exporter?.close();
  upstream?.close();
  upstream?.closeAllConnections();
  exporter = upstream = undefined;
});

const SOURCES = ["jobs", "accounts", "scheduler", "subscription", "usage", "credits"] as const;

async function pollAll(running: RunningExporter): Promise<void> {
  // Credits ask about the accounts the accounts source listed: it goes first.
  for (const name of SOURCES) expect(await running.runner(name).pollOnce(), name).toBe("success");
}

const anomaly = (values: Map<string, number>, source: string, kind: string) =>
  values.get(`useapi_minimax_payload_anomalies_total{source="${source}",kind="${kind}"}`);

describe("label values, counts and times the upstream sends", () => {
  it("pass the one check each: refused ones export nothing, never merge, and count once per answer", async () => {
    const fake = await hostileUpstream();
    upstream = fake.server;
    const config = stackConfig({
      baseUrl: fake.url,
      env: { USEAPI_TOKEN: TOKEN },
      flags: [
        "--poll.interval=1h",
        "--poll.timeout=1s",
        "--jobs.resolve-status=false",
        "--accounts.interval=1h",
        "--scheduler.interval=1h",
        "--subscription.interval=1h",
        "--usage.interval=1h",
        "--credits.interval=1h",
      ],
    });
    const logger = createLogger({
      level: "error",
      format: "json",
      destination: { write: () => true },
    });
    const running = await startExporter(config, { logger, now: () => NOW, defaultMetrics: false });
    exporter = running;
    await running.idle();
    const scrape = async () => (await get(`${running.url}/metrics`)).body;
    // The polls at start may have counted already: what one answer of each counts is the change.
    const before = ownSamples(await scrape());
    await pollAll(running);
    const text = await scrape();
    const lines = text.split("\n").filter((l) => l !== "" && !l.startsWith("#"));
    const series = lines.map((l) => l.slice(0, l.lastIndexOf(" ")));

    // No refused value reaches a label, so none merges with another into a duplicate series.
    expect(text).not.toContain("\ufffd");
    expect(text).not.toContain("\u202e");
    expect(text).not.toContain("x".repeat(129));
    expect(series.length - new Set(series).size).toBe(0);
    const values = ownSamples(text);
    expect(
      [...values.keys()].filter((k) => k.startsWith("useapi_minimax_api_requests_total")),
    ).toEqual([
      'useapi_minimax_api_requests_total{account="1",endpoint="post-videos-create",code="201"}',
    ]);
    expect(
      [...values.keys()].filter((k) => k.startsWith("useapi_minimax_subscription_accounts")),
    ).toEqual([
      'useapi_minimax_subscription_accounts{api="MiniMax API",state="total"}',
      'useapi_minimax_subscription_accounts{api="MiniMax API",state="active"}',
      'useapi_minimax_subscription_accounts{api="MiniMax API",state="error"}',
    ]);
    expect([...values.keys()].filter((k) => k.includes("plan_info"))).toEqual([]);

    // Absurd counts and times export nothing.
    for (const name of [
      "useapi_minimax_subscription_max_accounts_per_api",
      "useapi_minimax_subscriptions",
      "useapi_minimax_subscription_renewed_timestamp_seconds",
      'useapi_minimax_account_max_jobs{account="1"}',
      'useapi_minimax_account_max_jobs{account="2"}',
      'useapi_minimax_account_session_expiry_timestamp_seconds{account="1"}',
      'useapi_minimax_account_session_expiry_timestamp_seconds{account="2"}',
      'useapi_minimax_account_credits{account="1"}',
      'useapi_minimax_account_credits_next_expiry_timestamp_seconds{account="1"}',
      'useapi_minimax_account_credits_expiring_next{account="1"}',
      'useapi_minimax_account_queue_limit{account="1",type="video"}',
      'useapi_minimax_video_slots{account="1"}',
      'useapi_minimax_video_slots_available{account="1"}',
    ])
      expect(values.get(name), name).toBeUndefined();
    expect(values.get('useapi_minimax_account_credits{account="2"}')).toBe(10);
    expect(values.get('useapi_minimax_account_queue_limit{account="1",type="image"}')).toBe(5);
    // The summary's absurd counts give way to the jobs listed (none).
    expect(values.get('useapi_minimax_agent_jobs_executing{account="1"}')).toBe(0);

    const expected: [string, string, number][] = [
      ["jobs", "invalid_label_value", REFUSED.length],
      ["jobs", "invalid_summary", 2],
      ["accounts", "invalid_label_value", REFUSED.length],
      ["accounts", "invalid_count", 2],
      ["accounts", "invalid_timestamp", 2],
      ["scheduler", "invalid_label_value", REFUSED.length],
      ["scheduler", "invalid_capacity", 1],
      ["subscription", "invalid_label_value", LONE.length + 1],
      ["subscription", "invalid_subscription_value", 2],
      ["subscription", "unreadable_renewal", 1],
      ["usage", "invalid_label_value", 50],
      // Two accounts: each answer's plan, queueLength and batch; account 1's totalCredits.
      ["credits", "invalid_label_value", 2],
      ["credits", "invalid_count", 3],
      ["credits", "invalid_timestamp", 2],
    ];
    const counted = (after: Map<string, number>, from: Map<string, number>) =>
      expected.map(([source, kind]) => [
        source,
        kind,
        (anomaly(after, source, kind) ?? NaN) - (anomaly(from, source, kind) ?? NaN),
      ]);
    expect(counted(values, before)).toEqual(expected);

    // Rendering again counts nothing more; one more answer of each counts once more.
    expect(counted(ownSamples(await scrape()), before)).toEqual(expected);
    await pollAll(running);
    expect(counted(ownSamples(await scrape()), values)).toEqual(expected);

    // The landing page shows no expiry it cannot date (" (5)" alone before).
    const page = (await get(`${running.url}/`)).body;
    expect(page).not.toContain(" (5)");
  });
});
