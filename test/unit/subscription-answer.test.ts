import { describe, expect, it } from "vitest";
import {
  MAX_APIS,
  MINIMAX_API,
  parseSubscription,
  readRenewed,
} from "../../src/sources/subscription/answer.js";
import { PayloadError } from "../../src/upstream/json-checks.js";

const DOC = {
  id: 12345,
  email: "someone@example.com",
  created: "2023-07-25T03:02:28.676Z",
  name: "Your Name",
  subscriptionIsActive: true,
  subscriptions: 1,
  maxAccountsPerAPI: 3,
  accounts: {
    "Midjourney API": { total: 3, active: 2, error: 1 },
    "MiniMax API": { total: 3, active: 3 },
  },
  verified: "2023-07-25T03:02:53.252Z",
  sub: "250405",
};

describe("readRenewed (sub, YYMMDD at UTC midnight)", () => {
  it.each<[unknown, string | undefined]>([
    ["250405", "2025-04-05"],
    ["000101", "2000-01-01"],
    ["991231", "2099-12-31"],
    ["240229", "2024-02-29"],
    [250405, "2025-04-05"],
    [50405, "2005-04-05"],
    ["251399", undefined],
    ["250230", undefined],
    ["250229", undefined],
    ["250400", undefined],
    ["250431", undefined],
    ["251301", undefined],
    ["250005", undefined],
    ["25045", undefined],
    ["2504050", undefined],
    ["2025-04-05", undefined],
    [" 250405", undefined],
    ["25O405", undefined],
    ["", undefined],
    [-250405, undefined],
    [250405.5, undefined],
    [1_000_000, undefined],
    [null, undefined],
    [true, undefined],
    [["250405"], undefined],
    [{}, undefined],
  ])("%j reads as %s", (sub, day) => {
    const seconds = readRenewed(sub);
    expect(seconds === undefined ? undefined : new Date(seconds * 1000).toISOString()).toBe(
      day === undefined ? undefined : `${day}T00:00:00.000Z`,
    );
  });
});

