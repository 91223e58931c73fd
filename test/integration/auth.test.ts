import { verify as bcryptVerify, hashSync } from "@node-rs/bcrypt";
import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { basicAuth } from "../../src/http/auth.js";
import {
  createCredentialChecks,
  type CredentialCheckOptions,
} from "../../src/http/credential-checks.js";
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

describe("the check for a user that does not exist", () => {
  /** A bcrypt-shaped hash at `cost`; bcrypt is injected here, so only its cost field matters. */
  const shaped = (cost: number, n: number) =>
    `$2b$${String(cost).padStart(2, "0")}$${String(n).padStart(53, ".")}`;
  const costOf = (hash: string) => Number(hash.slice(4, 6));
  const names = Array.from({ length: 200 }, (_, i) => `nobody-${i}`);

  /** The hash each check ran against, with an injected bcrypt that says yes to everything. */
  async function hashesChecked(users: Map<string, string>, logins: [string, string][]) {
    const seen: string[] = [];
    const checks = createCredentialChecks({
      users,
      maxWaiting: logins.length,
      verify: (_password, hash) => {
        seen.push(hash);
        return Promise.resolve(true);
      },
    });
    const results = await Promise.all(
      logins.map(async ([user, password]) => checks.check(user, password)),
    );
    return { seen, results };
  }

  it("costs what the users' checks cost, not a fixed cost of 10", async () => {
    for (const cost of [4, 12]) {
      const users = new Map([["alice", shaped(cost, 1)]]);
      const { seen, results } = await hashesChecked(
        users,
        names.map((name) => [name, "s3cret"]),
      );
      expect(new Set(seen.map(costOf))).toEqual(new Set([cost]));
      // bcrypt said yes: still no login for a user that does not exist.
      expect(new Set(results)).toEqual(new Set([false]));
    }
  });

  it("with users at costs 4 and 12, costs one of them for each name, in their proportions, the same every time", async () => {
    const users = new Map([
      ["alice", shaped(4, 1)],
      ["bob", shaped(12, 2)],
      ["carol", shaped(12, 3)],
      ["dave", shaped(12, 4)],
    ]);
    const first = await hashesChecked(
      users,
      names.map((name) => [name, "one"]),
    );
    const again = await hashesChecked(
      users,
      names.map((name) => [name, "two"]),
    );
    expect(again.seen).toEqual(first.seen);
    expect(new Set(first.seen)).toEqual(new Set(users.values()));
    // One user in four is at cost 4: 50 names expected of 200, fixed here since the hashes are.
    const cheap = first.seen.filter((hash) => costOf(hash) === 4).length;
    expect(cheap).toBeGreaterThan(25);
    expect(cheap).toBeLessThan(75);
    expect(new Set([...first.results, ...again.results])).toEqual(new Set([false]));
  });

  it("still lets the users in, each checked against their own hash", async () => {
    const users = new Map([
      ["alice", shaped(4, 1)],
      ["bob", shaped(12, 2)],
    ]);
    const { seen, results } = await hashesChecked(users, [
      ["alice", "a"],
      ["bob", "b"],
    ]);
    expect(seen).toEqual([shaped(4, 1), shaped(12, 2)]);
    expect(results).toEqual([true, true]);
  });
});
