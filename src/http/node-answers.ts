// Node's own answers carry no security headers: the server listens with these (and
// requireHostHeader false) so that they are written here, with them.
import {
  STATUS_CODES,
  type IncomingMessage,
  type RequestListener,
  type ServerResponse,
} from "node:http";
import type { Socket } from "node:net";
import { answerText, secureHeaders } from "./responses.js";

const closing = { Connection: "close" };

/** `listener`, behind the 400 Node gives an HTTP/1.1 request without a Host header (RFC 9112 3.2). */
export function requiringHost(listener: RequestListener): RequestListener {
  return (req, res) => {
    if (
      req.headers.host === undefined &&
      req.httpVersionMajor === 1 &&
      req.httpVersionMinor === 1
    ) {
      answerText(res, 400, "Bad Request\n", closing);
    } else listener(req, res);
  };
}

/** The 417 to an Expect header other than 100-continue (the 'checkExpectation' event). */
export function answerExpectation(_req: IncomingMessage, res: ServerResponse): void {
  answerText(res, 417, "Expectation Failed\n", closing);
}

/** Node's own 400, 408 and 431 answers (the 'clientError' event), written on the raw socket. */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  const inProgress = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  const http = error.code?.startsWith("HPE_") === true || error.code === "ERR_HTTP_REQUEST_TIMEOUT";
  // Not HTTP's to answer (a TLS handshake that failed or timed out, a reset): just close.
  if (!http || !socket.writable || inProgress?.headersSent === true) {
    socket.destroy();
    return;
  }
  const status =
    error.code === "HPE_HEADER_OVERFLOW"
      ? 431
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? 408
        : 400;
  const body = `${STATUS_CODES[status] ?? "Bad Request"}\n`;
  const headers = Object.entries(
    secureHeaders({
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Length": String(Buffer.byteLength(body)),
      ...closing,
    }),
  )
    .map(([name, value]) => `${name}: ${String(value)}\r\n`)
    .join("");
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${headers}\r\n${body}`);
}
