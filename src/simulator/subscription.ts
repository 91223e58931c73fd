import type { Activity } from "./activity.js";
import { ControlError } from "./control-commands.js";

export const SUBSCRIPTION_PATH = "/v2/account";
/** Every personal field of the simulated subscriber contains this, so a test can prove none leaks. */
export const PERSONAL_MARKER = "SIMULATED-PERSONAL-DATA";
/** The subscriber's `id`: a number, so it cannot carry the marker; tests look for it as is. */
export const SUBSCRIBER_ID = 73_519_846;
export const MINIMAX_API = "MiniMax API";
/** The other API of the subscription, with accounts of its own that have nothing to do with MiniMax. */
export const OTHER_API = "Midjourney API";
export const OTHER_API_ACCOUNTS = { total: 2, active: 1, error: 1 } as const;
/** Accounts allowed per API for each subscription bought, as documented. */
export const ACCOUNTS_PER_SUBSCRIPTION = 3;
/** The subscription was last renewed this many days before the model's start. */
export const RENEWED_DAYS_BEFORE_START = 12;

const DAY_MS = 86_400_000;

/** A count by state of one API, as documented: `error` left out when there is none. */
export interface ApiAccountsBody {
  total: number;
  active: number;
  error?: number;
}

/** The 200 body of GET /v2/account, as documented. */
export interface SubscriptionBody {
  id: number;
  email: string;
  created: string;
  name: string;
  subscriptionIsActive: boolean;
  subscriptions: number;
  maxAccountsPerAPI: number;
  accounts: Record<string, ApiAccountsBody>;
  verified: string;
  sub: string;
}

export interface Subscription {
  readonly active: boolean;
  /** A lapsed subscription answers subscriptionIsActive false (the other endpoints carry on). */
  setActive(active: boolean): void;
  /** UTC midnight of the day of the last renewal, epoch ms. */
  readonly renewedMs: number;
  /** The body at `nowMs`: the MiniMax API's counts are the modelled accounts and their errors. */
  body(nowMs: number): SubscriptionBody;
  /** Serves this JSON instead of the model's body; undefined goes back to the model. */
  setBody(body: unknown): void;
  /** The answer's bytes at `nowMs`: the fixed body if set, else the model's. */
  reply(nowMs: number): Buffer;
}

/** `YYMMDD` of a UTC day. */
export function formatSub(dayMs: number): string {
  const date = new Date(dayMs);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(date.getUTCFullYear() % 100)}${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}`;
}

/** The useapi.net subscription of the modelled accounts, consistent with the accounts endpoint. */
export function createSubscription(activity: Activity, startMs: number): Subscription {
  const renewedMs = Math.floor(startMs / DAY_MS) * DAY_MS - RENEWED_DAYS_BEFORE_START * DAY_MS;
  const subscriptions = Math.max(
    1,
    Math.ceil(activity.accounts.length / ACCOUNTS_PER_SUBSCRIPTION),
  );
  let active = true;
  let fixed: Buffer | undefined;
  const body = (nowMs: number): SubscriptionBody => {
    activity.advanceTo(nowMs);
    const total = activity.accounts.length;
    const error = activity.accounts.filter(
      (account) => activity.accountProfile(account).error !== undefined,
    ).length;
    const minimax: ApiAccountsBody = { total, active: total - error };
    if (error > 0) minimax.error = error;
    return {
      id: SUBSCRIBER_ID,
      email: `subscriber.${PERSONAL_MARKER}@example.com`,
      created: new Date(renewedMs - 400 * DAY_MS + 11_111).toISOString(),
      name: `${PERSONAL_MARKER} Subscriber`,
      subscriptionIsActive: active,
      subscriptions,
      maxAccountsPerAPI: subscriptions * ACCOUNTS_PER_SUBSCRIPTION,
      accounts: { [OTHER_API]: { ...OTHER_API_ACCOUNTS }, [MINIMAX_API]: minimax },
      verified: new Date(renewedMs - 400 * DAY_MS + 33_333).toISOString(),
      sub: formatSub(renewedMs),
    };
  };
  return {
    get active() {
      return active;
    },
    setActive(value) {
      if (typeof value !== "boolean") throw new RangeError("active must be a boolean");
      active = value;
    },
    renewedMs,
    body,
    setBody(value) {
      if (value === undefined) {
        fixed = undefined;
        return;
      }
      const text = JSON.stringify(value) as string | undefined;
      if (text === undefined) throw new TypeError("body must be serializable as JSON");
      fixed = Buffer.from(text);
    },
    reply: (nowMs) => fixed ?? Buffer.from(JSON.stringify(body(nowMs))),
  };
}

/** Body of POST /__simulator/subscription: `{"active": false}` lapses it, `true` renews it. */
export function parseSubscriptionCommand(text: string): { active: boolean } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ControlError("body is not valid JSON");
  }
  const active =
    typeof value === "object" && value !== null
      ? (value as Record<string, unknown>)["active"]
      : undefined;
  if (typeof active !== "boolean") throw new ControlError("active must be true or false");
  return { active };
}
