// Benchmark: poll processing of every upstream source, from the answer's text to the refreshed
// cached exposition, against JSON.parse alone of the same text. `npm run build`, then
// `node bench/sources.js`.
import { Buffer } from "node:buffer";
import console from "node:console";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { createExposition } from "../dist/metrics/rendering.js";
import { createRegistry } from "../dist/metrics/registry.js";
import { deriveSeed, mulberry32 } from "../dist/simulator/random.js";
import { accountBody, drawProfile } from "../dist/simulator/accounts.js";
import { generatePayload } from "../dist/simulator/activity.js";
import { createCredits } from "../dist/simulator/credits.js";
import { createAccountsSource } from "../dist/sources/accounts/source.js";
import { createChannels } from "../dist/sources/channels.js";
import { parseCreditsAnswer } from "../dist/sources/credits/answer.js";
import { registerCreditsFamilies } from "../dist/sources/credits/families.js";
import { createLedger } from "../dist/sources/credits/ledger.js";
import { createJobsSource } from "../dist/sources/jobs/source.js";
import { createSchedulerSource } from "../dist/sources/scheduler/source.js";
import { createSubscriptionSource } from "../dist/sources/subscription/source.js";
import { createUsageSource } from "../dist/sources/usage/source.js";
import { createLogger } from "../dist/logging/logger.js";
import { median, round } from "./common.js";
import { schedulerPayload } from "./scheduler.js";
import { usageAnswer } from "./usage.js";

/** The largest size run (50,000 accounts) is beyond the default bounds of an answer. */
const LIMITS = { maxAccounts: 100_000, maxJobs: 1_000_000 };
const BUILD = { version: "bench", nodejs: process.version };
/** Every answer is taken at this time, and every rendering reads it. */
const NOW = Date.parse("2025-11-24T12:00:00Z");
/** Unmeasured rounds before the measured ones: they warm the JIT and create every series. */
const WARMUP = 2;
const noAnomalies = () => undefined;

const bytesOf = (value) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value));

/** A fresh registry, default metrics on. */
function newRegistry() {
  return createRegistry({ buildInfo: BUILD, defaultMetrics: true });
}

/**
 * One answer processed as the runner does (source.ts: parse, then update at `NOW`), then the
 * exposition refreshed: what every source polled on an interval costs per poll.
 */
function polled(registry, source) {
  const exposition = createExposition(registry);
  return {
    exposition,
    async process([text]) {
      source.update(source.parse(JSON.parse(text.toString("utf8"))), NOW);
      await exposition.refresh();
    },
  };
}

// ---- The answers, from the documented shapes (/work/shared/upstream/, src/simulator/) ----

/** Jobs: `accounts` accounts of 5 running jobs each, as bench/poll.js times them. */
function jobsAnswers(accounts) {
  const base = generatePayload({ seed: 1, accounts, jobsPerAccount: 5 });
  // The next answer: a fifth of the jobs finished and as many new ones started in their place.
  const other = {
    ...base,
    executing: Object.fromEntries(
      Object.entries(base.executing).map(([account, jobs]) => [
        account,
        jobs.map((job, i) => (i === 0 ? { ...job, jobId: `n${job.jobId}` } : job)),
      ]),
    ),
  };
  return { items: accounts * 5, unit: "jobs", bodies: [bytesOf(base), bytesOf(other)] };
}

/** Scheduler: `generations` running generations, 5 per account (bench/scheduler.js). */
function schedulerAnswers(generations) {
  const base = schedulerPayload(generations);
  const other = {
    ...base,
    executing: base.executing.map((g, i) =>
      i % 5 === 0 ? { ...g, [g.videoId ? "videoId" : "imageId"]: `${g.videoId ?? g.imageId}n` } : g,
    ),
  };
  return { items: generations, unit: "generations", bodies: [bytesOf(base), bytesOf(other)] };
}

const accountId = (i) => String(100_000 + i);

const accountIds = (count) => Array.from({ length: count }, (_, i) => accountId(i));

/**
 * GET /v1/minimax/accounts: the accounts `ids` as the simulator draws them (jwt block, maxJobs,
 * the four capability flags), one in fifty carrying an `error`.
 */
export function accountsAnswer(ids) {
  const body = {};
  for (let i = 0; i < ids.length; i++) {
    const account = ids[i];
    const profile = drawProfile(mulberry32(deriveSeed(1, i)), account, 1 + (i % 10), NOW);
    if (i % 50 === 49) profile.error = "Session expired, please reconfigure the account";
    body[account] = accountBody(account, profile);
  }
  return bytesOf(body);
}

