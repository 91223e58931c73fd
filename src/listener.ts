import { createServer, type Server, type RequestListener } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { Config } from "./config.js";
import type { TlsSettings } from "./web-config.js";

const LIMITS = { maxHeaderSize: 8 * 1024 };

/** Starts the HTTP or HTTPS server with the request limits; resolves with its base URL. */
export async function listen(
  app: RequestListener,
  address: Config["listen"],
  tls: TlsSettings | undefined,
): Promise<{ server: Server; url: string }> {
  const server = tls
    ? createTlsServer(
        {
          ...LIMITS,
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
    : createServer(LIMITS, app);
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
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