describe("parseSubscription", () => {
  it("reads the documented answer, the MiniMax API first and a missing count as 0", () => {
    const answer = parseSubscription(structuredClone(DOC));
    expect(answer).toEqual({
      active: true,
      subscriptions: 1,
      maxAccountsPerApi: 3,
      renewedSeconds: Date.UTC(2025, 3, 5) / 1000,
      apis: [
        { api: "MiniMax API", counts: [3, 3, 0] },
        { api: "Midjourney API", counts: [3, 2, 1] },
      ],
      anomalies: {
        unreadable_renewal: 0,
        invalid_subscription_value: 0,
        ignored_api: 0,
        invalid_label_value: 0,
      },
    });
  });

  it("keeps nothing of the personal fields", () => {
    const text = JSON.stringify(parseSubscription(structuredClone(DOC)));
    for (const value of ["12345", "someone@example.com", "Your Name", "2023-07-25"]) {
      expect(text).not.toContain(value);
    }
  });

  it.each<[string, unknown]>([
    ["null", null],
    ["an array", [DOC]],
    ["a string", "active"],
    ["a number", 1],
  ])("refuses %s as the answer", (_what, body) => {
    expect(() => parseSubscription(body)).toThrow(PayloadError);
  });

  it.each<[string, unknown]>([
    ["missing", undefined],
    ["a string", "true"],
    ["a number", 1],
    ["null", null],
  ])("refuses subscriptionIsActive %s, naming the field", (_what, active) => {
    expect(() => parseSubscription({ ...DOC, subscriptionIsActive: active })).toThrow(
      /^subscriptionIsActive: expected a boolean/,
    );
  });

  it("reads an inactive subscription as such", () => {
    expect(parseSubscription({ ...DOC, subscriptionIsActive: false }).active).toBe(false);
  });

  it("leaves out, and counts, the values of the wrong type; absent ones are only absent", () => {
    const answer = parseSubscription({
      subscriptionIsActive: true,
      subscriptions: "1",
      maxAccountsPerAPI: -3,
      sub: "251399",
      accounts: {
        "MiniMax API": { total: 3, active: "3", error: null },
        "Other API": [1, 2, 3],
        "Infinite API": { total: Infinity },
      },
    });
    expect(answer.subscriptions).toBeUndefined();
    expect(answer.maxAccountsPerApi).toBeUndefined();
    expect(answer.renewedSeconds).toBeUndefined();
    expect(answer.apis).toEqual([
      { api: "MiniMax API", counts: [3, undefined, undefined] },
      { api: "Infinite API", counts: [undefined, 0, 0] },
    ]);
    expect(answer.anomalies).toEqual({
      unreadable_renewal: 1,
      invalid_subscription_value: 6,
      ignored_api: 0,
      invalid_label_value: 0,
    });
    const bare = parseSubscription({ subscriptionIsActive: false });
    expect(bare).toMatchObject({ apis: [], subscriptions: undefined, renewedSeconds: undefined });
    expect(Object.values(bare.anomalies)).toEqual([0, 0, 0, 0]);
    expect(
      parseSubscription({ ...DOC, accounts: "none" }).anomalies.invalid_subscription_value,
    ).toBe(1);
  });

  it(`keeps at most ${MAX_APIS} APIs, the MiniMax API whatever its place, and counts the rest`, () => {
    const accounts: Record<string, unknown> = {};
    for (let i = 0; i < 100; i++) accounts[`API ${i}`] = { total: i };
    accounts[MINIMAX_API] = { total: 7 };
    const answer = parseSubscription({ subscriptionIsActive: true, accounts });
    expect(answer.apis.length).toBe(MAX_APIS);
    expect(answer.apis[0]).toEqual({ api: MINIMAX_API, counts: [7, 0, 0] });
    expect(answer.apis[MAX_APIS - 1]?.api).toBe(`API ${MAX_APIS - 2}`);
    expect(answer.anomalies.ignored_api).toBe(101 - MAX_APIS);
  });

  it("leaves out, and counts, an API name the label check refuses, and an empty one", () => {
    const names = ["L".repeat(129), "API \ud800", "API \udc00", "API\n", "API \u2066x", ""];
    const accounts = Object.fromEntries(names.map((name) => [name, { total: 1 }]));
    const answer = parseSubscription({
      subscriptionIsActive: true,
      accounts: { ...accounts, ["L".repeat(128)]: { total: 2 } },
    });
    expect(answer.apis).toEqual([{ api: "L".repeat(128), counts: [2, 0, 0] }]);
    expect(answer.anomalies).toMatchObject({ invalid_label_value: 5, ignored_api: 1 });
  });

  it("exports no count outside 0 to 10^9 or not whole, and no renewal outside 2020 to ten years ahead", () => {
    const now = Date.UTC(2026, 0, 1);
    const answer = parseSubscription(
      {
        subscriptionIsActive: true,
        subscriptions: 1.5,
        maxAccountsPerAPI: 1e308,
        sub: "191231",
        accounts: { "MiniMax API": { total: 1_000_000_001, active: 1e9, error: 0.5 } },
      },
      now,
    );
    expect(answer).toMatchObject({
      subscriptions: undefined,
      maxAccountsPerApi: undefined,
      renewedSeconds: undefined,
      apis: [{ api: MINIMAX_API, counts: [undefined, 1e9, undefined] }],
    });
    expect(answer.anomalies).toMatchObject({
      invalid_subscription_value: 4,
      unreadable_renewal: 1,
    });
    expect(parseSubscription({ ...DOC, sub: "360101" }, now).renewedSeconds).toBe(
      Date.UTC(2036, 0, 1) / 1000,
    );
    expect(parseSubscription({ ...DOC, sub: "360102" }, now).renewedSeconds).toBeUndefined();
  });
});
