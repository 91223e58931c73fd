import type { Families } from "../../metrics/family.js";
import { registerAccountGauge, registerFamily, type SetSample } from "../../metrics/family.js";
import { ownLabels } from "../../metrics/label-value.js";
import type { AccountCredits } from "./ledger.js";

const [VIDEO, IMAGE] = ownLabels(["video", "image"]);

const FROM_CREDITS = "(from the background calls of GET /v1/minimax/features/, one per account)";

/** The credits families, set from the accounts with a good answer within the staleness window. */
export function registerCreditsFamilies(
  registry: Families,
  fresh: () => readonly AccountCredits[],
): void {
  const perAccount = (
    name: string,
    help: string,
    value: (row: AccountCredits) => number | undefined,
  ) => registerAccountGauge(registry, { name, help: `${help} ${FROM_CREDITS}.` }, fresh, value);
  perAccount(
    "useapi_minimax_account_credits",
    "Credits left on the MiniMax account (totalCredits)",
    (r) => r.credits?.totalCredits,
  );
  perAccount(
    "useapi_minimax_account_credits_next_expiry_timestamp_seconds",
    "Unix time when the account's next batch of credits with credits left expires",
    (r) => (r.next === undefined ? undefined : r.next.atMs / 1000),
  );
  perAccount(
    "useapi_minimax_account_credits_expiring_next",
    "Credits of the batches that expire at the next expiry, 0 when none is listed",
    (r) => (r.credits?.batches === undefined ? undefined : (r.next?.credits ?? 0)),
  );
  registerFamily(registry, {
    name: "useapi_minimax_account_plan_info",
    help: `Constant 1 labelled with the account's MiniMax plan (memberName) ${FROM_CREDITS}.`,
    type: "gauge",
    labelNames: ["account", "plan"],
    samples(set) {
      for (const { account, credits } of fresh()) {
        if (credits?.plan !== undefined) set({ account, plan: credits.plan }, 1);
      }
    },
  });
  perAccount(
    "useapi_minimax_account_video_cost_credits",
    "Credits one video costs at the account's default model (videoCost)",
    (r) => r.credits?.videoCost,
  );
  registerFamily(registry, {
    name: "useapi_minimax_account_queue_limit",
    help: `Generations of each type the account may have queued (queueLength, imageQueueLength) ${FROM_CREDITS}.`,
    type: "gauge",
    labelNames: ["account", "type"],
    samples(set: SetSample<"account" | "type">) {
      for (const { account, credits } of fresh()) {
        if (credits?.queueLength !== undefined) set({ account, type: VIDEO }, credits.queueLength);
        if (credits?.imageQueueLength !== undefined) {
          set({ account, type: IMAGE }, credits.imageQueueLength);
        }
      }
    },
  });
}
