import type { RequestListener, ServerResponse } from "node:http";
import { createApp, type AppOptions } from "./app.js";
import { behindGates } from "./gates.js";
import { requestCap, RESPONSE_TIMEOUT_MS } from "./request-cap.js";
import { answerBusy, answerText } from "./responses.js";
import { loadRunbook } from "./runbook-file.js";
import { scrapeWriter } from "./scrape.js";

/**
 * The HTTP surface: the gates first on every path, without express, so that refusals cost little;
 * then a plain scrape without express too (bench/RESULTS.md's serving goal: through express it got
 * 0.25-0.51 of bare node:http's requests per second, p99 2.5-4.7 times), the rest through express.
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
    const scrape = url === telemetryPath || url.startsWith(query);
    if (!scrape || (req.method !== "GET" && req.method !== "HEAD")) app(req, res);
    else if (!cap.tryEnter(res)) answerBusy(res);
    else {
      try {
        writeScrape(req, res);
      } catch (error) {
        failed(res, error);
      }
    }
  };
  const gated = behindGates(options.guards ?? [], serve, failed);
  return (req, res) => {
    // Node's own 400 to HTTP/1.1 without Host (RFC 9112 3.2) lacks security headers: ours instead.
    if (req.headers.host === undefined && req.httpVersion === "1.1") {
      answerText(res, 400, "Bad Request\n", { Connection: "close" });
    } else gated(req, res);
  };
}
