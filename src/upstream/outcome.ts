export const OUTCOMES = [
  "success",
  "unauthorized",
  "rate_limited",
  "server_error",
  "client_error",
  "timeout",
  "network",
  "invalid_json",
  "invalid_payload",
  "too_large",
  "limit_exceeded",
] as const;
export type Outcome = (typeof OUTCOMES)[number];
export type FailureOutcome = Exclude<Outcome, "success">;

/** The outcome of a non-2xx HTTP status. Redirects are not followed and count as client errors. */
export function outcomeOfStatus(status: number): FailureOutcome {
  if (status === 401 || status === 403) return "unauthorized";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "server_error";
  return "client_error";
}

const TIMEOUT_CODES = new Set([
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "ETIMEDOUT",
]);

/** The outcome of an error thrown while talking to the upstream (no HTTP status). */
export function outcomeOfError(error: unknown): "timeout" | "network" {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (e.name === "TimeoutError" || (typeof code === "string" && TIMEOUT_CODES.has(code))) {
      return "timeout";
    }
    e = e.cause;
  }
  return "network";
}
