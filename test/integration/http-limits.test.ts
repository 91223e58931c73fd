import { once } from "node:events";
import { mkdtempSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listen, type ListenLimits } from "../../src/http/server.js";
import { loadWebConfig, type TlsSettings } from "../../src/config/web-config.js";
import { makeCerts } from "../certs.js";
import { get } from "../harness.js";
import { stalledRequest, testHandler, trackSockets } from "../stall.js";

const SHORT: ListenLimits = {
  headersTimeoutMs: 200,
  requestTimeoutMs: 400,
  handshakeTimeoutMs: 200,
};
const LOOPBACK = { host: "127.0.0.1", port: 0 };

let tls: TlsSettings | undefined;
beforeAll(() => {
  const certs = makeCerts();
  const dir = mkdtempSync(join(tmpdir(), "limits-"));
  writeFileSync(join(dir, "server.crt"), certs.serverCert);
  writeFileSync(join(dir, "server.key"), certs.serverKey);
  writeFileSync(
    join(dir, "web.yml"),
    "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n",
  );
  tls = loadWebConfig(join(dir, "web.yml")).tls;
});

const servers: Server[] = [];
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

async function start(
  options: Parameters<typeof testHandler>[0],
  limits?: ListenLimits,
  withTls = false,
) {
  const started = await listen(testHandler(options), LOOPBACK, withTls ? tls : undefined, limits);
  servers.push(started.server);
  return { ...started, sockets: trackSockets(started.server) };
}

/** Everything the server sends on a raw connection until it closes it. */
async function rawExchange(url: string, send: string): Promise<string> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  const chunks: Buffer[] = [];
  socket.on("data", (chunk: Buffer) => chunks.push(chunk));
  await once(socket, "connect");
  socket.write(send);
  await once(socket, "close");
  return Buffer.concat(chunks).toString("latin1");
}

/** The status code of a raw HEAD of `target`, sent exactly as written (no client normalizes it). */
async function headStatus(url: string, target: string): Promise<number> {
  const answer = await rawExchange(
    url,
    `HEAD ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
  );
  return Number(/^HTTP\/1\.1 (\d{3}) /.exec(answer)?.[1]);
}

const SPELLINGS = [
  "/",
  "//",
  "///",
  "/./",
  "/%2F",
  "//?x",
  "/metrics",
  "//metrics",
  "/./metrics",
  "/metrics/",
  "/METRICS",
  "/runbook",
  "//runbook",
  "/runbook/",
];

describe("slots of the concurrency cap", () => {
  it("puts every spelling of a path that reaches a capped handler under the cap", async () => {
    const { url, sockets } = await start({ maxRequests: 1 });
    const statuses = async () => {
      const out = new Map<string, number>();
      for (const target of SPELLINGS) out.set(target, await headStatus(url, target));
      return out;
    };
    const free = await statuses();
    expect(free.get("//")).toBe(200); // the landing page, as express routes it
    const stalled = await stalledRequest(url, "/metrics");
    const held = await statuses();
    await sockets.destroy(stalled);
    // Served when a slot is free means 503 while the only one is held; a 404 stays a 404.
    expect(held).toEqual(new Map([...free].map(([target, s]) => [target, s === 200 ? 503 : s])));
  });

  it("puts the landing page under the same cap as /metrics", async () => {
    const { url, sockets } = await start({ maxRequests: 1 });
    const stalled = await stalledRequest(url, "/metrics");
    const refused = await get(`${url}/`);
    expect(refused.status).toBe(503);
    expect(refused.headers["retry-after"]).toBe("1");
    expect((await get(`${url}/-/healthy`)).status).toBe(200); // health is not capped
    await sockets.destroy(stalled);
    expect((await get(`${url}/`)).status).toBe(200);
  });

  // Two cases: a short deadline could free the slot before a second request lands.
  it("keeps the slot of a client that stops reading until the response deadline", async () => {
    const { url, sockets } = await start({ maxRequests: 1, responseTimeoutMs: 600_000 });
    const stalled = await stalledRequest(url, "/metrics");
    expect((await get(`${url}/metrics`)).status).toBe(503);
    await sockets.destroy(stalled);
    expect((await get(`${url}/metrics`, { method: "HEAD" })).status).toBe(200);
  });

  it("cuts off a client that stops reading after the response deadline, freeing its slot", async () => {
    const { url, sockets } = await start({ maxRequests: 1, responseTimeoutMs: 100 });
    const stalled = await stalledRequest(url, "/metrics");
    await sockets.closed(stalled); // the server gave up on it
    const scrape = await get(`${url}/metrics`, { method: "HEAD" });
    expect(scrape.status).toBe(200);
  });
});

describe("request and handshake timeouts", () => {
  it("answers 408 with the security headers to headers not sent in time", async () => {
    const { url } = await start({}, SHORT);
    const answer = await rawExchange(url, "GET / HTTP/1.1\r\nHost: x\r\n");
    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(answer).toContain("X-Content-Type-Options: nosniff\r\n");
    expect(answer).toContain("Content-Security-Policy: default-src 'none'");
    expect(answer).toContain("Connection: close\r\n");
  });

  it("closes a TLS connection whose client never says hello", async () => {
    const { url } = await start({}, SHORT, true);
    const answer = await rawExchange(url, "");
    expect(answer).toBe("");
  });

  it("answers 400 with the security headers to a request that is not HTTP", async () => {
    const { url } = await start({});
    const answer = await rawExchange(url, "HELLO\r\n\r\n");
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toContain("X-Frame-Options: DENY\r\n");
    expect(answer.endsWith("\r\n\r\nBad Request\n")).toBe(true);
  });

  it.each([
    ["an HTTP/1.1 request without a Host header", "GET / HTTP/1.1\r\n\r\n", "400 Bad Request"],
    [
      "an Expect header other than 100-continue",
      "GET / HTTP/1.1\r\nHost: x\r\nExpect: foo\r\n\r\n",
      "417 Expectation Failed",
    ],
  ])("answers %s as Node would, with the security headers", async (_, request, status) => {
    const { url } = await start({});
    const answer = await rawExchange(url, request);
    const [head = "", body] = answer.split("\r\n\r\n");
    const headers = new Map(
      head
        .split("\r\n")
        .slice(1)
        .map((line) => [
          line.slice(0, line.indexOf(":")).toLowerCase(),
          line.slice(line.indexOf(":") + 2),
        ]),
    );
    expect(head.split("\r\n")[0]).toBe(`HTTP/1.1 ${status}`);
    expect(headers.get("x-content-type-options")).toBe("nosniff");
    expect(headers.get("x-frame-options")).toBe("DENY");
    expect(headers.get("referrer-policy")).toBe("no-referrer");
    expect(headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(headers.get("connection")).toBe("close");
    expect(body).toBe(`${status.slice(4)}\n`);
  });

  it("still serves an HTTP/1.0 request without a Host header and an Expect: 100-continue", async () => {
    const { url } = await start({});
    expect(await rawExchange(url, "GET /-/healthy HTTP/1.0\r\n\r\n")).toMatch(
      /^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\nOK\n$/,
    );
    const answer = await rawExchange(
      url,
      "GET /-/healthy HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n",
    );
    expect(answer).toMatch(
      /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK\r\n[^]*\r\n\r\nOK\n$/,
    );
  });
});
