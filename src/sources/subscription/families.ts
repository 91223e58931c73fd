import type { Families } from "../../metrics/family.js";
import { registerFamily } from "../../metrics/family.js";
import { ACCOUNT_STATES, SUBSCRIPTION_PATH, type SubscriptionAnswer } from "./answer.js";

const FROM = `(from the background poll of GET ${SUBSCRIPTION_PATH})`;

/** The subscription's families, set from the answer exported now (undefined: no series at all). */
export function registerSubscriptionFamilies(
  registry: Families,
  exported: () => SubscriptionAnswer | undefined,
): void {
  const single = (name: string, help: string, get: (a: SubscriptionAnswer) => number | undefined) =>
    registerFamily(registry, {
      ...{ name, help, type: "gauge", labelNames: [] },
      samples(set) {
        const answer = exported();
        const v = answer === undefined ? undefined : get(answer);
        if (v !== undefined) set({}, v);
      },
    });
  single(
    "useapi_minimax_subscription_active",
    `1 when the useapi.net subscription is paid up (subscriptionIsActive), else 0; every API stops without it ${FROM}.`,
    (a) => (a.active ? 1 : 0),
  );
  single(
    "useapi_minimax_subscriptions",
    `useapi.net subscriptions bought (subscriptions) ${FROM}.`,
    (a) => a.subscriptions,
  );
  single(
    "useapi_minimax_subscription_max_accounts_per_api",
    `Accounts the subscription allows per API (maxAccountsPerAPI) ${FROM}.`,
    (a) => a.maxAccountsPerApi,
  );
  single(
    "useapi_minimax_subscription_renewed_timestamp_seconds",
    `Unix time of the UTC midnight of the day the subscription was last renewed (sub, YYMMDD) ${FROM}.`,
    (a) => a.renewedSeconds,
  );
  registerFamily(registry, {
    name: "useapi_minimax_subscription_accounts",
    help: `Accounts configured on useapi.net per API, in total, active and in error; error accounts still count against the allowance ${FROM}.`,
    type: "gauge",
    labelNames: ["api", "state"],
    samples(set) {
      for (const { api, counts } of exported()?.apis ?? []) {
        ACCOUNT_STATES.forEach((state, i) => {
          const v = counts[i];
          if (v !== undefined) set({ api, state }, v);
        });
      }
    },
  });
}
