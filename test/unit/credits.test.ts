import { serialize } from "node:v8";
import { describe, expect, it } from "vitest";
import { MAX_LANDING_ROWS } from "../../src/sources/common/html.js";
import { createLogger } from "../../src/logging/logger.js";
import { MetricRegistry } from "../../src/metrics/registry.js";
import {
  creditsPath,
  nextExpiry,
  parseCreditsAnswer,
  type Credits,
} from "../../src/sources/credits/answer.js";
import { registerCreditsFamilies } from "../../src/sources/credits/families.js";
import { creditsLanding } from "../../src/sources/credits/landing.js";
import { createLedger, type Ledger } from "../../src/sources/credits/ledger.js";
import { createRounds, type Asked } from "../../src/sources/credits/rounds.js";
import { roundOutcome } from "../../src/sources/credits/source.js";
import { PayloadError } from "../../src/upstream/json-checks.js";
import { ownLabel, ownLabels } from "../../src/metrics/label-value.js";
import { VirtualClock } from "../virtual-clock.js";

/** The example of the upstream documentation. */
const DOCUMENTED = {
  privilegeType: 1,
  totalCredits: 2278,
  expireText: "80 points will expire within 24 hours",
  videoCost: 30,
  queueLength: 3,
  imageQueueLength: 5,
  memberName: "Free",
  memberText: "Subscribe",
  expireTime: 0,
  isNewUser: false,
  trialExpireTime: 0,
  creditExpireText: [{ credit: 80, endTime: 1742255999999 }],
  modelControl: [{ modelId: "23021", videoCost: 45, isMember: false, freeCount: 0 }],
  supportModes: [],
};

/** When the answers are read: the documented batch (March 2025) is within ten years. */
const NOW = Date.UTC(2025, 2, 1);
const NO_ANOMALIES = { invalid_label_value: 0, invalid_count: 0, invalid_timestamp: 0 };

