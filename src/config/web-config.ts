import { X509Certificate } from "node:crypto";
import { dirname, resolve } from "node:path";
import { createSecureContext } from "node:tls";
import { isMap, isScalar, parseDocument } from "yaml";
import { MAX_SHOWN_PATH, readBoundedFile } from "./bounded-file.js";
import { ConfigError, shownText } from "./config-error.js";

/** exporter-toolkit's --web.config.file (as node_exporter's): TLS, client certs, basic auth. */
export interface WebConfig {
  tls: TlsSettings | undefined;
  /** User name to bcrypt hash; undefined when basic auth is off. */
  users: ReadonlyMap<string, string> | undefined;
}

export type ClientAuthType = (typeof CLIENT_AUTH_TYPES)[number];

export interface TlsSettings {
  cert: Buffer;
  key: Buffer;
  ca: Buffer | undefined;
  clientAuth: ClientAuthType;
  minVersion: "TLSv1" | "TLSv1.1" | "TLSv1.2" | "TLSv1.3";
  maxVersion: "TLSv1" | "TLSv1.1" | "TLSv1.2" | "TLSv1.3";
}

const CLIENT_AUTH_TYPES = [
  "NoClientCert",
  "RequestClientCert",
  "RequireAnyClientCert",
  "VerifyClientCertIfGiven",
  "RequireAndVerifyClientCert",
] as const;
/** The types that check a client's certificate against client_ca_file. */
const VERIFYING: readonly string[] = ["VerifyClientCertIfGiven", "RequireAndVerifyClientCert"];

const VERSIONS = { TLS10: "TLSv1", TLS11: "TLSv1.1", TLS12: "TLSv1.2", TLS13: "TLSv1.3" } as const;
const TOP_KEYS = ["tls_server_config", "http_server_config", "basic_auth_users"];
const TLS_KEYS = [
  "cert_file",
  "key_file",
  "client_auth_type",
  "client_ca_file",
  "min_version",
  "max_version",
];
const VERSION_ORDER = Object.keys(VERSIONS);
const BCRYPT = /^\$2[aby]\$(\d{2})\$[./A-Za-z0-9]{53}$/;
/** One check at cost 14 took 1.1 s with @node-rs/bcrypt here (12: 0.27 s, 16: 4.7 s). */
const MAX_BCRYPT_COST = 14;
/** yaml's bound on alias uses times the aliases in each (its default); web configs need none. */
const MAX_ALIAS_COUNT = 100;
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g;

const FLAG = "--web.config.file";
/** Characters of a key (a user name) shown in an error; values are never shown. */
const MAX_SHOWN_KEY = 32;
/** What an unknown key must look like to be shown: a field name, not a line of some other file. */
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,31}$/;
/** Largest web config, certificate, key or CA file read; real ones are a few KiB. */
export const MAX_WEB_FILE_BYTES = 1024 * 1024;

function fail(field: string, problem: string): never {
  throw new ConfigError(FLAG, `${field}: ${problem}`);
}

/** A plain mapping: YAML's !!omap, !!set and !!binary make a Map, a Set and bytes, not records. */
function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function checkKeys(record: Record<string, unknown>, allowed: string[], prefix: string): void {
  const supported =
    allowed.length === 0
      ? "(the exporter supports none of its fields)"
      : `(supported: ${allowed.join(", ")})`;
  for (const key of Object.keys(record)) {
    if (allowed.includes(key)) continue;
    // Pointed at another file, its first line would land here: shown only if it looks like a field.
    if (!FIELD_NAME.test(key)) {
      const where = prefix === "" ? "a top-level key" : `a key in ${prefix.slice(0, -1)}`;
      throw new ConfigError(
        FLAG,
        `${where} is unknown and not shown, as it is not a field name ${supported}`,
      );
    }
    fail(`${prefix}${key}`, `unknown or unsupported field ${supported}`);
  }
}

/** Keys YAML would make text (numbers, booleans, collections), where keys mean something. */
function checkKeyTypes(node: unknown, prefix: string): void {
  if (!isMap(node)) return;
  for (const { key, value } of node.items) {
    const name = shownText(isScalar(key) ? String(key.value) : String(key), MAX_SHOWN_KEY);
    const field = prefix === "" ? name : `${prefix}.${name}`;
    if (!isScalar(key) || typeof key.value !== "string") {
      const kind = !isScalar(key)
        ? "a collection"
        : key.value === null
          ? "null"
          : `a ${typeof key.value}`;
      fail(field, `the key is ${kind}, not a string (quote it)`);
    }
    if (prefix === "" && TOP_KEYS.includes(key.value)) checkKeyTypes(value, field);
  }
}

/** toJS throws on an alias to nothing and on aliases expanding past its bound (billion laughs). */
function toPlain(parsed: ReturnType<typeof parseDocument>, shownPath: string): unknown {
  try {
    return parsed.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message = (error as Error).message;
    fail(
      shownPath,
      /excessive alias count/i.test(message)
        ? "invalid YAML: its aliases expand too far (as in a billion laughs attack)"
        : /unresolved alias/i.test(message)
          ? "invalid YAML: an alias names no anchor before it"
          : "invalid YAML",
    );
  }
}

