import type { OutgoingHttpHeaders, ServerResponse } from "node:http";

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
  "Content-Security-Policy":
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
};

/**
 * The headers of an answer: the security headers every answer carries, then `headers`. Every
 * answer's headers are made here, whoever writes them (express, a gate, a scrape, a raw socket).
 */
export function secureHeaders(headers: OutgoingHttpHeaders = {}): OutgoingHttpHeaders {
  return { ...SECURITY_HEADERS, ...headers };
}

/** A short text answer with the security headers, written without express. */
export function answerText(
  res: ServerResponse,
  status: number,
  body: string,
  headers: OutgoingHttpHeaders = {},
): void {
  res
    .writeHead(
      status,
      secureHeaders({
        "Content-Type": "text/plain; charset=utf-8",
        "Content-Length": Buffer.byteLength(body),
        ...headers,
      }),
    )
    .end(body);
}

/** The answer beyond --web.max-requests. */
export function answerBusy(res: ServerResponse): void {
  answerText(res, 503, "Too many concurrent scrapes\n", { "Retry-After": "1" });
}
