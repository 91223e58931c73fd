import { once } from "node:events";
import { ownLabel } from "../../src/metrics/label-value.js";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createUpstreamClient, type UpstreamClient } from "../../src/upstream/client.js";
import { isPlainJobId } from "../../src/sources/common/job-id.js";
import type { FinalStatus } from "../../src/sources/common/finished-jobs.js";
import { jobPath } from "../../src/sources/job-status/answer.js";
import { createLogger } from "../../src/logging/logger.js";
import { parseJobsAnswer } from "../../src/sources/jobs/answer.js";
import { toSnapshot } from "../../src/sources/jobs/snapshot.js";
import { createStatusResolver } from "../../src/sources/job-status/resolver.js";
import { fixedToken } from "../../src/upstream/token.js";

const ODD = [
  ".",
  "..",
  "...",
  "a/b",
  "../jobs",
  "x?y=1",
  "#frag",
  "a b",
  "é",
  "%2e",
  "",
  "j".repeat(257),
];
const PLAIN = ["p123456789-u12345-a67890-bot:minimax", "job-1", "a.b", "v1.2~x_y"];

let server: Server | undefined;
let client: UpstreamClient | undefined;
afterEach(async () => {
  await client?.close();
  server?.close();
  server = undefined;
  client = undefined;
});

describe("job IDs in lookup paths", () => {
  it("tells plain IDs from odd ones", () => {
    for (const id of PLAIN) expect(isPlainJobId(id), id).toBe(true);
    for (const id of ODD) expect(isPlainJobId(id), id).toBe(false);
  });

  it("encodes every ID but the dot-only ones (refused: URLs read %2E as a dot) as one path segment", () => {
    for (const id of [...PLAIN, ...ODD].filter((i) => !/^\.*$/.test(i))) {
      const url = new URL(`http://h${jobPath(id)}`);
      expect(url.pathname.startsWith("/v1/minimax/agent/"), id).toBe(true);
      expect(url.pathname.slice("/v1/minimax/agent/".length).includes("/"), id).toBe(false);
      expect(url.search + url.hash, id).toBe("");
      expect(decodeURIComponent(url.pathname.slice("/v1/minimax/agent/".length)), id).toBe(id);
    }
  });

  it("looks up only plain IDs, counts the odd ones unknown at once, and never sends a path they changed", async () => {
    const paths: string[] = [];
    server = createServer((req, res) => {
      paths.push(req.url ?? "");
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"status":"completed"}');
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    client = createUpstreamClient({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      token: fixedToken("t0ken-for-job-ids"),
      timeoutMs: 5_000,
      maxResponseBytes: 1 << 20,
      maxAccounts: 1_000,
      userAgent: "test",
    });
    const resolved = new Map<string, FinalStatus>();
    const resolver = createStatusResolver({
      client,
      logger: createLogger({ level: "error", format: "json", destination: { write: () => true } }),
      concurrency: 4,
      ratePerSecond: 1_000,
      maxAttempts: 1,
      retryDelayMs: 60_000,
      maxQueued: 100,
      onLookup: () => undefined,
    });
    resolver.enqueue({
      jobs: [...ODD, ...PLAIN].map((jobId) => ({
        jobId,
        account: ownLabel("1"),
        lastElapsedSeconds: 1,
      })),
      settle: (job, status) => void resolved.set(job.jobId, status),
    });
    await resolver.idle();
    await resolver.stop();
    for (const id of ODD) expect(resolved.get(id), id).toBe("unknown");
    for (const id of PLAIN) expect(resolved.get(id), id).toBe("completed");
    expect([...paths].sort()).toEqual(
      [
        "/v1/minimax/agent/p123456789-u12345-a67890-bot%3Aminimax",
        "/v1/minimax/agent/job-1",
        "/v1/minimax/agent/a%2Eb",
        "/v1/minimax/agent/v1%2E2~x_y",
      ].sort(),
    );
  });

  it("counts each odd ID in an answer as an odd_job_id anomaly", () => {
    const body = {
      accounts: ["1"],
      executing: {
        "1": [...ODD.filter((id) => id !== ""), ...PLAIN].map((jobId) => ({
          jobId,
          elapsed: "00:01",
        })),
      },
    };
    expect(toSnapshot(parseJobsAnswer(body), 0).anomalies.odd_job_id).toBe(ODD.length - 1);
  });
});
