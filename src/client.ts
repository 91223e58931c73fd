import { Agent, request, type Dispatcher } from "undici";
import { PayloadError } from "./boundary.js";
import type { FailureOutcome } from "./outcome.js";
import type { TokenSource } from "./token.js";
import { outcomeOfError, outcomeOfStatus, parseRetryAfter } from "./outcome.js";

export type Failure = {
  outcome: FailureOutcome;
  /** A short description safe to log: never a body, header or the token. */
  detail: string;
  status?: number;
  retryAfterMs?: number;
};

export type FetchResult<T> = { outcome: "success"; payload: T } | Failure | { outcome: "aborted" };

export interface UpstreamClientOptions {
  baseUrl: string;
  token: TokenSource;
  timeoutMs: number;
  maxResponseBytes: number;
  userAgent: string;
  now?: () => number;
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

class TooLargeError extends Error {}

export function createUpstreamClient(options: UpstreamClientOptions): UpstreamClient {
  const { timeoutMs, maxResponseBytes, now = Date.now } = options;
  const ownDispatcher = options.dispatcher === undefined;
  const dispatcher =
    options.dispatcher ??
    new Agent({
      connect: { timeout: timeoutMs },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      keepAliveTimeout: 4_000,
    });

  async function get<T>(
    path: string,
    parse: (body: unknown) => T,
    shutdown?: AbortSignal,
  ): Promise<FetchResult<T>> {
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = shutdown ? AbortSignal.any([shutdown, deadline]) : deadline;
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
      const text = await readCapped(response.body, maxResponseBytes);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (error) {
        return { outcome: "invalid_json", detail: (error as Error).message.slice(0, 200) };
      }
      return { outcome: "success", payload: parse(body) };
    } catch (error) {
      if (shutdown?.aborted) return { outcome: "aborted" };
      if (error instanceof TooLargeError) return tooLarge(undefined);
      if (error instanceof PayloadError)
        return { outcome: "invalid_payload", detail: error.message };
      if (deadline.aborted)
        return { outcome: "timeout", detail: `no answer within ${timeoutMs}ms` };
      return { outcome: outcomeOfError(error), detail: describeError(error) };
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
 * malloc would keep after it is freed (see exposition.ts). Invalid UTF-8 becomes U+FFFD and a BOM
 * is kept, as Buffer#toString does.
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

/** An error's code and message, which for network errors name the peer but never our headers. */
function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 3; depth++) {
    const code = (e as { code?: unknown }).code;
    parts.push(typeof code === "string" ? `${code}: ${e.message}` : e.message);
    e = e.cause;
  }
  return parts.join(" <- ").slice(0, 300);
}
