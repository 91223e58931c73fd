import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  CAP_BYTES_PER_CONTAINER,
  jsonBounds,
  KEYS_BEYOND_ACCOUNTS,
  MAX_JSON_DEPTH,
  scanJson,
} from "../../src/upstream/json-scan.js";
import { redactParsed } from "../../src/upstream/redact-parsed.js";
import { MAX_DETAIL_CHARS } from "../../src/upstream/redaction.js";
import { ownSamples, scrape, startStack, type Stack } from "../harness.js";

const CAP = 4 * 2 ** 20;
const GOOD = '{"accounts":["10001"],"executing":{"10001":[{"jobId":"j1","elapsed":"00:05"}]}}';

/** `head`, `unit` as often as fits under the default 4 MiB cap with `tail`, then `tail`. */
const fill = (head: string, unit: string, tail: string) =>
  head + unit.repeat(Math.floor((CAP - head.length - tail.length) / unit.length)) + tail;

/** `[` … `]` where an account ID belongs, nested as deep as the cap allows (2 million levels). */
const nested = (head: string) => {
  const depth = Math.floor((CAP - head.length - 2) / 2);
  return `${head}${"[".repeat(depth)}${"]".repeat(depth)}]}`;
};

let stack: Stack | undefined;
let server: Server | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
  server?.closeAllConnections();
  server?.close();
  server = undefined;
});

/** The exporter at the default 4 MiB cap polling a port-0 upstream that answers `body()`. */
async function polling(): Promise<{ stack: Stack; answer: (text: string) => void }> {
  let body = GOOD;
  server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(body);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stack = await startStack({
    flags: [`--useapi.base-url=${url}`, "--useapi.max-response-bytes=4MiB", "--poll.timeout=30s"],
  });
  return { stack, answer: (text) => void (body = text) };
}

const warnedDetail = (s: Stack) =>
  s.logs
    .map((line) => JSON.parse(line) as { level: string; detail?: string })
    .filter((r) => r.level === "warn")
    .map((r) => r.detail);

describe(
  "hostile bodies under the 4 MiB cap, refused before JSON.parse",
  { timeout: 60_000 },
  () => {
    it.each([
      [
        "2 million nested [] where an account ID belongs",
        nested('{"accounts":['),
        "invalid_json",
        /^body nests deeper than 32 levels at position 43$/,
      ],
      [
        "the same after a backslash, which sends the parsed body through a second redaction",
        nested('{"note":"a\\nb","accounts":['),
        "invalid_json",
        /^body nests deeper than 32 levels at position 57$/,
      ],
      [
        "1.3 million {} as jobs",
        fill('{"accounts":["1"],"executing":{"1":[', "{},", "{}]}}"),
        "limit_exceeded",
        /^body holds more than 262144 objects and arrays \(one per 16 bytes of --useapi\.max-response-bytes\)$/,
      ],
      [
        "2 million 0 as account IDs",
        fill('{"accounts":[', "0,", "0]}"),
        "limit_exceeded",
        /^body holds more than 1048576 elements/,
      ],
      [
        "500,000 keys of one summary object",
        fill('{"accounts":[],"summary":{', '"k":0,', '"z":0}}'),
        "limit_exceeded",
        /^body holds more than 262144 object members/,
      ],
    ])(
      "%s: a clear outcome with a bounded detail, the last good values kept, then polls go on",
      async (_name, body, outcome, detail) => {
        const { stack: s, answer } = await polling();
        expect(await s.exporter.runner("jobs").pollOnce()).toBe("success");
        answer(body);
        expect(body.length).toBeLessThanOrEqual(CAP);
        expect(await s.exporter.runner("jobs").pollOnce()).toBe(outcome);
        const details = warnedDetail(s);
        expect(details).toHaveLength(1);
        expect(details[0]).toMatch(detail);
        expect(details[0]?.length).toBeLessThanOrEqual(MAX_DETAIL_CHARS);
        const values = ownSamples(await scrape(s));
        expect(values.get('useapi_minimax_agent_jobs_executing{account="10001"}')).toBe(1);
        expect(
          values.get(`useapi_minimax_source_requests_total{source="jobs",outcome="${outcome}"}`),
        ).toBe(1);
        answer(GOOD);
        expect(await s.exporter.runner("jobs").pollOnce()).toBe("success");
      },
    );

    it("accepts 32 levels of nesting and a backslash in the same answer", async () => {
      const { stack: s, answer } = await polling();
      const deep = "[".repeat(MAX_JSON_DEPTH - 4) + "]".repeat(MAX_JSON_DEPTH - 4);
      answer(
        `{"accounts":["10001"],"executing":{"10001":[{"jobId":"j\\u0031","elapsed":"00:05","x":${deep}}]}}`,
      );
      expect(await s.exporter.runner("jobs").pollOnce()).toBe("success");
    });
  },
);

