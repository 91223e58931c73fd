import type { Families } from "../metrics/family.js";
import type { ExporterFlag, FlagReader } from "../config/flag-reader.js";
import type { Logger } from "../logging/logger.js";
import type { AnomalyCount } from "../metrics/anomalies.js";
import type { UpstreamClient } from "../upstream/client.js";
import type { Channels } from "./channels.js";
import type { SourceHealth } from "./health.js";
import type { SourceRunner } from "./runner.js";
import type { Source } from "./source.js";
import type { Clock } from "../clock/clock.js";

/**
 * One upstream endpoint, or one event-driven reader of it (node_exporter's collector), as one shape
 * filled in three steps: the registry (index.ts) lists its name, flags and anomaly kinds;
 * `configure` adds its settings and `start`; `start` returns its running parts.
 */
export interface SourceModule {
  /** The `source` label of its health families. */
  readonly name: string;
  /** Its own flags, in --help order; their names are the module's to choose. */
  readonly flags: readonly ExporterFlag[];
  /** The flags that turn it off (`--name=value`); absent when it cannot be turned off. */
  readonly off?: readonly string[];
  /** Its kinds of useapi_minimax_payload_anomalies_total{source,kind}, exported at 0 from start. */
  readonly anomalyKinds: readonly string[];
  /** Reads its flags (throwing a ConfigError that names one); undefined when turned off. */
  configure(read: FlagReader): Required<Pick<SourceModule, "settings" | "start">> | undefined;
  /** As the startup log line shows them. */
  readonly settings?: Readonly<Record<string, number | string | boolean>>;
  start?(
    context: SourceContext,
  ): Pick<SourceModule, "source" | "runner" | "landing" | "idle" | "stop">;
  /** Polled on its interval by the shared runner: schedule, backoff, health, staleness. */
  readonly source?: Source<unknown>;
  /** Polled its own way (credits' rounds), then started, stopped and polled as the runners are. */
  readonly runner?: SourceRunner;
  /** Its section of the landing page, as HTML: everything from the upstream escaped. */
  landing?(): string;
  /** Resolves once its event-driven work has settled (for tests and benchmarks). */
  idle?(): Promise<void>;
  stop?(): Promise<void>;
}

/** A module's flag: text its `configure` checks, also read from its environment variable. */
export function sourceFlag(name: string, defaultValue: string, help: string): ExporterFlag {
  return { name, type: "string", default: defaultValue, help };
}

/** What the wiring hands every module when it starts. */
export interface SourceContext {
  readonly registry: Families;
  readonly client: UpstreamClient;
  readonly logger: Logger;
  readonly health: SourceHealth;
  readonly channels: Channels;
  /** Counts the module's own anomalies, under its `source` label. */
  readonly countAnomaly: AnomalyCount;
  readonly clock: Clock;
  /** Renders /metrics again: for modules that change their values outside a polled source. */
  refresh(): Promise<void>;
}
