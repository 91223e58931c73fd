// Peak RSS of the exporter polling hostile answers of the jobs list (or the scheduler, or every
// account's credits) at the default 4 MiB cap, and the slowest /-/healthy answer during that poll. `npm run build`, then
// `node bench/hostile-memory.js`. Each body runs in a fresh exporter process, so that each
// peak (VmHWM) is its own.
import console from "node:console";
import { fork } from "node:child_process";
import { once } from "node:events";
import { Buffer } from "node:buffer";
import { createServer } from "node:http";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { fileURLToPath, URL } from "node:url";
import { request } from "undici";
import { round } from "./common.js";

const CHILD = fileURLToPath(new URL("./hostile-memory-child.js", import.meta.url));
const CAP = 4 * 2 ** 20;

/** `head`, then `unit` as often as fits under the cap with `tail`, then `tail`. */
function fill(head, unit, tail, cap = CAP) {
  return head + unit.repeat(Math.floor((cap - head.length - tail.length) / unit.length)) + tail;
}

/** Nested `[` … `]` where an account ID belongs, as deep as the cap allows. */
function nested(head, tail) {
  const depth = Math.floor((CAP - head.length - tail.length) / 2);
  return head + "[".repeat(depth) + "]".repeat(depth) + tail;
}

/** `n` times `unit(i)` between `head` and `tail`, separated by commas. */
function list(head, n, unit, tail) {
  return head + Array.from({ length: n }, (_, i) => unit(i)).join(",") + tail;
}

/** `unit(i)` for i = 0, 1, … as long as the list stays under the cap. */
function listUnderCap(head, unit, tail) {
  const parts = [];
  for (let i = 0, size = head.length + tail.length; ; i++) {
    const part = unit(i);
    size += part.length + 1;
    if (size > CAP) return head + parts.join(",") + tail;
    parts.push(part);
  }
}

const key = (i) => `"${i.toString(36)}":0`;
/** Accounts of the credits case: each answers the same hostile body, as issue 26's 40 did. */
export const CREDITS_ACCOUNTS = 40;
const CREDIT_BATCHES = 100_000;
/** A harmless jobs list naming the credits case's accounts (the credits source asks about them). */
export const creditsJobs = () =>
  JSON.stringify({
    accounts: Array.from({ length: CREDITS_ACCOUNTS }, (_, i) => String(100_001 + i)),
    summary: {},
    executing: {},
  });
export const HARMLESS_CREDITS = '{"totalCredits":100,"creditExpireText":[]}';
const FEATURES = "/v1/minimax/features/";
/** The scan's bounds at the default cap: containers and members per 16 bytes, elements per 4. */
const CONTAINERS = CAP / 16;
const ELEMENTS = CAP / 4;

export const BODIES = {
  harmless: () => '{"accounts":["1"],"summary":{"1":{"executing":0}},"executing":{"1":[]}}',
  "nested [] as an account ID": () => nested('{"accounts":[', "]}"),
  "nested [] as an account ID, a backslash before": () => nested('{"x":"\\n","accounts":[', "]}"),
  "{} as jobs": () => fill('{"accounts":["1"],"executing":{"1":[', "{},", "{}]}}"),
  "[] as account IDs": () => fill('{"accounts":[', "[],", "[]]}"),
  "0 as account IDs": () => fill('{"accounts":[', "0,", "0]}"),
  '"ab" as account IDs': () => fill('{"accounts":[', '"ab",', '"ab"]}'),
  '"ab" as account IDs, a backslash before': () =>
    fill('{"x":"\\n","accounts":[', '"ab",', '"ab"]}'),
  "one-key objects as jobs, every key new": () =>
    listUnderCap('{"accounts":["1"],"executing":{"1":[', (i) => `{${key(i)}}`, "]}}"),
  "keys of one summary object": () => listUnderCap('{"accounts":[],"summary":{', key, "}}"),
  // The costliest shapes the scan lets through: each just within one of its bounds.
  "{} as jobs, just within the bounds": () =>
    list('{"accounts":["1"],"executing":{"1":[', CONTAINERS - 10, () => "{}", "]}}"),
  "0 as account IDs, just within the bounds": () =>
    list('{"accounts":[', ELEMENTS - 10, () => "0", "]}"),
  "keys of one summary object, just within the bounds": () =>
    list('{"accounts":[],"summary":{', CONTAINERS - 10, key, "}}"),
  "an account ID of a million characters": () =>
    `{"accounts":["${"x".repeat(1_000_000)}"],"summary":{},"executing":{}}`,
  "75,000 accounts only in generation IDs (scheduler)": () =>
    list(
      '{"executing":[',
      75_000,
      (i) => `{"imageId":"minimax:${i}-image:a","elapsed":"00:45"}`,
      "]}",
    ),
  "objects of 8 new keys as jobs, just within the bounds": () =>
    list(
      '{"accounts":["1"],"executing":{"1":[',
      CONTAINERS / 8 - 10,
      (i) => `{${Array.from({ length: 8 }, (_, k) => key(i * 8 + k)).join(",")}}`,
      "]}}",
    ),
  [`${CREDIT_BATCHES.toLocaleString("en")} credit batches, each of ${CREDITS_ACCOUNTS} accounts (credits)`]:
    () =>
      list(
        '{"totalCredits":5000,"memberName":"Pro","creditExpireText":[',
        CREDIT_BATCHES,
        (i) => `{"credit":${1 + (i % 50)},"endTime":${1_900_000_000_000 + i * 1000}}`,
        "]}",
      ),
};

