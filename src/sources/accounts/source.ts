import type { Registry } from "prom-client";
import type { Source } from "../source.js";
import { ACCOUNTS_PATH, parseAccounts, type AccountConfig } from "./answer.js";
import { createAccountMetrics } from "./families.js";

export interface AccountsSourceOptions {
  registry: Registry;
  intervalMs: number;
  /** Bound on the accounts of one answer (--useapi.max-accounts). */
  maxAccounts?: number | undefined;
}

/** GET /v1/minimax/accounts: each account's capacity, session expiry and health, on its own schedule. */
export function createAccountsSource(
  options: AccountsSourceOptions,
): Source<readonly AccountConfig[]> {
  const metrics = createAccountMetrics(options.registry);
  return {
    name: "accounts",
    title: "the accounts endpoint",
    path: ACCOUNTS_PATH,
    intervalMs: options.intervalMs,
    parse: (body) => parseAccounts(body, options.maxAccounts),
    update(accounts) {
      metrics.apply(accounts);
      return { accounts: accounts.length };
    },
  };
}
