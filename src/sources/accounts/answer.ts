import { describeValue, isRecord, PayloadError } from "../../upstream/json-checks.js";
import { isLabelSafeAccountId } from "../common/account-id.js";
import { DEFAULT_LIMITS } from "../../config/flag-reader.js";
import { checkKeyCount } from "../common/limits.js";

export const ACCOUNTS_PATH = "/v1/minimax/accounts";
export const CAPABILITIES = [
  "supportVideo",
  "supportMusic",
  "supportChat",
  "supportAudio",
] as const;
export type Capability = (typeof CAPABILITIES)[number];

export interface AccountConfig {
  account: string;
  maxJobs: number | undefined;
  /** `jwt.exp` in Unix seconds; nothing else of the `jwt` block is ever read. */
  sessionExpirySeconds: number | undefined;
  inError: boolean;
  capabilities: Record<Capability, boolean | undefined>;
}

export interface AccountsAnswer {
  /** Sorted by ID. */
  accounts: AccountConfig[];
  /** Account IDs left out: too long, or not well-formed UTF-16. */
  unreadableAccounts: number;
}

function finiteNumber(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** Checks GET /v1/minimax/accounts: a map from account ID to its configuration. */
export function parseAccounts(
  body: unknown,
  maxAccounts = DEFAULT_LIMITS.maxAccounts,
): AccountsAnswer {
  if (!isRecord(body))
    throw new PayloadError("$", `expected an object, got ${describeValue(body)}`);
  checkKeyCount(body, maxAccounts, "the accounts answer");
  const out: AccountConfig[] = [];
  let unreadableAccounts = 0;
  for (const [account, entry] of Object.entries(body)) {
    if (!isLabelSafeAccountId(account)) {
      unreadableAccounts++;
      continue;
    }
    if (!isRecord(entry)) {
      throw new PayloadError(
        `[${JSON.stringify(account)}]`,
        `expected an object, got ${describeValue(entry)}`,
      );
    }
    const jwt = entry["jwt"];
    const maxJobs = finiteNumber(entry["maxJobs"]);
    const capabilities = {} as Record<Capability, boolean | undefined>;
    for (const name of CAPABILITIES) {
      const flag = entry[name];
      capabilities[name] = typeof flag === "boolean" ? flag : undefined;
    }
    out.push({
      account,
      maxJobs: maxJobs !== undefined && maxJobs >= 0 ? maxJobs : undefined,
      sessionExpirySeconds: isRecord(jwt) ? finiteNumber(jwt["exp"]) : undefined,
      inError: entry["error"] !== undefined && entry["error"] !== null && entry["error"] !== "",
      capabilities,
    });
  }
  out.sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : 0));
  return { accounts: out, unreadableAccounts };
}
