import type { Families } from "../../metrics/family.js";
import type { AnomalyCount } from "../../metrics/anomalies.js";
import type { AccountBook } from "../channels.js";
import type { Source } from "../source.js";
import { INVALID_LABEL_VALUE } from "../../metrics/label-value.js";
import { INVALID_COUNT, INVALID_TIMESTAMP } from "../common/upstream-numbers.js";
import { ACCOUNTS_PATH, parseAccounts, type AccountConfig, type AccountsAnswer } from "./answer.js";
import { registerAccountFamilies } from "./families.js";

export interface AccountsSourceOptions {
  registry: Families;
  intervalMs: number;
  /** Bound on the accounts of one answer (--useapi.max-accounts). */
  maxAccounts?: number | undefined;
  /** Where the listed accounts are reported; none by default. */
  accounts?: AccountBook | undefined;
  countAnomaly: AnomalyCount;
  /** The clock the answer's timestamps are checked against; the system's by default. */
  now?: (() => number) | undefined;
}

export const ACCOUNTS_ANOMALY_KINDS = [INVALID_LABEL_VALUE, INVALID_COUNT, INVALID_TIMESTAMP];

/** GET /v1/minimax/accounts: each account's capacity, session expiry and health, own schedule. */
export function createAccountsSource(options: AccountsSourceOptions): Source<AccountsAnswer> {
  let exported: readonly AccountConfig[] = [];
  registerAccountFamilies(options.registry, () => exported);
  return {
    name: "accounts",
    title: "the accounts endpoint",
    path: ACCOUNTS_PATH,
    intervalMs: options.intervalMs,
    parse: (body) => parseAccounts(body, options.maxAccounts, (options.now ?? Date.now)()),
    update({ accounts, invalidLabels, invalidCounts, invalidTimestamps }) {
      exported = accounts;
      options.countAnomaly(INVALID_LABEL_VALUE, invalidLabels);
      options.countAnomaly(INVALID_COUNT, invalidCounts);
      options.countAnomaly(INVALID_TIMESTAMP, invalidTimestamps);
      const ids = accounts.map((a) => a.account);
      options.accounts?.report("accounts", ids, true);
      return { accounts: accounts.length };
    },
    drop() {
      exported = [];
    },
  };
}
