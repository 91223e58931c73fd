import { TLSSocket } from "node:tls";
import { createCredentialChecks, type CredentialCheckOptions } from "./credential-checks.js";
import type { Gate } from "./gates.js";
import { answerText } from "./responses.js";
import type { ClientAuthType } from "../config/web-config.js";

/** Basic auth against bcrypt hashes on every path: 401 with a challenge, 503 when too many wait. */
export function basicAuth(
  users: ReadonlyMap<string, string>,
  realm: string,
  options: Omit<CredentialCheckOptions, "users"> = {},
): Gate {
  const checks = createCredentialChecks({ ...options, users });
  const challenge = { "WWW-Authenticate": `Basic realm="${realm}", charset="UTF-8"` };
  const answer = (res: Parameters<Gate>[1], result: boolean | "busy"): boolean => {
    if (result === "busy")
      answerText(res, 503, "Too many logins waiting\n", { "Retry-After": "1" });
    else if (!result) answerText(res, 401, "Unauthorized\n", challenge);
    return result === true;
  };

  return (req, res) => {
    const credentials = parseBasic(req.headers.authorization);
    if (credentials === undefined) return answer(res, false);
    const result = checks.check(credentials[0], credentials[1]);
    return typeof result === "object" ? result.then((r) => answer(res, r)) : answer(res, result);
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

/** What a TLS handshake can't enforce: RequireAnyClientCert and VerifyClientCertIfGiven's check. */
export function clientCertCheck(type: ClientAuthType): Gate | undefined {
  if (type !== "RequireAnyClientCert" && type !== "VerifyClientCertIfGiven") return undefined;
  return (req, res) => {
    const socket = req.socket;
    if (!(socket instanceof TLSSocket)) return true;
    const presented = Object.keys(socket.getPeerCertificate()).length > 0;
    const ok = type === "RequireAnyClientCert" ? presented : !presented || socket.authorized;
    if (!ok) answerText(res, 403, "Client certificate required or not trusted\n");
    return ok;
  };
}
