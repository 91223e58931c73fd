import { deriveSeed, mulberry32, randomInt } from "./random.js";
import { USER_ID, formatElapsed } from "./activity.js";

/** In every simulated webhook URL and reply reference, so a test can prove none of it leaks. */
export const WEBHOOK_SECRET_MARKER = "SIMULATED-WEBHOOK-SECRET";
export const REPLY_REF_MARKER = "SIMULATED-REPLY-REF";

export type SimulatedGenerationType = "video" | "image";

export interface SimulatedGeneration {
  readonly id: string;
  readonly account: string;
  readonly type: SimulatedGenerationType;
  readonly startMs: number;
  readonly endMs: number;
}

/** One element of `executing[]`, as documented; `started` as the account's form says. */
export interface GenerationBody {
  videoId?: string;
  imageId?: string;
  started: string | number;
  elapsed: string;
  replyUrl?: string;
  replyRef?: string;
}

/** The 200 body of GET /v1/minimax/scheduler/available. */
export interface SchedulerBody {
  executing: GenerationBody[];
  available: { account: string; maxJobs: number; executing: number; available: number }[];
}

export interface GenerationsOptions {
  seed: number;
  /** Every account, as the activity model lists them. */
  accounts: readonly string[];
  /** Accounts that never generate on their own. */
  idleAccounts: readonly string[];
  /** Video slots of an account: its maxJobs. */
  maxJobs: (account: string) => number;
}

export interface Generations {
  /** Generations running at `nowMs`: each account's videos then images. A pure function of the time, but for injections. */
  running(nowMs: number): SimulatedGeneration[];
  /** A generation that runs exactly `durationMs` from `nowMs`, whatever the account's capacity. */
  start(account: string, type: SimulatedGenerationType, nowMs: number, durationMs: number): string;
  body(nowMs: number): SchedulerBody;
  /** Every generation that starts in [fromMs, toMs), injected ones included: the usage rows' source. */
  startsBetween(fromMs: number, toMs: number): SimulatedGeneration[];
}

interface Lane {
  readonly account: string;
  readonly type: SimulatedGenerationType;
  readonly key: string;
  readonly seed: number;
  readonly periodMs: number;
  readonly phaseMs: number;
  /** Shortest and longest run. */
  readonly minMs: number;
  readonly maxMs: number;
}

const IMAGE_LANE = 99;

/**
 * Video and image generations. Each video slot of an account (maxJobs of them) and one image lane
 * run a cycle of their own: in each cycle at most one generation, drawn from the seed and the
 * cycle's number, so the state at any time is computed directly. Videos run 1 to 8 minutes,
 * images 10 to 60 seconds; about a third of the accounts set webhooks.
 */
