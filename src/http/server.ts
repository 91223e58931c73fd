import { createServer, type Server, type RequestListener } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { Config } from "../config/config.js";
import { answerClientError, answerExpectation } from "./node-answers.js";
import type { TlsSettings } from "../config/web-config.js";

/** Time to send the request headers, then the whole request (408 beyond), and a TLS handshake. */
const LISTEN_LIMITS = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  handshakeTimeoutMs: 10_000,
};
export type ListenLimits = typeof LISTEN_LIMITS;

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
    // Node's own 400 would lack the security headers: the handler answers it instead.
    requireHostHeader: false,
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
  server.on("checkExpectation", answerExpectation);
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
