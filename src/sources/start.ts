import type { Logger } from "../logging/logger.js";
import { createAnomalies } from "../metrics/anomalies.js";
import type { UpstreamClient } from "../upstream/client.js";
import type { Families } from "../metrics/family.js";
import { createChannels } from "./channels.js";
import { createSourceHealth, type SourceStatus } from "./health.js";
import type { Clock } from "../clock/clock.js";
import type { Enabled } from "../config/flag-reader.js";
import type { SourceModule } from "./module.js";
import { staleWindowMs } from "./polled-module.js";
import { createSourceRunner, type SourceRunner } from "./runner.js";

export interface SourcesOptions {
  sources: readonly Enabled<SourceModule>[];
  registry: Families;
  client: UpstreamClient;
  logger: Logger;
  clock: Clock;
  random?: (() => number) | undefined;
  /** Renders /metrics again; set once the exposition exists. */
  refresh: () => Promise<void>;
  pollIntervalMs: number;
  staleAfterMs: number;
  maxBackoffMs: number;
  demo: boolean;
}

/** The sources as the landing page shows them: the headline status, each one's, their sections. */
export type SourcesStatus = Readonly<SourceStatus> & {
  readonly sources: readonly (Readonly<SourceStatus> & { readonly name: string })[];
  readonly sections: readonly string[];
  readonly demo: boolean;
};

export interface StartedSources {
  runners: ReadonlyMap<string, SourceRunner>;
  status(): SourcesStatus;
  /** Begins the polls; until then nothing is asked of the upstream. */
  start(): void;
  /** The polls in flight ended, then every module's event-driven work settled. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts every enabled module with one shared context: health, channels, anomalies, runners. */
export function startSources(options: SourcesOptions): StartedSources {
  const { sources, registry, client, logger, clock } = options;
  const names = sources.map((s) => s.module.name);
  const headline = names[0] ?? "jobs";
  const health = createSourceHealth(registry, names, headline);
  const runners = new Map<string, SourceRunner>();
  const anomalies = createAnomalies(
    registry,
    new Map(sources.map((s) => [s.module.name, s.module.anomalyKinds])),
  );
  const context = { registry, client, logger, health, clock, channels: createChannels() };
  const started = sources.map((s) =>
    s.start({ ...context, refresh: options.refresh, countAnomaly: anomalies(s.module.name) }),
  );
  // Polled sources first: start() begins the polls in this order, the credits rounds after them.
  for (const { source } of started) {
    if (source === undefined) continue;
    const runner = createSourceRunner({
      ...{ source, client, health, logger, maxBackoffMs: options.maxBackoffMs },
      ...{ ...clock, random: options.random, refresh: options.refresh },
      staleAfterMs: staleWindowMs(options, source.intervalMs),
    });
    runners.set(source.name, runner);
  }
  for (const [i, { runner }] of started.entries()) if (runner) runners.set(names[i] ?? "", runner);
  return {
    runners,
    status: () => ({
      ...health.status(headline),
      sources: names.map((name) => ({ name, ...health.status(name) })),
      sections: started.flatMap((s) => s.landing?.() ?? []),
      demo: options.demo,
    }),
    start() {
      for (const runner of runners.values()) runner.start();
    },
    async idle() {
      // The polls first: a poll's end can hand event-driven parts (the lookups) more work.
      await Promise.all([...runners.values()].map((runner) => runner.idle()));
      await Promise.all(started.map((s) => s.idle?.() ?? Promise.resolve()));
    },
    async stop() {
      await Promise.all([
        ...[...runners.values()].map((runner) => runner.stop()),
        ...started.map((s) => s.stop?.()),
      ]);
    },
  };
}
