import type { Readable } from "node:stream";
import { Agent, request, type Dispatcher } from "undici";
import { LimitError, PayloadError } from "./json-checks.js";
import { jsonBounds, scanJson } from "./json-scan.js";
import { redactParsed } from "./redact-parsed.js";
import { redact, safeText } from "./redaction.js";
import type { FailureOutcome } from "./outcome.js";
import type { TokenSource } from "./token.js";
import { outcomeOfError, outcomeOfStatus } from "./outcome.js";
import { parseRetryAfter } from "./retry-after.js";
import { systemTimers, type Timers } from "../clock/clock.js";

export type Failure = {
  outcome: FailureOutcome;
  /** A short description safe to log: never a body or header, cut to a bound, the token replaced. */
  detail: string;
  status?: number;
  retryAfterMs?: number;
};

export type FetchResult<T> = { outcome: "success"; answer: T } | Failure | { outcome: "aborted" };

export interface UpstreamClientOptions {
  baseUrl: string;
  token: TokenSource;
  timeoutMs: number;
  maxResponseBytes: number;
  /** --useapi.max-accounts: with the field names, the distinct keys an answer may hold. */
  maxAccounts: number;
  userAgent: string;
  now?: () => number;
  /** What arms each request's deadline; the system's unless given (a virtual clock in tests). */
  timers?: Timers;
  dispatcher?: Dispatcher;
}

export interface UpstreamClient {
  /**
   * One GET of `path` under the base URL, its JSON body checked by `parse` (which throws a
   * PayloadError for a body of the wrong shape). Never throws; `signal` aborts it (shutdown).
   */
  get<T>(path: string, parse: (body: unknown) => T, signal?: AbortSignal): Promise<FetchResult<T>>;
  close(): Promise<void>;
}

/** How much longer than --poll.timeout undici's own timeouts wait. */
const BACKSTOP_MARGIN_MS = 5_000;

class TooLargeError extends Error {}

