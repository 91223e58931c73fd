import { isRecord, unexpected } from "../../upstream/json-checks.js";
import {
  INVALID_LABEL_VALUE,
  labelValue,
  ownLabels,
  type LabelValue,
} from "../../metrics/label-value.js";
import { readCount, readTimestampSeconds } from "../common/upstream-numbers.js";

export const SUBSCRIPTION_PATH = "/v2/account";
/** The API whose accounts this exporter is about; kept whatever its place in the answer. */
export const MINIMAX_API = "MiniMax API";
/** APIs of one answer exported at most; the rest are ignored and counted. */
export const MAX_APIS = 64;
export const ACCOUNT_STATES = ownLabels(["total", "active", "error"] as const);

/** `sub` unreadable, a value of wrong type or out of bounds, an API left out, a refused name. */
export const SUBSCRIPTION_ANOMALY_KINDS = [
  "unreadable_renewal",
  "invalid_subscription_value",
  "ignored_api",
  INVALID_LABEL_VALUE,
] as const;
export type SubscriptionAnomaly = (typeof SUBSCRIPTION_ANOMALY_KINDS)[number];

export interface ApiAccounts {
  /** The token was redacted from the whole answer at the client. */
  readonly api: LabelValue;
  /** By ACCOUNT_STATES; a missing count is 0, one of the wrong type undefined. */
  readonly counts: readonly (number | undefined)[];
}

/** All that is read of GET /v2/account: no field of the person, so no later change exports one. */
export interface SubscriptionAnswer {
  readonly active: boolean;
  readonly subscriptions: number | undefined;
  readonly maxAccountsPerApi: number | undefined;
  /** `sub` as Unix seconds, UTC midnight of the day. */
  readonly renewedSeconds: number | undefined;
  /** The MiniMax API first when listed, then the others in the answer's order. */
  readonly apis: readonly ApiAccounts[];
  readonly anomalies: Readonly<Record<SubscriptionAnomaly, number>>;
}

/** `sub`, the renewal day, `YYMMDD` (20YY) or a number of those digits, as seconds at UTC 0:00. */
export function readRenewed(sub: unknown): number | undefined {
  const digits = Number.isSafeInteger(sub) ? String(sub).padStart(6, "0") : sub;
  if (typeof digits !== "string" || !/^\d{6}$/.test(digits)) return undefined;
  const [year = 0, month = 0, day = 0] = [0, 2, 4].map((at) => Number(digits.slice(at, at + 2)));
  const ms = Date.UTC(2000 + year, month - 1, day);
  // Date.UTC rolls 251399 over into 2026: only a day that reads back the same is one.
  return new Date(ms).toISOString().slice(2, 10).replaceAll("-", "") === digits
    ? ms / 1000
    : undefined;
}

/** Checks GET /v2/account, received at `nowMs`: only `subscriptionIsActive` must be there. */
export function parseSubscription(body: unknown, nowMs = Date.now()): SubscriptionAnswer {
  if (!isRecord(body)) throw unexpected("$", "an object", body);
  const active = body["subscriptionIsActive"];
  if (typeof active !== "boolean") throw unexpected("subscriptionIsActive", "a boolean", active);
  const anomalies = Object.fromEntries(
    SUBSCRIPTION_ANOMALY_KINDS.map((kind) => [kind, 0]),
  ) as Record<SubscriptionAnomaly, number>;
  const count = (value: unknown, missing: number | undefined) => {
    if (value === undefined) return missing;
    const checked = readCount(value);
    if (checked === undefined) anomalies.invalid_subscription_value++;
    return checked;
  };
  const readApis = (accounts: unknown): ApiAccounts[] => {
    if (accounts === undefined) return [];
    if (!isRecord(accounts)) {
      anomalies.invalid_subscription_value++;
      return [];
    }
    const apis: ApiAccounts[] = [];
    const take = (name: string, entry: unknown) => {
      const api = labelValue(name);
      if (name === "" || apis.length >= MAX_APIS) anomalies.ignored_api++;
      else if (api === undefined) anomalies[INVALID_LABEL_VALUE]++;
      else if (!isRecord(entry)) anomalies.invalid_subscription_value++;
      else apis.push({ api, counts: ACCOUNT_STATES.map((state) => count(entry[state], 0)) });
    };
    if (Object.hasOwn(accounts, MINIMAX_API)) take(MINIMAX_API, accounts[MINIMAX_API]);
    for (const name in accounts) {
      if (name !== MINIMAX_API && Object.hasOwn(accounts, name)) take(name, accounts[name]);
    }
    return apis;
  };
  const sub = body["sub"];
  const renewedSeconds = readTimestampSeconds(readRenewed(sub), nowMs);
  if (sub !== undefined && renewedSeconds === undefined) anomalies.unreadable_renewal++;
  return {
    active,
    subscriptions: count(body["subscriptions"], undefined),
    maxAccountsPerApi: count(body["maxAccountsPerAPI"], undefined),
    renewedSeconds,
    apis: readApis(body["accounts"]),
    anomalies,
  };
}
