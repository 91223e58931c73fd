import { once } from "node:events";
import type { LabelValue } from "../../src/metrics/label-value.js";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createServer as createTlsServer } from "node:https";
import {
  createServer as createTcpServer,
  type AddressInfo,
  type LookupFunction,
  type Server as TcpServer,
} from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { MAX_DETAIL_CHARS, redact } from "../../src/upstream/redaction.js";
import { createUpstreamClient } from "../../src/upstream/client.js";
import { createLogger } from "../../src/logging/logger.js";
import { createStatusResolver } from "../../src/sources/job-status/resolver.js";
import { fixedToken } from "../../src/upstream/token.js";
import { makeCerts } from "../certs.js";
import { get, scrape, startStack, TOKEN, type Stack } from "../harness.js";
import { logRecords, outcomeChanges } from "../log-records.js";

/** A port-0 upstream whose every answer is `status` with `body`, and the Authorization it got. */
async function fixedUpstream(): Promise<{
  url: string;
  answer: (body: string, status?: number) => void;
  server: Server;
}> {
  let body = "{}";
  let status = 200;
  const server = createServer((_req, res) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(body);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    answer(text, code = 200) {
      body = text;
      status = code;
    },
    server,
  };
}

const records = logRecords;
/** The warning logged when the jobs list's polls began to fail. */
const failureWarning = (logs: readonly string[]) =>
  outcomeChanges(records(logs)).find((r) => r.level === "warn");

let stack: Stack | undefined;
const servers: (Server | TcpServer)[] = [];
afterEach(async () => {
  await stack?.close();
  stack = undefined;
  for (const server of servers.splice(0)) {
    server.close();
    if ("closeAllConnections" in server) server.closeAllConnections();
  }
});

/** Everything the exporter says that a person or Prometheus reads: logs, /metrics and /. */
async function everything(s: Stack): Promise<string[]> {
  const metrics = (await get(`${s.exporter.url}/metrics`)).body;
  const landing = (await get(`${s.exporter.url}/`)).body;
  return [...s.logs, metrics, landing];
}

describe("upstream text in logs and pages", () => {
  const escaped = TOKEN.split("").map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  const cases: [string, string][] = [
    ["a body that is the token", TOKEN],
    ["a body that is the Authorization header", `Bearer ${TOKEN}`],
    ["a body that quotes the token in broken JSON", `{"accounts": ["${TOKEN}"`],
    ["a key equal to Bearer <token>", `{"accounts":[],"executing":{"Bearer ${TOKEN}":5}}`],
    [
      "the token written with JSON escapes",
      `{"accounts":[],"executing":{"${escaped.join("")}":5}}`,
    ],
    ["a 3 MB key", `{"accounts":[],"executing":{"${"k".repeat(3_000_000)}":5}}`],
    [
      "a key whose cut would fall inside the token",
      `{"accounts":[],"executing":{"${"k".repeat(180)}${TOKEN}":5}}`,
    ],
    ["an account ID that is the token", `{"accounts":["${TOKEN}","Bearer ${TOKEN}"]}`],
    ["an account ID that is the token in JSON escapes", `{"accounts":["${escaped.join("")}"]}`],
  ];

  it.each(cases)(
    "%s never puts the token into a log line, /metrics or /, and every detail is bounded",
    async (_name, body) => {
      const upstream = await fixedUpstream();
      servers.push(upstream.server);
      upstream.answer(body);
      stack = await startStack({
        flags: [`--useapi.base-url=${upstream.url}`, "--useapi.max-response-bytes=4MiB"],
      });
      await stack.exporter.runner("jobs").pollOnce();
      const texts = await everything(stack);
      for (const text of texts) {
        expect(text).not.toContain(TOKEN);
        expect(text).not.toContain(TOKEN.slice(5));
        expect(text).not.toContain(TOKEN.slice(0, 10)); // V8 quotes the first 10 characters
      }
      const details = records(stack.logs).filter((r) => typeof r.detail === "string");
      for (const { detail } of details)
        expect(detail?.length).toBeLessThanOrEqual(MAX_DETAIL_CHARS);
      for (const line of stack.logs) expect(line.length).toBeLessThan(2_000);
    },
  );

  it("redacts a token with a slash that the answer spells with JSON's optional \\/ escape", async () => {
    const token = "user:12/34-abcdefghijklmnop";
    const upstream = await fixedUpstream();
    servers.push(upstream.server);
    const spelled = token.replaceAll("/", "\\/");
    upstream.answer(`{"accounts":["${spelled}"],"executing":{"${spelled}":[]}}`);
    stack = await startStack({
      flags: [`--useapi.base-url=${upstream.url}`],
      env: { USEAPI_TOKEN: token },
    });
    expect(await stack.exporter.runner("jobs").pollOnce()).toBe("success");
    expect(await scrape(stack)).toContain(
      'useapi_minimax_agent_jobs_executing{account="[token]"} 0',
    );
    for (const text of await everything(stack)) expect(text).not.toContain(token);
  });

  it("says where a body stops being JSON instead of quoting V8's message, which quotes the body", async () => {
    const upstream = await fixedUpstream();
    servers.push(upstream.server);
    upstream.answer("TOKEN-looking text");
    stack = await startStack({ flags: [`--useapi.base-url=${upstream.url}`] });
    expect(await stack.exporter.runner("jobs").pollOnce()).toBe("invalid_json");
    expect(failureWarning(stack.logs)?.detail).toBe("body is not valid JSON at position 0");
    expect(stack.logs.join("")).not.toContain("TOKEN-looking");
  });

  it("redacts a previous token that the upstream echoes after the token file was rotated", async () => {
    const upstream = await fixedUpstream();
    servers.push(upstream.server);
    const dir = mkdtempSync(join(tmpdir(), "token-"));
    const file = join(dir, "token");
    const first = "first-token-0123456789abcdef";
    const second = "second-token-fedcba9876543210";
    writeFileSync(file, `${first}\n`);
    stack = await startStack({
      flags: [`--useapi.base-url=${upstream.url}`, `--useapi.token-file=${file}`],
      env: {},
    });
    writeFileSync(file, `${second}\n`);
    stack.exporter.reloadToken();
    for (const body of [first, `{"accounts":[],"executing":{"${first}":1,"${second}":2}}`]) {
      upstream.answer(body);
      await stack.exporter.runner("jobs").pollOnce();
    }
    upstream.answer(`{"accounts":["${first}","${second}"]}`);
    expect(await stack.exporter.runner("jobs").pollOnce()).toBe("success");
    const texts = await everything(stack);
    expect(texts.join("\n")).toContain("[token]");
    for (const text of texts) {
      expect(text).not.toContain(first);
      expect(text).not.toContain(second);
    }
  });
});

