import { createHash } from "node:crypto";
import { TLSSocket } from "node:tls";
import bcrypt from "bcryptjs";
import type { RequestHandler } from "express";
import type { ClientAuthType } from "./web-config.js";

/** Compared against when the user is unknown, so that timing does not tell which users exist. */
const DUMMY_HASH = "$2y$10$nzgJ949J0wGVHjz6dI.tf.vchSu79NvDQTaDibLwP11jDzaVF/Sxq";
/** Successful logins remembered, so that a scrape does not pay for bcrypt every time. */
const CACHE_SIZE = 64;

/**
 * HTTP basic auth against bcrypt hashes (exporter-toolkit's basic_auth_users) on every path.
 * Wrong or missing credentials get 401 with a WWW-Authenticate challenge.
 */
export function basicAuth(users: ReadonlyMap<string, string>, realm: string): RequestHandler {
  const verified = new Set<string>();
  const challenge = `Basic realm="${realm}", charset="UTF-8"`;

  return async (req, res, next) => {
    const credentials = parseBasic(req.headers.authorization);
    if (credentials !== undefined) {
      const [user, password] = credentials;
      const hash = users.get(user);
      const key = createHash("sha256")
        .update(`${user}\0${password}\0${hash ?? ""}`)
        .digest("hex");
      if (hash !== undefined && verified.has(key)) {
        next();
        return;
      }
      const ok = await bcrypt.compare(password, hash ?? DUMMY_HASH);
      if (ok && hash !== undefined) {
        if (verified.size >= CACHE_SIZE) verified.clear();
        verified.add(key);
        next();
        return;
      }
    }
    res.status(401).set("WWW-Authenticate", challenge).type("text").send("Unauthorized\n");
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