describe("the credits answer", () => {
  it("reads the documented example, and only the fields it exports", () => {
    expect(parseCreditsAnswer(DOCUMENTED, NOW)).toStrictEqual({
      totalCredits: 2278,
      videoCost: 30,
      queueLength: 3,
      imageQueueLength: 5,
      plan: "Free",
      batches: { next: { atMs: 1742255999999, credits: 80 } },
      anomalies: NO_ANOMALIES,
    });
  });

  it.each([["[]"], ["null"], ['"text"'], ["42"]])("refuses %s as a whole answer", (text) => {
    expect(() => parseCreditsAnswer(JSON.parse(text), NOW)).toThrow(PayloadError);
  });

  it.each([
    ["a string", "2278"],
    ["a negative number", -1],
    ["null", null],
    ["an object", { value: 1 }],
    ["a boolean", true],
  ])("takes %s as an unknown number, not a failed call", (_name, value) => {
    const credits = parseCreditsAnswer(
      {
        ...DOCUMENTED,
        totalCredits: value,
        videoCost: value,
        queueLength: value,
        imageQueueLength: value,
      },
      NOW,
    );
    expect(credits).toMatchObject({
      totalCredits: undefined,
      videoCost: undefined,
      queueLength: undefined,
      imageQueueLength: undefined,
      plan: "Free",
    });
  });

  it("reads an empty object as everything unknown", () => {
    expect(parseCreditsAnswer({}, NOW)).toStrictEqual({
      totalCredits: undefined,
      videoCost: undefined,
      queueLength: undefined,
      imageQueueLength: undefined,
      plan: undefined,
      batches: undefined,
      anomalies: NO_ANOMALIES,
    });
  });

  it.each([
    ["not a list", { credit: 80, endTime: 1 }],
    ["a batch that is no object", [{ credit: 80, endTime: 1 }, 5]],
    ["a credit as text", [{ credit: "80", endTime: 1 }]],
    ["an endTime missing", [{ credit: 80 }]],
    ["a negative endTime", [{ credit: 80, endTime: -1 }]],
  ])("takes the batches as unknown when %s (the odd one could be the next)", (_name, value) => {
    expect(
      parseCreditsAnswer({ ...DOCUMENTED, creditExpireText: value }, NOW).batches,
    ).toBeUndefined();
  });

  it("refuses a plan the label check refuses, counting it, and takes an empty or odd one as unknown", () => {
    const at = (memberName: unknown) => parseCreditsAnswer({ memberName }, NOW);
    expect(at("P".repeat(128)).plan).toBe("P".repeat(128));
    for (const refused of ["P".repeat(129), "Pro\ud800", "Pro\n", "Pro\u202e"]) {
      expect(at(refused).plan).toBeUndefined();
      expect(at(refused).anomalies).toEqual({ ...NO_ANOMALIES, invalid_label_value: 1 });
    }
    expect(at("").plan).toBeUndefined();
    expect(at("").anomalies).toEqual(NO_ANOMALIES);
    expect(at(["Free"]).plan).toBeUndefined();
  });

  it.each<[string, Record<string, unknown>, keyof Credits, string]>([
    [
      "endTime 1e308",
      { creditExpireText: [{ credit: 5, endTime: 1e308 }] },
      "batches",
      "invalid_timestamp",
    ],
    [
      "endTime before 2020",
      { creditExpireText: [{ credit: 5, endTime: 1e12 }] },
      "batches",
      "invalid_timestamp",
    ],
    [
      "a fractional credit",
      { creditExpireText: [{ credit: 0.5, endTime: NOW }] },
      "batches",
      "invalid_count",
    ],
    ["queueLength 1.5", { queueLength: 1.5 }, "queueLength", "invalid_count"],
    ["totalCredits 1e308", { totalCredits: 1e308 }, "totalCredits", "invalid_count"],
    ["videoCost -1", { videoCost: -1 }, "videoCost", "invalid_count"],
  ])("exports nothing of %s and counts it", (_name, over, field, kind) => {
    const credits = parseCreditsAnswer({ ...DOCUMENTED, ...over }, NOW);
    expect(credits[field]).toBeUndefined();
    expect(credits.anomalies).toEqual({ ...NO_ANOMALIES, [kind]: 1 });
  });

  it("asks about an account by its URL-encoded ID", () => {
    expect(creditsPath("567890")).toBe("/v1/minimax/features/?account=567890");
    expect(creditsPath("a&b=c d/#")).toBe("/v1/minimax/features/?account=a%26b%3Dc%20d%2F%23");
  });
});

describe("the next expiry", () => {
  it.each([
    ["no batch", [], undefined],
    ["one batch", [[80, 1000]], { atMs: 1000, credits: 80 }],
    [
      "the earliest",
      [
        [5, 3000],
        [80, 1000],
        [7, 2000],
      ],
      { atMs: 1000, credits: 80 },
    ],
    [
      "batches ending together",
      [
        [5, 1000],
        [80, 2000],
        [7, 1000],
      ],
      { atMs: 1000, credits: 12 },
    ],
    [
      "the earliest with credits left",
      [
        [0, 1000],
        [9, 2000],
      ],
      { atMs: 2000, credits: 9 },
    ],
    [
      "only spent batches",
      [
        [0, 1000],
        [0, 2000],
      ],
      undefined,
    ],
  ])("of %s", (_name, batches, expected) => {
    const list = batches.map(([credit = 0, endTimeMs = 0]) => ({ credit, endTimeMs }));
    expect(nextExpiry(list)).toEqual(expected);
  });
});

const credits = (over: Partial<Credits> = {}): Credits => ({
  ...parseCreditsAnswer(DOCUMENTED, NOW),
  ...over,
});

/** The sample lines of the credits families, one per line, as /metrics shows them. */
async function render(ledger: Ledger): Promise<string> {
  const registry = new MetricRegistry();
  registerCreditsFamilies(registry, () => ledger.fresh());
  const text = await registry.metrics();
  return text
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => `${line}\n`)
    .join("");
}