describe("the token spelled otherwise by the upstream", () => {
  const base64 = (text: string) => Buffer.from(text).toString("base64");
  const hex = (c: string) => c.charCodeAt(0).toString(16);
  const forms: [string, string][] = [
    ["upper case", TOKEN.toUpperCase()],
    ["percent-encoded, upper-case hex", encodeURIComponent(TOKEN)],
    [
      "percent-encoded, lower-case hex",
      encodeURIComponent(TOKEN).replace(/%[0-9A-F]{2}/g, (s) => s.toLowerCase()),
    ],
    ["every character percent-encoded", Array.from(TOKEN, (c) => `%${hex(c)}`).join("")],
    ["base64", base64(TOKEN)],
    ["base64url", Buffer.from(TOKEN).toString("base64url")],
    ["base64 after one byte", base64(`x${TOKEN}`)],
    ["base64 of Basic credentials (two bytes before the token)", base64(`u:${TOKEN}`)],
  ];

  it("is replaced in account IDs (labels, the landing page) and in error texts (logs)", async () => {
    const upstream = await fixedUpstream();
    servers.push(upstream.server);
    stack = await startStack({ flags: [`--useapi.base-url=${upstream.url}`] });
    upstream.answer(JSON.stringify({ accounts: forms.map(([, form]) => `id ${form}`) }));
    expect(await stack.exporter.runner("jobs").pollOnce()).toBe("success");
    const metrics = await scrape(stack);
    expect(metrics).toContain('useapi_minimax_agent_jobs_executing{account="id [token]"} 0');
    for (const [, form] of forms) {
      upstream.answer(JSON.stringify({ accounts: [], executing: { [`key ${form}`]: 5 } }));
      expect(await stack.exporter.runner("jobs").pollOnce()).toBe("invalid_payload");
    }
    const details = records(stack.logs)
      .filter((r) => r.level === "debug" && r.source === "jobs" && r.outcome === "invalid_payload")
      .map((r) => r.detail ?? "");
    const redacted = details.filter(
      (d) => d.startsWith('executing["key ') && d.includes("[token]"),
    );
    expect(redacted, details.join("\n")).toHaveLength(forms.length);
    const texts = await everything(stack);
    for (const [name, form] of forms) {
      for (const text of texts) expect(text, name).not.toContain(form);
    }
  });
});

