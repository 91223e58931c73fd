import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseAccounts } from "../../src/sources/accounts/answer.js";
import { parseElapsed } from "../../src/sources/common/elapsed.js";
import { parseJobsAnswer, type JobsAnswer } from "../../src/sources/jobs/answer.js";
import { PayloadError } from "../../src/upstream/json-checks.js";
import { ANOMALY_KINDS, toSnapshot, type Snapshot } from "../../src/sources/jobs/snapshot.js";

const NOW = 1_764_000_000_000;
const RUNS = { numRuns: 100 };

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const pad2 = (n: number): string => String(n).padStart(2, "0");

const accountId = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("10001", "10002", "10003", "54321", "67890") },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 6 }) },
);
const validElapsed = fc.oneof(
  fc
    .tuple(fc.integer({ min: 0, max: 999_999 }), fc.integer({ min: 0, max: 59 }))
    .map(([m, s]) => `${pad2(m)}:${pad2(s)}`),
  fc
    .tuple(fc.integer({ min: 0, max: 9999 }), fc.nat(59), fc.nat(59))
    .map(([h, m, s]) => `${h}:${pad2(m)}:${pad2(s)}`),
);
const weirdElapsed: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "1:60",
    "60:00:00",
    "-1:00",
    "1e3:00",
    "00:5",
    "1234567:00",
    "12345:00:00",
    "１２:００",
    "0x1:00",
    " 01:30 ",
    "01:30\n",
    "NaN:NaN",
    "Infinity",
    "99:99:99",
  ),
  fc.string({ maxLength: 10 }),
  validElapsed.map((text) => `${text}s`),
  fc.double(),
  fc.integer(),
  fc.constant(null),
);
const job = fc.record({
  jobId: fc.oneof(fc.constantFrom("p1-u12345-a1-bot:minimax", "p2"), fc.string({ minLength: 1 })),
  elapsed: fc.oneof({ weight: 4, arbitrary: validElapsed }, { weight: 1, arbitrary: weirdElapsed }),
});
const validPayload: fc.Arbitrary<Json> = fc.record({
  accounts: fc.uniqueArray(accountId, { maxLength: 6 }),
  summary: fc.dictionary(accountId, fc.record({ executing: fc.nat(10) }), { maxKeys: 6 }),
  executing: fc.dictionary(accountId, fc.array(job, { maxLength: 5 }), { maxKeys: 6 }),
});

type Mutation =
  | { kind: "delete"; at: number }
  | { kind: "replace"; at: number; value: Json }
  | { kind: "duplicateJob"; at: number }
  | { kind: "elapsed"; at: number; value: Json };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant("replace" as const),
    at: fc.nat(),
    value: fc.jsonValue() as fc.Arbitrary<Json>,
  }),
  fc.record({ kind: fc.constant("duplicateJob" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("elapsed" as const), at: fc.nat(), value: weirdElapsed }),
);

type Container = Json[] | { [key: string]: Json };
type Slot = { parent: Container; key: string | number };

/** Every (container, key) pair below the root, depth first. */
function slots(value: Json, out: Slot[] = []): Slot[] {
  if (Array.isArray(value)) {
    value.forEach((child, index) => {
      out.push({ parent: value, key: index });
      slots(child, out);
    });
  } else if (value !== null && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      out.push({ parent: value, key });
      slots(child, out);
    }
  }
  return out;
}

function isJobList(value: Json): value is Json[] {
  return Array.isArray(value) && value.some((v) => v !== null && typeof v === "object");
}

function mutate(original: Json, mutations: Mutation[]): Json {
  let root = structuredClone(original);
  for (const m of mutations) {
    const all = slots(root);
    if (m.kind === "replace" && all.length === 0) {
      root = m.value;
      continue;
    }
    if (m.kind === "duplicateJob") {
      const lists = all.map((s) => get(s)).filter(isJobList);
      const list = lists[m.at % Math.max(1, lists.length)];
      if (list) list.push(structuredClone(list[m.at % list.length] ?? null));
      continue;
    }
    if (m.kind === "elapsed") {
      const elapsedSlots = all.filter((s) => s.key === "elapsed");
      const slot = elapsedSlots[m.at % Math.max(1, elapsedSlots.length)];
      if (slot) set(slot, m.value);
      continue;
    }
    const slot = all[m.at % Math.max(1, all.length)];
    if (!slot) continue;
    if (m.kind === "delete") remove(slot);
    else set(slot, m.value);
  }
  return root;
}

