import { polledModule } from "../polled-module.js";
import { ACCOUNTS_ANOMALY_KINDS, createAccountsSource } from "./source.js";

/** GET /v1/minimax/accounts on its own interval (--accounts.interval). */
export const accountsModule = polledModule(
  {
    name: "accounts",
    flag: [
      "accounts.interval",
      "5m",
      "Time between polls of GET /v1/minimax/accounts; 0 turns them off.",
    ],
    anomalyKinds: ACCOUNTS_ANOMALY_KINDS,
  },
  (intervalMs, context, common) => ({
    source: createAccountsSource({
      registry: context.registry,
      intervalMs,
      maxAccounts: common.limits.maxAccounts,
      accounts: context.channels.accounts,
      countAnomaly: context.countAnomaly,
      now: context.clock.now,
    }),
  }),
);
