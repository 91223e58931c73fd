import type { RequestListener, ServerResponse } from "node:http";
import { createApp, type AppOptions } from "./app.js";
import { behindGates } from "./gates.js";
import { requestCap, RESPONSE_TIMEOUT_MS } from "./request-cap.js";
import { answerBusy, answerText } from "./responses.js";
import { loadRunbook } from "./runbook-file.js";
import { scrapeWriter } from "./scrape.js";

/**
 * The exporter's HTTP surface. The gates (client certificates, basic auth) run first on every
 * path, without express, so that a flood of refused requests costs as little as it can. Then a
 * plain scrape (GET or HEAD of exactly the telemetry path) is answered here without express too,
 * for the serving goal of bench/RESULTS.md: through express it reached 0.25-0.51 of a bare
 * node:http server's requests per second, p99 2.5-4.7 times its. Everything else goes through
 * the express app, which answers a scrape with the same headers and bytes.
 */
export function createHandler(options: AppOptions): RequestListener {
  const cap = requestCap(
    options.maxRequests ?? Infinity,
    options.responseTimeoutMs ?? RESPONSE_TIMEOUT_MS,
  );
  const writeScrape = scrapeWriter(options.exposition);
  const runbook = options.runbook === undefined ? loadRunbook() : (options.runbook ?? undefined);
  const app = createApp(options, cap, writeScrape, runbook);
  const { telemetryPath, logger } = options;
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
      (url === telemetryPath || url.startsWith(query))
    ) {
      if (!cap.tryEnter(res)) {
        answerBusy(res);
        return;
      }
      try {
        writeScrape(req, res);
      } catch (error) {
        failed(res, error);
      }
      return;
    }
    app(req, res);
  };
  const gated = behindGates(options.guards ?? [], serve, failed);
  return (req, res) => {
    // Node's own 400 to an HTTP/1.1 request without a Host header (RFC 9112 3.2) would lack the
    // security headers: it is answered here, ahead of the gates.
    if (
      req.headers.host === undefined &&
      req.httpVersionMajor === 1 &&
      req.httpVersionMinor === 1
    ) {
      answerText(res, 400, "Bad Request\n", { Connection: "close" });
    } else gated(req, res);
  };
}