describe("the credits ledger", () => {
  let now = 0;
  const ledger = () => createLedger({ staleAfterMs: 1000, now: () => now });

  it("writes each family's samples for an account with a good answer", async () => {
    now = 0;
    const book = ledger();
    book.begin(ownLabels(["1", 'a"b']));
    book.record(ownLabel("1"), "success", credits(), 0);
    book.record(
      ownLabel('a"b'),
      "success",
      credits({ plan: ownLabel('Pro\\"x"'), batches: { next: undefined } }),
      0,
    );
    expect(await render(book)).toBe(
      [
        'useapi_minimax_account_credits{account="1"} 2278',
        'useapi_minimax_account_credits{account="a\\"b"} 2278',
        'useapi_minimax_account_credits_next_expiry_timestamp_seconds{account="1"} 1742255999.999',
        'useapi_minimax_account_credits_expiring_next{account="1"} 80',
        'useapi_minimax_account_credits_expiring_next{account="a\\"b"} 0',
        'useapi_minimax_account_plan_info{account="1",plan="Free"} 1',
        'useapi_minimax_account_plan_info{account="a\\"b",plan="Pro\\\\\\"x\\""} 1',
        'useapi_minimax_account_video_cost_credits{account="1"} 30',
        'useapi_minimax_account_video_cost_credits{account="a\\"b"} 30',
        'useapi_minimax_account_queue_limit{account="1",type="video"} 3',
        'useapi_minimax_account_queue_limit{account="1",type="image"} 5',
        'useapi_minimax_account_queue_limit{account="a\\"b",type="video"} 3',
        'useapi_minimax_account_queue_limit{account="a\\"b",type="image"} 5',
        "",
      ].join("\n"),
    );
  });

  it("keeps the same size per account however many batches its answer lists", () => {
    /** What the ledger keeps, as bytes of its rows' structured clone (every reachable value). */
    const kept = (count: number) => {
      const book = ledger();
      book.begin(ownLabels(["1"]));
      const creditExpireText = Array.from({ length: count }, (_, i) => ({
        credit: i === 0 ? 80 : 5,
        endTime: 1742255999999 + (i === 0 ? 0 : 1000 + i),
      }));
      const answer = parseCreditsAnswer({ ...DOCUMENTED, creditExpireText }, 1742000000000);
      book.record(ownLabel("1"), "success", answer, 0);
      const [row] = book.rows();
      expect(row?.next).toEqual({ atMs: 1742255999999, credits: 80 });
      return serialize(book.rows()).length;
    };
    const one = kept(1);
    expect(kept(1000)).toBe(one);
    expect(kept(100_000)).toBe(one);
    expect(one).toBeLessThan(1000);
  });

  it("leaves out what the answer did not tell", async () => {
    now = 0;
    const book = ledger();
    book.begin(ownLabels(["1"]));
    book.record(ownLabel("1"), "success", parseCreditsAnswer({ totalCredits: 7 }, NOW), 0);
    expect(await render(book)).toBe('useapi_minimax_account_credits{account="1"} 7\n');
  });

  it("drops an account's series at once when a call about it fails, and keeps the others'", async () => {
    now = 0;
    const book = ledger();
    book.begin(ownLabels(["1", "2"]));
    book.record(ownLabel("1"), "success", credits(), 0);
    book.record(ownLabel("2"), "success", credits(), 0);
    book.record(ownLabel("2"), "server_error", undefined, 0);
    expect(await render(book)).not.toContain('account="2"');
    expect(await render(book)).toContain('useapi_minimax_account_credits{account="1"} 2278');
    book.record(ownLabel("2"), "success", credits({ totalCredits: 5 }), 0);
    expect(await render(book)).toContain('useapi_minimax_account_credits{account="2"} 5');
  });

  it("drops the series of an account that left the account book", async () => {
    now = 0;
    const book = ledger();
    book.begin(ownLabels(["1", "2"]));
    book.record(ownLabel("1"), "success", credits(), 0);
    book.record(ownLabel("2"), "success", credits(), 0);
    book.begin(ownLabels(["2"]));
    expect(await render(book)).not.toContain('account="1"');
    expect(await render(book)).toContain('account="2"');
  });

  it("drops an account's series when no call about it succeeded within the staleness window", async () => {
    const book = ledger();
    book.begin(ownLabels(["1", "2"]));
    book.record(ownLabel("1"), "success", credits(), 0);
    book.record(ownLabel("2"), "success", credits(), 600);
    now = 1000;
    expect(await render(book)).toContain('account="1"');
    now = 1001;
    expect(await render(book)).not.toContain('account="1"');
    expect(await render(book)).toContain('account="2"');
  });
  it("reads the staleness window anew whenever the clock crosses it, either way", async () => {
    const book = ledger();
    book.begin(ownLabels(["1", "2"]));
    book.record(ownLabel("1"), "success", credits(), 0);
    book.record(ownLabel("2"), "success", credits(), 600);
    const accounts = async () =>
      [...(await render(book)).matchAll(/^useapi_minimax_account_credits\{account="(\d)"\}/gm)].map(
        (m) => m[1],
      );
    for (const [at, listed] of [
      [1001, ["2"]],
      [1000, ["1", "2"]],
      [1601, []],
      [1600, ["2"]],
      [1000, ["1", "2"]],
    ] as const) {
      now = at;
      expect(await accounts()).toEqual(listed);
    }
    // A round of the same accounts keeps their rows; one of others drops them.
    now = 0;
    book.begin(ownLabels(["1", "2"]));
    expect(await accounts()).toEqual(["1", "2"]);
    book.begin(ownLabels(["2", "1"]));
    expect(await accounts()).toEqual(["2", "1"]);
    book.begin(ownLabels(["2"]));
    expect(await accounts()).toEqual(["2"]);
  });
});

