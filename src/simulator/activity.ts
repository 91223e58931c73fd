import { deriveSeed, exponential, mulberry32, randomInt, type Random } from "./random.js";

/** Upstream jobs expire this long after they start. */
export const JOB_EXPIRY_MS = 15 * 60_000;
/** The useapi.net user number every simulated job ID carries. */
export const USER_ID = "12345";
/** Largest number of distinct 5-digit account IDs. */
export const MAX_ACCOUNTS = 90_000;

const FIRST_ACCOUNT_ID = 10_000;
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

export interface SimulatedJob {
  readonly jobId: string;
  readonly account: string;
  readonly startMs: number;
  /** When the job leaves the list: its run ended or it hit the expiry. */
  readonly endMs: number;
}

export interface ActivityOptions {
  seed: number;
  accounts: number;
  /** How many of the accounts, taken from the end of the list, never get jobs on their own. */
  idleAccounts: number;
  startMs: number;
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
   * Injects a job that runs for exactly `durationMs` (Infinity allowed). Unlike generated jobs it
   * ignores maxJobs and the expiry, to model a job stuck upstream. Returns its job ID.
   */
  startJob(account: string, nowMs: number, durationMs: number): string;
  /** The upstream body at `nowMs`, after advancing the model to it. */
  payload(nowMs: number): JobsBody;
}

interface AccountState {
  readonly id: string;
  readonly maxJobs: number;
  readonly meanGapMs: number;
  readonly random: Random;
  nextArrivalMs: number;
  nextProject: number;
  jobs: SimulatedJob[];
}

/** Builds the seeded activity model; jobs arrive from 15 minutes before startMs, so some already run. */
export function createActivity(options: ActivityOptions): Activity {
  const { seed, accounts: count, idleAccounts: idleCount, startMs } = options;
  checkInteger("seed", seed, -(2 ** 53), 2 ** 53);
  checkInteger("accounts", count, 0, MAX_ACCOUNTS);
  checkInteger("idleAccounts", idleCount, 0, count);
  if (!Number.isFinite(startMs)) throw new RangeError("startMs must be a finite number");

  const ids = accountIds(mulberry32(seed), count);
  const states = new Map<string, AccountState>();
  ids.forEach((id, index) => {
    const random = mulberry32(deriveSeed(seed, index));
    const maxJobs = randomInt(random, 1, 3);
    const meanGapMs = randomInt(random, 30_000, 120_000);
    const idle = index >= count - idleCount;
    states.set(id, {
      id,
      maxJobs,
      meanGapMs,
      random,
      nextArrivalMs: idle ? Infinity : startMs - JOB_EXPIRY_MS + exponential(random, meanGapMs),
      nextProject: randomInt(random, 0, PROJECT_ID_SPACE - 1),
      jobs: [],
    });
  });
  let modelMs = -Infinity;

  const stateOf = (account: string): AccountState => {
    const state = states.get(account);
    if (!state) throw new RangeError(`unknown account ${JSON.stringify(account)}`);
    return state;
  };

  const advanceTo = (nowMs: number): void => {
    if (Number.isNaN(nowMs)) throw new RangeError("nowMs must be a number");
    if (nowMs <= modelMs) return;
    for (const state of states.values()) {
      while (state.nextArrivalMs <= nowMs) {
        const at = state.nextArrivalMs;
        state.jobs = state.jobs.filter((job) => job.endMs > at);
        if (state.jobs.length < state.maxJobs) {
          const durationMs = Math.min(drawDurationMs(state.random), JOB_EXPIRY_MS);
          state.jobs.push(newJob(state, at, at + durationMs));
        }
        state.nextArrivalMs = at + exponential(state.random, state.meanGapMs);
      }
      state.jobs = state.jobs.filter((job) => job.endMs > nowMs);
    }
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
    startJob(account, nowMs, durationMs) {
      const state = stateOf(account);
      if (!(durationMs > 0)) throw new RangeError("durationMs must be positive");
      advanceTo(nowMs);
      const job = newJob(state, nowMs, nowMs + durationMs);
      state.jobs.push(job);
      state.jobs.sort((a, b) => a.startMs - b.startMs);
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

function newJob(state: AccountState, startMs: number, endMs: number): SimulatedJob {
  state.nextProject = (state.nextProject + PROJECT_ID_STRIDE) % PROJECT_ID_SPACE;
  return {
    jobId: jobId(FIRST_PROJECT_ID + state.nextProject, state.id),
    account: state.id,
    startMs,
    endMs,
  };
}

function jobId(project: number, account: string): string {
  return `p${project}-u${USER_ID}-a${account}-bot:minimax`;
}

function checkInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
}
