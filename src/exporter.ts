import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createUpstreamClient } from "./client.js";
import type { Config } from "./config.js";
import { loadDashboard } from "./dashboard.js";
import { createExposition } from "./exposition.js";
import type { Logger } from "./logger.js";
import { createMetrics, type BuildInfo, type ExporterMetrics } from "./metrics.js";
import { createPoller, type Poller } from "./poller.js";
import { createApp } from "./server.js";
import { startSimulator } from "./simulator/server.js";
import { USER_AGENT, VERSION } from "./version.js";

export interface ExporterDeps {
  logger: Logger;
  now?: () => number;
  monotonic?: () => number;
  random?: () => number;
  buildInfo?: BuildInfo;
  defaultMetrics?: boolean;
}

export interface RunningExporter {
  /** Base URL of the HTTP server, e.g. http://127.0.0.1:9877 */
  url: string;
  poller: Poller;
  metrics: ExporterMetrics;
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
    ...(deps.defaultMetrics === undefined ? {} : { defaultMetrics: deps.defaultMetrics }),
  });
  const exposition = createExposition(metrics.registry);
  await exposition.refresh();
  const client = createUpstreamClient({
    baseUrl,
    token,
    timeoutMs: config.pollTimeoutMs,
    maxResponseBytes: config.maxResponseBytes,
    userAgent: USER_AGENT,
    ...(deps.now ? { now: deps.now } : {}),
  });
  const poller = createPoller({
    client,
    metrics,
    exposition,
    logger,
    intervalMs: config.pollIntervalMs,
    maxBackoffMs: config.maxBackoffMs,
    staleAfterMs: config.staleAfterMs,
    ...(deps.now ? { now: deps.now } : {}),
    ...(deps.monotonic ? { monotonic: deps.monotonic } : {}),
    ...(deps.random ? { random: deps.random } : {}),
  });
  const app = createApp({
    telemetryPath: config.telemetryPath,
    version: VERSION,
    exposition,
    status: () => poller.status(),
    logger,
    dashboard: loadDashboard(),
  });

  const server = createServer(app);
  await listen(server, config.listen.host, config.listen.port);
  const address = server.address() as AddressInfo;
  const wildcard = address.address === "::" || address.address === "0.0.0.0";
  const host = wildcard
    ? "localhost"
    : address.family === "IPv6"
      ? `[${address.address}]`
      : address.address;
  const url = `http://${host}:${address.port}`;
  logger.info(
    { metrics: url + config.telemetryPath, version: VERSION },
    `exporter listening; metrics at ${url}${config.telemetryPath}`,
  );
  poller.start();

  return {
    url,
    poller,
    metrics,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await poller.stop();
      await Promise.all([closed, client.close(), simulator?.close()]);
    },
  };
}

function listen(server: Server, host: string | undefined, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
