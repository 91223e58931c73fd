import express, { type ErrorRequestHandler, type Express, type RequestHandler } from "express";
import { renderLanding, type LandingStatus } from "./landing.js";
import type { Exposition } from "../metrics/rendering.js";
import type { Logger } from "../logging/logger.js";
import type { Gate } from "./gates.js";
import type { RequestCap } from "./request-cap.js";
import { answerBusy, answerText, secureHeaders } from "./responses.js";
import type { ScrapeWriter } from "./scrape.js";

/** What the HTTP surface serves, and its limits. */
export interface AppOptions {
  telemetryPath: string;
  version: string;
  exposition: Exposition;
  status: () => LandingStatus;
  logger: Logger;
  /** The Grafana dashboard JSON, served at /grafana/dashboard.json when present. */
  dashboard?: Buffer | undefined;
  /** The page at /runbook; by default the one `npm run build` writes to dist/, null for none. */
  runbook?: Buffer | null | undefined;
  /** Checks run in order ahead of routing on every path (client certificates, basic auth). */
  guards?: Gate[];
  /** Concurrent /metrics, landing page and runbook requests served; more get 503. */
  maxRequests?: number;
  /** A capped response not written out by then (a client that stopped reading) is cut off. */
  responseTimeoutMs?: number;
}

export const DASHBOARD_PATH = "/grafana/dashboard.json";
export const RUNBOOK_PATH = "/runbook";

/** The express app: every path but a plain scrape, capped however it is spelled (`//`, `/x/`). */
export function createApp(
  options: AppOptions,
  cap: RequestCap,
  writeScrape: ScrapeWriter,
  runbook: Buffer | undefined,
): Express {
  const { telemetryPath, version, status, logger, dashboard } = options;
  const app = express();
  app.disable("x-powered-by");
  app.disable("etag");
  app.set("query parser", false);
  const headers = secureHeaders();
  app.use((_req, res, next) => {
    res.set(headers);
    next();
  });
  const capped =
    (handler: RequestHandler): RequestHandler =>
    (req, res, next) => {
      if (cap.tryEnter(res)) handler(req, res, next);
      else answerBusy(res);
    };
  const html = (page: () => string | Buffer) =>
    capped((_req, res) => res.type("html").send(page()));

  route(app, telemetryPath, capped(writeScrape));
  route(
    app,
    "/",
    html(() =>
      renderLanding({
        version,
        telemetryPath,
        status: status(),
        dashboardPath: dashboard ? DASHBOARD_PATH : undefined,
        runbookPath: runbook ? RUNBOOK_PATH : undefined,
      }),
    ),
  );
  if (runbook)
    route(
      app,
      RUNBOOK_PATH,
      html(() => runbook),
    );
  if (dashboard) route(app, DASHBOARD_PATH, (_req, res) => res.type("json").send(dashboard));
  route(app, "/-/healthy", (_req, res) => answerText(res, 200, "OK\n"));
  route(app, "/-/ready", (_req, res) => {
    if (status().lastSuccessAtMs !== undefined) answerText(res, 200, "OK\n");
    else answerText(res, 503, "Not ready: no successful poll yet\n", { "Retry-After": "5" });
  });
  app.use((_req, res) => answerText(res, 404, "Not found\n"));
  const onError: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
    logger.error({ err: error }, "request failed");
    const code = (error as { status?: unknown }).status;
    const statusCode = typeof code === "number" && code >= 400 && code < 600 ? code : 500;
    answerText(res, statusCode, statusCode < 500 ? "Bad request\n" : "Internal error\n");
  };
  app.use(onError);
  return app;
}

/** GET (and HEAD) on `path`; any other method gets 405 with an Allow header. */
function route(app: Express, path: string, handler: RequestHandler): void {
  app.get(path, handler);
  app.all(path, (_req, res) =>
    answerText(res, 405, "Method not allowed\n", { Allow: "GET, HEAD" }),
  );
}
