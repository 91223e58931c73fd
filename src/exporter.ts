import { randomBytes } from "node:crypto";
import { createAccountMetrics } from "./sources/accounts/families.js";
import { createAccountsPoller } from "./sources/accounts/poller.js";
import { createUpstreamClient } from "./upstream/client.js";
import type { Config } from "./config/config.js";
import { loadDashboard } from "./http/dashboard-file.js";
import { createExposition } from "./metrics/rendering.js";
import { fileToken, fixedToken, type TokenSource } from "./upstream/token.js";
import type { Logger } from "./logging/logger.js";
import { createMetrics, type BuildInfo, type ExporterMetrics } from "./metrics/registry.js";
import { createJobTracker } from "./sources/jobs/job-tracker.js";
import { createLifecycleMetrics } from "./sources/jobs/lifecycle-families.js";
import { createPoller, type Poller } from "./sources/jobs/poller.js";
import type { Scheduler } from "./sources/scheduler.js";
import { createSourceMetrics, type Source } from "./sources/health.js";
import { createStatusResolver, type StatusResolver } from "./sources/job-status/resolver.js";
import { basicAuth, clientCertCheck } from "./http/auth.js";
import { listen } from "./http/server.js";
import { createHandler } from "./http/handler.js";
import { startSimulator } from "./simulator/server.js";
import { USER_AGENT, VERSION } from "./version.js";

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
  /** Timers of the poll loops and the staleness window (the system's by default). */
  scheduler?: Scheduler;
  buildInfo?: BuildInfo;
  defaultMetrics?: boolean;
}

export interface RunningExporter {
  /** Base URL of the HTTP server, e.g. http://127.0.0.1:9877 */
  url: string;
  poller: Poller;
  /** Undefined when --accounts.interval is 0. */
  accountsPoller: { pollOnce(): Promise<unknown> } | undefined;
  /** Undefined when --jobs.resolve-status is false. */
  statusResolver: StatusResolver | undefined;
  metrics: ExporterMetrics;
  /** Re-reads the token file (main wires it to SIGHUP). */
  reloadToken: TokenSource["reload"];
  close(): Promise<void>;
}

/** Wires config into a running exporter: renders, listens, then starts polling. */
export async function startExporter(config: Config, deps: ExporterDeps): Promise<RunningExporter> {
  const { logger } = deps;
  let { baseUrl, token } = config;
  const demoToken = randomBytes(16).toString("hex");
  const simulator = config.demo
    ? await startSimulator({ token: demoToken, host: "127.0.0.1", port: 0 })
    : undefined;
  if (simulator) {
    baseUrl = simulator.url;
    token = demoToken;
    logger.info({ simulator: simulator.url }, "demo mode: polling the built-in simulator");
  }
  if (token === undefined) throw new Error("no token configured");

  const metrics = createMetrics({
    buildInfo: deps.buildInfo ?? { version: VERSION, nodejs: process.version },
    defaultMetrics: deps.defaultMetrics,
  });
  const tokenSource =
    config.tokenFile !== undefined && !simulator
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
  const enabledSources: Source[] = ["jobs"];
  if (config.accountsIntervalMs > 0) enabledSources.push("accounts");
  if (config.resolveJobStatus) enabledSources.push("job_status");
  const sources = createSourceMetrics(metrics.registry, enabledSources);
  const lifecycle = createLifecycleMetrics();
  // The per-account families are written from plain data, ahead of the registry's.
  const exposition = createExposition(
    metrics.registry,
    () => metrics.renderAccountFamilies() + lifecycle.render(),
    () => metrics.renderDown(),
  );
  const tracker = createJobTracker({ maxTracked: MAX_TRACKED_JOBS });
  const statusResolver = config.resolveJobStatus
    ? createStatusResolver({
        client,
        logger,
        concurrency: config.jobLookupConcurrency,
        ratePerSecond: config.jobLookupRate,
        maxAttempts: 3,
        retryDelayMs: Math.min(config.pollIntervalMs, 10_000),
        maxQueued: Math.ceil(config.jobLookupRate * LOOKUP_BACKLOG_SECONDS),
        onResolved: (job, status) => lifecycle.recordFinished(job, status),
        onLookup: (outcome, seconds, at) => sources.record("job_status", outcome, seconds, at),
        now: deps.now,
        monotonic: deps.monotonic,
      })
    : undefined;
  const accountsPoller =
    config.accountsIntervalMs > 0
      ? createAccountsPoller({
          client,
          metrics: createAccountMetrics(metrics.registry),
          sources,
          exposition,
          logger,
          intervalMs: config.accountsIntervalMs,
          maxBackoffMs: config.maxBackoffMs,
          maxAccounts: config.maxAccounts,
          now: deps.now,
          monotonic: deps.monotonic,
          random: deps.random,
          scheduler: deps.scheduler,
        })
      : undefined;

  const poller = createPoller({
    client,
    metrics,
    exposition,
    logger,
    intervalMs: config.pollIntervalMs,
    maxBackoffMs: config.maxBackoffMs,
    staleAfterMs: config.staleAfterMs,
    limits: { maxAccounts: config.maxAccounts, maxJobs: config.maxJobs },
    onSnapshot(snapshot) {
      lifecycle.setAccounts(snapshot.accounts.map((a) => a.account));
      const change = tracker.observe(snapshot.jobs);
      lifecycle.recordStarted(change.started);
      for (const job of change.finished) lifecycle.recordLeft(job);
      if (statusResolver) statusResolver.enqueue(change.finished);
      else for (const job of change.finished) lifecycle.recordFinished(job, "unknown");
    },
    onPolled: (outcome, seconds, at) => sources.record("jobs", outcome, seconds, at),
    now: deps.now,
    monotonic: deps.monotonic,
    random: deps.random,
    scheduler: deps.scheduler,
  });
  const app = createHandler({
    telemetryPath: config.telemetryPath,
    version: VERSION,
    exposition,
    status: () => ({ ...poller.status(), demo: config.demo }),
    logger,
    dashboard: loadDashboard(),
    guards: [
      ...(config.web?.tls ? [clientCertCheck(config.web.tls.clientAuth)] : []),
      ...(config.web?.users ? [basicAuth(config.web.users, "useapi-minimax-exporter")] : []),
    ].filter((guard) => guard !== undefined),
    maxRequests: config.maxRequests,
  });

  await exposition.refresh(); // every metric registered: serve them before the first poll ends
  const { server, url } = await listen(app, config.listen, config.web?.tls);
  // The base URL cannot hold credentials (the flag refuses them); the token is never logged.
  logger.info(
    {
      metrics: url + config.telemetryPath,
      version: VERSION,
      baseUrl,
      pollIntervalSeconds: config.pollIntervalMs / 1000,
      sources: enabledSources,
      demo: config.demo,
    },
    `exporter listening; metrics at ${url}${config.telemetryPath}; polling ${baseUrl} every ${config.pollIntervalMs / 1000}s (${enabledSources.join(", ")})`,
  );
  poller.start();
  accountsPoller?.start();

  return {
    url,
    poller,
    accountsPoller,
    statusResolver,
    metrics,
    reloadToken: () => tokenSource.reload(),
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await Promise.all([poller.stop(), accountsPoller?.stop(), statusResolver?.stop()]);
      await Promise.all([closed, client.close(), simulator?.close()]);
    },
  };
}
