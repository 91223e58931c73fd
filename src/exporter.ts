import type { ExporterConfig } from "./cli.js";
import { basicAuth, clientCertCheck } from "./http/auth.js";
import { loadDashboard } from "./http/dashboard-file.js";
import { createHandler } from "./http/handler.js";
import { listen } from "./http/server.js";
import type { Logger } from "./logging/logger.js";
import { createRegistry, type BuildInfo, type MetricRegistry } from "./metrics/registry.js";
import { createExposition } from "./metrics/rendering.js";
import type { SourceRunner } from "./sources/runner.js";
import { startSources } from "./sources/start.js";
import { systemTimers, type Clock, type Timers } from "./clock/clock.js";
import { createUpstreamClient } from "./upstream/client.js";
import { fileToken, fixedToken, type TokenSource } from "./upstream/token.js";
import { USER_AGENT, VERSION } from "./version.js";

export interface ExporterDeps {
  logger: Logger;
  now?: () => number;
  monotonic?: () => number;
  random?: () => number;
  /** Timers of the poll loops, staleness windows and status lookups (the system's by default). */
  timers?: Timers;
  buildInfo?: BuildInfo;
  defaultMetrics?: boolean;
}

export interface RunningExporter {
  /** Base URL of the HTTP server, e.g. http://127.0.0.1:9877 */
  url: string;
  /** The poll loop of a polled source by its name; throws when it is not enabled. */
  runner(name: string): SourceRunner;
  /** Resolves once the polls in flight, then the event-driven parts (the lookups), settled. */
  idle(): Promise<void>;
  registry: MetricRegistry;
  /** Re-reads the token file (main wires it to SIGHUP). */
  reloadToken: TokenSource["reload"];
  close(): Promise<void>;
}

/** Wires config into a running exporter: starts the enabled modules, renders, listens, polls. */
export async function startExporter(
  config: ExporterConfig,
  deps: ExporterDeps,
): Promise<RunningExporter> {
  const { logger } = deps;
  const { baseUrl, token } = config;
  if (token === undefined) throw new Error("no token configured");
  const clock: Clock = {
    now: deps.now ?? Date.now,
    monotonic: deps.monotonic ?? (() => performance.now()),
    timers: deps.timers ?? systemTimers,
  };
  const registry = createRegistry({
    buildInfo: deps.buildInfo ?? { version: VERSION, nodejs: process.version },
    defaultMetrics: deps.defaultMetrics,
  });
  const tokenSource = config.tokenFile
    ? fileToken({ path: config.tokenFile, initial: token, logger })
    : fixedToken(token);
  const client = createUpstreamClient({
    ...{ baseUrl, token: tokenSource, timeoutMs: config.pollTimeoutMs, userAgent: USER_AGENT },
    ...{ maxResponseBytes: config.maxResponseBytes, maxAccounts: config.maxAccounts },
    ...{ now: clock.now, timers: clock.timers },
  });
  const exposition = createExposition(registry);
  const sources = startSources({
    ...{ sources: config.sources, registry, client, logger, clock, random: deps.random },
    ...{ pollIntervalMs: config.pollIntervalMs, staleAfterMs: config.staleAfterMs },
    ...{ maxBackoffMs: config.maxBackoffMs, demo: config.demo },
    refresh: () => exposition.refresh(),
  });
  const app = createHandler({
    ...{ telemetryPath: config.telemetryPath, version: VERSION, exposition, logger },
    status: () => sources.status(),
    dashboard: loadDashboard(),
    guards: [
      ...(config.web?.tls ? [clientCertCheck(config.web.tls.clientAuth)] : []),
      ...(config.web?.users ? [basicAuth(config.web.users, "useapi-minimax-exporter")] : []),
    ].filter((guard) => guard !== undefined),
    maxRequests: config.maxRequests,
  });

  await exposition.refresh(); // serve them before the first poll ends
  const { server, url } = await listen(app, config.listen, config.web?.tls);
  const names = config.sources.map((s) => s.module.name);
  const settings = Object.fromEntries(config.sources.map((s) => [s.module.name, s.settings]));
  // The base URL cannot hold credentials (the flag refuses them); the token is never logged.
  logger.info(
    {
      ...{ metrics: url + config.telemetryPath, version: VERSION, baseUrl },
      ...{ pollIntervalSeconds: config.pollIntervalMs / 1000, sources: names, settings },
      demo: config.demo,
    },
    `exporter listening; metrics at ${url}${config.telemetryPath}; polling ${baseUrl} every ${config.pollIntervalMs / 1000}s (${names.join(", ")})`,
  );
  sources.start();

  return {
    url,
    runner(name) {
      const runner = sources.runners.get(name);
      if (runner === undefined) throw new Error(`source ${name} is not polled`);
      return runner;
    },
    idle: () => sources.idle(),
    registry,
    reloadToken: () => tokenSource.reload(),
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await sources.stop();
      await Promise.all([closed, client.close()]);
    },
  };
}
