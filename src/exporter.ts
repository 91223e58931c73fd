import type { Config } from "./config/config.js";
import { basicAuth, clientCertCheck } from "./http/auth.js";
import { loadDashboard } from "./http/dashboard-file.js";
import { createHandler } from "./http/handler.js";
import type { LandingStatus } from "./http/landing.js";
import { listen } from "./http/server.js";
import type { Logger } from "./logging/logger.js";
import { createRegistry, type BuildInfo } from "./metrics/registry.js";
import { createExposition } from "./metrics/rendering.js";
import { createAccountsSource } from "./sources/accounts/source.js";
import { createSourceHealth } from "./sources/health.js";
import { createStatusResolver, type StatusResolver } from "./sources/job-status/resolver.js";
import { createJobsSource } from "./sources/jobs/source.js";
import { createSourceRunner, type SourceRunner } from "./sources/runner.js";
import { createSchedulerSource } from "./sources/scheduler/source.js";
import type { Timers } from "./sources/timers.js";
import type { SourceName } from "./sources/source.js";
import { createUpstreamClient } from "./upstream/client.js";
import { fileToken, fixedToken, type TokenSource } from "./upstream/token.js";
import { USER_AGENT, VERSION } from "./version.js";
import type { Registry } from "prom-client";

/** Bound on the job IDs tracked between polls. */
const MAX_TRACKED_JOBS = 100_000;
/**
 * Status lookups wait at most this long in the queue (at --jobs.lookup-rate); a job finishing
 * beyond that backlog is counted `unknown` at once rather than hours late. Also bounds the memory.
 */
const LOOKUP_BACKLOG_SECONDS = 600;

export interface ExporterDeps {
  logger: Logger;
  now?: () => number;
  monotonic?: () => number;
  random?: () => number;
  /** Timers of the poll loops, the staleness window and the status lookups (the system's by default). */
  timers?: Timers;
  buildInfo?: BuildInfo;
  defaultMetrics?: boolean;
}

/** The jobs list's runner, with the last good snapshot in its status. */
export interface JobsPoller extends SourceRunner {
  status(): LandingStatus;
}

export interface RunningExporter {
  /** Base URL of the HTTP server, e.g. http://127.0.0.1:9877 */
  url: string;
  poller: JobsPoller;
  /** Undefined when --accounts.interval is 0. */
  accountsPoller: SourceRunner | undefined;
  /** Undefined when --scheduler.interval is 0. */
  schedulerPoller: SourceRunner | undefined;
  /** Undefined when --jobs.resolve-status is false. */
  statusResolver: StatusResolver | undefined;
  registry: Registry;
  /** Re-reads the token file (main wires it to SIGHUP). */
  reloadToken: TokenSource["reload"];
  close(): Promise<void>;
}