describe("redactParsed", () => {
  const token = "user:1234-abcdefghijklmnopqrstuv";

  it("walks a million levels without a stack overflow, redacting the string at the bottom", () => {
    const root: unknown[] = [];
    let bottom = root;
    for (let i = 0; i < 1_000_000; i++) {
      const next: unknown[] = [];
      bottom.push(next);
      bottom = next;
    }
    bottom.push(`Bearer ${token}`, { [token]: { [`x${token}`]: token } }, "short", 5, null);
    expect(redactParsed(root, [token])).toBe(root);
    expect(bottom).toEqual([
      "Bearer [token]",
      { "[token]": { "x[token]": "[token]" } },
      "short",
      5,
      null,
    ]);
  });

  it("rebuilds the body itself when one of its keys changes, keeping the order of its keys", () => {
    const body = JSON.parse(`{"a":1,"${token}":2,"__proto__":"${token}"}`) as object;
    const out = redactParsed(body, [token]);
    expect(Object.entries(out as object)).toEqual([
      ["a", 1],
      ["[token]", 2],
      ["__proto__", "[token]"],
    ]);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });
});

describe("scanJson", () => {
  const bounds = jsonBounds(CAP, 10_000);
  const depth = (n: number) => "[".repeat(n) + "]".repeat(n);

  it("refuses the 33rd level and passes the 32nd", () => {
    expect(scanJson(depth(32), bounds)).toBeUndefined();
    expect(scanJson(`{"a":${depth(32)}}`, bounds)?.detail).toBe(
      "body nests deeper than 32 levels at position 36",
    );
  });

  it("counts nothing inside strings, escaped quotes and backslashes included", () => {
    const inside = `"${"[{,:".repeat(1_000)}\\"${"[".repeat(100)}\\\\"`;
    expect(scanJson(`[${inside},${inside}]`, { ...bounds, maxElements: 1 })).toBeUndefined();
    expect(scanJson(`[${inside}]`, { ...bounds, maxContainers: 1 })).toBeUndefined();
    // The string ends at the quote after the escaped backslash: what follows is counted.
    expect(scanJson(`["\\\\"${depth(40)}]`, bounds)?.outcome).toBe("invalid_json");
  });

  it("passes 10,000 accounts and 100,000 jobs at --useapi.max-accounts=10000", () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => String(i));
    const jobs = (a: string) =>
      Array.from({ length: 10 }, (_, j) => ({ jobId: `${a}-${j}`, elapsed: "0:01" }));
    const body = JSON.stringify({
      accounts: ids,
      summary: Object.fromEntries(ids.map((a) => [a, { executing: 10 }])),
      executing: Object.fromEntries(ids.map((a) => [a, jobs(a)])),
    });
    expect(body.length).toBeLessThanOrEqual(CAP);
    expect(scanJson(body, bounds)).toBeUndefined();
  });

  it("refuses more distinct keys than --useapi.max-accounts and 1,024, however often each repeats", () => {
    const small = jsonBounds(CAP, 10);
    const keyed = (n: number) =>
      `[${Array.from({ length: n }, (_, i) => `{"k${i}":1,"jobId":"x","elapsed":"0:01"}`).join(",")}]`;
    // Two field names beside the n keys of their own.
    expect(scanJson(keyed(10 + KEYS_BEYOND_ACCOUNTS - 2), small)).toBeUndefined();
    expect(scanJson(keyed(10 + KEYS_BEYOND_ACCOUNTS - 1), small)?.detail).toBe(
      "body holds more than 1034 distinct object keys (--useapi.max-accounts and 1024)",
    );
    const repeated = `[${'{"jobId":"x","elapsed":"0:01"},'.repeat(50_000)}{}]`;
    expect(scanJson(repeated, small)).toBeUndefined();
    // Keys are read as written: an escaped quote inside one does not end it.
    expect(scanJson(String.raw`{"a\\":1,"a\\\"b":2}`, { ...small, maxKeys: 2 })).toBeUndefined();
    expect(scanJson('{"a":1,"b":2,"c":3}', { ...small, maxKeys: 2 })?.outcome).toBe(
      "limit_exceeded",
    );
  });

  it("leaves what is not JSON to JSON.parse, which says where it stops", () => {
    expect(scanJson('{"unterminated', bounds)).toBeUndefined();
    expect(scanJson("]]]]}}", bounds)).toBeUndefined();
  });

  it("scales its counts with --useapi.max-response-bytes", () => {
    expect(jsonBounds(1024 * CAP_BYTES_PER_CONTAINER, 10).maxContainers).toBe(1024);
    const flat = `[${"[],".repeat(1024)}[]]`;
    expect(scanJson(flat, jsonBounds(1026 * CAP_BYTES_PER_CONTAINER, 10))).toBeUndefined();
    expect(scanJson(flat, jsonBounds(1025 * CAP_BYTES_PER_CONTAINER, 10))?.outcome).toBe(
      "limit_exceeded",
    );
  });
});
