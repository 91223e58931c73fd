import type { Registry } from "prom-client";
import { registerFamily } from "../../metrics/family.js";
import type { AccountConfig } from "./answer.js";

const FROM_POLL = "(from the background poll of GET /v1/minimax/accounts)";

/** "true", "false" or "" when not reported. */
function flag(value: boolean | undefined): string {
  return value === undefined ? "" : String(value);
}

/** The `useapi_minimax_account_*` families, set from the accounts exported now. */
export function registerAccountFamilies(
  registry: Registry,
  exported: () => readonly AccountConfig[],
): void {
  registerFamily(registry, {
    name: "useapi_minimax_account_max_jobs",
    help: `Jobs the MiniMax account may run at once ${FROM_POLL}.`,
    type: "gauge",
    labelNames: ["account"],
    samples(set) {
      for (const a of exported())
        if (a.maxJobs !== undefined) set({ account: a.account }, a.maxJobs);
    },
  });
  registerFamily(registry, {
    name: "useapi_minimax_account_session_expiry_timestamp_seconds",
    help: `Unix time when the account's MiniMax session expires ${FROM_POLL}.`,
    type: "gauge",
    labelNames: ["account"],
    samples(set) {
      for (const a of exported()) {
        if (a.sessionExpirySeconds !== undefined) {
          set({ account: a.account }, a.sessionExpirySeconds);
        }
      }
    },
  });
  registerFamily(registry, {
    name: "useapi_minimax_account_error",
    help: `1 when useapi.net reports the account in error, else 0 ${FROM_POLL}.`,
    type: "gauge",
    labelNames: ["account"],
    samples(set) {
      for (const a of exported()) set({ account: a.account }, a.inError ? 1 : 0);
    },
  });
  registerFamily(registry, {
    name: "useapi_minimax_account_info",
    help: `Constant 1 labelled with the account's capabilities ("" when not reported) ${FROM_POLL}.`,
    type: "gauge",
    labelNames: ["account", "video", "music", "chat", "audio"],
    samples(set) {
      for (const { account, capabilities: c } of exported()) {
        const video = flag(c.supportVideo);
        const [music, chat, audio] = [
          flag(c.supportMusic),
          flag(c.supportChat),
          flag(c.supportAudio),
        ];
        set({ account, video, music, chat, audio }, 1);
      }
    },
  });
}
