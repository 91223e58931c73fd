import {
  accountBody,
  drawProfile,
  type AccountBody,
  type AccountProfile,
  type AccountsBody,
} from "./accounts.js";
import { deriveSeed, exponential, mulberry32, randomInt, type Random } from "./random.js";
import { Recent } from "./recent.js";

export { JWT_SECRET_MARKER } from "./accounts.js";
export type { AccountBody, AccountProfile, AccountsBody } from "./accounts.js";

/** Upstream jobs expire this long after they start. */
export const JOB_EXPIRY_MS = 15 * 60_000;
/** How many ended (and, separately, started) jobs the model remembers by default. */
export const HISTORY_LIMIT = 100_000;
/** The job endpoint keeps a job this long after its creation. */
export const JOB_RETENTION_MS = 31 * 86_400_000;
/** About this share of the generated jobs that beat the expiry still fail. */
export const FAILURE_RATE = 0.1;
/** The error of a job that ran into the expiry. */
export const TIMEOUT_ERROR: JobError = {
  message: "Timeout waiting for assistant response",
  status: 504,
};
/** The useapi.net user number every simulated job ID carries. */
export const USER_ID = "12345";
/** Largest number of distinct 5-digit account IDs. */
export const MAX_ACCOUNTS = 90_000;

const FIRST_ACCOUNT_ID = 10_000;
// The largest time a Date can hold.
const MAX_DATE_MS = 8.64e15;
const INJECTED_ERROR: JobError = { message: "Assistant returned an error", status: 502 };
// Failures of jobs that beat the expiry; never the timeout, so a 504 means the expiry was hit.
const OTHER_ERRORS: readonly JobError[] = [
  INJECTED_ERROR,
  { message: "Generation failed", status: 500 },
  { message: "Content moderated", status: 422 },
];
const FIRST_PROJECT_ID = 100_000_000;
const PROJECT_ID_SPACE = 900_000_000;
// Coprime with PROJECT_ID_SPACE, so stepping by it visits every project number once.
const PROJECT_ID_STRIDE = 747_796_327;

/** The 200 body of GET /v1/minimax/agent/jobs, as documented. */
export interface JobsBody {
  accounts: string[];
  summary: Record<string, { executing: number }>;
  executing: Record<string, { jobId: string; elapsed: string }[]>;
}

export const JOB_OUTCOMES = ["completed", "failed"] as const;
export type JobOutcome = (typeof JOB_OUTCOMES)[number];

export interface JobError {
  readonly message: string;
  readonly status: number;
}

export interface SimulatedJob {
  readonly jobId: string;
  readonly account: string;
  readonly startMs: number;
  /** When the job leaves the list: its run ended or it hit the expiry. */
  readonly endMs: number;
  /** How it ends, decided when it starts. */
  readonly outcome: JobOutcome;
  /** Present exactly when the outcome is "failed". */
  readonly error?: JobError;
}

/** A job that has left the list, as the job endpoint reports it. */
export interface EndedJob {
  readonly jobId: string;
  readonly account: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly status: JobOutcome;
  /** Present exactly when the status is "failed". */
  readonly error?: JobError;
}

export interface RunningJob {
  readonly jobId: string;
  readonly account: string;
  readonly startMs: number;
  readonly status: "started";
}

/** What GET /v1/minimax/agent/{jobId} knows about a job. */
export type JobRecord = RunningJob | EndedJob;

export interface ActivityOptions {
  seed: number;
  accounts: number;
  /** How many of the accounts, taken from the end of the list, never get jobs on their own. */
  idleAccounts: number;
  startMs: number;
  /** How many ended (and, separately, started) jobs to remember; HISTORY_LIMIT unless given. */
  historyLimit?: number;
}

