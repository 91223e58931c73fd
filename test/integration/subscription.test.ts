import { afterEach, describe, expect, it } from "vitest";
import {
  PERSONAL_MARKER,
  SUBSCRIBER_ID,
  SUBSCRIPTION_PATH,
} from "../../src/simulator/subscription.js";
import { get, ownSamples, scrape, startStack, TOKEN, type Stack } from "../harness.js";
import { VirtualClock } from "../virtual-clock.js";

const ACCOUNTS = "useapi_minimax_subscription_accounts";
const ON = "--subscription.interval=1h";

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

async function polled(flags: readonly string[] = [ON]): Promise<Stack> {
  stack = await startStack({ flags, simulator: { accounts: 5, idleAccounts: 1 } });
  expect(await stack.exporter.runner("jobs").pollOnce()).toBe("success");
  await stack.exporter.idle(); // the first polls of the other sources, started with it, ended
  return stack;
}

const poll = (s: Stack) => s.exporter.runner("subscription").pollOnce();
const subscriptionSamples = async (s: Stack) =>
  new Map(
    [...ownSamples(await scrape(s))].filter(([key]) =>
      key.startsWith("useapi_minimax_subscription"),
    ),
  );
const landing = async (s: Stack) => (await get(`${s.exporter.url}/`)).body;

describe("the subscription source against the simulator", () => {
  it("exports the subscription and each API's accounts as the simulator models them", async () => {
    const s = await polled();
    const [broken, alsoBroken] = s.simulator.activity.accounts;
    s.simulator.activity.setAccountError(broken ?? "", "Session expired");
    s.simulator.activity.setAccountError(alsoBroken ?? "", "Captcha required");
    expect(await poll(s)).toBe("success");
    // The ground truth: the accounts endpoint's own answer.
    const listed = Object.values(s.simulator.activity.accountsBody(Date.now()));
    const inError = listed.filter((a) => a.error !== undefined).length;
    expect(inError).toBe(2);
    const renewed = s.simulator.subscription.renewedMs / 1000;
    expect(Object.fromEntries(await subscriptionSamples(s))).toEqual({
      useapi_minimax_subscription_active: 1,
      useapi_minimax_subscriptions: 2,
      useapi_minimax_subscription_max_accounts_per_api: 6,
      useapi_minimax_subscription_renewed_timestamp_seconds: renewed,
      [`${ACCOUNTS}{api="MiniMax API",state="total"}`]: listed.length,
      [`${ACCOUNTS}{api="MiniMax API",state="active"}`]: listed.length - inError,
      [`${ACCOUNTS}{api="MiniMax API",state="error"}`]: inError,
      [`${ACCOUNTS}{api="Midjourney API",state="total"}`]: 2,
      [`${ACCOUNTS}{api="Midjourney API",state="active"}`]: 1,
      [`${ACCOUNTS}{api="Midjourney API",state="error"}`]: 1,
    });
    const page = await landing(s);
    expect(page).toContain("<h2>useapi.net subscription</h2>");
    expect(page).toContain(`Last renewed: ${new Date(renewed * 1000).toISOString().slice(0, 10)}`);
    expect(page).toContain("MiniMax API accounts: 5 total, 3 active, 2 in error.");
  });

  it("counts the accounts in error as 0 when the answer leaves the count out", async () => {
    const s = await polled();
    const body = s.simulator.subscription.body(Date.now());
    expect(body.accounts["MiniMax API"]).not.toHaveProperty("error");
    expect(await poll(s)).toBe("success");
    expect((await subscriptionSamples(s)).get(`${ACCOUNTS}{api="MiniMax API",state="error"}`)).toBe(
      0,
    );
  });

  it("says 0 when the subscription lapses (the simulator's control), and 1 once renewed", async () => {
    const s = await polled();
    const lapse = async (active: boolean) => {
      const answer = await fetch(`${s.simulator.url}/__simulator/subscription`, {
        method: "POST",
        body: JSON.stringify({ active }),
      });
      expect(answer.status).toBe(200);
    };
    await lapse(false);
    expect(await poll(s)).toBe("success");
    expect((await subscriptionSamples(s)).get("useapi_minimax_subscription_active")).toBe(0);
    expect(await landing(s)).toContain("<strong>Inactive</strong>");
    await lapse(true);
    expect(await poll(s)).toBe("success");
    expect((await subscriptionSamples(s)).get("useapi_minimax_subscription_active")).toBe(1);
    const refused = await fetch(`${s.simulator.url}/__simulator/subscription`, {
      method: "POST",
      body: '{"active": "no"}',
    });
    expect(refused.status).toBe(400);
  });

  it.each([
    ["server_error", "server_error"],
    ["wrong_shape", "invalid_payload"],
    ["malformed_json", "invalid_json"],
    ["unauthorized", "unauthorized"],
  ] as const)(
    'keeps a %s of GET /v2/account in source_up{source="subscription"}, the last good values, and useapi_minimax_up at 1',
    async (mode, outcome) => {
      const s = await polled();
      expect(await poll(s)).toBe("success");
      const good = await subscriptionSamples(s);
      s.simulator.setMode(mode, {}, "subscription");
      expect(await poll(s)).toBe(outcome);
      expect(await s.exporter.runner("jobs").pollOnce()).toBe("success");
      const all = ownSamples(await scrape(s));
      expect(all.get('useapi_minimax_source_up{source="subscription"}')).toBe(0);
      expect(all.get('useapi_minimax_source_up{source="jobs"}')).toBe(1);
      expect(all.get("useapi_minimax_up")).toBe(1);
      expect(await subscriptionSamples(s)).toEqual(good);
    },
  );

  it("is not polled with --subscription.interval=0, and refuses an interval no longer than the timeout", async () => {
    const s = await polled(["--subscription.interval=0"]);
    expect(() => s.exporter.runner("subscription")).toThrow(/not polled/);
    expect(
      [...ownSamples(await scrape(s)).keys()].filter((k) => k.includes("subscription")),
    ).toEqual([]);
    await expect(startStack({ flags: ["--subscription.interval=1s"] })).rejects.toThrow(
      /--subscription\.interval.*longer than --poll\.timeout/,
    );
  });

  it("drops its series when no poll succeeded within its staleness window, and keeps source_up", async () => {
    const clock = new VirtualClock();
    // --poll.interval=1h and the default window of 5 intervals: 10 h for a 2 h interval.
    stack = await startStack({ flags: ["--subscription.interval=2h"], deps: { timers: clock } });
    expect(await poll(stack)).toBe("success");
    expect((await subscriptionSamples(stack)).size).toBe(10);
    clock.fire(
      await clock.scheduled((timer) => timer.ms === 10 * 3_600_000, "the 10 h staleness window"),
    );
    expect((await subscriptionSamples(stack)).size).toBe(0);
    expect(
      ownSamples(await scrape(stack)).get('useapi_minimax_source_up{source="subscription"}'),
    ).toBe(1);
    expect(await landing(stack)).toContain("MiniMax API accounts:");
  });
});