function get({ parent, key }: Slot): Json {
  return Array.isArray(parent) ? (parent[key as number] ?? null) : (parent[key as string] ?? null);
}

function set({ parent, key }: Slot, value: Json): void {
  if (Array.isArray(parent)) parent[key as number] = value;
  else parent[key as string] = value;
}

function remove({ parent, key }: Slot): void {
  if (Array.isArray(parent)) parent.splice(key as number, 1);
  else Reflect.deleteProperty(parent, key);
}

/** Checks what a poll would do with `body`: an invalid_payload outcome or a sound snapshot. */
function crossBoundary(body: unknown): "invalid_payload" | Snapshot {
  let payload: JobsAnswer;
  try {
    payload = parseJobsAnswer(body);
  } catch (error) {
    expect(error).toBeInstanceOf(PayloadError);
    return "invalid_payload";
  }
  const snapshot = toSnapshot(payload, NOW);
  checkSnapshot(payload, snapshot);
  return snapshot;
}

function checkSnapshot(payload: JobsAnswer, snapshot: Snapshot): void {
  for (const state of snapshot.accounts) {
    expect(Number.isSafeInteger(state.executing) && state.executing >= 0).toBe(true);
    expect(Number.isFinite(state.maxElapsedSeconds) && state.maxElapsedSeconds >= 0).toBe(true);
    const jobs = payload.executing.get(state.account) ?? [];
    const parsed = jobs.map((j) => parseElapsed(j.elapsed)).filter((s) => s !== undefined);
    if (state.maxElapsedSeconds !== 0) expect(parsed).toContain(state.maxElapsedSeconds);
    // A repeated jobId is counted once, at its first occurrence.
    const firsts = jobs.filter((j, i) => jobs.findIndex((k) => k.jobId === j.jobId) === i);
    for (const j of firsts) {
      expect(state.maxElapsedSeconds).toBeGreaterThanOrEqual(parseElapsed(j.elapsed) ?? 0);
    }
  }
  for (const j of snapshot.jobs) {
    if (j.elapsedSeconds !== undefined) {
      expect(Number.isFinite(j.elapsedSeconds) && j.elapsedSeconds >= 0).toBe(true);
    }
  }
  for (const kind of ANOMALY_KINDS) {
    expect(Number.isSafeInteger(snapshot.anomalies[kind]) && snapshot.anomalies[kind] >= 0).toBe(
      true,
    );
  }
  const names = snapshot.accounts.map((a) => a.account);
  for (const account of payload.accounts) {
    expect(names.filter((name) => name === account)).toHaveLength(1);
  }
  // Each account once, in upstream order: listed ones first, then those only in summary or executing.
  expect(names).toEqual([
    ...new Set([...payload.accounts, ...payload.summary.keys(), ...payload.executing.keys()]),
  ]);
}

describe("the jobs payload boundary under arbitrary input", () => {
  it("gives a sound snapshot or a PayloadError for any JSON value, and nothing else", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        crossBoundary(body);
      }),
      RUNS,
    );
  });

  it("gives a sound snapshot for every well-formed payload", () => {
    fc.assert(
      fc.property(validPayload, (body) => {
        expect(crossBoundary(body)).not.toBe("invalid_payload");
      }),
      RUNS,
    );
  });

  it("gives a sound snapshot or a PayloadError for payloads with keys deleted, values replaced, jobs duplicated and elapsed times garbled", () => {
    fc.assert(
      fc.property(validPayload, fc.array(mutation, { minLength: 1, maxLength: 6 }), (body, ops) => {
        crossBoundary(mutate(body, ops));
      }),
      RUNS,
    );
  });

  it("counts a duplicated job once and never lets it raise the executing count", () => {
    fc.assert(
      fc.property(validPayload, fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), (body, at) => {
        const mutated = mutate(
          body,
          at.map((n) => ({ kind: "duplicateJob", at: n })),
        );
        const before = crossBoundary(body);
        const after = crossBoundary(mutated);
        if (before === "invalid_payload" || after === "invalid_payload") return;
        expect(after.jobs).toEqual(before.jobs);
        expect(after.accounts).toEqual(before.accounts);
      }),
      RUNS,
    );
  });
});