export function createUpstreamClient(options: UpstreamClientOptions): UpstreamClient {
  const { timeoutMs, maxResponseBytes, now = Date.now, timers = systemTimers } = options;
  // undici's own timeouts are only a backstop: the deadline on `timers` is the one that fires.
  const backstopMs = timeoutMs + BACKSTOP_MARGIN_MS;
  const bounds = jsonBounds(maxResponseBytes, options.maxAccounts);
  const ownDispatcher = options.dispatcher === undefined;
  const dispatcher =
    options.dispatcher ??
    new Agent({
      connect: { timeout: backstopMs },
      headersTimeout: backstopMs,
      bodyTimeout: backstopMs,
      keepAliveTimeout: 4_000,
    });

  /** Every failure's detail passes here: the one place upstream text becomes loggable. */
  async function get<T>(
    path: string,
    parse: (body: unknown) => T,
    shutdown?: AbortSignal,
  ): Promise<FetchResult<T>> {
    const result = await fetchOnce(path, parse, shutdown);
    if (result.outcome === "success" || result.outcome === "aborted") return result;
    return { ...result, detail: safeText(result.detail, options.token.secrets()) };
  }

  async function fetchOnce<T>(
    path: string,
    parse: (body: unknown) => T,
    shutdown?: AbortSignal,
  ): Promise<FetchResult<T>> {
    const deadline = new AbortController();
    const timer = timers.setTimeout(() => deadline.abort(), timeoutMs);
    const signal = shutdown ? AbortSignal.any([shutdown, deadline.signal]) : deadline.signal;
    let draining: Readable | undefined;
    try {
      const response = await request(options.baseUrl + path, {
        method: "GET",
        headers: {
          authorization: `Bearer ${options.token.current()}`,
          accept: "application/json",
          "user-agent": options.userAgent,
        },
        signal,
        dispatcher,
      });
      const { statusCode } = response;
      if (statusCode < 200 || statusCode >= 300) {
        draining = response.body;
        response.body.resume();
        const retryAfter = parseRetryAfter(header(response.headers["retry-after"]), now());
        return {
          outcome: outcomeOfStatus(statusCode),
          detail: `HTTP ${statusCode}`,
          status: statusCode,
          ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
        };
      }
      const declared = Number(header(response.headers["content-length"]));
      if (declared > maxResponseBytes) {
        response.body.destroy();
        return tooLarge(declared);
      }
      // Redacted before parsing, so no key or value of the answer (an account ID, a path in a
      // PayloadError) can carry a token into a label, a page or a log line.
      const secrets = options.token.secrets();
      const text = redact(await readCapped(response.body, maxResponseBytes), secrets);
      // Before JSON.parse, whose memory a hostile shape would exhaust.
      const refusal = scanJson(text, bounds);
      if (refusal !== undefined) return refusal;
      let body: unknown;
      try {
        body = parseRedacted(text, secrets);
      } catch (error) {
        return { outcome: "invalid_json", detail: describeJsonError(error, text.length) };
      }
      return { outcome: "success", answer: parse(body) };
    } catch (error) {
      if (shutdown?.aborted) return { outcome: "aborted" };
      if (error instanceof TooLargeError) return tooLarge(undefined);
      if (error instanceof PayloadError)
        return { outcome: "invalid_payload", detail: error.message };
      if (error instanceof LimitError) return { outcome: "limit_exceeded", detail: error.message };
      if (deadline.signal.aborted)
        return { outcome: "timeout", detail: `no answer within ${timeoutMs}ms` };
      return { outcome: outcomeOfError(error), detail: describeError(error) };
    } finally {
      // An error body still draining stays bounded by the deadline until it closes.
      if (draining !== undefined && !draining.closed)
        draining.once("close", () => timers.clearTimeout(timer));
      else timers.clearTimeout(timer);
    }
  }

  function tooLarge(declared: number | undefined): Failure {
    const size = declared === undefined ? "more than" : `${declared} bytes, more than`;
    return { outcome: "too_large", detail: `body of ${size} the ${maxResponseBytes}-byte cap` };
  }

  return {
    get,
    async close() {
      if (ownDispatcher) await dispatcher.destroy();
    },
  };
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The body as text, decoded chunk by chunk: never one buffer the size of the body, which glibc's
 * malloc may keep after it is freed. Invalid UTF-8 becomes U+FFFD and a BOM is kept, as
 * Buffer#toString does.
 */
async function readCapped(body: AsyncIterable<Buffer> & { destroy(): void }, cap: number) {
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  const parts: string[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > cap) {
      body.destroy();
      throw new TooLargeError();
    }
    parts.push(decoder.decode(chunk, { stream: true }));
  }
  parts.push(decoder.decode());
  return parts.join("");
}

/**
 * JSON.parse of text already redacted. An escape (\u0041, or \/ for a slash) could still spell a
 * token, so the strings and keys of a body with any backslash are redacted again once parsed.
 */
function parseRedacted(text: string, secrets: readonly string[]): unknown {
  const body: unknown = JSON.parse(text);
  return text.includes("\\") ? redactParsed(body, secrets) : body;
}

/** V8's message quotes the start of the body, so it is never used: only where parsing stopped. */
function describeJsonError(error: unknown, length: number): string {
  const message = error instanceof Error ? error.message : "";
  const at = /at position (\d+)/.exec(message)?.[1];
  if (at !== undefined) return `body is not valid JSON at position ${at}`;
  if (message.includes("end of JSON input"))
    return `body is not valid JSON: it ends at position ${length}`;
  return "body is not valid JSON at position 0";
}

/**
 * Each error's code and a short reason on one line: an OpenSSL message is cut to its reason, and
 * source paths and newlines are left out. Network errors name the peer but never our headers.
 */
function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 3; depth++) {
    const code = (e as { code?: unknown }).code;
    const reason = shortReason(e.message);
    parts.push(typeof code === "string" ? (reason ? `${code}: ${reason}` : code) : reason);
    e = e.cause;
  }
  return parts.join(" <- ");
}

function shortReason(message: string): string {
  const openssl = /error:[0-9A-Fa-f]+:[^:\n]*:[^:\n]*:([^:\n]+)/.exec(message)?.[1];
  return (openssl ?? message.split("\n")[0] ?? "")
    .replace(/\S*\.(?:c|cc|h|js|mjs|ts):\d+\S*/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 120);
}
