import { createServer, STATUS_CODES, type Server, type RequestListener } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import type { Config } from "../config/config.js";
import { SECURITY_HEADERS } from "./handler.js";
import type { TlsSettings } from "../config/web-config.js";

export interface ListenLimits {
  /** Time to send the request headers (408 beyond). */
  headersTimeoutMs: number;
  /** Time to send the whole request (408 beyond). */
  requestTimeoutMs: number;
  /** Time for a TLS client to finish its handshake. */
  handshakeTimeoutMs: number;
}

export const LISTEN_LIMITS: ListenLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  handshakeTimeoutMs: 10_000,
};

const MAX_HEADER_BYTES = 8 * 1024;

/** Starts the HTTP or HTTPS server with the request limits; resolves with its base URL. */
export async function listen(
  app: RequestListener,
  address: Config["listen"],
  tls: TlsSettings | undefined,
  limits: ListenLimits = LISTEN_LIMITS,
): Promise<{ server: Server; url: string }> {
  const common = {
    maxHeaderSize: MAX_HEADER_BYTES,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    // Node checks both timeouts only this often (30 s by default): make them hold within 10 %.
    connectionsCheckingInterval: Math.max(10, Math.min(1_000, limits.headersTimeoutMs / 10)),
  };
  const server = tls
    ? createTlsServer(
        {
          ...common,
          handshakeTimeout: limits.handshakeTimeoutMs,
          cert: tls.cert,
          key: tls.key,
          ...(tls.ca ? { ca: tls.ca } : {}),
          requestCert: tls.clientAuth !== "NoClientCert",
          rejectUnauthorized: tls.clientAuth === "RequireAndVerifyClientCert",
          minVersion: tls.minVersion,
          maxVersion: tls.maxVersion,
        },
        app,
      )
    : createServer(common, app);
  server.on("clientError", answerClientError);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(address.port, address.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  const wildcard = bound.address === "::" || bound.address === "0.0.0.0";
  const host = wildcard
    ? "localhost"
    : bound.family === "IPv6"
      ? `[${bound.address}]`
      : bound.address;
  return { server, url: `${tls ? "https" : "http"}://${host}:${bound.port}` };
}

/** Node's own 400, 408 and 431 answers, with the security headers every other answer carries. */
function answerClientError(error: Error & { code?: string }, socket: Socket): void {
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
  const headers = Object.entries({
    ...SECURITY_HEADERS,
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Length": String(Buffer.byteLength(body)),
    Connection: "close",
  })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${headers}\r\n${body}`);
}
