import type {
  IncomingMessage,
  OutgoingHttpHeaders,
  RequestListener,
  ServerResponse,
} from "node:http";
import Negotiator from "negotiator";
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from "express";
import type { Exposition } from "../metrics/rendering.js";
import { renderLanding } from "./landing.js";
import type { Logger } from "../logging/logger.js";
import type { LandingStatus } from "./landing.js";

export const DASHBOARD_PATH = "/grafana/dashboard.json";

export interface AppOptions {
  telemetryPath: string;
  version: string;
  exposition: Exposition;
  status: () => LandingStatus;
  logger: Logger;
  /** The Grafana dashboard JSON, served at /grafana/dashboard.json when present. */
  dashboard?: Buffer | undefined;
  /** Checks run in order ahead of routing on every path (client certificates, basic auth). */
  guards?: Gate[];
  /** Concurrent /metrics and landing page requests served; more get 503. */
  maxRequests?: number;
  /** A capped response not written out by then (a client that stopped reading) is cut off. */
  responseTimeoutMs?: number;
}

/** How long a client may take to read one /metrics or landing page answer. */
export const RESPONSE_TIMEOUT_MS = 60_000;

export const SECURITY_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
  "Content-Security-Policy":
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
};

/**
 * A check ahead of routing: true lets the request on; false means the gate has answered it.
 * Synchronous when it can be, so that a cached login costs no turn of the event loop.
 */
export type Gate = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

/** A short text answer with the security headers, written without express. */
export function answerText(
  res: ServerResponse,
  status: number,
  body: string,
  headers: OutgoingHttpHeaders = {},
): void {
  res
    .writeHead(status, {
      ...SECURITY_HEADERS,
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Length": Buffer.byteLength(body),
      ...headers,
    })
    .end(body);
}

/**
 * The exporter's HTTP surface. The gates (client certificates, basic auth) run first on every
 * path, without express, so that a flood of refused requests costs as little as it can. Then a
 * plain scrape (GET or HEAD of exactly the telemetry path) is answered here without express too:
 * its router and response helpers were most of a scrape's cost (under wrk the exporter reached
 * 0.30-0.46 of a bare node:http server answering the same bytes). Everything else goes through
 * the express app, which answers a scrape with the same headers and bytes.
 */
export function createHandler(options: AppOptions): RequestListener {
  const limit = scrapeLimit(
    options.maxRequests ?? Infinity,
    options.responseTimeoutMs ?? RESPONSE_TIMEOUT_MS,
  );
  const writeScrape = scrapeWriter(options.exposition);
  const app = createApp(options, limit, writeScrape);
  const { telemetryPath, logger } = options;
  const gates = options.guards ?? [];
  const query = `${telemetryPath}?`;
  const failed = (res: ServerResponse, error: unknown) => {
    // As express's error handler would: logged, a bare 500, never a crash or a stack trace.
    logger.error({ err: error }, "request failed");
    if (res.headersSent) res.destroy();
    else answerText(res, 500, "Internal error\n");
  };
  const serve: RequestListener = (req, res) => {
    const url = req.url ?? "";
    if (
      (req.method === "GET" || req.method === "HEAD") &&
      (url === telemetryPath || url.startsWith(query)) &&
      limit.tryEnter(res)
    ) {
      try {
        writeScrape(req, res);
      } catch (error) {
        failed(res, error);
      }
      return;
    }
    app(req, res);
  };
  if (gates.length === 0) return serve;
  const pass = (req: IncomingMessage, res: ServerResponse, from: number): void => {
    for (let i = from; i < gates.length; i++) {
      const gate = gates[i] as Gate;
      const result = gate(req, res);
      if (result === false) return;
      if (result !== true) {
        result.then(
          (ok) => {
            if (ok) pass(req, res, i + 1);
          },
          (error: unknown) => failed(res, error),
        );
        return;
      }
    }
    serve(req, res);
  };
  return (req, res) => pass(req, res, 0);
}

/**
 * Scrapes and landing pages served at once, shared by both paths; beyond the cap they get 503.
 * A slot is freed when its response is written out, or after `deadlineMs` by cutting it off.
 */
function scrapeLimit(max: number, deadlineMs: number) {
  let serving = 0;
  return {
    tryEnter(res: ServerResponse): boolean {
      if (serving >= max) return false;
      serving++;
      const deadline = setTimeout(() => res.destroy(), deadlineMs).unref();
      res.once("close", () => {
        serving--;
        clearTimeout(deadline);
      });
      return true;
    },
  };
}

/** Whether the client prefers gzip to identity: express's own negotiation (negotiator). */
export function wantsGzip(header: string | undefined): boolean {
  const headers = header === undefined ? {} : { "accept-encoding": header };
  return new Negotiator({ headers }).encoding(["gzip", "identity"]) === "gzip";
}

type ScrapeWriter = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Writes the cached rendering as a 200, gzip when preferred; Node sends no body for HEAD. The
 * negotiation of the last Accept-Encoding seen and the headers of the current rendering are kept,
 * since a Prometheus server sends the same header every time.
 */
function scrapeWriter(exposition: Exposition): ScrapeWriter {
  // The last Accept-Encoding seen and its negotiation, starting from "no header".
  let accept: string | undefined;
  let gzip = wantsGzip(undefined);
  // Weak: a rendering's headers never keep the rendering's bytes alive after the next poll.
  const headers = new WeakMap<Buffer, OutgoingHttpHeaders>();
  return (req, res) => {
    const header = req.headers["accept-encoding"];
    if (header !== accept) {
      accept = header;
      gzip = wantsGzip(header);
    }
    const body = gzip ? exposition.gzipped() : exposition.body();
    let bodyHeaders = headers.get(body);
    if (bodyHeaders === undefined) {
      bodyHeaders = {
        ...SECURITY_HEADERS,
        "Content-Type": exposition.contentType,
        "Cache-Control": "no-store",
        Vary: "Accept-Encoding",
        ...(gzip ? { "Content-Encoding": "gzip" } : {}),
        "Content-Length": body.length,
      };
      headers.set(body, bodyHeaders);
    }
    res.writeHead(200, bodyHeaders);
    res.end(body);
  };
}

function createApp(
  options: AppOptions,
  limit: ReturnType<typeof scrapeLimit>,
  writeScrape: ScrapeWriter,
): Express {
  const { telemetryPath, version, status, logger, dashboard } = options;
  const app = express();
  app.disable("x-powered-by");
  app.disable("etag");
  app.set("query parser", false);
  app.use((_req, res, next) => {
    res.set(SECURITY_HEADERS);
    next();
  });
  // The gates ran first, on every path: a flood of wrong credentials is bounded by basicAuth's
  // own queue and never takes the slots of scrapes whose credentials are right.
  const capped: RequestHandler = (_req, res, next) => {
    if (limit.tryEnter(res)) next();
    else res.status(503).set("Retry-After", "1").type("text").send("Too many concurrent scrapes\n");
  };
  app.use(telemetryPath, capped);
  app.use((req, res, next) => {
    if (req.path === "/") capped(req, res, next);
    else next();
  });

  route(app, telemetryPath, (req, res) => writeScrape(req, res));
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
