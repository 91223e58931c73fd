import type { Generations } from "./generations.js";
import { deriveSeed, mulberry32, randomInt } from "./random.js";

/** Followed by `?account=`: GET /v1/minimax/features/. */
export const FEATURES_PATH = "/v1/minimax/features/";

const DAY_MS = 86_400_000;
const PLANS = [
  { memberName: "Free", videoCost: 30, queueLength: 3, imageQueueLength: 5 },
  { memberName: "Standard", videoCost: 25, queueLength: 5, imageQueueLength: 10 },
  { memberName: "Pro", videoCost: 20, queueLength: 10, imageQueueLength: 20 },
] as const;
const MISSING_ACCOUNT = { error: "Parameter account is required", code: 400 };
const UNKNOWN_ACCOUNT = { error: "Account not configured", code: 400 };
const ON_HOLD = { error: "Account on hold, this may last a few hours", code: 596 };

/** A batch of credits as the upstream lists it: its credits left and its end (epoch ms). */
export interface CreditBatchBody {
  credit: number;
  endTime: number;
}

/** The fields of the 200 body of GET /v1/minimax/features/ that the model decides. */
export interface FeaturesBody {
  privilegeType: number;
  totalCredits: number;
  expireText: string;
  videoCost: number;
  queueLength: number;
  imageQueueLength: number;
  memberName: string;
  memberText: string;
  expireTime: number;
  isNewUser: boolean;
  trialExpireTime: number;
  creditExpireText: CreditBatchBody[];
  modelControl: { modelId: string; videoCost: number; isMember: boolean; freeCount: number }[];
  supportModes: never[];
}

export interface SimulatedCredits {
  /** The account's body at `nowMs`; undefined for an account the model does not have. */
  body(account: string, nowMs: number): FeaturesBody | undefined;
  /** The answer to `?account=` (undefined when left out): 400, 596 on hold, else the body. */
  reply(account: string | undefined, nowMs: number): { status: number; body: unknown };
  /** Holds the account (596 to every call), or releases it. */
  hold(account: string, held: boolean): void;
  /** Serves this JSON for the account instead of the model's; undefined goes back to the model. */
  fix(account: string, body: unknown): void;
}

export interface CreditsOptions {
  seed: number;
  accounts: readonly string[];
  /** The credits are as drawn at this time; every generation started since costs. */
  startMs: number;
  generations: Generations;
}

interface Account {
  readonly plan: (typeof PLANS)[number];
  /** Credits that never expire, at startMs. */
  readonly lasting: number;
  /** Batches at startMs, earliest end first. */
  readonly batches: readonly CreditBatchBody[];
}

/**
 * Credits of each account: drawn from the seed at startMs, spent as generations start (videoCost a
 * video, 1 an image), earliest-ending batch first, then the lasting credits; a batch's credits
 * left at its end are lost. The second account starts low, so that it runs out.
 */
export function createCredits(options: CreditsOptions): SimulatedCredits {
  const { startMs, generations } = options;
  const accounts = new Map<string, Account>();
  options.accounts.forEach((account, index) => {
    const random = mulberry32(deriveSeed(deriveSeed(options.seed, index), 11));
    const plan = PLANS[index % PLANS.length] ?? PLANS[0];
    const endOfDay = (days: number) => Math.floor(startMs / DAY_MS + days) * DAY_MS + DAY_MS - 1;
    const batches = [{ credit: randomInt(random, 5, 20) * 10, endTime: endOfDay(1) }];
    if (index % 2 === 0)
      batches.push({ credit: randomInt(random, 10, 50) * 10, endTime: endOfDay(7) });
    const lasting = index === 1 ? randomInt(random, 0, 50) : randomInt(random, 2000, 6000) * 10;
    accounts.set(account, { plan, lasting, batches });
  });
  const held = new Set<string>();
  const fixed = new Map<string, unknown>();

  const spent = (account: string, plan: Account["plan"], fromMs: number, toMs: number) => {
    const { video, image } = generations.started(account, fromMs, toMs);
    return video * plan.videoCost + image;
  };

  const body = (account: string, nowMs: number): FeaturesBody | undefined => {
    const model = accounts.get(account);
    if (model === undefined) return undefined;
    const pools = model.batches.map((b) => ({ ...b }));
    let lasting = model.lasting;
    const spend = (amount: number) => {
      let left = amount;
      for (const pool of pools) {
        const taken = Math.min(pool.credit, left);
        pool.credit -= taken;
        left -= taken;
      }
      lasting = Math.max(0, lasting - left);
    };
    let fromMs = startMs;
    for (const pool of pools) {
      if (pool.endTime >= nowMs) break;
      spend(spent(account, model.plan, fromMs, pool.endTime + 1));
      fromMs = pool.endTime + 1;
      pool.credit = 0;
    }
    spend(spent(account, model.plan, fromMs, nowMs + 1));
    const listed = pools.filter((pool) => pool.endTime >= nowMs);
    const totalCredits = lasting + listed.reduce((sum, pool) => sum + pool.credit, 0);
    const soon = listed.filter((pool) => pool.endTime - nowMs < DAY_MS);
    const expiring = soon.reduce((sum, pool) => sum + pool.credit, 0);
    const { plan } = model;
    return {
      privilegeType: 1,
      totalCredits,
      expireText: expiring > 0 ? `${expiring} points will expire within 24 hours` : "",
      videoCost: plan.videoCost,
      queueLength: plan.queueLength,
      imageQueueLength: plan.imageQueueLength,
      memberName: plan.memberName,
      memberText: "Subscribe",
      expireTime: 0,
      isNewUser: false,
      trialExpireTime: 0,
      creditExpireText: listed,
      modelControl: [
        { modelId: "23021", videoCost: plan.videoCost, isMember: false, freeCount: 0 },
        { modelId: "image-01", videoCost: 1, isMember: false, freeCount: 0 },
      ],
      supportModes: [],
    };
  };

  const known = (account: string) => {
    if (!accounts.has(account)) throw new RangeError(`unknown account ${JSON.stringify(account)}`);
  };

  return {
    body,
    reply(asked, nowMs) {
      const only = accounts.size === 1 ? [...accounts.keys()][0] : undefined;
      const account = asked ?? only;
      if (account === undefined) return { status: 400, body: MISSING_ACCOUNT };
      if (!accounts.has(account)) return { status: 400, body: UNKNOWN_ACCOUNT };
      if (held.has(account)) return { status: 596, body: ON_HOLD };
      if (fixed.has(account)) return { status: 200, body: fixed.get(account) };
      return { status: 200, body: body(account, nowMs) };
    },
    hold(account, on) {
      known(account);
      if (on) held.add(account);
      else held.delete(account);
    },
    fix(account, answer) {
      known(account);
      if (answer === undefined) fixed.delete(account);
      else fixed.set(account, answer);
    },
  };
}
