import type { Families } from "../metrics/family.js";
import type { ExporterFlag, FlagOwner, FlagReader } from "../config/flag-reader.js";
import type { Logger } from "../logging/logger.js";
import type { AnomalyCount } from "../metrics/anomalies.js";
import type { UpstreamClient } from "../upstream/client.js";
import type { Channels } from "./channels.js";
import type { SourceHealth } from "./health.js";
import type { SourceRunner } from "./runner.js";
import type { Source } from "./source.js";
import type { Clock } from "../clock/clock.js";

/**
 * One upstream endpoint, or one event-driven reader of the upstream, as a unit (node_exporter's
 * collector): its flags, its families, its anomaly kinds, and how it starts. The registry
 * (index.ts) lists the modules; the wiring (exporter.ts) only loops over them.
 */
export interface SourceModule extends FlagOwner<SourcePlan> {
  /** The `source` label of its health families. */
  readonly name: string;
  /** Its own flags, in --help order; their names are the module's to choose. */
  readonly flags: readonly ExporterFlag[];
  /** The flags that turn it off (`--name=value`); absent when it cannot be turned off. */
  readonly off?: readonly string[];
  /** Its kinds of useapi_minimax_payload_anomalies_total{source,kind}, exported at 0 from the start. */
  readonly anomalyKinds: readonly string[];
  /** Reads its flags (throwing a ConfigError that names one); undefined when turned off. */
  configure(read: FlagReader): SourcePlan | undefined;
}

/** What a module's flags came to, and how it starts with them. */
export interface SourcePlan {
  /** As the startup log line shows them. */
  readonly settings: Readonly<Record<string, number | string | boolean>>;
  start(context: SourceContext): StartedSource;
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
  /**
   * Polls `source` on its interval with the shared runner: schedule, backoff, health, and its
   * staleness window, --poll.stale-after scaled from --poll.interval to the source's interval.
   */
  poll<Answer>(source: Source<Answer>): SourceRunner;
}

/** What a started module adds to the running exporter. */
export interface StartedSource {
  /** Its section of the landing page, as HTML: everything from the upstream escaped. */
  landing?(): string;
  /** Resolves once its event-driven work has settled (for tests and benchmarks). */
  idle?(): Promise<void>;
  /** Polled other than by context.poll (credits' rounds): started, stopped and polled as the runners are. */
  readonly runner?: SourceRunner;
  stop?(): Promise<void>;
}
