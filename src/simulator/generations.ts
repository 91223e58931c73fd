import { deriveSeed, mulberry32, randomInt } from "./random.js";
import { USER_ID, formatElapsed } from "./activity.js";

/** In every simulated webhook URL and reply reference, so a test can prove none of it leaks. */
export const WEBHOOK_SECRET_MARKER = "SIMULATED-WEBHOOK-SECRET";
export const REPLY_REF_MARKER = "SIMULATED-REPLY-REF";

export type SimulatedGenerationType = "video" | "image" | "audio";

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
  audioId?: string;
  started: string | number;
  elapsed: string;
  replyUrl?: string;
  replyRef?: string;
}

/** One element of `available[]`; `executingAudio` only for the accounts that report speech. */
export interface CapacityBody {
  account: string;
  maxJobs: number;
  executing: number;
  available: number;
  executingAudio?: number;
}

/** The 200 body of GET /v1/minimax/scheduler/available. */
export interface SchedulerBody {
  executing: GenerationBody[];
  available: CapacityBody[];
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
  /** Generations running at `nowMs`: every account's videos and images, then speech, then injected ones. A pure function of the time, but for injections. */
  running(nowMs: number): SimulatedGeneration[];
  /** A generation that runs exactly `durationMs` from `nowMs`, whatever the account's capacity. */
  start(account: string, type: SimulatedGenerationType, nowMs: number, durationMs: number): string;
  /** Speech in flight at `nowMs` on each account that reports it (`executingAudio`), 0 included: its audio generations. */
  speech(nowMs: number): Map<string, number>;
  body(nowMs: number): SchedulerBody;
  /** How many of the account's video and image generations started at or after `fromMs`, before `toMs`. */
  started(account: string, fromMs: number, toMs: number): Record<"video" | "image", number>;
  /** Every video and image generation that starts in [fromMs, toMs), injected ones included: the usage rows' source. */
  startsBetween(fromMs: number, toMs: number): SimulatedGeneration[];
}

/** A run of cycles, each with at most one run in it. */
interface Cycles {
  readonly account: string;
  readonly seed: number;
  readonly periodMs: number;
  readonly phaseMs: number;
  /** Shortest and longest run. */
  readonly minMs: number;
  readonly maxMs: number;
}

interface Lane extends Cycles {
  readonly type: SimulatedGenerationType;
  readonly key: string;
}

const IMAGE_LANE = 99;
const SPEECH_LANE = 98;
/** Speech lanes of an account that reports speech. */
const SPEECH_LANES = 2;