/** GET /v1/minimax/features/?account=A of each of the accounts `ids`, as the simulator answers. */
export function creditsAnswers(ids) {
  const accounts = ids;
  const credits = createCredits({
    seed: 1,
    accounts,
    startMs: NOW - 3_600_000,
    // No generation started since the credits were drawn.
    generations: { started: () => ({ video: 0, image: 0 }) },
  });
  return { accounts, bodies: accounts.map((a) => bytesOf(credits.body(a, NOW))) };
}

/**
 * GET /v2/account with `apis` APIs in `accounts` (the only list it holds): the MiniMax API, the
 * simulator's other API, then made-up ones, each with its counts by state as documented.
 */
export function subscriptionAnswer(apis) {
  const accounts = { "Midjourney API": { total: 2, active: 1, error: 1 } };
  accounts["MiniMax API"] = { total: 3, active: 3 };
  for (let i = 2; i < apis; i++) {
    const total = 1 + (i % 3);
    accounts[`Bench ${i} API`] =
      i % 4 === 0 ? { total, active: total - 1, error: 1 } : { total, active: total };
  }
  return bytesOf({
    id: 73_519_846,
    email: "subscriber@example.com",
    created: "2024-10-12T00:00:11.111Z",
    name: "Bench Subscriber",
    subscriptionIsActive: true,
    subscriptions: 1,
    maxAccountsPerAPI: 3,
    accounts,
    verified: "2024-10-12T00:00:33.333Z",
    sub: "251112",
  });
}

// ---- The sources, each as the exporter wires it (src/sources/*/module.ts) ----

/**
 * Each source at `size`: what one round of it is (`steady`: the same bytes every round; `changing`:
 * answers that differ from round to round, where state kept between answers makes that cost
 * more), and a fresh instance of the source with its exposition.
 */
const CASES = {
  jobs(size) {
    const { items, unit, bodies } = jobsAnswers(size);
    return {
      items,
      unit,
      steady: () => [bodies[0]],
      changing: (i) => [bodies[i % 2]],
      create() {
        const registry = newRegistry();
        const channels = createChannels();
        const source = createJobsSource({
          registry,
          intervalMs: 15_000,
          limits: LIMITS,
          countAnomaly: noAnomalies,
          finished: channels.finishedJobs,
          accounts: channels.accounts,
        });
        return polled(registry, source);
      },
    };
  },
  scheduler(size) {
    const { items, unit, bodies } = schedulerAnswers(size);
    return {
      items,
      unit,
      steady: () => [bodies[0]],
      changing: (i) => [bodies[i % 2]],
      create() {
        const registry = newRegistry();
        const source = createSchedulerSource({
          registry,
          intervalMs: 15_000,
          limits: LIMITS,
          countAnomaly: noAnomalies,
          accounts: createChannels().accounts,
        });
        return polled(registry, source);
      },
    };
  },
  // No state between answers: every poll replaces every series. No changing column.
  accounts(size) {
    const body = accountsAnswer(accountIds(size));
    return {
      items: size,
      unit: "accounts",
      steady: () => [body],
      create() {
        const registry = newRegistry();
        const source = createAccountsSource({
          registry,
          intervalMs: 300_000,
          maxAccounts: LIMITS.maxAccounts,
          accounts: createChannels().accounts,
          countAnomaly: noAnomalies,
        });
        return polled(registry, source);
      },
    };
  },
  // One answer per account; a round (rounds.ts) begins with the accounts, records each answer as
  // its request ends (source.ts `ask`, the health record left out as the runner's is for the
  // others) and renders once at its end. The ledger keeps each account's row between rounds, but
  // its cost does not depend on the values changing: no changing column.
  credits(size) {
    const { accounts, bodies } = creditsAnswers(accountIds(size));
    return {
      items: size,
      unit: "accounts (one answer each)",
      steady: () => bodies,
      create() {
        const registry = newRegistry();
        const ledger = createLedger({ staleAfterMs: 600_000, now: () => NOW });
        registerCreditsFamilies(registry, () => ledger.fresh());
        const exposition = createExposition(registry);
        return {
          exposition,
          async process(texts) {
            ledger.begin(accounts);
            for (let i = 0; i < texts.length; i++) {
              const credits = parseCreditsAnswer(JSON.parse(texts[i].toString("utf8")), NOW);
              ledger.record(accounts[i], "success", credits, NOW);
            }
            await exposition.refresh();
          },
        };
      },
    };
  },
  // The answer's only list is `accounts`, one entry per useapi.net API (a real one lists a few
  // dozen at most); the first MAX_APIS are exported, the rest counted as ignored. No state
  // between answers: no changing column.
  subscription(size) {
    const body = subscriptionAnswer(size);
    return {
      items: size,
      unit: "APIs",
      steady: () => [body],
      create() {
        const registry = newRegistry();
        const source = createSubscriptionSource({
          registry,
          intervalMs: 300_000,
          countAnomaly: noAnomalies,
        });
        return polled(registry, source);
      },
    };
  },
  // The row memory keeps the last two answers' job IDs: the same answer again counts nothing new;
  // the changing answers slide by a tenth of the rows each round, so each brings that many new.
  usage(size) {
    const body = bytesOf(usageAnswer(0, size));
    const step = Math.max(1, Math.round(size / 10));
    return {
      items: size,
      unit: "rows",
      steady: () => [body],
      changing: (i) => [bytesOf(usageAnswer(i * step, size))],
      create() {
        const registry = newRegistry();
        const source = createUsageSource({
          registry,
          intervalMs: 300_000,
          limit: size,
          logger: createLogger({ level: "error", format: "json", destination: { write() {} } }),
          countAnomaly: noAnomalies,
        });
        return polled(registry, source);
      },
    };
  },
};