describe("personal data and hostile answers of GET /v2/account", () => {
  it("never lets the subscriber's personal fields into a log line, the scrape or the landing page", async () => {
    const s = await polled();
    const model = s.simulator.subscription.body(Date.now());
    s.simulator.subscription.setBody({
      ...model,
      phone: `+1 555 ${PERSONAL_MARKER}`,
      billing: { card: `4111 ${PERSONAL_MARKER}`, address: `1 ${PERSONAL_MARKER} Street` },
    });
    const served = await get(`${s.simulator.url}${SUBSCRIPTION_PATH}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(served.body).toContain(`"email":"subscriber.${PERSONAL_MARKER}@example.com"`);
    expect(served.body).toContain(`"id":${SUBSCRIBER_ID}`);
    expect(await poll(s)).toBe("success");
    s.simulator.setMode("wrong_shape", {}, "subscription");
    expect(await poll(s)).toBe("invalid_payload");
    s.simulator.setMode("ok", {}, "subscription");
    s.simulator.subscription.setBody({ ...model, subscriptionIsActive: model.email });
    expect(await poll(s)).toBe("invalid_payload");
    const personal = [PERSONAL_MARKER, String(SUBSCRIBER_ID), model.created, model.verified];
    const outputs = { scrape: await scrape(s), landing: await landing(s), logs: s.logs.join("\n") };
    expect(s.logs.some((line) => line.includes('"source":"subscription"'))).toBe(true);
    for (const [where, text] of Object.entries(outputs)) {
      for (const value of personal) expect(text, `${value} in the ${where}`).not.toContain(value);
    }
  });

  it("redacts the token echoed in an API name and tolerates odd types, counting them", async () => {
    const s = await polled();
    s.simulator.subscription.setBody({
      subscriptionIsActive: true,
      subscriptions: "2",
      maxAccountsPerAPI: null,
      sub: "251399",
      accounts: {
        [`MiniMax ${TOKEN}`]: { total: 1, active: true },
        [`Base64 ${Buffer.from(TOKEN).toString("base64")}`]: { total: 2 },
        "Kling API": "three",
        'quote"and\\back\\slash': { total: 4 },
        "line\nbreak": { total: 5 },
      },
    });
    expect(await poll(s)).toBe("success");
    const text = await scrape(s);
    expect(text).not.toContain(TOKEN.split(":")[1]);
    expect(Object.fromEntries(await subscriptionSamples(s))).toEqual({
      useapi_minimax_subscription_active: 1,
      [`${ACCOUNTS}{api="MiniMax [token]",state="total"}`]: 1,
      [`${ACCOUNTS}{api="MiniMax [token]",state="error"}`]: 0,
      // The base64 characters that the token's bytes alone decide; the padding is not the token's.
      [`${ACCOUNTS}{api="Base64 [token]Y=",state="total"}`]: 2,
      [`${ACCOUNTS}{api="Base64 [token]Y=",state="active"}`]: 0,
      [`${ACCOUNTS}{api="Base64 [token]Y=",state="error"}`]: 0,
      [`${ACCOUNTS}{api="quote\\"and\\\\back\\\\slash",state="total"}`]: 4,
      [`${ACCOUNTS}{api="quote\\"and\\\\back\\\\slash",state="active"}`]: 0,
      [`${ACCOUNTS}{api="quote\\"and\\\\back\\\\slash",state="error"}`]: 0,
    });
    const anomalies = ownSamples(text);
    expect(
      anomalies.get(
        'useapi_minimax_payload_anomalies_total{source="subscription",kind="unreadable_renewal"}',
      ),
    ).toBe(1);
    expect(
      anomalies.get(
        'useapi_minimax_payload_anomalies_total{source="subscription",kind="invalid_subscription_value"}',
      ),
    ).toBe(4);
    expect(
      anomalies.get(
        'useapi_minimax_payload_anomalies_total{source="subscription",kind="ignored_api"}',
      ),
    ).toBe(0);
    expect(
      anomalies.get(
        'useapi_minimax_payload_anomalies_total{source="subscription",kind="invalid_label_value"}',
      ),
    ).toBe(1);
    expect(s.logs.join("\n")).not.toContain(TOKEN.split(":")[1]);
  });

  it("refuses a huge answer as too_large, one of too many keys as limit_exceeded, and one of many APIs is cut to 64 of them", async () => {
    const s = await polled();
    s.simulator.subscription.setBody({
      subscriptionIsActive: true,
      accounts: { "MiniMax API": { total: 1 }, padding: { total: 1, note: "x".repeat(2 ** 21) } },
    });
    expect(await poll(s)).toBe("too_large");
    expect(ownSamples(await scrape(s)).get("useapi_minimax_up")).toBe(1);
    const apis = (count: number) => {
      const accounts: Record<string, { total: number }> = {};
      for (let i = 0; i < count; i++) accounts[`API ${i} ${"n".repeat(80)}`] = { total: i };
      return { subscriptionIsActive: true, accounts };
    };
    // More distinct keys than --useapi.max-accounts (1,000) and 1,024: refused before parsing.
    s.simulator.subscription.setBody(apis(5_000));
    expect(await poll(s)).toBe("limit_exceeded");
    s.simulator.subscription.setBody(apis(1_500));
    expect(await poll(s)).toBe("success");
    const series = [...(await subscriptionSamples(s)).keys()].filter((k) => k.startsWith(ACCOUNTS));
    expect(series.length).toBe(64 * 3);
    expect(
      ownSamples(await scrape(s)).get(
        'useapi_minimax_payload_anomalies_total{source="subscription",kind="ignored_api"}',
      ),
    ).toBe(1_500 - 64);
  });

  it("serves GET /v2/account only with the token", async () => {
    const s = await polled();
    expect((await get(`${s.simulator.url}${SUBSCRIPTION_PATH}`)).status).toBe(401);
  });
});