export interface Activity {
  /** Every account ID, busy ones first, idle ones last. */
  readonly accounts: readonly string[];
  readonly idleAccounts: readonly string[];
  /** The time the model has been advanced to. */
  readonly nowMs: number;
  /** How many jobs the account runs at once at most; arrivals beyond it are turned away. */
  maxJobs(account: string): number;
  /** Moves the model forward; the state at a time does not depend on the steps taken to reach it. */
  advanceTo(nowMs: number): void;
  /** Jobs running at `nowMs` (the model's time), in account order, oldest first. */
  running(): SimulatedJob[];
  /**
   * Injects a job that runs for exactly `durationMs` (Infinity allowed) and then ends with
   * `outcome`. Unlike generated jobs it ignores maxJobs and the expiry, to model a job stuck
   * upstream. Returns its job ID.
   */
  startJob(account: string, nowMs: number, durationMs: number, outcome?: JobOutcome): string;
  /** The upstream body at `nowMs`, after advancing the model to it. */
  payload(nowMs: number): JobsBody;
  /**
   * Ended jobs, the most recent `historyLimit`, in order of end time (ties by job ID); a job
   * injected into the past is added when injected.
   */
  history(): readonly EndedJob[];
  /** Started jobs, ended or not, the most recent `historyLimit`, in order of start (or injection). */
  startedJobs(): readonly SimulatedJob[];
  /** The job at `nowMs` (after advancing to it); undefined if unknown or past its retention. */
  job(jobId: string, nowMs: number): JobRecord | undefined;
  /** A copy of the account's configuration. */
  accountProfile(account: string): AccountProfile;
  /** Marks the account broken with `message`, or healthy again with undefined. */
  setAccountError(account: string, message: string | undefined): void;
  /** Moves the account's session expiry (epoch ms). */
  setSessionExpiry(account: string, expMs: number): void;
  /** The GET /v1/minimax/accounts body at `nowMs`, after advancing the model to it. */
  accountsBody(nowMs: number): AccountsBody;
  /** One account's object, or undefined when it is not configured. */
  accountBody(account: string, nowMs: number): AccountBody | undefined;
}

interface AccountState {
  readonly id: string;
  readonly maxJobs: number;
  readonly meanGapMs: number;
  readonly random: Random;
  /** A stream of its own, so outcomes leave the job sequence unchanged. */
  readonly outcomes: Random;
  readonly profile: AccountProfile;
  nextArrivalMs: number;
  nextProject: number;
  jobs: SimulatedJob[];
}