describe("parseElapsed", () => {
  it("reads every zero-padded mm:ss with minutes up to 999999 as minutes times 60 plus seconds", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999 }), fc.nat(59), (m, s) => {
        expect(parseElapsed(`${pad2(m)}:${pad2(s)}`)).toBe(m * 60 + s);
      }),
      RUNS,
    );
  });

  it("reads every h:mm:ss with hours up to 9999 as hours times 3600 plus minutes times 60 plus seconds", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), fc.nat(59), fc.nat(59), (h, m, s) => {
        expect(parseElapsed(`${h}:${pad2(m)}:${pad2(s)}`)).toBe(h * 3600 + m * 60 + s);
      }),
      RUNS,
    );
  });

  it("rejects a valid elapsed time with a letter inserted anywhere", () => {
    const letter = fc.constantFrom(
      ..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".split(""),
    );
    fc.assert(
      fc.property(validElapsed, letter, fc.nat(), (text, c, at) => {
        const i = at % (text.length + 1);
        expect(parseElapsed(text.slice(0, i) + c + text.slice(i))).toBeUndefined();
      }),
      RUNS,
    );
  });

  it("rejects seconds or minutes-of-hour from 60 to 99", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999 }),
        fc.integer({ min: 60, max: 99 }),
        fc.boolean(),
        (n, bad, hours) => {
          const text = hours ? `${n}:${bad}:00` : `${pad2(n)}:${bad}`;
          expect(parseElapsed(text)).toBeUndefined();
        },
      ),
      RUNS,
    );
  });

  it("returns undefined for every JSON value that is not a string", () => {
    fc.assert(
      fc.property(
        fc.jsonValue().filter((v) => typeof v !== "string"),
        (value) => {
          expect(parseElapsed(value)).toBeUndefined();
        },
      ),
      RUNS,
    );
  });

  it("returns a non-negative integer or undefined for any string", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), validElapsed, weirdElapsed), (value) => {
        const seconds = parseElapsed(value);
        if (seconds !== undefined) expect(Number.isSafeInteger(seconds) && seconds >= 0).toBe(true);
      }),
      RUNS,
    );
  });
});

describe("parseAccounts under arbitrary input", () => {
  const accountEntry = fc.record(
    {
      account: accountId,
      maxJobs: fc.oneof(fc.nat(5), fc.double(), fc.string()),
      jwt: fc.oneof(fc.record({ exp: fc.oneof(fc.integer(), fc.double()) }), fc.constant(null)),
      error: fc.oneof(fc.string(), fc.constant(null)),
      supportVideo: fc.oneof(fc.boolean(), fc.string()),
      supportMusic: fc.boolean(),
    },
    { requiredKeys: [] },
  );
  const accountsBody = fc.dictionary(accountId, accountEntry, { maxKeys: 6 }) as fc.Arbitrary<Json>;

  function checkAccounts(body: unknown): void {
    let configs;
    try {
      configs = parseAccounts(body).accounts;
    } catch (error) {
      expect(error).toBeInstanceOf(PayloadError);
      return;
    }
    const names = configs.map((c) => c.account);
    for (let i = 1; i < names.length; i++) {
      expect((names[i - 1] ?? "") < (names[i] ?? "")).toBe(true);
    }
    for (const c of configs) {
      if (c.maxJobs !== undefined) expect(Number.isFinite(c.maxJobs) && c.maxJobs >= 0).toBe(true);
      if (c.sessionExpirySeconds !== undefined) {
        expect(Number.isFinite(c.sessionExpirySeconds)).toBe(true);
      }
    }
  }

  it("returns sorted, finite account configurations or throws a PayloadError for any JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        checkAccounts(body);
      }),
      RUNS,
    );
  });

  it("returns sorted, finite account configurations or throws a PayloadError for mutated account lists", () => {
    fc.assert(
      fc.property(accountsBody, fc.array(mutation, { minLength: 1, maxLength: 6 }), (body, ops) => {
        checkAccounts(mutate(body, ops));
      }),
      RUNS,
    );
  });
});
