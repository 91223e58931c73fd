import type { Families } from "../../metrics/family.js";
import type { AnomalyCount } from "../../metrics/anomalies.js";
import type { AccountBook } from "../channels.js";
import type { Source } from "../source.js";
import { ACCOUNT_ID_ANOMALY } from "../common/account-id.js";
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
}

/** GET /v1/minimax/accounts: each account's capacity, session expiry and health, on its own schedule. */
export function createAccountsSource(options: AccountsSourceOptions): Source<AccountsAnswer> {
  let exported: readonly AccountConfig[] = [];
  registerAccountFamilies(options.registry, () => exported);
  return {
    name: "accounts",
    title: "the accounts endpoint",
    path: ACCOUNTS_PATH,
    intervalMs: options.intervalMs,
    parse: (body) => parseAccounts(body, options.maxAccounts),
    update({ accounts, unreadableAccounts }) {
      exported = accounts;
      options.countAnomaly(ACCOUNT_ID_ANOMALY, unreadableAccounts);
      options.accounts?.report(
        "accounts",
        accounts.map((a) => a.account),
        true,
      );
      return { accounts: accounts.length };
    },
    drop() {
      exported = [];
    },
  };
}