/** Builds the seeded activity model; jobs arrive from 15 minutes before startMs, so some already run. */
export function createActivity(options: ActivityOptions): Activity {
  const { seed, accounts: count, idleAccounts: idleCount, startMs } = options;
  const { historyLimit = HISTORY_LIMIT } = options;
  checkInteger("seed", seed, -(2 ** 53), 2 ** 53);
  checkInteger("accounts", count, 0, MAX_ACCOUNTS);
  checkInteger("idleAccounts", idleCount, 0, count);
  checkInteger("historyLimit", historyLimit, 1, 2 ** 31);
  if (!Number.isFinite(startMs)) throw new RangeError("startMs must be a finite number");

  const ids = accountIds(mulberry32(seed), count);
  const states = new Map<string, AccountState>();
  ids.forEach((id, index) => {
    const accountSeed = deriveSeed(seed, index);
    const random = mulberry32(accountSeed);
    const maxJobs = randomInt(random, 1, 3);
    const meanGapMs = randomInt(random, 30_000, 120_000);
    const idle = index >= count - idleCount;
    states.set(id, {
      id,
      maxJobs,
      meanGapMs,
      random,
      outcomes: mulberry32(deriveSeed(accountSeed, 1)),
      profile: drawProfile(mulberry32(deriveSeed(accountSeed, 0)), id, maxJobs, startMs),
      nextArrivalMs: idle ? Infinity : startMs - JOB_EXPIRY_MS + exponential(random, meanGapMs),
      nextProject: randomInt(random, 0, PROJECT_ID_SPACE - 1),
      jobs: [],
    });
  });
  let modelMs = -Infinity;
  const started = new Recent<SimulatedJob>(historyLimit);
  const history = new Recent<EndedJob>(historyLimit);
  const endedById = new Map<string, EndedJob>();

  const recordEnd = (job: SimulatedJob): void => {
    const { jobId: id, account, startMs: from, endMs: to, error } = job;
    const entry: EndedJob = error
      ? { jobId: id, account, startMs: from, endMs: to, status: "failed", error }
      : { jobId: id, account, startMs: from, endMs: to, status: job.outcome };
    endedById.set(entry.jobId, entry);
    const forgotten = history.push(entry);
    if (forgotten && endedById.get(forgotten.jobId) === forgotten) {
      endedById.delete(forgotten.jobId);
    }
  };

  /** Moves the account's jobs that ended by `atMs` to `ended`. */
  const retire = (state: AccountState, atMs: number, ended: SimulatedJob[]): void => {
    if (state.jobs.every((job) => job.endMs > atMs)) return;
    for (const job of state.jobs) if (job.endMs <= atMs) ended.push(job);
    state.jobs = state.jobs.filter((job) => job.endMs > atMs);
  };

  const stateOf = (account: string): AccountState => {
    const state = states.get(account);
    if (!state) throw new RangeError(`unknown account ${JSON.stringify(account)}`);
    return state;
  };

  const advanceTo = (nowMs: number): void => {
    if (Number.isNaN(nowMs)) throw new RangeError("nowMs must be a number");
    if (nowMs <= modelMs) return;
    const arrived: SimulatedJob[] = [];
    const ended: SimulatedJob[] = [];
    for (const state of states.values()) {
      while (state.nextArrivalMs <= nowMs) {
        const at = state.nextArrivalMs;
        retire(state, at, ended);
        if (state.jobs.length < state.maxJobs) {
          const job = generatedJob(state, at);
          state.jobs.push(job);
          arrived.push(job);
        }
        state.nextArrivalMs = at + exponential(state.random, state.meanGapMs);
      }
      retire(state, nowMs, ended);
    }
    // Accounts are walked one by one; sorting makes the logs independent of the steps taken.
    arrived.sort((a, b) => a.startMs - b.startMs || compare(a.jobId, b.jobId));
    ended.sort((a, b) => a.endMs - b.endMs || compare(a.jobId, b.jobId));
    for (const job of arrived) started.push(job);
    for (const job of ended) recordEnd(job);
    modelMs = nowMs;
  };

  const running = (): SimulatedJob[] => [...states.values()].flatMap((state) => state.jobs);

  advanceTo(startMs);
  return {
    accounts: ids,
    idleAccounts: ids.slice(count - idleCount),
    get nowMs() {
      return modelMs;
    },
    maxJobs: (account) => stateOf(account).maxJobs,
    advanceTo,
    running,
    startJob(account, nowMs, durationMs, outcome = "completed") {
      const state = stateOf(account);
      if (!(durationMs > 0)) throw new RangeError("durationMs must be positive");
      if (!(JOB_OUTCOMES as readonly string[]).includes(outcome)) {
        throw new RangeError('outcome must be "completed" or "failed"');
      }
      advanceTo(nowMs);
      const error = outcome === "failed" ? injectedError(durationMs) : undefined;
      const job = newJob(state, nowMs, nowMs + durationMs, error);
      started.push(job);
      if (job.endMs <= modelMs) {
        recordEnd(job);
      } else {
        state.jobs.push(job);
        state.jobs.sort((a, b) => a.startMs - b.startMs);
      }
      return job.jobId;
    },
    payload(nowMs) {
      advanceTo(nowMs);
      const body: JobsBody = { accounts: [...ids], summary: {}, executing: {} };
      for (const state of states.values()) {
        if (state.jobs.length === 0) continue;
        body.summary[state.id] = { executing: state.jobs.length };
        body.executing[state.id] = state.jobs.map((job) => ({
          jobId: job.jobId,
          elapsed: formatElapsed(nowMs - job.startMs),
        }));
      }
      return body;
    },
    history: () => history.toArray(),
    startedJobs: () => started.toArray(),
    job(jobId, nowMs) {
      advanceTo(nowMs);
      const account = /-a(\d+)-bot:minimax$/.exec(jobId)?.[1];
      const live = account === undefined ? undefined : states.get(account)?.jobs;
      const job = live?.find((candidate) => candidate.jobId === jobId);
      if (job) {
        return { jobId, account: job.account, startMs: job.startMs, status: "started" };
      }
      const ended = endedById.get(jobId);
      if (!ended || modelMs - ended.startMs > JOB_RETENTION_MS) return undefined;
      return ended;
    },
    accountProfile: (account) => ({ ...stateOf(account).profile }),
    setAccountError(account, message) {
      if (message !== undefined && typeof message !== "string") {
        throw new RangeError("the account error must be a string or undefined");
      }
      stateOf(account).profile.error = message;
    },
    setSessionExpiry(account, expMs) {
      const state = stateOf(account);
      if (!(Math.abs(expMs) <= MAX_DATE_MS)) {
        throw new RangeError(`expMs must be a time from -${MAX_DATE_MS} to ${MAX_DATE_MS}`);
      }
      state.profile.jwtExpMs = expMs;
    },
    accountsBody(nowMs) {
      advanceTo(nowMs);
      const body: AccountsBody = {};
      for (const state of states.values()) body[state.id] = accountBody(state.id, state.profile);
      return body;
    },
    accountBody(account, nowMs) {
      advanceTo(nowMs);
      const state = states.get(account);
      return state ? accountBody(account, state.profile) : undefined;
    },
  };
}