describe("the credits section of the landing page", () => {
  it("lists accounts by ID with credits, next expiry and plan, failing ones with their outcome", () => {
    const book = createLedger({ staleAfterMs: 1000, now: () => 0 });
    const page = creditsLanding(book);
    expect(page()).toContain("No account asked about yet.");
    book.begin(ownLabels(["2", "1", "3"]));
    book.record(ownLabel("2"), "success", credits({ plan: ownLabel("<b>Pro</b>") }), 0);
    book.record(ownLabel("1"), "server_error", undefined, 0);
    const html = page();
    expect(html).toContain("<h2>Credits</h2>");
    expect(html).toContain(
      "<tr><td>1</td><td></td><td></td><td></td><td>server_error</td></tr>\n" +
        "<tr><td>2</td><td>2278</td><td>2025-03-17T23:59:59Z (80)</td><td>&lt;b&gt;Pro&lt;/b&gt;</td><td>success</td></tr>\n" +
        "<tr><td>3</td><td></td><td></td><td></td><td>not yet</td></tr>",
    );
    expect(page()).toBe(html);
  });

  it(`shows at most ${MAX_LANDING_ROWS} accounts and counts the rest`, () => {
    const book = createLedger({ staleAfterMs: 1000, now: () => 0 });
    book.begin(ownLabels(Array.from({ length: MAX_LANDING_ROWS + 5 }, (_, i) => `${100_000 + i}`)));
    const html = creditsLanding(book)();
    expect(html.match(/<tr><td>\d+<\/td>/g)?.length).toBe(MAX_LANDING_ROWS);
    expect(html).toContain("5 more accounts not shown");
  });
});

const quiet = createLogger({ level: "error", format: "json", destination: { write: () => true } });

