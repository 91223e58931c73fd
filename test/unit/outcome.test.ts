import { describe, expect, it } from "vitest";
import { outcomeOfError, outcomeOfStatus } from "../../src/upstream/outcome.js";
import { parseRetryAfter } from "../../src/upstream/retry-after.js";

describe("outcomeOfStatus", () => {
  it.each([
    [401, "unauthorized"],
    [403, "unauthorized"],
    [429, "rate_limited"],
    [500, "server_error"],
    [502, "server_error"],
    [503, "server_error"],
    [596, "server_error"],
    [400, "client_error"],
    [404, "client_error"],
    [412, "client_error"],
    [301, "client_error"],
  ])("classifies HTTP %i as %s", (status, outcome) => {
    expect(outcomeOfStatus(status)).toBe(outcome);
  });
});

function codedError(code: string, cause?: Error): Error {
  return Object.assign(new Error(code, cause ? { cause } : {}), { code });
}

describe("outcomeOfError", () => {
  it.each([
    ["a connect timeout", codedError("UND_ERR_CONNECT_TIMEOUT"), "timeout"],
    ["a headers timeout", codedError("UND_ERR_HEADERS_TIMEOUT"), "timeout"],
    ["a body timeout", codedError("UND_ERR_BODY_TIMEOUT"), "timeout"],
    ["an abort by timeout", new DOMException("timed out", "TimeoutError"), "timeout"],
    ["a refused connection", codedError("ECONNREFUSED"), "network"],
    ["a reset", codedError("ECONNRESET"), "network"],
    ["a closed socket", codedError("UND_ERR_SOCKET"), "network"],
    ["a DNS failure", codedError("ENOTFOUND"), "network"],
    [
      "a fetch wrapper around a refusal",
      new TypeError("fetch failed", { cause: codedError("ECONNREFUSED") }),
      "network",
    ],
    [
      "a wrapper around a timeout",
      new Error("failed", { cause: codedError("UND_ERR_HEADERS_TIMEOUT") }),
      "timeout",
    ],
    ["something that is not an Error", "boom", "network"],
  ])("classifies %s as %s", (_name, error, outcome) => {
    expect(outcomeOfError(error)).toBe(outcome);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-11-29T12:00:00Z");
  it.each([
    ["seconds", "30", 30_000],
    ["zero seconds", "0", 0],
    ["seconds with spaces", " 5 ", 5_000],
    ["an HTTP-date in the future", "Sun, 29 Nov 2026 12:01:30 GMT", 90_000],
    ["an HTTP-date in the past", "Sun, 29 Nov 2026 11:00:00 GMT", 0],
  ])("reads %s", (_name, header, ms) => {
    expect(parseRetryAfter(header, now)).toBe(ms);
  });

  it.each([undefined, "", "soon", "-5", "1.5", "in 5 minutes"])("ignores %j", (header) => {
    expect(parseRetryAfter(header, now)).toBeUndefined();
  });
});
