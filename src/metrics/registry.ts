import { collectDefaultMetrics, Counter, Gauge, Registry } from "prom-client";
import type { Outcome } from "../upstream/outcome.js";
import { ANOMALY_KINDS, type AccountState, type Snapshot } from "../sources/jobs/snapshot.js";
import { escapeLabel, familyHeader } from "./text-format.js";

const FROM_POLL = "(from the background poll of GET /v1/minimax/agent/jobs)";

/**
 * The two per-account gauges are written as text straight from the snapshot: one line per
 * account and poll, with no label bookkeeping, which is most of the poll's cost through prom-client.
 */
const EXECUTING = {
  name: "useapi_minimax_agent_jobs_executing",
  help: `Agent jobs currently executing on the MiniMax account ${FROM_POLL}.`,
};
const MAX_ELAPSED = {
  name: "useapi_minimax_agent_job_max_elapsed_seconds",
  help: `Elapsed seconds of the account's longest-running agent job, 0 when idle ${FROM_POLL}.`,
};

function family(
  meta: { name: string; help: string },
  accounts: readonly AccountState[],
  value: (account: AccountState) => number,
): string {
  let text = familyHeader(meta.name, meta.help, "gauge");
  for (const a of accounts) {
    text += `${meta.name}{account="${escapeLabel(a.account)}"} ${value(a)}\n`;
  }
  return text;
}

const UP = {
  name: "useapi_minimax_up",
  help: `1 if the last poll of the useapi.net API succeeded, else 0 ${FROM_POLL}.`,
};

export interface BuildInfo {
  version: string;
  nodejs: string;
}

export interface ExporterMetrics {
  readonly registry: Registry;
  /** Replaces every per-account series with the snapshot's; accounts that left lose theirs. */
  applySnapshot(snapshot: Snapshot): void;
  /** Records one finished poll of the jobs list: useapi_minimax_up (its health is in the source families). */
  recordPoll(outcome: Outcome): void;
  /** Removes the per-account series so that Prometheus marks them stale. */
  dropAccountSeries(): void;
  /** The per-account gauge families as exposition text, to be rendered before the registry's. */
  renderAccountFamilies(): string;
  /** What /metrics says when a rendering failed: up 0, whatever the last poll did. */
  renderDown(): string;
}

/**
 * prom-client's gauges of active handles, requests and resources are named `_total`, which
 * promtool check metrics refuses for a gauge; their per-type gauges (without `_total`) stay.
 */
const MISNAMED_DEFAULTS = [
  "nodejs_active_handles_total",
  "nodejs_active_requests_total",
  "nodejs_active_resources_total",
];

export interface MetricsOptions {
  buildInfo: BuildInfo;
  /** Process and Node.js runtime metrics from prom-client; on by default. */
  defaultMetrics?: boolean;
}

export function createMetrics({
  buildInfo,
  defaultMetrics = true,
}: MetricsOptions): ExporterMetrics {
  const registry = new Registry();
  if (defaultMetrics) {
    collectDefaultMetrics({ register: registry });
    for (const name of MISNAMED_DEFAULTS) registry.removeSingleMetric(name);
  }
  const registers = [registry];

  const accounts = new Gauge({
    name: "useapi_minimax_accounts",
    help: `MiniMax accounts configured for the token, from the last successful poll ${FROM_POLL}.`,
    registers,
  });
  const up = new Gauge({ ...UP, registers });
  const anomalies = new Counter({
    name: "useapi_minimax_payload_anomalies_total",
    help: `Inconsistencies tolerated in otherwise valid upstream answers, by kind ${FROM_POLL}.`,
    labelNames: ["kind"] as const,
    registers,
  });
  new Gauge({
    name: "useapi_minimax_exporter_build_info",
    help: "Build information of the exporter: a constant 1 labelled with its version and Node.js.",
    labelNames: ["version", "nodejs"] as const,
    registers,
  }).set({ version: buildInfo.version, nodejs: buildInfo.nodejs }, 1);

  for (const kind of ANOMALY_KINDS) anomalies.inc({ kind }, 0);
  up.set(0);

  let exported: readonly AccountState[] = [];
  return {
    registry,
    applySnapshot(snapshot) {
      exported = snapshot.accounts;
      accounts.set(snapshot.accounts.length);
      for (const kind of ANOMALY_KINDS) {
        const count = snapshot.anomalies[kind];
        if (count > 0) anomalies.inc({ kind }, count);
      }
    },
    recordPoll(outcome) {
      up.set(outcome === "success" ? 1 : 0);
    },
    dropAccountSeries() {
      exported = [];
    },
    renderDown() {
      return `${familyHeader(UP.name, UP.help, "gauge")}${UP.name} 0\n`;
    },
    renderAccountFamilies() {
      return (
        family(EXECUTING, exported, (a) => a.executing) +
        "\n" +
        family(MAX_ELAPSED, exported, (a) => a.maxElapsedSeconds) +
        "\n"
      );
    },
  };
}