/** Rounds over `accounts` whose requests end when the test says. */
function roundsOf(accounts: string[], concurrency: number) {
  const clock = new VirtualClock();
  const asked: { account: string; at: number; answer: (asked: Asked) => void }[] = [];
  const ends: number[] = [];
  const rounds = createRounds({
    intervalMs: 4000,
    emptyRetryMs: 1000,
    maxBackoffMs: 60_000,
    concurrency,
    accounts: () => ownLabels(accounts),
    begin: () => undefined,
    ask: (account, signal) =>
      new Promise<Asked>((answer) => {
        asked.push({ account, at: clock.now(), answer });
        signal.addEventListener("abort", () => answer("aborted"));
      }),
    end: (count, failures) => {
      ends.push(count);
      return Promise.resolve(failures.length < count || count === 0);
    },
    timers: clock,
    logger: quiet,
    random: () => 0,
  });
  return { clock, asked, ends, rounds };
}

const anyTimer = () => true;

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("the rounds of credits requests", () => {
  it("spreads a round's requests over the interval, one every interval/N", async () => {
    const { clock, asked, rounds } = roundsOf(["a", "b", "c", "d"], 4);
    rounds.start();
    for (let i = 1; i < 4; i++) {
      await settle();
      const step = await clock.scheduled(anyTimer, "the pause before the next request");
      expect(step.ms).toBe(1000);
      clock.fire(step);
    }
    await settle();
    expect(asked.map((a) => [a.account, a.at])).toEqual([
      ["a", 0],
      ["b", 1000],
      ["c", 2000],
      ["d", 3000],
    ]);
    for (const a of asked) a.answer({ outcome: "success" });
    await rounds.idle();
    // The next round one step after the last request ended.
    const next = await clock.scheduled(anyTimer, "the next round's timer");
    expect(next.at).toBe(4000);
    await rounds.stop();
  });

  it("backs off between rounds that left the source down, one step again after one that did not", async () => {
    const { clock, asked, rounds } = roundsOf(["a", "b"], 2);
    const roundEnds = async (outcome: Asked, what: string) => {
      await settle();
      asked[0]?.answer(outcome);
      clock.fire(await clock.scheduled(anyTimer, `${what}: the pause before b`));
      await settle();
      asked[1]?.answer(outcome);
      await rounds.idle();
      const next = await clock.scheduled(anyTimer, `${what}: the next round`);
      asked.splice(0);
      clock.fire(next);
      return next.ms;
    };
    rounds.start();
    const down: Asked = { outcome: "server_error" };
    // The step is 2 s; after failed rounds in a row, 2 s, then 2 × 2 s jittered down by a quarter.
    expect(await roundEnds(down, "first failed round")).toBe(2000);
    expect(await roundEnds(down, "second failed round")).toBe(3000);
    expect(await roundEnds({ outcome: "success" }, "round that works")).toBe(2000);
    await rounds.stop();
    expect(clock.pending()).toEqual([]);
  });

  it("keeps at most `concurrency` requests in flight, however the time goes", async () => {
    const { clock, asked, rounds } = roundsOf(["a", "b", "c", "d"], 2);
    const done = rounds.roundNow();
    await settle();
    expect(asked.map((a) => a.account)).toEqual(["a", "b"]);
    asked[1]?.answer({ outcome: "success" });
    await settle();
    expect(asked.map((a) => a.account)).toEqual(["a", "b", "c"]);
    for (const a of asked) a.answer({ outcome: "success" });
    await settle();
    asked[3]?.answer({ outcome: "server_error" });
    expect(await done).toBe("server_error");
    expect(clock.pending()).toEqual([]);
  });

  it("hurries the round in flight when asked for one now", async () => {
    const { clock, asked, ends, rounds } = roundsOf(["a", "b", "c"], 3);
    rounds.start();
    await settle();
    expect(asked.length).toBe(1);
    const done = rounds.roundNow();
    await settle();
    expect(asked.map((a) => a.account)).toEqual(["a", "b", "c"]);
    for (const a of asked) a.answer({ outcome: "success" });
    expect(await done).toBe("success");
    expect(ends).toEqual([3]);
    expect(clock.now()).toBe(0);
    await rounds.stop();
  });

  it("tries again after the shorter wait while no account is known", async () => {
    const { clock, ends, rounds } = roundsOf([], 2);
    rounds.start();
    expect((await clock.scheduled(anyTimer, "the retry while no account is known")).ms).toBe(1000);
    expect(ends).toEqual([0]);
    await rounds.stop();
    expect(clock.pending()).toEqual([]);
  });

  it("sends no request before a Retry-After's hold ends, up to the interval, this round or the next", async () => {
    const { clock, asked, rounds } = roundsOf(["a", "b", "c", "d"], 4);
    const fire = async (what: string) => {
      clock.fire(await clock.scheduled(anyTimer, what));
      await settle();
    };
    rounds.start();
    await settle();
    // The pause before b began before a's answer came: b still waits for the hold.
    asked[0]?.answer({ outcome: "rate_limited", retryAfterMs: 3000 });
    await settle();
    await fire("the 1 s pause before b");
    expect(asked.map((a) => a.account)).toEqual(["a"]);
    await fire("the end of a's hold");
    // A Retry-After longer than the interval holds for the interval.
    asked[1]?.answer({ outcome: "rate_limited", retryAfterMs: 60_000 });
    await settle();
    await fire("the 1 s pause before c");
    await fire("the end of b's hold");
    asked[2]?.answer({ outcome: "success" });
    await fire("the 1 s pause before d");
    asked[3]?.answer({ outcome: "rate_limited", retryAfterMs: 2500 });
    await rounds.idle();
    // The next round begins one step later, and its first request waits for d's hold.
    await fire("the next round's timer");
    expect(clock.now()).toBe(9000);
    expect(asked.length).toBe(4);
    await fire("the end of d's hold");
    expect(asked.map((a) => [a.account, a.at])).toEqual([
      ["a", 0],
      ["b", 3000],
      ["c", 7000],
      ["d", 8000],
      ["a", 10_500],
    ]);
    await rounds.stop();
    expect(clock.pending()).toEqual([]);
  });

  it("holds a request that waited for a free slot when the request before it brings a Retry-After", async () => {
    const { clock, asked, rounds } = roundsOf(["a", "b"], 1);
    rounds.start();
    await settle();
    clock.fire(await clock.scheduled(anyTimer, "the 2 s pause before b"));
    await settle();
    expect(asked.length).toBe(1);
    asked[0]?.answer({ outcome: "rate_limited", retryAfterMs: 1500 });
    await settle();
    expect(asked.length).toBe(1);
    clock.fire(await clock.scheduled(anyTimer, "the end of a's hold"));
    await settle();
    expect(asked.map((a) => [a.account, a.at])).toEqual([
      ["a", 0],
      ["b", 3500],
    ]);
    asked[1]?.answer({ outcome: "success" });
    await rounds.stop();
  });

  it("stops during a hold: no request goes out and no timer is left", async () => {
    const { clock, asked, rounds } = roundsOf(["a", "b"], 2);
    rounds.start();
    await settle();
    asked[0]?.answer({ outcome: "rate_limited", retryAfterMs: 3000 });
    await settle();
    await rounds.stop();
    expect(asked.length).toBe(1);
    expect(clock.pending()).toEqual([]);
  });

  it("stops: the requests in flight are aborted and no timer is left", async () => {
    const { clock, asked, ends, rounds } = roundsOf(["a", "b"], 2);
    rounds.start();
    await settle();
    expect(asked.length).toBe(1);
    await rounds.stop();
    expect(asked.length).toBe(1);
    expect(ends).toEqual([]);
    expect(clock.pending()).toEqual([]);
  });
});

describe("roundOutcome", () => {
  it.each([
    ["every call succeeded", 3, [], "success"],
    ["one account on hold, asked last", 3, ["server_error"], "success"],
    ["every account on hold", 2, ["server_error", "server_error"], "server_error"],
    ["every call timed out", 1, ["timeout"], "timeout"],
    ["one 401 among successes", 3, ["unauthorized"], "unauthorized"],
    ["a 400 and a network error, one success", 3, ["client_error", "network"], "success"],
  ] as const)("%s", (_what, count, failures, expected) => {
    expect(roundOutcome(count, failures)).toBe(expected);
  });
});
