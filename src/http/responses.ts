import type { OutgoingHttpHeaders, ServerResponse } from "node:http";

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
  "Content-Security-Policy":
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
};

/** Security headers, then `headers`: every answer's headers are made here, whoever writes them. */
export function secureHeaders(headers: OutgoingHttpHeaders = {}): OutgoingHttpHeaders {
  return { ...SECURITY_HEADERS, ...headers };
}

export const PLAIN_TEXT = { "Content-Type": "text/plain; charset=utf-8" };

/** A short text answer with the security headers, written without express. */
export function answerText(
  res: ServerResponse,
  status: number,
  body: string,
  headers: OutgoingHttpHeaders = {},
): void {
  const length = { "Content-Length": Buffer.byteLength(body) };
  res.writeHead(status, secureHeaders({ ...PLAIN_TEXT, ...length, ...headers })).end(body);
}

/** The answer beyond --web.max-requests. */
export function answerBusy(res: ServerResponse): void {
  answerText(res, 503, "Too many concurrent scrapes\n", { "Retry-After": "1" });
}