describe("redact", () => {
  it("finds a token with JSON's special characters in every spelling, and leaves the rest alone", () => {
    const token = 'ab"c\\d/e%f-ghij';
    const spellings = [
      token,
      token.toUpperCase(),
      JSON.stringify(token).slice(1, -1),
      encodeURIComponent(token),
      encodeURIComponent(token).toLowerCase(),
      `ab${encodeURIComponent('"')}c\\\\d\\/e%25f-ghij`,
      Buffer.from(token).toString("base64"),
      Buffer.from(`Basic ${token}`).toString("base64url"),
    ];
    for (const spelled of spellings) {
      const out = redact(`<${spelled}>`, [token]);
      expect(out, spelled).toContain("[token]");
      expect(out, spelled).not.toContain(spelled);
    }
    const near = `${token.slice(0, -1)} ${token.slice(1)} ${Buffer.from(token.slice(1)).toString("base64")}`;
    expect(redact(near, [token])).toBe(near);
  });
});

describe("status lookups", () => {
  it("log a long account ID cut to the detail bound", async () => {
    const upstream = await fixedUpstream();
    servers.push(upstream.server);
    upstream.answer("{}", 500);
    const lines: string[] = [];
    const client = createUpstreamClient({
      baseUrl: upstream.url,
      token: fixedToken(TOKEN),
      timeoutMs: 5_000,
      maxResponseBytes: 1 << 20,
      maxAccounts: 1_000,
      userAgent: "test",
    });
    const resolver = createStatusResolver({
      client,
      logger: createLogger({
        level: "debug",
        format: "json",
        destination: { write: (line: string) => void lines.push(line) },
      }),
      concurrency: 1,
      ratePerSecond: 1_000,
      maxAttempts: 1,
      retryDelayMs: 60_000,
      maxQueued: 10,
      onLookup: () => undefined,
    });
    resolver.enqueue({
      // Longer than the label check lets through: the log's own bound still holds.
      jobs: [{ jobId: "j1", account: "a".repeat(100_000) as LabelValue, lastElapsedSeconds: 1 }],
      settle: () => undefined,
    });
    await resolver.idle();
    await resolver.stop();
    await client.close();
    const logged = records(lines).find((r) => r["attempts"] === 1);
    expect(typeof logged?.["account"]).toBe("string");
    expect(String(logged?.["account"]).length).toBeLessThanOrEqual(MAX_DETAIL_CHARS);
  });
});

describe("network and TLS errors", () => {
  async function detailFor(baseUrl: string): Promise<{ outcome: string; detail: string }> {
    stack = await startStack({ flags: [`--useapi.base-url=${baseUrl}`] });
    const outcome = await stack.exporter.runner("jobs").pollOnce();
    return { outcome, detail: String(failureWarning(stack.logs)?.detail) };
  }

  it("logs an untrusted certificate as its code and a short reason on one line", async () => {
    const certs = makeCerts();
    const server = createTlsServer({ cert: certs.serverCert, key: certs.serverKey }, (_q, res) =>
      res.end("{}"),
    );
    servers.push(server);
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const port = (server.address() as AddressInfo).port;
    const { outcome, detail } = await detailFor(`https://127.0.0.1:${port}`);
    expect(outcome).toBe("network");
    expect(detail).toMatch(/^[A-Z_]+: [a-z][^\n]*$/);
    expect(detail.length).toBeLessThanOrEqual(MAX_DETAIL_CHARS);
  });

  it("says a host name that does not resolve is ENOTFOUND, naming the host", async () => {
    // The resolver answers as getaddrinfo does for an unknown name, whatever DNS this machine has.
    const notFound: LookupFunction = (hostname, _options, done) =>
      done(
        Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
          code: "ENOTFOUND",
          syscall: "getaddrinfo",
          hostname,
        }),
        "",
      );
    const client = createUpstreamClient({
      baseUrl: "http://api.useapi.invalid",
      token: fixedToken(TOKEN),
      timeoutMs: 5_000,
      maxResponseBytes: 1024,
      maxAccounts: 10,
      userAgent: "test",
      dispatcher: new Agent({ connect: { lookup: notFound } }),
    });
    const result = await client.get("/v1/minimax/agent/jobs", (body) => body);
    await client.close();
    expect(result).toEqual({
      outcome: "network",
      detail: "ENOTFOUND: getaddrinfo ENOTFOUND api.useapi.invalid",
    });
  });

  it("logs OpenSSL's wrong-version error without its source path or newline", async () => {
    // Answers TLS with plain HTTP: OpenSSL reports ssl3_get_record with a source path and "\n".
    const server = createTcpServer((socket) => {
      socket.on("error", () => undefined);
      socket.end("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}");
    });
    servers.push(server);
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const port = (server.address() as AddressInfo).port;
    const { outcome, detail } = await detailFor(`https://127.0.0.1:${port}`);
    expect(outcome).toBe("network");
    expect(detail).toBe("ERR_SSL_WRONG_VERSION_NUMBER: wrong version number");
  });
});
