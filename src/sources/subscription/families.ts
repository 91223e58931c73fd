import type { FamilyMeta } from "../../metrics/families.js";
import type { TextSink } from "../../metrics/mapped-sink.js";
import type { FamilyWriters } from "../../metrics/rendering.js";
import { escapeLabel } from "../../metrics/text-format.js";
import { ACCOUNT_STATES, SUBSCRIPTION_PATH, type SubscriptionAnswer } from "./answer.js";

const FROM = `(from the background poll of GET ${SUBSCRIPTION_PATH})`;

export const SUBSCRIPTION_FAMILIES = {
  active: {
    name: "useapi_minimax_subscription_active",
    help: `1 when the useapi.net subscription is paid up (subscriptionIsActive), else 0; every API stops without it ${FROM}.`,
    type: "gauge",
  },
  subscriptions: {
    name: "useapi_minimax_subscriptions",
    help: `useapi.net subscriptions bought (subscriptions) ${FROM}.`,
    type: "gauge",
  },
  maxAccounts: {
    name: "useapi_minimax_subscription_max_accounts_per_api",
    help: `Accounts the subscription allows per API (maxAccountsPerAPI) ${FROM}.`,
    type: "gauge",
  },
  renewed: {
    name: "useapi_minimax_subscription_renewed_timestamp_seconds",
    help: `Unix time of the UTC midnight of the day the subscription was last renewed (sub, YYMMDD) ${FROM}.`,
    type: "gauge",
  },
  accounts: {
    name: "useapi_minimax_subscription_accounts",
    help: `Accounts configured on useapi.net per API, in total, active and in error; error accounts still count against the allowance ${FROM}.`,
    type: "gauge",
  },
} as const satisfies Record<string, FamilyMeta>;

export const SUBSCRIPTION_FAMILY_LIST: readonly FamilyMeta[] = Object.values(SUBSCRIPTION_FAMILIES);

/** The writers of the families from the answer exported now (undefined: no series at all). */
export function subscriptionWriters(exported: () => SubscriptionAnswer | undefined): FamilyWriters {
  const single =
    (name: string, value: (a: SubscriptionAnswer) => number | undefined) => (out: TextSink) => {
      const answer = exported();
      const v = answer === undefined ? undefined : value(answer);
      if (v !== undefined) out.write(`${name} ${v}\n`);
    };
  const { active, subscriptions, maxAccounts, renewed, accounts } = SUBSCRIPTION_FAMILIES;
  return {
    [active.name]: single(active.name, (a) => (a.active ? 1 : 0)),
    [subscriptions.name]: single(subscriptions.name, (a) => a.subscriptions),
    [maxAccounts.name]: single(maxAccounts.name, (a) => a.maxAccountsPerApi),
    [renewed.name]: single(renewed.name, (a) => a.renewedSeconds),
    [accounts.name]: (out) => {
      for (const { api, counts } of exported()?.apis ?? []) {
        const label = `${accounts.name}{api="${escapeLabel(api)}",state="`;
        ACCOUNT_STATES.forEach((state, i) => {
          const v = counts[i];
          if (v !== undefined) out.write(`${label}${state}"} ${v}\n`);
        });
      }
    },
  };
}
