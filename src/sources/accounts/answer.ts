import { isRecord, unexpected } from "../../upstream/json-checks.js";
import { DEFAULT_LIMITS } from "../../config/flag-reader.js";
import { labelValue, type LabelValue } from "../../metrics/label-value.js";
import { checkKeyCount } from "../common/limits.js";
import { readCount, readTimestampSeconds } from "../common/upstream-numbers.js";

export const ACCOUNTS_PATH = "/v1/minimax/accounts";
export const CAPABILITIES = [
  "supportVideo",
  "supportMusic",
  "supportChat",
  "supportAudio",
] as const;
export type Capability = (typeof CAPABILITIES)[number];

export interface AccountConfig {
  account: LabelValue;
  maxJobs: number | undefined;
  /** `jwt.exp` in Unix seconds; nothing else of the `jwt` block is ever read. */
  sessionExpirySeconds: number | undefined;
  inError: boolean;
  capabilities: Record<Capability, boolean | undefined>;
}

export interface AccountsAnswer {
  /** Sorted by ID. */
  accounts: AccountConfig[];
  /** Account IDs refused as labels and left out. */
  invalidLabels: number;
  /** `maxJobs` present but no count. */
  invalidCounts: number;
  /** `jwt.exp` present but no time from 2020 to ten years ahead. */
  invalidTimestamps: number;
}

/** Checks GET /v1/minimax/accounts, received at `nowMs`: each account ID's configuration. */
export function parseAccounts(
  body: unknown,
  maxAccounts = DEFAULT_LIMITS.maxAccounts,
  nowMs = Date.now(),
): AccountsAnswer {
  if (!isRecord(body)) throw unexpected("$", "an object", body);
  checkKeyCount(body, maxAccounts, "the accounts answer");
  const out: AccountConfig[] = [];
  let [invalidLabels, invalidCounts, invalidTimestamps] = [0, 0, 0];
  for (const [id, entry] of Object.entries(body)) {
    const account = labelValue(id);
    if (account === undefined) {
      invalidLabels++;
      continue;
    }
    if (!isRecord(entry)) throw unexpected(`[${JSON.stringify(account)}]`, "an object", entry);
    const rawMaxJobs = entry["maxJobs"];
    const maxJobs = readCount(rawMaxJobs);
    if (rawMaxJobs !== undefined && rawMaxJobs !== null && maxJobs === undefined) invalidCounts++;
    const exp = isRecord(entry["jwt"]) ? entry["jwt"]["exp"] : undefined;
    const sessionExpirySeconds = readTimestampSeconds(exp, nowMs);
    if (exp !== undefined && exp !== null && sessionExpirySeconds === undefined)
      invalidTimestamps++;
    const capabilities = {} as Record<Capability, boolean | undefined>;
    for (const name of CAPABILITIES) {
      const flag = entry[name];
      capabilities[name] = typeof flag === "boolean" ? flag : undefined;
    }
    const { error } = entry;
    const inError = error !== undefined && error !== null && error !== "";
    out.push({ account, maxJobs, sessionExpirySeconds, inError, capabilities });
  }
  out.sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : 0));
  return { accounts: out, invalidLabels, invalidCounts, invalidTimestamps };
}
