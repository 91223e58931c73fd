// The paced flood of bench/flood.js's comparison, in a child process of its own (so that the good
// scraper's figures are not the flood's own queueing): `total` requests sent at an even pace over
// `seconds`, each with the right user and a new wrong password (a password guesser's pattern, so
// that no cache answers it), on as many keep-alive connections as the answers leave busy.
import { Buffer } from "node:buffer";
import { fork } from "node:child_process";
import { once } from "node:events";
import process from "node:process";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { Client } from "undici";

const SELF = fileURLToPath(import.meta.url);

const basic = (user, password) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
const round = (value, digits) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Sends the flood and waits for every answer. Request `i` is due `i * seconds / total` after the
 * start and goes on an idle connection, or on a new one when all are busy; a request unanswered
 * after `timeoutMs` counts as an error.
 */
async function pacedFlood({ url, path, user, total, seconds, timeoutMs }) {
  const idle = [];
  const clients = [];
  const answered = { 401: 0, 503: 0, other: 0 };
  const otherCodes = {};
  const errorKinds = {};
  let errors = 0;
  let connections = 0;
  let inFlight = 0;
  let peakInFlight = 0;
  let lastSettled = 0;
  let worstLagMs = 0;
  const everyMs = (seconds * 1000) / total;
  const start = performance.now();

  const client = () => {
    const found = idle.pop();
    if (found) return found;
    const created = new Client(url, { pipelining: 1, connect: { timeout: timeoutMs } });
    created.on("connect", () => connections++);
    clients.push(created);
    return created;
  };
  const one = async (i) => {
    const on = client();
    inFlight++;
    peakInFlight = Math.max(peakInFlight, inFlight);
    try {
      const response = await on.request({
        path,
        method: "GET",
        headers: { authorization: basic(user, `wrong-${i}`) },
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      await response.body.dump();
      const code = response.statusCode;
      if (code === 401 || code === 503) answered[code]++;
      else {
        answered.other++;
        otherCodes[code] = (otherCodes[code] ?? 0) + 1;
      }
      idle.push(on);
    } catch (error) {
      errors++;
      const kind = error?.code ?? error?.name ?? "error";
      errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
      on.destroy().catch(() => undefined);
    }
    inFlight--;
    lastSettled = performance.now();
  };

  const requests = [];
  for (let i = 0; i < total; i++) {
    const due = start + i * everyMs;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    worstLagMs = Math.max(worstLagMs, performance.now() - due);
    requests.push(one(i));
  }
  const lastSent = performance.now();
  await Promise.all(requests);
  await Promise.all(clients.map((c) => c.destroy().catch(() => undefined)));
  return {
    sent: total,
    answered,
    otherCodes,
    errors,
    errorKinds,
    connections,
    peakInFlight,
    worstSendLagMs: round(worstLagMs, 1),
    lastSentSec: round((lastSent - start) / 1000, 2),
    allAnsweredSec: round((lastSettled - start) / 1000, 2),
    cpuSec: round((process.cpuUsage().user + process.cpuUsage().system) / 1e6, 2),
  };
}

/** Forks the flood; `start()` sends it, `done` resolves with pacedFlood's figures. */
export async function startPacedFlood(options) {
  const flooder = fork(SELF, ["--paced-flood"], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const exited = once(flooder, "exit").then(([code]) => {
    throw new Error(`the flood process exited (${code}) before it reported`);
  });
  exited.catch(() => undefined);
  flooder.send(options);
  const [ready] = await Promise.race([once(flooder, "message"), exited]);
  if (ready !== "ready") throw new Error("the flood did not start");
  return {
    start: () => flooder.send("go"),
    done: Promise.race([once(flooder, "message"), exited]).then(([figures]) => figures),
  };
}

if (process.argv[1] === SELF && process.argv.includes("--paced-flood")) {
  const [options] = await once(process, "message");
  process.send("ready");
  await once(process, "message");
  process.send(await pacedFlood(options));
  process.disconnect();
}