/**
 * Video and image generations. Each video slot of an account (maxJobs of them) and one image lane
 * run a cycle of their own: in each cycle at most one generation, drawn from the seed and the
 * cycle's number, so the state at any time is computed directly. Videos run 1 to 8 minutes,
 * images 10 to 60 seconds; about a third of the accounts set webhooks. A quarter of the accounts
 * run speech (two lanes of 5 to 40 seconds): listed in `executing[]` with `-audio:` IDs, under
 * `audioId` or, on every other one of those accounts, `videoId`, and counted in `executingAudio`.
 * Another quarter list their images under `videoId`, as the documentation's March 2025 example
 * does: the ID's `-image:` still says what it is. Speech is neither billed (credits) nor recorded
 * (usage): both models count videos and images only.
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
  const speaking = new Set(options.accounts.filter((_, index) => index % 4 === 2));
  const imagesAsVideoId = new Set(options.accounts.filter((_, index) => index % 4 === 3));
  const audioAsVideoId = new Set(options.accounts.filter((_, index) => index % 8 === 6));
  // Apart from the video and image lanes, which the credits and usage models read.
  const speechLanes: Lane[] = [];
  options.accounts.forEach((account, index) => {
    if (!speaking.has(account) || idle.has(account)) return;
    for (let lane = 0; lane < SPEECH_LANES; lane++) {
      const seed = deriveSeed(deriveSeed(deriveSeed(options.seed, index), SPEECH_LANE), lane);
      const random = mulberry32(seed);
      const periodMs = randomInt(random, 30, 90) * 1000;
      const phaseMs = randomInt(random, 0, periodMs - 1);
      speechLanes.push({
        ...{ account, type: "audio", key: `a${lane}`, seed, periodMs, phaseMs },
        ...{ minMs: 5_000, maxMs: 40_000 },
      });
    }
  });
  let injected: SimulatedGeneration[] = [];
  let injectedCount = 0;
  const injectedStarts: SimulatedGeneration[] = [];

  /** The run of `lane` in `cycle`, unless the cycle is a quiet one. */
  const runOf = (lane: Cycles, cycle: number) => {
    const random = mulberry32(deriveSeed(lane.seed, cycle >>> 0));
    if (random() < 0.3) return undefined; // a quiet cycle
    const duration = randomInt(random, lane.minMs, lane.maxMs);
    const offset = randomInt(random, 0, Math.max(0, lane.periodMs - duration - 1));
    const startMs = lane.phaseMs + cycle * lane.periodMs + offset;
    return { cycle, startMs, endMs: startMs + duration };
  };
  const cycleAt = (lane: Cycles, ms: number) => Math.floor((ms - lane.phaseMs) / lane.periodMs);
  const ofCycle = (lane: Lane, cycle: number): SimulatedGeneration | undefined => {
    const run = runOf(lane, cycle);
    if (run === undefined) return undefined;
    const id = `user:${USER_ID}-minimax:${lane.account}-${lane.type}:${lane.key}c${(cycle >>> 0).toString(36)}`;
    return { id, account: lane.account, type: lane.type, startMs: run.startMs, endMs: run.endMs };
  };
  const inLane = (lane: Lane, nowMs: number): SimulatedGeneration | undefined => {
    const generation = ofCycle(lane, cycleAt(lane, nowMs));
    if (!generation || nowMs < generation.startMs || nowMs >= generation.endMs) return undefined;
    return generation;
  };

  const running = (nowMs: number): SimulatedGeneration[] => {
    injected = injected.filter((g) => g.endMs > nowMs);
    const out: SimulatedGeneration[] = [];
    for (const lane of [...lanes, ...speechLanes]) {
      const generation = inLane(lane, nowMs);
      if (generation) out.push(generation);
    }
    for (const generation of injected) if (generation.startMs <= nowMs) out.push(generation);
    return out;
  };

  const toBody = (g: SimulatedGeneration, nowMs: number): GenerationBody => {
    const started = epochForm.has(g.account) ? g.startMs : new Date(g.startMs).toISOString();
    const underVideoId =
      g.type === "video" || (g.type === "image" ? imagesAsVideoId : audioAsVideoId).has(g.account);
    const id = underVideoId
      ? { videoId: g.id }
      : g.type === "image"
        ? { imageId: g.id }
        : { audioId: g.id };
    const hook = webhooks.has(g.account)
      ? {
          replyUrl: `https://hooks.example.com/minimax?key=${WEBHOOK_SECRET_MARKER}-${g.account}`,
          replyRef: `${REPLY_REF_MARKER}-${g.id}`,
        }
      : {};
    return { ...id, started, elapsed: formatElapsed(nowMs - g.startMs), ...hook };
  };

  const speechOf = (now: readonly SimulatedGeneration[]): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const account of speaking) counts.set(account, 0);
    for (const g of now) {
      const count = counts.get(g.account);
      if (g.type === "audio" && count !== undefined) counts.set(g.account, count + 1);
    }
    return counts;
  };

  return {
    running,
    speech: (nowMs) => speechOf(running(nowMs)),
    start(account, type, nowMs, durationMs) {
      if (!accountIndex.has(account))
        throw new RangeError(`unknown account ${JSON.stringify(account)}`);
      if (!(durationMs > 0)) throw new RangeError("durationMs must be positive");
      injectedCount++;
      const id = `user:${USER_ID}-minimax:${account}-${type}:injected${injectedCount}`;
      const generation = { id, account, type, startMs: nowMs, endMs: nowMs + durationMs };
      injected.push(generation);
      if (type !== "audio" && injectedStarts.push(generation) > 10_000) injectedStarts.shift();
      return id;
    },
    started(account, fromMs, toMs) {
      const counts = { video: 0, image: 0 };
      const counted = (g: SimulatedGeneration | undefined) => {
        if (
          g &&
          g.type !== "audio" &&
          g.account === account &&
          g.startMs >= fromMs &&
          g.startMs < toMs
        )
          counts[g.type]++;
      };
      for (const lane of lanes) {
        if (lane.account !== account || !(toMs > fromMs)) continue;
        const last = cycleAt(lane, toMs);
        for (let cycle = cycleAt(lane, fromMs); cycle <= last; cycle++)
          counted(ofCycle(lane, cycle));
      }
      for (const generation of injectedStarts) counted(generation);
      return counts;
    },
    startsBetween(fromMs, toMs) {
      const out: SimulatedGeneration[] = [];
      for (const lane of lanes) {
        const last = cycleAt(lane, toMs);
        for (let cycle = cycleAt(lane, fromMs); cycle <= last; cycle++) {
          const generation = ofCycle(lane, cycle);
          if (generation && generation.startMs >= fromMs && generation.startMs < toMs) {
            out.push(generation);
          }
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
      const audio = speechOf(now);
      return {
        executing: now.map((g) => toBody(g, nowMs)),
        available: options.accounts.map((account): CapacityBody => {
          const maxJobs = options.maxJobs(account);
          const executing = videos.get(account) ?? 0;
          const available = Math.max(0, maxJobs - executing);
          const executingAudio = audio.get(account);
          return executingAudio === undefined
            ? { account, maxJobs, executing, available }
            : { account, maxJobs, executing, available, executingAudio };
        }),
      };
    },
  };
}
