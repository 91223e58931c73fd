import { verify as bcryptVerify, hashSync } from "@node-rs/bcrypt";
import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { basicAuth } from "../../src/http/auth.js";
import type { CredentialCheckOptions } from "../../src/http/credential-checks.js";
import { listen } from "../../src/http/server.js";
import { createLogger } from "../../src/logging/logger.js";
import { STUB_STATUS } from "../landing-status.js";
import { createHandler } from "../../src/http/handler.js";

const USERS = new Map([["alice", hashSync("s3cret", 4)]]);
const BODY = Buffer.from("useapi_minimax_up 1\n");

type QueueState = { running: number; waiting: number };

/**
 * An exporter's HTTP surface with basic auth whose bcrypt runs for real, except that passwords
 * starting with "held" wait for `release()`: checks can be kept in flight without timing.
 */
async function startAuthServer(options: Omit<CredentialCheckOptions, "users"> = {}) {
  const verified: string[] = [];
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const watchers: { want: (s: QueueState) => boolean; resolve: () => void }[] = [];
  const verify = async (password: string, hash: string) => {
    verified.push(password);
    if (password.startsWith("held")) await gate;
    return bcryptVerify(password, hash);
  };
  const handler = createHandler({
    telemetryPath: "/metrics",
    version: "test",
    exposition: {
      contentType: "text/plain; version=0.0.4; charset=utf-8",
      verify: () => undefined,
      refresh: () => Promise.resolve(),
      body: () => BODY,
      gzipped: () => BODY,
    },
    status: () => ({ ...STUB_STATUS, lastSuccessAtMs: 1 }),
    logger: createLogger({ level: "error", format: "json", destination: { write: () => true } }),
    guards: [
      basicAuth(USERS, "test", {
        verify,
        onQueue: (state) => {
          for (const w of watchers.filter((w) => w.want(state))) w.resolve();
        },
        ...options,
      }),
    ],
    maxRequests: 1,
  });
  const { server, url } = await listen(handler, { host: "127.0.0.1", port: 0 }, undefined);
  const ask = async (path: string, user: string, password: string) => {
    const response = await request(url + path, {
      headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` },
    });
    return {
      status: response.statusCode,
      retryAfter: response.headers["retry-after"],
      body: await response.body.text(),
    };
  };
  return {
    ask,
    verified,
    release: () => release(),
    /** Resolves once the checks running and waiting are as wanted. */
    queue: (want: (s: QueueState) => boolean) =>
      new Promise<void>((resolve) => watchers.push({ want, resolve })),
    close: () => {
      release();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe("basic auth under a flood of wrong credentials", () => {
  let running: Awaited<ReturnType<typeof startAuthServer>> | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  it("answers a scraper whose login is cached while wrong-credential checks wait for bcrypt", async () => {
    const auth = (running = await startAuthServer({ concurrency: 1, maxWaiting: 3 }));
    expect((await auth.ask("/metrics", "alice", "s3cret")).status).toBe(200);
    // One check running and three waiting, all on /metrics, whose cap is a single request.
    const queued = auth.queue((s) => s.running === 1 && s.waiting === 3);
    const held = [0, 1, 2, 3].map((i) => auth.ask("/metrics", "alice", `held-${i}`));
    await queued;

    const scrape = await auth.ask("/metrics", "alice", "s3cret");
    expect(scrape.status).toBe(200);
    expect(scrape.body).toBe(BODY.toString());
    expect(auth.verified).toEqual(["s3cret", "held-0"]); // the others wait their turn

    auth.release();
    expect((await Promise.all(held)).map((a) => a.status)).toEqual([401, 401, 401, 401]);
    expect(auth.verified).toEqual(["s3cret", "held-0", "held-1", "held-2", "held-3"]);
  });

  it("refuses a check beyond the waiting bound at once with 503 and Retry-After, running no bcrypt", async () => {
    const auth = (running = await startAuthServer({ concurrency: 1, maxWaiting: 2 }));
    const queued = auth.queue((s) => s.running === 1 && s.waiting === 2);
    const held = [0, 1, 2].map((i) => auth.ask("/metrics", "alice", `held-${i}`));
    await queued;

    for (const path of ["/metrics", "/nope", "/"]) {
      const refused = await auth.ask(path, "mallory", `held-${path}`);
      expect(refused).toEqual({
        status: 503,
        retryAfter: "1",
        body: "Too many logins waiting\n",
      });
    }
    auth.release();
    expect((await Promise.all(held)).map((a) => a.status)).toEqual([401, 401, 401]);
    expect(auth.verified).toEqual(["held-0", "held-1", "held-2"]);
  });

  it("remembers a wrong password, so that the same wrong attempt again runs no bcrypt", async () => {
    const auth = (running = await startAuthServer());
    expect((await auth.ask("/metrics", "alice", "wrong")).status).toBe(401);
    expect((await auth.ask("/metrics", "alice", "wrong")).status).toBe(401);
    expect((await auth.ask("/-/healthy", "mallory", "s3cret")).status).toBe(401);
    expect((await auth.ask("/-/healthy", "mallory", "s3cret")).status).toBe(401);
    expect(auth.verified).toEqual(["wrong", "s3cret"]);
  });

  it("runs bcrypt once for identical checks in flight at the same time", async () => {
    const auth = (running = await startAuthServer({ concurrency: 1, maxWaiting: 0 }));
    const queued = auth.queue((s) => s.running === 1);
    const first = auth.ask("/metrics", "alice", "held");
    await queued;
    // Waiting room 0: a new check would get 503; the same check joins the one in flight.
    const same = [auth.ask("/metrics", "alice", "held"), auth.ask("/-/ready", "alice", "held")];
    const other = await auth.ask("/metrics", "alice", "held-other");
    expect(other.status).toBe(503);
    auth.release();
    expect((await Promise.all([first, ...same])).map((a) => a.status)).toEqual([401, 401, 401]);
    expect(auth.verified).toEqual(["held"]);
  });

  it("answers 401, not 404, to wrong credentials on a path that does not exist", async () => {
    const auth = (running = await startAuthServer());
    const denied = await auth.ask("/no/such/path", "alice", "wrong");
    expect(denied.status).toBe(401);
    expect(denied.body).toBe("Unauthorized\n");
    expect((await auth.ask("/no/such/path", "alice", "s3cret")).status).toBe(404);
  });
});
