// Node's own answers carry no security headers: the server listens with these (and
// requireHostHeader false, handler.ts answering a missing Host) so that they are written here.
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { answerText, PLAIN_TEXT, secureHeaders } from "./responses.js";

const closing = { Connection: "close" };
const STATUS: Record<string, number> = { HPE_HEADER_OVERFLOW: 431, ERR_HTTP_REQUEST_TIMEOUT: 408 };

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
  const status = STATUS[error.code ?? ""] ?? 400;
  const body = `${STATUS_CODES[status] ?? "Bad Request"}\n`;
  const length = { "Content-Length": Buffer.byteLength(body) };
  const headers = Object.entries(secureHeaders({ ...PLAIN_TEXT, ...length, ...closing }))
    .map(([name, value]) => `${name}: ${String(value)}\r\n`)
    .join("");
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${headers}\r\n${body}`);
}
