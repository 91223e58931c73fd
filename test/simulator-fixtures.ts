import { request } from "undici";
import {
  startSimulator,
  type Schedule,
  type Simulator,
  type SimulatorOptions,
} from "../src/simulator/server.js";
import { until, WAIT_MS, within } from "./deadline.js";

export const TOKEN = "user:1234-abcdefghijklmnopqrstuv";
export const AUTH = { authorization: `Bearer ${TOKEN}` };
export const START_MS = Date.UTC(2026, 0, 1, 12, 0, 0);
export const HOUR_MS = 3_600_000;
export const JOB_ID = /^p\d{9}-u12345-a(\d{5})-bot:minimax$/;

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request, its whole body read as text. */
export async function call(
  url: string,
  init: {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    signal?: AbortSignal;
  } = {},
): Promise<Answer> {
  const response = await request(url, {
    method: (init.method ?? "GET") as "GET",
    headers: init.headers ?? {},
    ...(init.body === undefined ? {} : { body: init.body }),
    ...(init.signal ? { signal: init.signal } : {}),
  });
  const body = await response.body.text();
  return { status: response.statusCode, headers: response.headers, body };
}

/** The URL of GET /v1/minimax/agent/{jobId}. */
export function jobUrl(sim: Simulator, jobId: string): string {
  return `${sim.url}/v1/minimax/agent/${encodeURIComponent(jobId)}`;
}

/** POSTs `body` as JSON to /__simulator/{path}. */
export function postControl(sim: Simulator, path: string, body: unknown): Promise<Answer> {
  return call(`${sim.url}/__simulator/${path}`, { method: "POST", body: JSON.stringify(body) });
}

/** Waits for a socket event to change the simulator's counters, failing with `what` after `ms`. */
export function waitFor(condition: () => boolean, what: string, ms = WAIT_MS): Promise<void> {
  return until(condition, what, ms);
}

/** The simulator's timers, held until the test fires them. */
export class HeldTimers {
  private readonly held: { fn: () => void; delayMs: number }[] = [];
  private readonly waiting: (() => void)[] = [];

  readonly schedule: Schedule = (fn, delayMs) => {
    const timer = { fn, delayMs };
    this.held.push(timer);
    for (const wake of this.waiting.splice(0)) wake();
    return () => {
      const index = this.held.indexOf(timer);
      if (index >= 0) this.held.splice(index, 1);
    };
  };

  /** The delays of the timers neither fired nor cancelled, in the order they were set. */
  get delays(): number[] {
    return this.held.map((timer) => timer.delayMs);
  }

  /** Resolves once `count` timers are held; fails naming the count after `ms`. */
  waitForHeld(count: number, ms = WAIT_MS): Promise<void> {
    const held = async () => {
      while (this.held.length < count) {
        await new Promise<void>((resolve) => this.waiting.push(resolve));
      }
    };
    return within(held(), `${count} simulator timers to be held`, ms);
  }

  fireAll(): void {
    for (const timer of this.held.splice(0)) timer.fn();
  }
}

/** The simulated time the simulator reads; a test moves it. */
export interface TestClock {
  ms: number;
}

export interface TestSimulator {
  sim: Simulator;
  clock: TestClock;
  timers: HeldTimers;
  jobsUrl: string;
}

/** A simulator on a free loopback port at START_MS, with the test's clock and held timers. */
export async function startTestSimulator(
  options: Omit<SimulatorOptions, "token" | "now" | "schedule">,
): Promise<TestSimulator> {
  const clock = { ms: START_MS };
  const timers = new HeldTimers();
  const sim = await startSimulator({
    token: TOKEN,
    ...options,
    now: () => clock.ms,
    schedule: timers.schedule,
  });
  return { sim, clock, timers, jobsUrl: `${sim.url}/v1/minimax/agent/jobs` };
}