/** Wires config into a running exporter: renders, listens, then starts polling. */
export async function startExporter(config: Config, deps: ExporterDeps): Promise<RunningExporter> {
  const { logger } = deps;
  const { baseUrl, token } = config;
  if (token === undefined) throw new Error("no token configured");
  const time = {
    now: deps.now,
    monotonic: deps.monotonic,
    random: deps.random,
    timers: deps.timers,
  };

  const registry = createRegistry({
    buildInfo: deps.buildInfo ?? { version: VERSION, nodejs: process.version },
    defaultMetrics: deps.defaultMetrics,
  });
  const tokenSource =
    config.tokenFile !== undefined
      ? fileToken({ path: config.tokenFile, initial: token, logger })
      : fixedToken(token);
  const client = createUpstreamClient({
    baseUrl,
    token: tokenSource,
    timeoutMs: config.pollTimeoutMs,
    maxResponseBytes: config.maxResponseBytes,
    userAgent: USER_AGENT,
    now: deps.now,
  });
  const enabled: SourceName[] = ["jobs"];
  if (config.accountsIntervalMs > 0) enabled.push("accounts");
  if (config.resolveJobStatus) enabled.push("job_status");
  if (config.schedulerIntervalMs > 0) enabled.push("scheduler");
  const health = createSourceHealth(registry, enabled);

  let statusResolver: StatusResolver | undefined;
  const jobs = createJobsSource({
    registry,
    intervalMs: config.pollIntervalMs,
    limits: { maxAccounts: config.maxAccounts, maxJobs: config.maxJobs },
    maxTracked: MAX_TRACKED_JOBS,
    onFinished(finished) {
      if (statusResolver) statusResolver.enqueue(finished);
      else for (const job of finished) jobs.lifecycle.recordFinished(job, "unknown");
    },
  });
  const generations =
    config.schedulerIntervalMs > 0
      ? createSchedulerSource({
          registry,
          intervalMs: config.schedulerIntervalMs,
          limits: { maxAccounts: config.maxAccounts, maxJobs: config.maxJobs },
          maxTracked: MAX_TRACKED_JOBS,
        })
      : undefined;
  const exposition = createExposition(registry, { ...jobs.writers, ...generations?.writers });
  const refresh = () => exposition.refresh();
  if (config.resolveJobStatus) {
    statusResolver = createStatusResolver({
      client,
      logger,
      concurrency: config.jobLookupConcurrency,
      ratePerSecond: config.jobLookupRate,
      maxAttempts: 3,
      retryDelayMs: Math.min(config.pollIntervalMs, 10_000),
      maxQueued: Math.ceil(config.jobLookupRate * LOOKUP_BACKLOG_SECONDS),
      onResolved: (job, status) => jobs.lifecycle.recordFinished(job, status),
      onLookup: (outcome, seconds, at) => health.record("job_status", outcome, seconds, at),
      ...(deps.now ? { now: deps.now } : {}),
      ...(deps.monotonic ? { monotonic: deps.monotonic } : {}),
      ...(deps.timers ? { timers: deps.timers } : {}),
    });
  }
  const runner = { client, health, refresh, logger, maxBackoffMs: config.maxBackoffMs, ...time };
  const jobsRunner = createSourceRunner({
    source: jobs,
    staleAfterMs: config.staleAfterMs,
    ...runner,
  });
  const poller: JobsPoller = {
    ...jobsRunner,
    status: () => ({
      ...jobsRunner.status(),
      snapshot: jobs.snapshot(),
      generations: generations?.snapshot(),
      demo: config.demo,
    }),
  };
  const accountsPoller =
    config.accountsIntervalMs > 0
      ? createSourceRunner({
          source: createAccountsSource({
            registry,
            intervalMs: config.accountsIntervalMs,
            maxAccounts: config.maxAccounts,
          }),
          ...runner,
        })
      : undefined;
  const schedulerPoller = generations
    ? createSourceRunner({ source: generations, staleAfterMs: config.staleAfterMs, ...runner })
    : undefined;

  const app = createHandler({
    telemetryPath: config.telemetryPath,
    version: VERSION,
    exposition,
    status: () => poller.status(),
    logger,
    dashboard: loadDashboard(),
    guards: [
      ...(config.web?.tls ? [clientCertCheck(config.web.tls.clientAuth)] : []),
      ...(config.web?.users ? [basicAuth(config.web.users, "useapi-minimax-exporter")] : []),
    ].filter((guard) => guard !== undefined),
    maxRequests: config.maxRequests,
  });

  exposition.verify(); // every family registered: a name in both hand-written and prom-client's stops startup
  await exposition.refresh(); // serve them before the first poll ends
  const { server, url } = await listen(app, config.listen, config.web?.tls);
  // The base URL cannot hold credentials (the flag refuses them); the token is never logged.
  logger.info(
    {
      metrics: url + config.telemetryPath,
      version: VERSION,
      baseUrl,
      pollIntervalSeconds: config.pollIntervalMs / 1000,
      sources: enabled,
      demo: config.demo,
    },
    `exporter listening; metrics at ${url}${config.telemetryPath}; polling ${baseUrl} every ${config.pollIntervalMs / 1000}s (${enabled.join(", ")})`,
  );
  poller.start();
  accountsPoller?.start();
  schedulerPoller?.start();

  return {
    url,
    poller,
    accountsPoller,
    schedulerPoller,
    statusResolver,
    registry,
    reloadToken: () => tokenSource.reload(),
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await Promise.all([
        poller.stop(),
        accountsPoller?.stop(),
        schedulerPoller?.stop(),
        statusResolver?.stop(),
      ]);
      await Promise.all([closed, client.close()]);
    },
  };
}
