import express, { type ErrorRequestHandler, type Express, type RequestHandler } from "express";
import type { Exposition } from "./exposition.js";
import { renderLanding } from "./landing.js";
import type { Logger } from "./logger.js";
import type { PollStatus } from "./poller.js";

export const DASHBOARD_PATH = "/grafana/dashboard.json";

export interface AppOptions {
  telemetryPath: string;
  version: string;
  exposition: Exposition;
  status: () => Readonly<PollStatus>;
  logger: Logger;
  /** The Grafana dashboard JSON, served at /grafana/dashboard.json when present. */
  dashboard?: Buffer | undefined;
  /** Checks run before every route (basic auth, client certificates). */
  guards?: RequestHandler[];
  /** Concurrent /metrics requests served; more get 503. */
  maxRequests?: number;
}

const SECURITY_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
  "Content-Security-Policy":
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
};

/** The exporter's HTTP surface. Every body is plain text or HTML made here; no stack traces. */
export function createApp(options: AppOptions): Express {
  const { telemetryPath, version, exposition, status, logger, dashboard } = options;
  const maxRequests = options.maxRequests ?? Infinity;
  const app = express();
  app.disable("x-powered-by");
  app.disable("etag");
  app.set("query parser", false);
  app.use((_req, res, next) => {
    res.set(SECURITY_HEADERS);
    next();
  });
  // The cap comes before the guards so that a flood cannot make bcrypt burn the CPU either.
  let serving = 0;
  app.use(telemetryPath, (_req, res, next) => {
    if (serving >= maxRequests) {
      res.status(503).set("Retry-After", "1").type("text").send("Too many concurrent scrapes\n");
      return;
    }
    serving++;
    res.once("close", () => serving--);
    next();
  });
  for (const guard of options.guards ?? []) app.use(guard);

  route(app, telemetryPath, (req, res) => {
    res.set("Content-Type", exposition.contentType);
    res.set("Cache-Control", "no-store");
    res.vary("Accept-Encoding");
    if (req.acceptsEncodings("gzip", "identity") === "gzip") {
      res.set("Content-Encoding", "gzip");
      res.end(exposition.gzipped());
    } else {
      res.end(exposition.body());
    }
  });
  route(app, "/", (_req, res) => {
    res.type("html").send(
      renderLanding({
        version,
        telemetryPath,
        status: status(),
        dashboardPath: dashboard ? DASHBOARD_PATH : undefined,
      }),
    );
  });
  if (dashboard) {
    route(app, DASHBOARD_PATH, (_req, res) => {
      res.type("json").send(dashboard);
    });
  }
  route(app, "/-/healthy", (_req, res) => {
    res.type("text").send("OK\n");
  });
  route(app, "/-/ready", (_req, res) => {
    if (status().lastSuccessAtMs === undefined) {
      res
        .status(503)
        .set("Retry-After", "5")
        .type("text")
        .send("Not ready: no successful poll yet\n");
    } else {
      res.type("text").send("OK\n");
    }
  });

  app.use((_req, res) => {
    res.status(404).type("text").send("Not found\n");
  });
  const onError: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
    logger.error({ err: error }, "request failed");
    const code = (error as { status?: unknown }).status;
    const statusCode = typeof code === "number" && code >= 400 && code < 600 ? code : 500;
    res
      .status(statusCode)
      .type("text")
      .send(statusCode < 500 ? "Bad request\n" : "Internal error\n");
  };
  app.use(onError);
  return app;
}

/** GET (and HEAD) on `path`; any other method gets 405 with an Allow header. */
function route(app: Express, path: string, handler: RequestHandler): void {
  app.get(path, handler);
  app.all(path, (_req, res) => {
    res.status(405).set("Allow", "GET, HEAD").type("text").send("Method not allowed\n");
  });
}
