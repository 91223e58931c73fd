import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createUpstreamClient, type UpstreamClient } from "../../src/upstream/client.js";
import { fixedToken } from "../../src/upstream/token.js";
import { until, within } from "../deadline.js";
import { VirtualClock } from "../virtual-clock.js";

const TIMEOUT_MS = 2_000;

let server: Server | undefined;
let client: UpstreamClient | undefined;
afterEach(async () => {
  await client?.close();
  server?.closeAllConnections();
  if (server) await new Promise((resolve) => server?.close(resolve));
  server = client = undefined;
});

/** An upstream on port 0 answering each request with `handle`, and a client of it on `clock`. */
async function upstream(
  clock: VirtualClock,
  handle: (req: IncomingMessage, res: ServerResponse) => void,
) {
  server = createServer(handle);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  client = createUpstreamClient({
    baseUrl: `http://127.0.0.1:${port}`,
    token: fixedToken("user:1-token"),
    timeoutMs: TIMEOUT_MS,
    maxResponseBytes: 1 << 20,
    maxAccounts: 100,
    userAgent: "test",
    timers: clock,
  });
  return { server, client };
}

/** A promise and whether it has settled yet. */
function watched<T>(promise: Promise<T>) {
  const state = { settled: false, promise };
  void promise.finally(() => (state.settled = true));
  return state;
}

describe("the upstream client's deadline", () => {
  it("ends a stalled request as a timeout when its clock reaches the timeout, not before", async () => {
    const clock = new VirtualClock();
    const { server, client } = await upstream(clock, () => undefined);
    const arrived = once(server, "request");
    const result = watched(client.get("/stall", (body) => body));
    await within(arrived, "the request to reach the upstream");

    clock.advance(TIMEOUT_MS - 1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(result.settled).toBe(false);
    expect(clock.pending().map((timer) => timer.at)).toEqual([TIMEOUT_MS]);

    clock.advance(1);
    expect(await within(result.promise, "the request to end at its deadline")).toEqual({
      outcome: "timeout",
      detail: `no answer within ${TIMEOUT_MS}ms`,
    });
    expect(clock.pending()).toEqual([]);
  });

  it("leaves no timer behind when the request succeeds", async () => {
    const clock = new VirtualClock();
    const { client } = await upstream(clock, (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
    expect(await client.get("/ok", (body) => body)).toEqual({
      outcome: "success",
      answer: { ok: true },
    });
    expect(clock.scheduledTimers.map((timer) => timer.ms)).toEqual([TIMEOUT_MS]);
    expect(clock.pending()).toEqual([]);
  });

  it("leaves no timer behind once a failure's body has drained", async () => {
    const clock = new VirtualClock();
    const { client } = await upstream(clock, (_req, res) => {
      res.writeHead(503, { "content-type": "text/html" }).end("<p>down</p>");
    });
    const result = await client.get("/down", (body) => body);
    expect(result.outcome).toBe("server_error");
    expect(clock.scheduledTimers).toHaveLength(1);
    await until(() => clock.pending().length === 0, "the deadline to be cleared after the drain");
  });

  it("leaves no timer behind when shutdown aborts the request", async () => {
    const clock = new VirtualClock();
    const { server, client } = await upstream(clock, () => undefined);
    const arrived = once(server, "request");
    const shutdown = new AbortController();
    const result = client.get("/stall", (body) => body, shutdown.signal);
    await within(arrived, "the request to reach the upstream");
    expect(clock.pending()).toHaveLength(1);
    shutdown.abort();
    expect(await within(result, "the request to end once aborted")).toEqual({ outcome: "aborted" });
    expect(clock.pending()).toEqual([]);
  });
});
