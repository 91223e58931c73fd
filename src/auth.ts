import { TLSSocket } from "node:tls";
import type { RequestHandler } from "express";
import { createCredentialChecks, type CredentialCheckOptions } from "./credential-checks.js";
import type { ClientAuthType } from "./web-config.js";

/**
 * HTTP basic auth against bcrypt hashes (exporter-toolkit's basic_auth_users) on every path.
 * Wrong or missing credentials get 401 with a WWW-Authenticate challenge; when too many checks
 * are already waiting for bcrypt, 503 with Retry-After at once. A cached login passes at once.
 */
export function basicAuth(
  users: ReadonlyMap<string, string>,
  realm: string,
  options: Omit<CredentialCheckOptions, "users"> = {},
): RequestHandler {
  const checks = createCredentialChecks({ ...options, users });
  const challenge = `Basic realm="${realm}", charset="UTF-8"`;

  return (req, res, next) => {
    const credentials = parseBasic(req.headers.authorization);
    const answer = (result: boolean | "busy") => {
      if (result === true) next();
      else if (result === "busy")
        res.status(503).set("Retry-After", "1").type("text").send("Too many logins waiting\n");
      else res.status(401).set("WWW-Authenticate", challenge).type("text").send("Unauthorized\n");
    };
    if (credentials === undefined) {
      answer(false);
      return;
    }
    const result = checks.check(credentials[0], credentials[1]);
    if (typeof result === "object") void result.then(answer, next);
    else answer(result);
  };
}

function parseBasic(header: string | undefined): [string, string] | undefined {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header ?? "");
  if (!match?.[1]) return undefined;
  const text = Buffer.from(match[1], "base64").toString("utf8");
  const colon = text.indexOf(":");
  if (colon < 0) return undefined;
  return [text.slice(0, colon), text.slice(colon + 1)];
}

/**
 * The client-certificate rules the TLS handshake alone cannot express: RequireAnyClientCert needs
 * a certificate (any), VerifyClientCertIfGiven rejects one that does not verify.
 */
export function clientCertCheck(type: ClientAuthType): RequestHandler | undefined {
  if (type !== "RequireAnyClientCert" && type !== "VerifyClientCertIfGiven") return undefined;
  return (req, res, next) => {
    const socket = req.socket;
    if (!(socket instanceof TLSSocket)) {
      next();
      return;
    }
    const presented = Object.keys(socket.getPeerCertificate()).length > 0;
    const ok = type === "RequireAnyClientCert" ? presented : !presented || socket.authorized;
    if (ok) next();
    else res.status(403).type("text").send("Client certificate required or not trusted\n");
  };
}