export interface GeneratedPayloadOptions {
  seed: number;
  accounts: number;
  jobsPerAccount: number;
  /** Accounts at the end of the list with no jobs; 0 unless given. */
  idleAccounts?: number;
}

/** A large static body for benchmarks, built in time linear in its size. */
export function generatePayload(options: GeneratedPayloadOptions): JobsBody {
  const { seed, accounts: count, jobsPerAccount, idleAccounts: idleCount = 0 } = options;
  checkInteger("seed", seed, -(2 ** 53), 2 ** 53);
  checkInteger("accounts", count, 0, MAX_ACCOUNTS);
  checkInteger("jobsPerAccount", jobsPerAccount, 0, 1_000_000);
  checkInteger("idleAccounts", idleCount, 0, count);
  const random = mulberry32(seed);
  const ids = accountIds(random, count);
  const body: JobsBody = { accounts: ids, summary: {}, executing: {} };
  let project = randomInt(random, 0, PROJECT_ID_SPACE - 1);
  for (const id of ids.slice(0, count - idleCount)) {
    if (jobsPerAccount === 0) break;
    const jobs: { jobId: string; elapsed: string }[] = [];
    for (let j = 0; j < jobsPerAccount; j++) {
      project = (project + PROJECT_ID_STRIDE) % PROJECT_ID_SPACE;
      jobs.push({
        jobId: jobId(FIRST_PROJECT_ID + project, id),
        elapsed: formatElapsed(randomInt(random, 0, JOB_EXPIRY_MS / 1000 - 1) * 1000),
      });
    }
    body.summary[id] = { executing: jobsPerAccount };
    body.executing[id] = jobs;
  }
  return body;
}

/** `mm:ss`, zero-padded; minutes go past 59 rather than adding an hour field ("75:30"). */
export function formatElapsed(elapsedMs: number): string {
  const seconds = Math.max(0, Math.floor(elapsedMs / 1000));
  const mm = String(Math.floor(seconds / 60)).padStart(2, "0");
  const ss = String(seconds % 60).padStart(2, "0");
  return `${mm}:${ss}`;
}

/** Distinct 5-digit IDs in random order: a partial Fisher–Yates shuffle, O(count). */
function accountIds(random: Random, count: number): string[] {
  const swapped = new Map<number, number>();
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const j = randomInt(random, i, MAX_ACCOUNTS - 1);
    const picked = swapped.get(j) ?? j;
    swapped.set(j, swapped.get(i) ?? i);
    ids.push(String(FIRST_ACCOUNT_ID + picked));
  }
  return ids;
}

/** Mostly 20–60 s, some 1–2 min, a few multi-step runs of 5–20 min (cut at the expiry). */
function drawDurationMs(random: Random): number {
  const u = random();
  if (u < 0.7) return randomInt(random, 20_000, 60_000);
  if (u < 0.92) return randomInt(random, 60_001, 120_000);
  return randomInt(random, 300_000, 1_200_000);
}

/** A generated job: a run past the expiry fails at it; of the others, FAILURE_RATE fail. */
function generatedJob(state: AccountState, startMs: number): SimulatedJob {
  const drawnMs = drawDurationMs(state.random);
  const roll = state.outcomes();
  if (drawnMs >= JOB_EXPIRY_MS)
    return newJob(state, startMs, startMs + JOB_EXPIRY_MS, TIMEOUT_ERROR);
  const error =
    roll < FAILURE_RATE
      ? OTHER_ERRORS[Math.floor((roll / FAILURE_RATE) * OTHER_ERRORS.length)]
      : undefined;
  return newJob(state, startMs, startMs + drawnMs, error);
}

function injectedError(durationMs: number): JobError {
  return durationMs >= JOB_EXPIRY_MS ? TIMEOUT_ERROR : INJECTED_ERROR;
}

/** A job that fails with `error`, or completes without one. */
function newJob(
  state: AccountState,
  startMs: number,
  endMs: number,
  error: JobError | undefined,
): SimulatedJob {
  state.nextProject = (state.nextProject + PROJECT_ID_STRIDE) % PROJECT_ID_SPACE;
  const id = jobId(FIRST_PROJECT_ID + state.nextProject, state.id);
  return error
    ? { jobId: id, account: state.id, startMs, endMs, outcome: "failed", error }
    : { jobId: id, account: state.id, startMs, endMs, outcome: "completed" };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function jobId(project: number, account: string): string {
  return `p${project}-u${USER_ID}-a${account}-bot:minimax`;
}

function checkInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
}
