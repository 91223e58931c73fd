import { createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { createActivity, type Activity } from "./activity.js";
import { createCredits, type SimulatedCredits } from "./credits.js";
import { createGenerations, type Generations } from "./generations.js";
import { createHandler } from "./handler.js";
import {
  MAX_DELAY_MS,
  createModeTable,
  type ModeOptions,
  type SimulatorEndpoint,
  type SimulatorMode,
} from "./modes.js";
import { cancellable, timerSchedule, type Schedule } from "./timers.js";
import { createStats, statsOverHttp, type SimulatorStats } from "./stats.js";
import { createSubscription, type Subscription } from "./subscription.js";

export type { SimulatorEndpoint, SimulatorMode, ModeOptions } from "./modes.js";
export type { Schedule } from "./timers.js";
export type { SimulatorStats } from "./stats.js";
export { JWT_SECRET_MARKER } from "./accounts.js";
export { JOB_ID_PATTERN, PROMPT_MARKER } from "./job-body.js";
export { ACCOUNTS_PATH, JOBS_PATH, JOB_PATH_PREFIX, SCHEDULER_PATH } from "./routes.js";
export { REPLY_REF_MARKER, WEBHOOK_SECRET_MARKER } from "./generations.js";
export { PERSONAL_MARKER, SUBSCRIBER_ID } from "./subscription.js";

export interface SimulatorOptions {
  token: string;
  /** 1 unless given. */
  seed?: number;
  /** 6 unless given. */
  accounts?: number;
  /** 1 unless given (0 with a single account). */
  idleAccounts?: number;
  now?: () => number;
  /** What holds back slow bodies and job lookups; setTimeout unless given. */
  schedule?: Schedule;
  /** 127.0.0.1 unless given. */
  host?: string;
  /** 0 (any free port) unless given. */
  port?: number;
  /** How long every answer of GET /v1/minimax/agent/{jobId} waits; 0 unless given. */
  jobLookupDelayMs?: number;
}

export interface Simulator {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:43123 */
  url: string;
  /** The model behind the answers, for injecting jobs and reading the ground truth. */
  activity: Activity;
  /** The video, image and speech generations behind the scheduler's answers. */
  generations: Generations;
  /** The useapi.net subscription behind GET /v2/account: lapse it, or fix its body. */
  subscription: Subscription;
  /** The credits behind GET features/?account=, spent as the generations start. */
  credits: SimulatedCredits;
  /**
   * Stays in force until changed; applies only to authorized requests to `endpoint` ("jobs"
   * unless given). Each endpoint keeps a mode of its own.
   */
  setMode(mode: SimulatorMode, options?: ModeOptions, endpoint?: SimulatorEndpoint): void;
  /** Serves this JSON body for the jobs list (or the scheduler, or the usage records) instead of the model; undefined goes back to it. */
  setPayload(body: unknown, endpoint?: "jobs" | "scheduler" | "usage"): void;
  /** A copy taken when read. */
  readonly stats: SimulatorStats;
  /** Stops listening and destroys every open connection, hung ones included. */
  close(): Promise<void>;
}

/**
 * A local stand-in for the upstream's GET agent/jobs, agent/{jobId}, accounts and
 * accounts/{account}, with switchable failure modes per endpoint.
 */
export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const { token, host = "127.0.0.1", port = 0, jobLookupDelayMs = 0 } = options;
  if (token === "") throw new RangeError("token must not be empty");
  if (!(jobLookupDelayMs >= 0 && jobLookupDelayMs <= MAX_DELAY_MS)) {
    throw new RangeError(`jobLookupDelayMs must be a number from 0 to ${MAX_DELAY_MS}`);
  }
  const now = options.now ?? Date.now;
  const accounts = options.accounts ?? 6;
  const activity = createActivity({
    seed: options.seed ?? 1,
    accounts,
    idleAccounts: options.idleAccounts ?? Math.min(1, Math.max(0, accounts - 1)),
    startMs: now(),
  });
  const expectedAuthorization = `Bearer ${token}`;
  const timers = cancellable(options.schedule ?? timerSchedule);
  const counts = createStats();
  const modes = createModeTable();
  const generations = createGenerations({
    seed: options.seed ?? 1,
    accounts: activity.accounts,
    idleAccounts: activity.idleAccounts,
    maxJobs: (account) => activity.maxJobs(account),
  });
  const subscription = createSubscription(activity, now());
  const credits = createCredits({
    seed: options.seed ?? 1,
    accounts: activity.accounts,
    startMs: now(),
    generations,
  });
  const fixedBodies = new Map<"jobs" | "scheduler" | "usage", Buffer>();

  const setMode = (
    mode: SimulatorMode,
    modeOptions: ModeOptions = {},
    endpoint: SimulatorEndpoint = "jobs",
  ): void => {
    modes.set(mode, modeOptions, endpoint);
  };

  const setPayload = (body: unknown, endpoint: "jobs" | "scheduler" | "usage" = "jobs"): void => {
    if (body === undefined) {
      fixedBodies.delete(endpoint);
      return;
    }
    const text = JSON.stringify(body) as string | undefined;
    if (text === undefined) throw new TypeError("payload must be serializable as JSON");
    fixedBodies.set(endpoint, Buffer.from(text));
  };

  const server = createServer(
    createHandler({
      activity,
      now,
      generations,
      subscription,
      credits,
      fixedBody: (endpoint) => fixedBodies.get(endpoint),
      setMode,
      setPayload,
      stats: () => statsOverHttp(counts, expectedAuthorization),
      counts,
      expectedAuthorization,
      jobLookupDelayMs,
      schedule: timers.schedule,
      modeOf: modes.get,
    }),
  );
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === "IPv6" ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve, reject) => {
      timers.cancelAll();
      server.close((error) => {
        if (error) reject(error);
        else resolve();
      });
      for (const socket of sockets) socket.destroy();
    });
    return closing;
  };

  return {
    url: `http://${urlHost}:${address.port}`,
    activity,
    generations,
    subscription,
    credits,
    setMode,
    setPayload,
    get stats() {
      return { ...counts };
    },
    close,
  };
}
