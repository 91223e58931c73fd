import type { Registry } from "prom-client";
import { escapeLabel } from "../../metrics/text-format.js";
import type { AccountConfig } from "./answer.js";
import { WrittenGauge } from "./written-gauge.js";

export interface AccountMetrics {
  /** Replaces every per-account series with these accounts'. */
  apply(accounts: readonly AccountConfig[]): void;
}

const FROM_POLL = "(from the background poll of GET /v1/minimax/accounts)";

/** "true", "false" or "": nothing to escape. */
function flag(value: boolean | undefined): string {
  return value === undefined ? "" : String(value);
}

export function createAccountMetrics(registry: Registry): AccountMetrics {
  const registers = [registry];
  const maxJobs = new WrittenGauge({
    name: "useapi_minimax_account_max_jobs",
    help: `Jobs the MiniMax account may run at once ${FROM_POLL}.`,
    labelNames: ["account"] as const,
    registers,
  });
  const expiry = new WrittenGauge({
    name: "useapi_minimax_account_session_expiry_timestamp_seconds",
    help: `Unix time when the account's MiniMax session expires ${FROM_POLL}.`,
    labelNames: ["account"] as const,
    registers,
  });
  const error = new WrittenGauge({
    name: "useapi_minimax_account_error",
    help: `1 when useapi.net reports the account in error, else 0 ${FROM_POLL}.`,
    labelNames: ["account"] as const,
    registers,
  });
  const info = new WrittenGauge({
    name: "useapi_minimax_account_info",
    help: `Constant 1 labelled with the account's capabilities ("" when not reported) ${FROM_POLL}.`,
    labelNames: ["account", "video", "music", "chat", "audio"] as const,
    registers,
  });
  const gauges = [maxJobs, expiry, error, info];
  return {
    apply(accounts) {
      for (const gauge of gauges) gauge.begin();
      for (const a of accounts) {
        // Labels in the order prom-client wrote them from the label objects set before.
        const account = escapeLabel(a.account);
        const labels = `{account="${account}"}`;
        if (a.maxJobs !== undefined) maxJobs.add(labels, a.maxJobs);
        if (a.sessionExpirySeconds !== undefined) expiry.add(labels, a.sessionExpirySeconds);
        error.add(labels, a.inError ? 1 : 0);
        const c = a.capabilities;
        info.add(
          `{account="${account}",video="${flag(c.supportVideo)}",music="${flag(c.supportMusic)}",chat="${flag(c.supportChat)}",audio="${flag(c.supportAudio)}"}`,
          1,
        );
      }
      for (const gauge of gauges) gauge.end();
    },
  };
}
