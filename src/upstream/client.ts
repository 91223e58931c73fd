import type { Readable } from "node:stream";
import { Agent, request, type Dispatcher } from "undici";
import { LimitError, PayloadError } from "./json-checks.js";
import { jsonBounds, scanJson } from "./json-scan.js";
import { redactParsed } from "./redact-parsed.js";
import { redact, safeText } from "./redaction.js";
import { outcomeOfError, outcomeOfStatus, type FailureOutcome } from "./outcome.js";
import type { TokenSource } from "./token.js";
import { parseRetryAfter } from "./retry-after.js";
import { systemTimers, type Timers } from "../clock/clock.js";

export type Failure = {
  outcome: FailureOutcome;
  /** Safe to log: never a body or header, cut to a bound, the token replaced. */
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
  /** One GET under the base URL, its JSON checked by `parse`; never throws; `signal` aborts it. */
  get<T>(path: string, parse: (body: unknown) => T, signal?: AbortSignal): Promise<FetchResult<T>>;
  close(): Promise<void>;
}

class TooLargeError extends Error {}

export function createUpstreamClient(options: UpstreamClientOptions): UpstreamClient {
  const { timeoutMs, maxResponseBytes, now = Date.now, timers = systemTimers } = options;
  // undici's own timeouts are only a backstop: the deadline on `timers` is the one that fires.
  const backstopMs = timeoutMs + 5_000;
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

  const fetchOnce: UpstreamClient["get"] = async (path, parse, shutdown) => {
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
        draining = response.body.resume();
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
      // Redacted before parsing: no key or value (an account ID, a path) can carry a token.
      const secrets = options.token.secrets();
      const text = redact(await readCapped(response.body, maxResponseBytes), secrets);
      // Before JSON.parse, whose memory a hostile shape would exhaust.
      const refusal = scanJson(text, bounds);
      if (refusal !== undefined) return refusal;
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (error) {
        return { outcome: "invalid_json", detail: describeJsonError(error, text.length) };
      }
      // An escape (\u0041, \/) could still spell a token: the parsed strings are redacted again.
      if (text.includes("\\")) body = redactParsed(body, secrets);
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
  };

  function tooLarge(declared: number | undefined): Failure {
    const size = declared === undefined ? "more than" : `${declared} bytes, more than`;
    return { outcome: "too_large", detail: `body of ${size} the ${maxResponseBytes}-byte cap` };
  }

  return {
    // Every failure's detail passes here: the one place upstream text becomes loggable.
    async get(path, parse, shutdown) {
      const result = await fetchOnce(path, parse, shutdown);
      if (result.outcome === "success" || result.outcome === "aborted") return result;
      return { ...result, detail: safeText(result.detail, options.token.secrets()) };
    },
    async close() {
      if (ownDispatcher) await dispatcher.destroy();
    },
  };
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Decoded chunk by chunk: glibc's malloc may keep a buffer the size of the body once freed. */
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

/** V8's message quotes the start of the body, so it is never used: only where parsing stopped. */
function describeJsonError(error: unknown, length: number): string {
  const message = error instanceof Error ? error.message : "";
  const at = /at position (\d+)/.exec(message)?.[1];
  if (at !== undefined) return `body is not valid JSON at position ${at}`;
  if (message.includes("end of JSON input"))
    return `body is not valid JSON: it ends at position ${length}`;
  return "body is not valid JSON at position 0";
}

/** Each error's code and short reason, one line: they name the peer, never our headers. */
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