/** Reads and checks the file; every problem is one ConfigError naming the field. */
export function loadWebConfig(path: string): WebConfig {
  const read = readBoundedFile(path, MAX_WEB_FILE_BYTES);
  if (!read.ok) throw new ConfigError(FLAG, read.problem);
  const parsed = parseDocument(read.data.toString("utf8"));
  const shownPath = `"${shownText(path, MAX_SHOWN_PATH)}"`;
  const [error] = parsed.errors;
  if (error !== undefined) {
    const line = error.linePos?.[0]?.line;
    fail(shownPath, `invalid YAML${line === undefined ? "" : ` at line ${line}`}`);
  }
  checkKeyTypes(parsed.contents, "");
  const doc = toPlain(parsed, shownPath);
  if (doc === null || doc === undefined) return { tls: undefined, users: undefined };
  if (!isRecord(doc)) fail(shownPath, "must be a YAML mapping");
  checkKeys(doc, TOP_KEYS, "");
  const base = dirname(resolve(path));
  const load: LoadFile = (file, field) => {
    const named = readBoundedFile(resolve(base, file), MAX_WEB_FILE_BYTES, "the file it names");
    return named.ok ? named.data : fail(field, named.problem);
  };
  const http = doc["http_server_config"];
  if (http !== undefined && http !== null) {
    if (!isRecord(http)) fail("http_server_config", "must be a mapping");
    checkKeys(http, [], "http_server_config.");
  }
  return {
    tls: loadTls(doc["tls_server_config"], load),
    users: loadUsers(doc["basic_auth_users"]),
  };
}

type LoadFile = (file: string, field: string) => Buffer;

function loadTls(raw: unknown, load: LoadFile): TlsSettings | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isRecord(raw)) fail("tls_server_config", "must be a mapping");
  checkKeys(raw, TLS_KEYS, "tls_server_config.");
  const at = (key: string) => `tls_server_config.${key}`;
  const text = (key: string): string | undefined => {
    const value = raw[key];
    if (value === undefined || value === null || value === "") return undefined;
    if (typeof value !== "string") fail(at(key), "must be a string");
    return value;
  };
  const certFile = text("cert_file");
  const keyFile = text("key_file");
  if (certFile === undefined) fail(at("cert_file"), "is required");
  if (keyFile === undefined) fail(at("key_file"), "is required");
  const cert = load(certFile, at("cert_file"));
  const key = load(keyFile, at("key_file"));
  const clientAuth = text("client_auth_type") ?? "NoClientCert";
  if (!(CLIENT_AUTH_TYPES as readonly string[]).includes(clientAuth)) {
    fail(at("client_auth_type"), `is not one of ${CLIENT_AUTH_TYPES.join(", ")}`);
  }
  const caFile = text("client_ca_file");
  const ca = caFile === undefined ? undefined : load(caFile, at("client_ca_file"));
  if (ca === undefined && VERIFYING.includes(clientAuth)) {
    fail(at("client_ca_file"), `is required with client_auth_type ${clientAuth}`);
  }
  const version = (field: string, fallback: keyof typeof VERSIONS) => {
    const name = text(field) ?? fallback;
    if (!VERSION_ORDER.includes(name)) fail(at(field), `is not one of ${VERSION_ORDER.join(", ")}`);
    return name as keyof typeof VERSIONS;
  };
  const min = version("min_version", "TLS12");
  const max = version("max_version", "TLS13");
  if (VERSION_ORDER.indexOf(min) > VERSION_ORDER.indexOf(max)) {
    fail(at("min_version"), `${min} is above max_version ${max}`);
  }
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    const reason = (error as Error).message.split("\n")[0] ?? "invalid";
    fail("tls_server_config", `certificate and key do not load (${reason})`);
  }
  if (ca !== undefined) {
    const blocks = ca.toString("latin1").match(PEM_CERTIFICATE) ?? [];
    try {
      if (blocks.length === 0) throw new Error("no certificate");
      for (const block of blocks) new X509Certificate(block);
      createSecureContext({ ca });
    } catch {
      fail("tls_server_config.client_ca_file", "is not a PEM certificate");
    }
  }
  return {
    cert,
    key,
    ca,
    clientAuth: clientAuth as ClientAuthType,
    minVersion: VERSIONS[min],
    maxVersion: VERSIONS[max],
  };
}

function loadUsers(raw: unknown): ReadonlyMap<string, string> | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isRecord(raw)) fail("basic_auth_users", "must be a mapping of user name to bcrypt hash");
  const users = new Map<string, string>();
  for (const [user, hash] of Object.entries(raw)) {
    const field = `basic_auth_users.${shownText(user, MAX_SHOWN_KEY)}`;
    if (user === "" || user.includes(":")) {
      fail(field, "a user name must be non-empty and contain no colon");
    }
    const match = typeof hash === "string" ? BCRYPT.exec(hash) : null;
    if (typeof hash !== "string" || match === null) {
      fail(field, "is not a bcrypt hash ($2y$, $2b$ or $2a$, as htpasswd -nBC 10 makes)");
    }
    const cost = Number(match[1]);
    if (cost < 4 || cost > 31) fail(field, `bcrypt cost ${match[1]} is invalid (4 to 31)`);
    if (cost > MAX_BCRYPT_COST) {
      fail(
        field,
        `bcrypt cost ${cost} makes each login take seconds (at most ${MAX_BCRYPT_COST}; htpasswd -nBC 10 makes 10)`,
      );
    }
    users.set(user, hash);
  }
  return users.size === 0 ? undefined : users;
}
