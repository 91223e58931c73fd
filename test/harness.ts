import { request } from "undici";
import type { ExporterDeps } from "../src/exporter.js";
import { createLogger } from "../src/logging/logger.js";
import { SOURCE_MODULES } from "../src/sources/index.js";
import type { Simulator, SimulatorOptions } from "../src/simulator/server.js";
import { mergeFlags, startStack as startSharedStack, type Stack as SharedStack } from "./stack.js";

export const TOKEN = "user:1234-abcdefghijklmnopqrstuv";

export interface StackOptions {
  /** Flags merged into the harness's own by name: each replaces the harness's flag of its name. */
  flags?: readonly string[];
  /** The environment the flag parser reads; USEAPI_TOKEN=TOKEN unless given. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The logger is the harness's own (captured in `logs`) unless given. */
  deps?: Partial<ExporterDeps>;
  simulator?: Partial<SimulatorOptions>;
  before?: (simulator: Simulator) => void;
}

export interface Stack extends SharedStack {
  /** Every log line the exporter wrote, as raw JSON text. */
  logs: string[];
}

/** The harness's --poll.timeout: on a virtual clock, the delay of every upstream request's deadline. */
export const POLL_TIMEOUT_MS = 1_000;

/** An upstream request's deadline on a virtual clock: only a test of timeouts fires it. */
export const requestDeadline = (timer: { ms: number }): boolean => timer.ms === POLL_TIMEOUT_MS;

/**
 * Flags the tests start from: polls only when asked (1 h interval), a 1 s timeout, and every
 * source the registry can turn off turned off (the jobs list alone polls) unless a test turns it on.
 */
const HARNESS_FLAGS = [
  "--poll.interval=1h",
  `--poll.timeout=${POLL_TIMEOUT_MS}ms`,
  "--poll.max-backoff=1h",
  "--useapi.max-response-bytes=1MiB",
  "--jobs.lookup-rate=50",
  ...SOURCE_MODULES.flatMap((module) => module.off ?? []),
];

/** A simulator and an exporter polling it, both on loopback port 0, through the real flag parser. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const logs: string[] = [];
  const logger = createLogger({
    level: "debug",
    format: "json",
    destination: { write: (line: string) => void logs.push(line) },
  });
  const stack = await startSharedStack({
    token: TOKEN,
    flags: mergeFlags(HARNESS_FLAGS, options.flags ?? []),
    env: options.env ?? { USEAPI_TOKEN: TOKEN },
    deps: { logger, ...options.deps },
    simulator: { seed: 7, accounts: 4, idleAccounts: 1, ...options.simulator },
    before: options.before,
  });
  return { ...stack, logs };
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export async function get(
  url: string,
  init: { method?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const response = await request(url, {
    method: (init.method ?? "GET") as "GET",
    ...(init.headers ? { headers: init.headers } : {}),
  });
  const body = await response.body.text();
  return { status: response.statusCode, headers: response.headers, body };
}

/** Sample values of an exposition, keyed by `name{labels}` exactly as written. */
export function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const cut = line.lastIndexOf(" ");
    out.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return out;
}

/** The samples of our own metrics only (useapi_minimax_*). */
export function ownSamples(text: string): Map<string, number> {
  return new Map([...samples(text)].filter(([key]) => key.startsWith("useapi_minimax_")));
}

const ACCOUNT_GAUGES = [
  "useapi_minimax_agent_jobs_executing{",
  "useapi_minimax_agent_job_max_elapsed_seconds{",
];

/** The samples of the per-account gauges of the jobs list. */
export function accountSamples(text: string): Map<string, number> {
  return new Map(
    [...samples(text)].filter(([key]) => ACCOUNT_GAUGES.some((name) => key.startsWith(name))),
  );
}

export async function scrape(stack: Stack): Promise<string> {
  const answer = await get(`${stack.exporter.url}/metrics`);
  if (answer.status !== 200) throw new Error(`scrape answered ${answer.status}`);
  return answer.body;
}