export const SOURCES = Object.keys(CASES);

/**
 * Median ms of JSON.parse alone of a round's texts (summed) and of the whole processing of the
 * same round, rounds given by `answers(i)` (built before the timing starts), on one instance.
 */
async function timeRounds(create, answers, iterations) {
  const { process, exposition } = create();
  const parseTimes = [];
  const fullTimes = [];
  for (let i = -WARMUP; i < iterations; i++) {
    const texts = answers(i + WARMUP);
    let start = performance.now();
    for (const text of texts) JSON.parse(text.toString("utf8"));
    const parseMs = performance.now() - start;
    start = performance.now();
    await process(texts);
    const fullMs = performance.now() - start;
    if (i >= 0) {
      parseTimes.push(parseMs);
      fullTimes.push(fullMs);
    }
  }
  const parseMs = median(parseTimes);
  const fullMs = median(fullTimes);
  return { parseMs, fullMs, exposition: exposition.body().length };
}

/**
 * For each source and size: the median time of JSON.parse alone and of the whole processing
 * (JSON.parse, the source's parse and update at a fixed time, exposition.refresh of its
 * families over a registry with default metrics) of the same bytes; beside it, for
 * the sources that keep state between answers, the same with answers that change every round.
 */
export async function runSources({
  sizes = [1000, 10000, 50000],
  iterations = 11,
  sources = SOURCES,
} = {}) {
  const rows = [];
  for (const name of sources) {
    for (const size of sizes) {
      const c = CASES[name](size);
      const texts = c.steady(0);
      const same = await timeRounds(c.create, c.steady, iterations);
      const churn =
        c.changing === undefined ? undefined : await timeRounds(c.create, c.changing, iterations);
      rows.push({
        source: name,
        size,
        items: c.items,
        unit: c.unit,
        bytes: texts.reduce((sum, t) => sum + t.length, 0),
        jsonParseMs: round(same.parseMs),
        processMs: round(same.fullMs),
        ratio: round(same.fullMs / same.parseMs),
        exposition: same.exposition,
        changingProcessMs: churn === undefined ? null : round(churn.fullMs),
        changingRatio: churn === undefined ? null : round(churn.fullMs / churn.parseMs),
      });
    }
  }
  return { iterations, rows, refreshFloorMs: round(await refreshFloorMs(iterations)) };
}

/**
 * What every row pays whatever the source: exposition.refresh of a registry with default metrics
 * and no family of any source (prom-client's default collectors, one event-loop turn for the lag).
 */
async function refreshFloorMs(iterations) {
  const exposition = createExposition(newRegistry());
  const times = [];
  for (let i = -WARMUP; i < iterations; i++) {
    const start = performance.now();
    await exposition.refresh();
    if (i >= 0) times.push(performance.now() - start);
  }
  return median(times);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const only = process.argv.slice(2);
  const { rows, refreshFloorMs } = await runSources(only.length > 0 ? { sources: only } : {});
  console.log(`exposition.refresh with default metrics alone: ${refreshFloorMs} ms`);
  console.table(
    rows.map(({ unit: _unit, ...row }) => ({
      ...row,
      met: row.ratio <= 3 ? "yes" : "no",
    })),
  );
}
