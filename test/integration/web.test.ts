import { once } from "node:events";
import { makeFifo } from "../fifo.js";
import { mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashSync } from "@node-rs/bcrypt";
import { Agent, request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuth } from "../../src/http/auth.js";
import { ConfigError } from "../../src/config/config-error.js";
import { listen } from "../../src/http/server.js";
import { createLogger } from "../../src/logging/logger.js";
import { STUB_STATUS } from "../landing-status.js";
import { createHandler } from "../../src/http/handler.js";
import { loadWebConfig, MAX_WEB_FILE_BYTES } from "../../src/config/web-config.js";
import { makeCerts, type TestCerts } from "../certs.js";
import { get, startStack, type Stack } from "../harness.js";
import { logRecords } from "../log-records.js";
import { stalledRequest, testHandler, trackSockets } from "../stall.js";

let certs: TestCerts;
let dir: string;
const HASH = hashSync("s3cret", 10).replace(/^\$2b\$/, "$2y$");

function webConfig(name: string, yaml: string): string {
  const path = join(dir, name);
  writeFileSync(path, yaml);
  return path;
}

function failure(yaml: string): string {
  try {
    loadWebConfig(webConfig("bad.yml", yaml));
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected an error");
}

beforeAll(() => {
  certs = makeCerts();
  dir = mkdtempSync(join(tmpdir(), "web-"));
  for (const [name, text] of Object.entries({
    "server.crt": certs.serverCert,
    "server.key": certs.serverKey,
    "ca.crt": certs.caCert,
    "rogue.key": certs.rogueKey,
    "notes.txt": "clients: alice, bob\n",
    "fake.crt":
      "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n",
  })) {
    writeFileSync(join(dir, name), text);
  }
});

const TLS = "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n";

describe("loadWebConfig", () => {
  it("reads TLS files relative to the config file and basic auth users", () => {
    const config = loadWebConfig(
      webConfig("ok.yml", `${TLS}basic_auth_users:\n  alice: "${HASH}"\n`),
    );
    expect(config.tls?.clientAuth).toBe("NoClientCert");
    expect(config.tls?.minVersion).toBe("TLSv1.2");
    expect(config.tls?.cert.toString()).toBe(certs.serverCert);
    expect([...(config.users ?? [])]).toEqual([["alice", HASH]]);
  });

  it("accepts an empty file as no TLS and no auth", () => {
    expect(loadWebConfig(webConfig("empty.yml", ""))).toEqual({ tls: undefined, users: undefined });
  });

  it.each([
    ["bad YAML", "tls_server_config: [\n", "invalid YAML at line"],
    ["an unknown top-level key", "tls_config: {}\n", "tls_config: unknown or unsupported field"],
    [
      "an unknown TLS key",
      `${TLS}  cipher_suites: [x]\n`,
      "tls_server_config.cipher_suites: unknown or unsupported field",
    ],
    [
      "a missing key file",
      "tls_server_config:\n  cert_file: server.crt\n",
      "tls_server_config.key_file: is required",
    ],
    [
      "an unreadable cert",
      "tls_server_config:\n  cert_file: nope.crt\n  key_file: server.key\n",
      "tls_server_config.cert_file: cannot read the file it names (ENOENT)",
    ],
    [
      "a key that does not match the certificate",
      "tls_server_config:\n  cert_file: server.crt\n  key_file: rogue.key\n",
      "tls_server_config: certificate and key do not load",
    ],
    [
      "a bad client auth type",
      `${TLS}  client_auth_type: Always\n`,
      "tls_server_config.client_auth_type: is not one of NoClientCert,",
    ],
    [
      "verification without a CA",
      `${TLS}  client_auth_type: RequireAndVerifyClientCert\n`,
      "tls_server_config.client_ca_file: is required with client_auth_type RequireAndVerifyClientCert",
    ],
    [
      "optional verification without a CA",
      `${TLS}  client_auth_type: VerifyClientCertIfGiven\n`,
      "tls_server_config.client_ca_file: is required with client_auth_type VerifyClientCertIfGiven",
    ],
    [
      "a bad TLS version",
      `${TLS}  min_version: TLS14\n`,
      "tls_server_config.min_version: is not one of TLS10, TLS11, TLS12, TLS13",
    ],
    [
      "a TLS version named like an object's inherited property",
      `${TLS}  min_version: toString\n`,
      "tls_server_config.min_version: is not one of TLS10, TLS11, TLS12, TLS13",
    ],
    [
      "a hash that is not bcrypt",
      'basic_auth_users:\n  alice: "plaintext"\n',
      "basic_auth_users.alice: is not a bcrypt hash",
    ],
    [
      "http_server_config options",
      "http_server_config:\n  http2: true\n",
      "http_server_config.http2: unknown or unsupported field",
    ],
    [
      "a bcrypt cost below 4",
      `basic_auth_users:\n  alice: "${HASH.replace("$10$", "$03$")}"\n`,
      "basic_auth_users.alice: bcrypt cost 03 is invalid (4 to 31)",
    ],
    [
      "a bcrypt cost above 31",
      `basic_auth_users:\n  alice: "${HASH.replace("$10$", "$99$")}"\n`,
      "basic_auth_users.alice: bcrypt cost 99 is invalid (4 to 31)",
    ],
    [
      "a bcrypt cost of 31",
      `basic_auth_users:\n  alice: "${HASH.replace("$10$", "$31$")}"\n`,
      "basic_auth_users.alice: bcrypt cost 31 makes each login take seconds (at most 14; htpasswd -nBC 10 makes 10)",
    ],
    [
      "a bcrypt cost of 15",
      `basic_auth_users:\n  alice: "${HASH.replace("$10$", "$15$")}"\n`,
      "basic_auth_users.alice: bcrypt cost 15 makes each login take seconds (at most 14; htpasswd -nBC 10 makes 10)",
    ],
    [
      "min_version above max_version",
      `${TLS}  min_version: TLS13\n  max_version: TLS12\n`,
      "tls_server_config.min_version: TLS13 is above max_version TLS12",
    ],
    [
      "the default min_version above max_version",
      `${TLS}  max_version: TLS11\n`,
      "tls_server_config.min_version: TLS12 is above max_version TLS11",
    ],
    [
      "a client CA file with no PEM certificate in it",
      `${TLS}  client_ca_file: notes.txt\n`,
      "tls_server_config.client_ca_file: is not a PEM certificate",
    ],
    [
      "a client CA file whose PEM block is not a certificate",
      `${TLS}  client_ca_file: fake.crt\n`,
      "tls_server_config.client_ca_file: is not a PEM certificate",
    ],
    [
      "a user name that YAML reads as a number",
      `basic_auth_users:\n  1: "${HASH}"\n`,
      "basic_auth_users.1: the key is a number, not a string (quote it)",
    ],
    [
      "a user name that YAML reads as a boolean",
      `basic_auth_users:\n  yes: "${HASH}"\n  true: "${HASH}"\n`,
      "basic_auth_users.true: the key is a boolean, not a string (quote it)",
    ],
    [
      "a field of http_server_config, which takes none",
      "http_server_config:\n  http2: true\n",
      "http_server_config.http2: unknown or unsupported field (the exporter supports none of its fields)",
    ],
    [
      "a key that is a collection",
      "? [tls_server_config]\n: {}\n",
      '["tls_server_config"]: the key is a collection, not a string (quote it)',
    ],
  ])("stops on %s, naming the field", (_name, yaml, message) => {
    const text = failure(yaml);
    expect(text.startsWith(`--web.config.file: `)).toBe(true);
    expect(text).toContain(message);
    expect(text).not.toContain("\n");
  });
});

describe("loadWebConfig never echoes what the file holds", () => {
  const TOP = "(supported: tls_server_config, http_server_config, basic_auth_users)";

  it("refuses a file that is no web config, such as /etc/shadow, without quoting a line of it", () => {
    const shadow =
      "root:$y$j9T$c2FsdA$c2VjcmV0aGFzaA:20228:0:99999:7:::\ndaemon:*:20228:0:99999:7:::\n";
    for (const yaml of [shadow, '"root:x:0:0":\n  1: a\n']) {
      const text = failure(yaml);
      expect(text).toBe(
        `--web.config.file: a top-level key is unknown and not shown, as it is not a field name ${TOP}`,
      );
      expect(text).not.toContain("root");
    }
    expect(failure(`${TLS}  "pass: hunter2": x\n`)).toBe(
      "--web.config.file: a key in tls_server_config is unknown and not shown, as it is not a field name (supported: cert_file, key_file, client_auth_type, client_ca_file, min_version, max_version)",
    );
  });

  it("shows a user name escaped and cut to 32 characters, on one line", () => {
    const coloured = failure('basic_auth_users:\n  "a\\nb\\e[31mc\\u202ed": plaintext\n');
    expect(coloured).toBe(
      "--web.config.file: basic_auth_users.a\\x0ab\\x1b[31mc\\u202ed: is not a bcrypt hash ($2y$, $2b$ or $2a$, as htpasswd -nBC 10 makes)",
    );
    const long = failure(`basic_auth_users:\n  ${"u".repeat(1000)}: plaintext\n`);
    expect(long).toContain(`basic_auth_users.${"u".repeat(32)}…: is not a bcrypt hash`);
    expect(long).not.toContain("u".repeat(33));
    const typed = failure(`basic_auth_users:\n  ? [${"v".repeat(100)}]\n  : x\n`);
    expect(typed).toContain(`basic_auth_users.["${"v".repeat(30)}…: the key is a collection`);
  });

  it.each([
    ["a cert file name", "tls_server_config:\n  cert_file: VALUE-1.crt\n  key_file: server.key\n"],
    ["a client auth type", `${TLS}  client_auth_type: VALUE-2\n`],
    ["a TLS version", `${TLS}  max_version: VALUE-3\n`],
    ["a password hash", "basic_auth_users:\n  alice: VALUE-4\n"],
    ["a list where a string belongs", `tls_server_config:\n  cert_file: [VALUE-5]\n`],
  ])("never shows a value: %s", (_name, yaml) => {
    const text = failure(yaml);
    expect(text).toMatch(/^--web\.config\.file: (tls_server_config|basic_auth_users)\./);
    expect(text).not.toContain("VALUE");
  });

  it("shows the config file's own path escaped", () => {
    const path = webConfig("bad\nname\u001b[31m.yml", "tls_server_config: [\n");
    expect(() => loadWebConfig(path)).toThrow(
      new ConfigError(
        "--web.config.file",
        `"${dir}/bad\\x0aname\\x1b[31m.yml": invalid YAML at line 2`,
      ),
    );
  });
});

describe("YAML aliases and tags in the web config", () => {
  // Nine levels of nine: 9^9 (387 million) "lol"s once every alias is expanded.
  const laughs = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
  for (let i = 1; i < 9; i++) {
    const [name, previous] = ["abcdefghi"[i], "abcdefghi"[i - 1]];
    laughs.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(", ")}]`);
  }

  it("refuses a billion laughs alias bomb with one line, as invalid configuration", () => {
    const path = webConfig("laughs.yml", `${laughs.join("\n")}\n`);
    expect(() => loadWebConfig(path)).toThrow(
      new ConfigError(
        "--web.config.file",
        `"${path}": invalid YAML: its aliases expand too far (as in a billion laughs attack)`,
      ),
    );
  });

  it("refuses an alias to no anchor as invalid configuration", () => {
    expect(failure("basic_auth_users: *nobody\n")).toMatch(
      /: invalid YAML: an alias names no anchor before it$/,
    );
  });

  it("still reads a few aliases", () => {
    const config = loadWebConfig(
      webConfig("alias.yml", `basic_auth_users:\n  alice: &h "${HASH}"\n  bob: *h\n`),
    );
    expect([...(config.users ?? [])]).toEqual([
      ["alice", HASH],
      ["bob", HASH],
    ]);
  });

  it.each([
    ["!!omap", `basic_auth_users: !!omap\n  - alice: "${HASH}"\n`],
    ["!!set", `basic_auth_users: !!set\n  ? alice\n`],
  ])(
    "refuses %s where the users mapping belongs instead of turning basic auth off",
    (_tag, yaml) => {
      expect(failure(yaml)).toBe(
        "--web.config.file: basic_auth_users: must be a mapping of user name to bcrypt hash",
      );
    },
  );
});

async function answer(url: string, dispatcher: Agent, headers: Record<string, string> = {}) {
  const response = await request(url, { dispatcher, headers });
  return {
    status: response.statusCode,
    headers: response.headers,
    body: await response.body.text(),
  };
}

describe("loadWebConfig reads files bounded, regular files only", () => {
  const big = `# ${"x".repeat(MAX_WEB_FILE_BYTES)}\n`;

  it("refuses an oversize file, a FIFO and a link to /dev/zero as the config file", () => {
    const fifo = join(dir, "fifo.yml");
    makeFifo(fifo);
    const zero = join(dir, "zero.yml");
    symlinkSync("/dev/zero", zero);
    const large = webConfig("large.yml", big);
    // Oversize first: on code that reads unbounded, it fails here before a FIFO could hang.
    expect(() => loadWebConfig(large)).toThrow(
      new ConfigError("--web.config.file", `"${large}" is larger than 1048576 bytes`),
    );
    expect(() => loadWebConfig(fifo)).toThrow(
      new ConfigError("--web.config.file", `"${fifo}" is not a regular file`),
    );
    expect(() => loadWebConfig(zero)).toThrow(
      new ConfigError("--web.config.file", `"${zero}" is not a regular file`),
    );
  });

  it("accepts a config file at the bound", () => {
    const at = webConfig("at.yml", `#${"x".repeat(MAX_WEB_FILE_BYTES - 2)}\n`);
    expect(loadWebConfig(at)).toEqual({ tls: undefined, users: undefined });
  });

  it("refuses an oversize file, a FIFO and a link to /dev/zero named in it", () => {
    makeFifo(join(dir, "fifo.crt"));
    symlinkSync("/dev/zero", join(dir, "zero.key"));
    writeFileSync(join(dir, "large-ca.crt"), big);
    expect(failure(`${TLS}  client_ca_file: large-ca.crt\n`)).toBe(
      "--web.config.file: tls_server_config.client_ca_file: the file it names is larger than 1048576 bytes",
    );
    expect(failure("tls_server_config:\n  cert_file: fifo.crt\n  key_file: server.key\n")).toBe(
      "--web.config.file: tls_server_config.cert_file: the file it names is not a regular file",
    );
    expect(failure("tls_server_config:\n  cert_file: server.crt\n  key_file: zero.key\n")).toBe(
      "--web.config.file: tls_server_config.key_file: the file it names is not a regular file",
    );
  });
});

