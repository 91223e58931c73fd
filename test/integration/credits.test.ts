import { afterEach, describe, expect, it } from "vitest";
import type { Simulator } from "../../src/simulator/server.js";
import { get, ownSamples, scrape, startStack, TOKEN, type Stack } from "../harness.js";

const NOW = Date.parse("2025-11-24T12:00:00Z");
const HOUR = 3_600_000;
const CREDITS = ["--credits.interval=1h", "--credits.concurrency=1"];

/** The samples of the credits families only. */
function creditSamples(text: string): Map<string, number> {
  return new Map(
    [...ownSamples(text)].filter(([key]) =>
      /^useapi_minimax_account_(credits|plan_info|video_cost_credits|queue_limit)/.test(key),
    ),
  );
}

/** What the credits families must say of `account`, read from the simulator's own model. */
function truth(simulator: Simulator, account: string, nowMs: number): [string, number][] {
  const body = simulator.credits.body(account, nowMs);
  if (body === undefined) throw new Error(`no account ${account}`);
  const left = body.creditExpireText.filter((b) => b.credit > 0);
  const end = Math.min(...left.map((b) => b.endTime));
  const expiring = left.filter((b) => b.endTime === end).reduce((sum, b) => sum + b.credit, 0);
  const a = `account="${account}"`;
  return [
    [`useapi_minimax_account_credits{${a}}`, body.totalCredits],
    ...(left.length > 0
      ? ([[`useapi_minimax_account_credits_next_expiry_timestamp_seconds{${a}}`, end / 1000]] as [
          string,
          number,
        ][])
      : []),
    [`useapi_minimax_account_credits_expiring_next{${a}}`, expiring],
    [`useapi_minimax_account_plan_info{${a},plan="${body.memberName}"}`, 1],
    [`useapi_minimax_account_video_cost_credits{${a}}`, body.videoCost],
    [`useapi_minimax_account_queue_limit{${a},type="video"}`, body.queueLength],
    [`useapi_minimax_account_queue_limit{${a},type="image"}`, body.imageQueueLength],
  ];
}

function expected(simulator: Simulator, accounts: readonly string[], nowMs: number) {
  return new Map(accounts.flatMap((account) => truth(simulator, account, nowMs)));
}

/** A credits round: /metrics is rendered again when it ends, without a poll of the jobs list. */
async function round(stack: Stack): Promise<string> {
  return await stack.exporter.runner("credits").pollOnce();
}