/** Where a body goes: the scheduler's endpoint, every account's credits, or the jobs list. */
const TARGETS = {
  "75,000 accounts only in generation IDs (scheduler)": "scheduler",
  [`${CREDIT_BATCHES.toLocaleString("en")} credit batches, each of ${CREDITS_ACCOUNTS} accounts (credits)`]:
    "credits",
};
/** "jobs", "scheduler" or "credits": the source that polls the body named `name`. */
export const bodyTarget = (name) => TARGETS[name] ?? "jobs";
const HARMLESS_SCHEDULER = '{"executing":[],"available":[]}';

/**
 * Serves `body` as the jobs list, the scheduler or every account's credits (and harmless answers
 * elsewhere: for the credits case a jobs list naming its accounts) on a loopback port.
 */
async function upstream() {
  let body = BODIES.harmless();
  let path = "/v1/minimax/agent/jobs";
  let jobs = BODIES.harmless();
  const server = createServer((req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    const scheduler = req.url?.startsWith("/v1/minimax/scheduler/available");
    if (req.url?.startsWith(path)) res.end(body);
    else if (req.url?.startsWith(FEATURES)) res.end(HARMLESS_CREDITS);
    else
      res.end(
        scheduler
          ? HARMLESS_SCHEDULER
          : req.url?.startsWith("/v1/minimax/agent/jobs")
            ? jobs
            : "{}",
      );
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    set: (text, target = "jobs") => {
      body = text;
      path =
        target === "scheduler"
          ? "/v1/minimax/scheduler/available"
          : target === "credits"
            ? FEATURES
            : "/v1/minimax/agent/jobs";
      jobs = target === "credits" ? creditsJobs() : BODIES.harmless();
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** One poll of `text` by a fresh exporter, /-/healthy asked in a loop meanwhile. */
async function measure(server, text, target = "jobs") {
  // Harmless answers first: the credits case's accounts answer HARMLESS_CREDITS until the poll.
  if (target === "credits") server.set(HARMLESS_CREDITS, "credits");
  else server.set(BODIES.harmless());
  const source = target;
  const child = fork(CHILD, [server.url, source], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = once(child, "exit").then(([code, signal]) => ({ exited: code ?? signal }));
  const first = await Promise.race([once(child, "message").then(([m]) => m), exited]);
  if (first.exited !== undefined) return { outcome: `exporter exited (${first.exited})` };
  server.set(text, target);
  let polling = true;
  let slowestMs = 0;
  let asked = 0;
  const health = (async () => {
    while (polling) {
      const start = performance.now();
      try {
        const response = await request(`${first.url}/-/healthy`, { bodyTimeout: 10_000 });
        await response.body.text();
      } catch {
        if (polling) slowestMs = Infinity;
        return;
      }
      slowestMs = Math.max(slowestMs, performance.now() - start);
      asked++;
    }
  })();
  child.send("poll");
  const reply = await Promise.race([once(child, "message").then(([m]) => m), exited]);
  polling = false;
  await health;
  if (reply.exited !== undefined) return { outcome: `exporter exited (${reply.exited})` };
  child.send("stop");
  await exited;
  return {
    outcome: reply.outcome,
    beforeMb: round(reply.beforeMb, 1),
    peakMb: round(reply.peakMb, 1),
    slowestHealthyMs: round(slowestMs, 1),
    healthyAnswers: asked,
  };
}

export async function runHostileMemory({ names = Object.keys(BODIES) } = {}) {
  const server = await upstream();
  const rows = [];
  try {
    for (const name of names) {
      const text = BODIES[name]();
      rows.push({
        body: name,
        bytes: Buffer.byteLength(text),
        ...(await measure(server, text, bodyTarget(name))),
      });
    }
  } finally {
    await server.close();
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.table(await runHostileMemory());
}