describe("HTTPS and basic auth", () => {
  let stack: Stack;
  let trusting: Agent;
  beforeAll(async () => {
    const web = webConfig("tls.yml", `${TLS}basic_auth_users:\n  alice: "${HASH}"\n`);
    stack = await startStack({ flags: [`--web.config.file=${web}`, "--web.max-requests=2"] });
    trusting = new Agent({ connect: { ca: certs.caCert } });
  });
  afterAll(async () => {
    await trusting.close();
    await stack.close();
  });

  const auth = (user: string, password: string) => ({
    authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`,
  });

  it("serves HTTPS with the configured certificate", async () => {
    expect(stack.exporter.url.startsWith("https://127.0.0.1:")).toBe(true);
    const ok = await answer(`${stack.exporter.url}/metrics`, trusting, auth("alice", "s3cret"));
    expect(ok.status).toBe(200);
    expect(ok.body).toContain("useapi_minimax_up");
  });

  it.each(["/metrics", "/", "/-/healthy", "/-/ready", "/grafana/dashboard.json", "/nope"])(
    "protects %s: 401 with a challenge without credentials",
    async (path) => {
      const denied = await answer(stack.exporter.url + path, trusting);
      expect(denied.status).toBe(401);
      expect(denied.headers["www-authenticate"]).toBe(
        'Basic realm="useapi-minimax-exporter", charset="UTF-8"',
      );
      expect(denied.body).toBe("Unauthorized\n");
    },
  );

  it.each([
    ["a wrong password", "alice", "wrong"],
    ["an unknown user", "mallory", "s3cret"],
    ["an empty password", "alice", ""],
  ])("answers 401 to %s", async (_name, user, password) => {
    expect(
      (await answer(`${stack.exporter.url}/-/healthy`, trusting, auth(user, password))).status,
    ).toBe(401);
  });

  it("lets the right user through on every path", async () => {
    for (const path of ["/", "/-/healthy", "/grafana/dashboard.json"]) {
      expect(
        (await answer(stack.exporter.url + path, trusting, auth("alice", "s3cret"))).status,
      ).toBe(200);
    }
  });

  it("refuses a client that does not trust the certificate", async () => {
    await expect(get(`${stack.exporter.url}/-/healthy`)).rejects.toThrow();
  });

  it("answers 503 beyond the concurrent /metrics cap, which only authenticated requests take", async () => {
    const web = loadWebConfig(
      webConfig("capped.yml", `${TLS}basic_auth_users:\n  alice: "${HASH}"\n`),
    );
    const handler = testHandler({
      guards: [basicAuth(web.users ?? new Map(), "useapi-minimax-exporter")],
      maxRequests: 2,
    });
    const { server, url } = await listen(handler, { host: "127.0.0.1", port: 0 }, web.tls);
    const sockets = trackSockets(server);
    try {
      const good = auth("alice", "s3cret");
      // Two clients that stop reading a large answer hold both slots.
      const stalled = [
        await stalledRequest(url, "/metrics", good, certs.caCert),
        await stalledRequest(url, "/metrics", good, certs.caCert),
      ];
      const refused = await answer(`${url}/metrics`, trusting, good);
      expect(refused.status).toBe(503);
      expect(refused.headers["retry-after"]).toBe("1");
      expect(refused.body).toBe("Too many concurrent scrapes\n");
      expect((await answer(`${url}/metrics`, trusting, auth("alice", "wrong"))).status).toBe(401);
      await sockets.destroy(stalled[0] as Socket);
      const head = await request(`${url}/metrics`, {
        method: "HEAD",
        dispatcher: trusting,
        headers: good,
      });
      await head.body.dump();
      expect(head.statusCode).toBe(200);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe("client certificates", () => {
  let stack: Stack;
  beforeAll(async () => {
    const web = webConfig(
      "mtls.yml",
      `${TLS}  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n  min_version: TLS13\n`,
    );
    stack = await startStack({ flags: [`--web.config.file=${web}`] });
  });
  afterAll(async () => {
    await stack.close();
  });

  it("serves a client with a certificate the CA signed", async () => {
    const agent = new Agent({
      connect: { ca: certs.caCert, cert: certs.clientCert, key: certs.clientKey },
    });
    expect((await answer(`${stack.exporter.url}/-/healthy`, agent)).status).toBe(200);
    await agent.close();
  });

  it.each([
    ["no certificate", {}],
    ["a certificate the CA did not sign", { cert: "rogue" }],
  ])("refuses a client with %s", async (_name, which) => {
    const agent = new Agent({
      connect: {
        ca: certs.caCert,
        ...("cert" in which ? { cert: certs.rogueCert, key: certs.rogueKey } : {}),
      },
    });
    await expect(answer(`${stack.exporter.url}/-/healthy`, agent)).rejects.toThrow();
    await agent.close();
  });

  it("refuses TLS 1.2 when min_version is TLS13", async () => {
    const agent = new Agent({
      connect: {
        ca: certs.caCert,
        cert: certs.clientCert,
        key: certs.clientKey,
        maxVersion: "TLSv1.2",
      },
    });
    await expect(answer(`${stack.exporter.url}/-/healthy`, agent)).rejects.toThrow();
    await agent.close();
  });
});

describe("HTTP hygiene", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it("sends security headers with the landing page", async () => {
    const page = await get(`${stack.exporter.url}/`);
    expect(page.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(page.headers["x-content-type-options"]).toBe("nosniff");
    expect(page.headers["x-frame-options"]).toBe("DENY");
    expect(page.headers["referrer-policy"]).toBe("no-referrer");
  });

  it("answers 431 to headers larger than 8 KiB", async () => {
    const big = await get(`${stack.exporter.url}/`, {
      headers: { "x-padding": "a".repeat(10_000) },
    });
    expect(big.status).toBe(431);
    expect(big.body).not.toMatch(/node_modules|\/src\/|express|Error:/);
    expect(big.headers["x-content-type-options"]).toBe("nosniff");
    expect(big.headers["content-security-policy"]).toContain("default-src 'none'");
  });
});

describe("scrapes answered without express", () => {
  let stack: Stack | undefined;
  afterAll(async () => {
    await stack?.close();
  });

  const fields = [
    "content-type",
    "content-encoding",
    "content-length",
    "cache-control",
    "vary",
    "content-security-policy",
    "x-content-type-options",
    "x-frame-options",
    "referrer-policy",
  ];
  const pick = (headers: Record<string, string | string[] | undefined>) =>
    Object.fromEntries(fields.map((f) => [f, headers[f]]));

  it.each([
    ["GET", "gzip"],
    ["GET", "identity"],
    ["GET", undefined],
    ["HEAD", "gzip"],
    ["HEAD", undefined],
  ] as const)(
    "%s with Accept-Encoding %s: same status, headers and bytes as through express",
    async (method, encoding) => {
      const running = (stack ??= await startStack());
      await running.exporter.runner("jobs").pollOnce();
      const ask = async (path: string) => {
        const response = await request(running.exporter.url + path, {
          method,
          headers: encoding === undefined ? {} : { "accept-encoding": encoding },
        });
        return {
          status: response.statusCode,
          headers: pick(response.headers),
          bytes: Buffer.from(await response.body.arrayBuffer()),
        };
      };
      const fast = await ask("/metrics?from=test"); // the path the fast handler takes
      const routed = await ask("/metrics/"); // not exactly the path: express's router
      expect(fast.status).toBe(200);
      expect(fast.headers["content-security-policy"]).toContain("default-src 'none'");
      expect(fast.headers["content-encoding"]).toBe(encoding === "gzip" ? "gzip" : undefined);
      expect(fast).toEqual(routed);
      expect(fast.bytes.length).toBe(
        method === "HEAD" ? 0 : Number(fast.headers["content-length"]),
      );
    },
  );

  it("caps concurrent scrapes on the fast path as on express's", async () => {
    const { server, url } = await listen(
      testHandler({ maxRequests: 1 }),
      { host: "127.0.0.1", port: 0 },
      undefined,
    );
    const sockets = trackSockets(server);
    try {
      // A client that stops reading a large answer holds the only slot.
      const stalled = await stalledRequest(url, "/metrics");
      for (const path of ["/metrics", "/metrics/"]) {
        const refused = await get(url + path); // the fast path, then express's router
        expect(refused.status).toBe(503);
        expect(refused.headers["retry-after"]).toBe("1");
      }
      await sockets.destroy(stalled);
      expect((await get(`${url}/metrics`, { method: "HEAD" })).status).toBe(200);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe("a scrape that fails on the fast path", () => {
  it("answers a bare 500, logs it, and keeps serving", async () => {
    const logs: string[] = [];
    const handler = createHandler({
      telemetryPath: "/metrics",
      version: "test",
      exposition: {
        contentType: "text/plain; version=0.0.4; charset=utf-8",
        refresh: () => Promise.resolve(),
        body: () => {
          throw new Error("rendering lost");
        },
        gzipped: () => Buffer.alloc(0),
      },
      status: () => ({ ...STUB_STATUS, lastSuccessAtMs: 1 }),
      logger: createLogger({
        level: "error",
        format: "json",
        destination: { write: (line: string) => void logs.push(line) },
      }),
    });
    const server = createServer(handler).listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;
    try {
      const failed = await get(`http://127.0.0.1:${port}/metrics`);
      expect(failed.status).toBe(500);
      expect(failed.body).toBe("Internal error\n");
      expect(failed.headers["x-content-type-options"]).toBe("nosniff");
      expect(logRecords(logs).map((r) => [r.level, r["err"]])).toEqual([
        ["error", expect.objectContaining({ message: "rendering lost" })],
      ]);
      expect((await get(`http://127.0.0.1:${port}/-/healthy`)).status).toBe(200);
    } finally {
      server.close();
    }
  });
});