describe("the credits source", () => {
  let stack: Stack | undefined;
  let now = NOW;
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  async function start(flags: string[] = CREDITS): Promise<Stack> {
    now = NOW;
    stack = await startStack({
      flags,
      deps: { now: () => now },
      simulator: { now: () => now },
    });
    expect(await stack.exporter.runner("jobs").pollOnce()).toBe("success");
    return stack;
  }

  it("exports each account's credits exactly as the simulator holds them, falling as generations start", async () => {
    const s = await start();
    const { simulator } = s;
    const accounts = simulator.activity.accounts;
    expect(await round(s)).toBe("success");
    expect(creditSamples(await scrape(s))).toEqual(expected(simulator, accounts, now));
    expect(simulator.stats.creditsRequests).toBe(accounts.length);

    const busy = accounts[0] ?? "";
    const before = simulator.credits.body(busy, now)?.totalCredits ?? 0;
    const cost = simulator.credits.body(busy, now)?.videoCost ?? 0;
    const from = now + 1;
    now += 2 * HOUR;
    expect(await round(s)).toBe("success");
    const text = await scrape(s);
    expect(creditSamples(text)).toEqual(expected(simulator, accounts, now));
    const started = simulator.generations.started(busy, from, now + 1);
    expect(started).toEqual({ video: 18, image: 40 }); // the seeded model's two hours
    expect(ownSamples(text).get(`useapi_minimax_account_credits{account="${busy}"}`)).toBe(
      before - started.video * cost - started.image,
    );
    expect(
      ownSamples(text).get(
        'useapi_minimax_source_requests_total{source="credits",outcome="success"}',
      ),
    ).toBe(2 * accounts.length);
  });

  it("drops a failing account's series at once, keeps the others', and leaves useapi_minimax_up and the source up alone", async () => {
    const s = await start();
    const { simulator } = s;
    const accounts = simulator.activity.accounts;
    const held = accounts.at(-1) ?? "";
    expect(await round(s)).toBe("success");
    simulator.credits.hold(held, true);
    expect(await round(s)).toBe("server_error");
    const values = ownSamples(await scrape(s));
    expect(creditSamples(await scrape(s))).toEqual(expected(simulator, accounts.slice(0, -1), now));
    expect(
      [...values.keys()].filter((k) => k.includes(`account="${held}"`) && k.includes("credit")),
    ).toEqual([]);
    expect(values.get("useapi_minimax_up")).toBe(1);
    // The held account is asked last: an account's own 596 is its state, not the source's.
    expect(values.get('useapi_minimax_source_up{source="credits"}')).toBe(1);
    expect(
      values.get('useapi_minimax_source_requests_total{source="credits",outcome="server_error"}'),
    ).toBe(1);
    const page = (await get(`${s.exporter.url}/`)).body.split("<h2>Credits</h2>")[1] ?? "";
    expect(page).toContain(
      `<tr><td>${held}</td><td></td><td></td><td></td><td>server_error</td></tr>`,
    );

    simulator.credits.hold(held, false);
    expect(await round(s)).toBe("success");
    expect(creditSamples(await scrape(s))).toEqual(expected(simulator, accounts, now));
  });

  it("is down when every call of a round failed, and up again after a round with a success", async () => {
    const s = await start();
    const { simulator } = s;
    const upOf = async () =>
      ownSamples(await scrape(s)).get('useapi_minimax_source_up{source="credits"}');
    for (const account of simulator.activity.accounts) simulator.credits.hold(account, true);
    expect(await round(s)).toBe("server_error");
    expect(await upOf()).toBe(0);
    simulator.credits.hold(simulator.activity.accounts[0] ?? "", false);
    expect(await round(s)).toBe("server_error");
    expect(await upOf()).toBe(1);
  });

  it("asks about an account the upstream does not know and counts its 400 as client_error", async () => {
    const s = await start();
    const { simulator } = s;
    const accounts = simulator.activity.accounts;
    simulator.setPayload({ accounts: [...accounts, "99999"], summary: {}, executing: {} });
    expect(await s.exporter.runner("jobs").pollOnce()).toBe("success");
    expect(await round(s)).toBe("client_error");
    const values = ownSamples(await scrape(s));
    expect(creditSamples(await scrape(s))).toEqual(expected(simulator, accounts, now));
    expect(
      values.get('useapi_minimax_source_requests_total{source="credits",outcome="client_error"}'),
    ).toBe(1);
  });

  it("drops the series of an account that left the account book", async () => {
    const s = await start();
    const { simulator } = s;
    const accounts = simulator.activity.accounts;
    expect(await round(s)).toBe("success");
    const kept = accounts.slice(1);
    simulator.setPayload({ accounts: kept, summary: {}, executing: {} });
    expect(await s.exporter.runner("jobs").pollOnce()).toBe("success");
    expect(await round(s)).toBe("success");
    expect(creditSamples(await scrape(s))).toEqual(expected(simulator, kept, now));
  });

  it("never shows the token that an answer echoes, in a label, the page or a log line", async () => {
    const s = await start();
    const { simulator } = s;
    const [account = ""] = simulator.activity.accounts;
    simulator.credits.fix(account, {
      ...simulator.credits.body(account, now),
      memberName: `Pro ${TOKEN}`,
      memberText: TOKEN,
      expireText: `${TOKEN} will expire`,
    });
    expect(await round(s)).toBe("success");
    const text = await scrape(s);
    expect(text).toContain(
      `useapi_minimax_account_plan_info{account="${account}",plan="Pro [token]"} 1`,
    );
    const page = (await get(`${s.exporter.url}/`)).body;
    expect(page).toContain("<td>Pro [token]</td>");
    for (const body of [text, page, ...s.logs]) expect(body).not.toContain(TOKEN);
  });

  it("is off with --credits.interval=0: no family, no request", async () => {
    const s = await start(["--credits.interval=0"]);
    const { simulator } = s;
    const text = await scrape(s);
    expect(text).not.toContain("useapi_minimax_account_credits");
    expect(text).not.toContain('source="credits"');
    expect(simulator.stats.creditsRequests).toBe(0);
  });
});