export function createGenerations(options: GenerationsOptions): Generations {
  const idle = new Set(options.idleAccounts);
  const lanes: Lane[] = [];
  const accountIndex = new Map<string, number>();
  options.accounts.forEach((account, index) => {
    accountIndex.set(account, index);
    if (idle.has(account)) return;
    const accountSeed = deriveSeed(deriveSeed(options.seed, index), 7);
    const slots = options.maxJobs(account);
    for (let lane = 0; lane <= slots; lane++) {
      const video = lane < slots;
      const seed = deriveSeed(accountSeed, video ? lane : IMAGE_LANE);
      const random = mulberry32(seed);
      const periodMs = video
        ? randomInt(random, 6, 12) * 60_000
        : randomInt(random, 90, 180) * 1000;
      lanes.push({
        account,
        type: video ? "video" : "image",
        key: video ? `v${lane}` : "i",
        seed,
        periodMs,
        phaseMs: randomInt(random, 0, periodMs - 1),
        minMs: video ? 60_000 : 10_000,
        maxMs: video ? 480_000 : 60_000,
      });
    }
  });
  const webhooks = new Set(options.accounts.filter((_, index) => index % 3 === 1));
  const epochForm = new Set(options.accounts.filter((_, index) => index % 2 === 1));
  let injected: SimulatedGeneration[] = [];
  let injectedCount = 0;
  const injectedStarts: SimulatedGeneration[] = [];

  const inCycle = (lane: Lane, cycle: number): SimulatedGeneration | undefined => {
    const random = mulberry32(deriveSeed(lane.seed, cycle >>> 0));
    if (random() < 0.3) return undefined; // a quiet cycle
    const duration = randomInt(random, lane.minMs, lane.maxMs);
    const offset = randomInt(random, 0, Math.max(0, lane.periodMs - duration - 1));
    const startMs = lane.phaseMs + cycle * lane.periodMs + offset;
    const endMs = startMs + duration;
    const id = `user:${USER_ID}-minimax:${lane.account}-${lane.type}:${lane.key}c${(cycle >>> 0).toString(36)}`;
    return { id, account: lane.account, type: lane.type, startMs, endMs };
  };
  const inLane = (lane: Lane, nowMs: number): SimulatedGeneration | undefined => {
    const g = inCycle(lane, Math.floor((nowMs - lane.phaseMs) / lane.periodMs));
    return g && nowMs >= g.startMs && nowMs < g.endMs ? g : undefined;
  };

  const running = (nowMs: number): SimulatedGeneration[] => {
    injected = injected.filter((g) => g.endMs > nowMs);
    const out: SimulatedGeneration[] = [];
    for (const lane of lanes) {
      const generation = inLane(lane, nowMs);
      if (generation) out.push(generation);
    }
    for (const generation of injected) if (generation.startMs <= nowMs) out.push(generation);
    return out;
  };

  const toBody = (g: SimulatedGeneration, nowMs: number): GenerationBody => {
    const started = epochForm.has(g.account) ? g.startMs : new Date(g.startMs).toISOString();
    const id = g.type === "video" ? { videoId: g.id } : { imageId: g.id };
    const hook = webhooks.has(g.account)
      ? {
          replyUrl: `https://hooks.example.com/minimax?key=${WEBHOOK_SECRET_MARKER}-${g.account}`,
          replyRef: `${REPLY_REF_MARKER}-${g.id}`,
        }
      : {};
    return { ...id, started, elapsed: formatElapsed(nowMs - g.startMs), ...hook };
  };

  return {
    running,
    start(account, type, nowMs, durationMs) {
      if (!accountIndex.has(account))
        throw new RangeError(`unknown account ${JSON.stringify(account)}`);
      if (!(durationMs > 0)) throw new RangeError("durationMs must be positive");
      injectedCount++;
      const id = `user:${USER_ID}-minimax:${account}-${type}:injected${injectedCount}`;
      const generation = { id, account, type, startMs: nowMs, endMs: nowMs + durationMs };
      injected.push(generation);
      if (injectedStarts.push(generation) > 10_000) injectedStarts.shift();
      return id;
    },
    startsBetween(fromMs, toMs) {
      const out: SimulatedGeneration[] = [];
      for (const lane of lanes) {
        const last = Math.floor((toMs - lane.phaseMs) / lane.periodMs);
        for (let c = Math.floor((fromMs - lane.phaseMs) / lane.periodMs); c <= last; c++) {
          const g = inCycle(lane, c);
          if (g && g.startMs >= fromMs && g.startMs < toMs) out.push(g);
        }
      }
      for (const g of injectedStarts) if (g.startMs >= fromMs && g.startMs < toMs) out.push(g);
      return out;
    },
    body(nowMs) {
      const now = running(nowMs);
      const videos = new Map<string, number>();
      for (const g of now)
        if (g.type === "video") videos.set(g.account, (videos.get(g.account) ?? 0) + 1);
      return {
        executing: now.map((g) => toBody(g, nowMs)),
        available: options.accounts.map((account) => {
          const maxJobs = options.maxJobs(account);
          const executing = videos.get(account) ?? 0;
          return { account, maxJobs, executing, available: Math.max(0, maxJobs - executing) };
        }),
      };
    },
  };
}
