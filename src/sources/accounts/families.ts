import type { Families } from "../../metrics/family.js";
import { registerAccountGauge, registerFamily } from "../../metrics/family.js";
import { ownLabels, type LabelValue } from "../../metrics/label-value.js";
import type { AccountConfig } from "./answer.js";

const FROM_POLL = "(from the background poll of GET /v1/minimax/accounts)";

const [TRUE, FALSE, UNREPORTED] = ownLabels(["true", "false", ""]);

/** "true", "false" or "" when not reported. */
function flag(value: boolean | undefined): LabelValue {
  return value === undefined ? UNREPORTED : value ? TRUE : FALSE;
}

/** The `useapi_minimax_account_*` families, set from the accounts exported now. */
export function registerAccountFamilies(
  registry: Families,
  exported: () => readonly AccountConfig[],
): void {
  const gauge = (name: string, help: string, value: (a: AccountConfig) => number | undefined) =>
    registerAccountGauge(registry, { name, help: `${help} ${FROM_POLL}.` }, exported, value);
  gauge(
    "useapi_minimax_account_max_jobs",
    "Jobs the MiniMax account may run at once",
    (a) => a.maxJobs,
  );
  gauge(
    "useapi_minimax_account_session_expiry_timestamp_seconds",
    "Unix time when the account's MiniMax session expires",
    (a) => a.sessionExpirySeconds,
  );
  gauge(
    "useapi_minimax_account_error",
    "1 when useapi.net reports the account in error, else 0",
    (a) => (a.inError ? 1 : 0),
  );
  registerFamily(registry, {
    name: "useapi_minimax_account_info",
    help: `Constant 1 labelled with the account's capabilities ("" when not reported) ${FROM_POLL}.`,
    type: "gauge",
    labelNames: ["account", "video", "music", "chat", "audio"],
    samples(set) {
      for (const { account, capabilities: c } of exported()) {
        const video = flag(c.supportVideo);
        const [music, chat] = [flag(c.supportMusic), flag(c.supportChat)];
        set({ account, video, music, chat, audio: flag(c.supportAudio) }, 1);
      }
    },
  });
}
