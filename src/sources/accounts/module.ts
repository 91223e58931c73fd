import { parseSourceInterval } from "../../config/values.js";
import { ACCOUNT_ID_ANOMALY } from "../common/account-id.js";
import type { SourceModule } from "../module.js";
import { createAccountsSource } from "./source.js";

/** GET /v1/minimax/accounts on its own interval (--accounts.interval). */
export const accountsModule: SourceModule = {
  name: "accounts",
  flags: [
    {
      name: "accounts.interval",
      type: "string",
      default: "5m",
      help: "Time between polls of GET /v1/minimax/accounts; 0 turns them off.",
    },
  ],
  families: [],
  anomalyKinds: [ACCOUNT_ID_ANOMALY],
  configure(read) {
    const { common } = read;
    const intervalMs = parseSourceInterval(
      ...read.value("accounts.interval"),
      common.pollTimeoutMs,
    );
    if (intervalMs === 0) return undefined;
    return {
      settings: { intervalSeconds: intervalMs / 1000 },
      start(context) {
        const source = createAccountsSource({
          registry: context.registry,
          intervalMs,
          maxAccounts: common.limits.maxAccounts,
          accounts: context.channels.accounts,
          countAnomaly: context.countAnomaly,
        });
        context.poll(source);
        return { writers: {} };
      },
    };
  },
};
