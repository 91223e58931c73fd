import { describeValue, isRecord, PayloadError } from "../../upstream/json-checks.js";
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

/**
 * Its kinds of useapi_minimax_payload_anomalies_total: a `sub` that is no YYMMDD date from 2020
 * to ten years ahead, a field of the wrong type or a count out of bounds (its series left out), an
 * API left out (over MAX_APIS or empty), an API name refused as a label.
 */
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
  readonly counts: readonly [number | undefined, number | undefined, number | undefined];
}

/**
 * What the exporter reads of GET /v2/account, and nothing else: `id`, `email`, `name` and every
 * other field of the person are never read, so that no later change can export them.
 */
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

/**
 * `sub`, the day of the last renewal as `YYMMDD` (20YY), to Unix seconds at UTC midnight; a
 * number stands for the same digits (250405, or 50405 for 2005). Undefined when it is no such day.
 */
export function readRenewed(sub: unknown): number | undefined {
  let digits: string;
  if (typeof sub === "string") digits = sub;
  else if (Number.isSafeInteger(sub) && (sub as number) >= 0 && (sub as number) <= 999_999)
    digits = String(sub).padStart(6, "0");
  else return undefined;
  const match = /^(\d\d)(\d\d)(\d\d)$/.exec(digits);
  if (match === null) return undefined;
  const [year, month, day] = [2000 + Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const date = new Date(ms);
  // Date.UTC rolls 251399 over into 2026: only a day that reads back the same is one.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1) return undefined;
  if (date.getUTCDate() !== day) return undefined;
  return ms / 1000;
}

/**
 * Checks GET /v2/account, received at `nowMs`: `subscriptionIsActive` must be a boolean; the rest
 * is tolerated.
 */
export function parseSubscription(body: unknown, nowMs = Date.now()): SubscriptionAnswer {
  if (!isRecord(body))
    throw new PayloadError("$", `expected an object, got ${describeValue(body)}`);
  const active = body["subscriptionIsActive"];
  if (typeof active !== "boolean") {
    throw new PayloadError(
      "subscriptionIsActive",
      `expected a boolean, got ${describeValue(active)}`,
    );
  }
  const anomalies: Record<SubscriptionAnomaly, number> = {
    unreadable_renewal: 0,
    invalid_subscription_value: 0,
    ignored_api: 0,
    [INVALID_LABEL_VALUE]: 0,
  };
  const number = (key: string): number | undefined => {
    const value = body[key];
    if (value === undefined) return undefined;
    const checked = readCount(value);
    if (checked === undefined) anomalies.invalid_subscription_value++;
    return checked;
  };
  const sub = body["sub"];
  const renewedSeconds = readTimestampSeconds(readRenewed(sub), nowMs);
  if (sub !== undefined && renewedSeconds === undefined) anomalies.unreadable_renewal++;
  return {
    active,
    subscriptions: number("subscriptions"),
    maxAccountsPerApi: number("maxAccountsPerAPI"),
    renewedSeconds,
    apis: readApis(body["accounts"], anomalies),
    anomalies,
  };
}

function readApis(
  accounts: unknown,
  anomalies: Record<SubscriptionAnomaly, number>,
): ApiAccounts[] {
  if (accounts === undefined) return [];
  if (!isRecord(accounts)) {
    anomalies.invalid_subscription_value++;
    return [];
  }
  const apis: ApiAccounts[] = [];
  const take = (name: string, entry: unknown) => {
    if (name === "" || apis.length >= MAX_APIS) {
      anomalies.ignored_api++;
      return;
    }
    const api = labelValue(name);
    if (api === undefined) {
      anomalies[INVALID_LABEL_VALUE]++;
      return;
    }
    if (!isRecord(entry)) {
      anomalies.invalid_subscription_value++;
      return;
    }
    const read = (state: string) => {
      const value = entry[state];
      if (value === undefined) return 0;
      const checked = readCount(value);
      if (checked === undefined) anomalies.invalid_subscription_value++;
      return checked;
    };
    apis.push({ api, counts: [read("total"), read("active"), read("error")] });
  };
  if (Object.hasOwn(accounts, MINIMAX_API)) take(MINIMAX_API, accounts[MINIMAX_API]);
  for (const name in accounts) {
    if (name !== MINIMAX_API && Object.hasOwn(accounts, name)) take(name, accounts[name]);
  }
  return apis;
}
