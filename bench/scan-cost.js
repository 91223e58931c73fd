// The pre-parse work of every poll (redaction of the token forms, scanJson) against JSON.parse, on
// a jobs answer just under the default 4 MiB cap. `npm run build`, then `node bench/scan-cost.js`.
import console from "node:console";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { generatePayload } from "../dist/simulator/activity.js";
import { jsonBounds, scanJson } from "../dist/upstream/json-scan.js";
import { redact } from "../dist/upstream/redaction.js";
import { median, round, TOKEN } from "./common.js";

/** The current token and the two previous ones a rotated token file keeps. */
const SECRETS = [TOKEN, `${TOKEN}-previous`, `${TOKEN}-older`];

/** A large answer of `generatePayload` (5 jobs per account) under `cap`, sized from a sample. */
function answerUnderCap(cap) {
  const text = (accounts) =>
    JSON.stringify(generatePayload({ seed: 1, accounts, jobsPerAccount: 5 }));
  const perAccount = text(100).length / 100;
  for (let accounts = Math.floor(cap / perAccount); ; accounts = Math.floor(accounts * 0.98)) {
    const body = text(accounts);
    if (body.length <= cap) return { accounts, text: body };
  }
}

function timeMs(fn, iterations) {
  const times = [];
  for (let i = -2; i < iterations; i++) {
    const start = performance.now();
    fn();
    if (i >= 0) times.push(performance.now() - start);
  }
  return median(times);
}

export function runScanCost({ cap = 4 * 2 ** 20, iterations = 21 } = {}) {
  const { accounts, text } = answerUnderCap(cap);
  const bounds = jsonBounds(cap);
  if (scanJson(text, bounds) !== undefined) throw new Error("the scan refused a generated answer");
  const parseMs = timeMs(() => JSON.parse(text), iterations);
  const scanMs = timeMs(() => scanJson(text, bounds), iterations);
  const redactMs = timeMs(() => redact(text, SECRETS), iterations);
  return {
    accounts,
    bytes: text.length,
    jsonParseMs: round(parseMs),
    scanMs: round(scanMs),
    redactMs: round(redactMs),
    scanRatio: round(scanMs / parseMs, 3),
    redactRatio: round(redactMs / parseMs, 3),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.table([runScanCost()]);
