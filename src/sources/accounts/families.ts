import { Gauge, type Registry } from "prom-client";
import type { AccountConfig } from "./answer.js";

export interface AccountMetrics {
  /** Replaces every per-account series with these accounts'. */
  apply(accounts: readonly AccountConfig[]): void;
}

const FROM_POLL = "(from the background poll of GET /v1/minimax/accounts)";

function flag(value: boolean | undefined): string {
  return value === undefined ? "" : String(value);
}

export function createAccountMetrics(registry: Registry): AccountMetrics {
  const registers = [registry];
  const maxJobs = new Gauge({
    name: "useapi_minimax_account_max_jobs",
    help: `Jobs the MiniMax account may run at once ${FROM_POLL}.`,
    labelNames: ["account"] as const,
    registers,
  });
  const expiry = new Gauge({
    name: "useapi_minimax_account_session_expiry_timestamp_seconds",
    help: `Unix time when the account's MiniMax session expires ${FROM_POLL}.`,
    labelNames: ["account"] as const,
    registers,
  });
  const error = new Gauge({
    name: "useapi_minimax_account_error",
    help: `1 when useapi.net reports the account in error, else 0 ${FROM_POLL}.`,
    labelNames: ["account"] as const,
    registers,
  });
  const info = new Gauge({
    name: "useapi_minimax_account_info",
    help: `Constant 1 labelled with the account's capabilities ("" when not reported) ${FROM_POLL}.`,
    labelNames: ["account", "video", "music", "chat", "audio"] as const,
    registers,
  });
  return {
    apply(accounts) {
      for (const gauge of [maxJobs, expiry, error, info]) gauge.reset();
      for (const a of accounts) {
        const labels = { account: a.account };
        if (a.maxJobs !== undefined) maxJobs.set(labels, a.maxJobs);
        if (a.sessionExpirySeconds !== undefined) expiry.set(labels, a.sessionExpirySeconds);
        error.set(labels, a.inError ? 1 : 0);
        info.set(
          {
            account: a.account,
            video: flag(a.capabilities.supportVideo),
            music: flag(a.capabilities.supportMusic),
            chat: flag(a.capabilities.supportChat),
            audio: flag(a.capabilities.supportAudio),
          },
          1,
        );
      }
    },
  };
}
