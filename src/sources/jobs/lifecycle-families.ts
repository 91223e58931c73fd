import { JOB_STATUSES, type FinalStatus } from "../job-status/answer.js";
import type { FinishedJob } from "./job-tracker.js";
import { escapeLabel, familyHeader, formatValue } from "../../metrics/text-format.js";

/** From the 20 s of a simple job to the 15-minute expiry. */
export const DURATION_BUCKETS = [20, 30, 45, 60, 90, 120, 180, 300, 450, 600, 750, 900];

const STARTED = {
  name: "useapi_minimax_agent_jobs_started_total",
  help: "Agent jobs seen appearing in the running list between two successful polls.",
};
const FINISHED = {
  name: "useapi_minimax_agent_jobs_finished_total",
  help: "Agent jobs that left the running list, by final status (completed, failed or unknown).",
};
const DURATION = {
  name: "useapi_minimax_agent_job_duration_seconds",
  help: "Run time of finished agent jobs: the elapsed time last seen before they left the list.",
};

export interface LifecycleMetrics {
  /**
   * The accounts of a successful answer: a new account's counters start at 0 (so rate() sees its
   * first job), and an account that left loses its lifecycle series, which bounds memory and
   * cardinality however the accounts churn.
   */
  setAccounts(accounts: readonly string[]): void;
  recordStarted(started: ReadonlyMap<string, number>): void;
  /** A job left the list: its last elapsed time feeds the duration histogram. */
  recordLeft(job: FinishedJob): void;
  recordFinished(job: FinishedJob, status: FinalStatus): void;
  /** The started, finished and duration families as exposition text. */
  render(): string;
}

/**
 * One account's series. A series that is undefined is not exported: an account that left the
 * answer keeps only what its last finished jobs recorded, until the next answer.
 */
interface AccountSeries {
  started: number | undefined;
  /** Indexed like JOB_STATUSES. */
  finished: (number | undefined)[];
  /** Observations per bucket of DURATION_BUCKETS (not cumulative); undefined before the first. */
  durations: number[] | undefined;
  durationCount: number;
  durationSum: number;
}

function emptySeries(): AccountSeries {
  return {
    started: undefined,
    finished: JOB_STATUSES.map(() => undefined),
    durations: undefined,
    durationCount: 0,
    durationSum: 0,
  };
}

/**
 * The job lifecycle families, kept as a few numbers per account and written as text by hand.
 * prom-client keeps each histogram's buckets in an object keyed by the bucket bounds, which V8
 * stores as an array as long as the largest bound (900): about 7 kB per account, 70 MB at 10,000
 * accounts. Here an account costs a few hundred bytes; the text is what prom-client would write.
 */
export function createLifecycleMetrics(): LifecycleMetrics {
  const series = new Map<string, AccountSeries>();
  const seriesOf = (account: string): AccountSeries => {
    let s = series.get(account);
    if (s === undefined) {
      s = emptySeries();
      series.set(account, s);
    }
    return s;
  };
  const bucketPrefixes = DURATION_BUCKETS.map(
    (bound) => `${DURATION.name}_bucket{le="${formatValue(bound)}",account="`,
  );
  const infPrefix = `${DURATION.name}_bucket{le="+Inf",account="`;
  const finishedSuffixes = JOB_STATUSES.map((status) => `",status="${status}"} `);

  return {
    setAccounts(accounts) {
      const current = new Set(accounts);
      for (const account of series.keys()) {
        if (!current.has(account)) series.delete(account);
      }
      for (const account of accounts) {
        const s = seriesOf(account);
        s.started ??= 0;
        for (let i = 0; i < s.finished.length; i++) s.finished[i] ??= 0;
      }
    },
    recordStarted(counts) {
      for (const [account, count] of counts) {
        const s = seriesOf(account);
        s.started = (s.started ?? 0) + count;
      }
    },
    recordLeft(job) {
      const seconds = job.lastElapsedSeconds;
      if (seconds === undefined) return;
      const s = seriesOf(job.account);
      s.durations ??= DURATION_BUCKETS.map(() => 0);
      const bucket = DURATION_BUCKETS.findIndex((bound) => seconds <= bound);
      if (bucket >= 0) s.durations[bucket] = (s.durations[bucket] ?? 0) + 1;
      s.durationCount++;
      s.durationSum += seconds;
    },
    recordFinished(job, status) {
      const s = seriesOf(job.account);
      const i = JOB_STATUSES.indexOf(status);
      s.finished[i] = (s.finished[i] ?? 0) + 1;
    },
    render() {
      let started = familyHeader(STARTED.name, STARTED.help, "counter");
      let finished = familyHeader(FINISHED.name, FINISHED.help, "counter");
      let duration = familyHeader(DURATION.name, DURATION.help, "histogram");
      for (const [account, s] of series) {
        const label = escapeLabel(account);
        if (s.started !== undefined)
          started += `${STARTED.name}{account="${label}"} ${s.started}\n`;
        for (let i = 0; i < s.finished.length; i++) {
          const value = s.finished[i];
          if (value !== undefined) {
            finished += `${FINISHED.name}{account="${label}${finishedSuffixes[i]}${value}\n`;
          }
        }
        if (s.durations === undefined) continue;
        let cumulative = 0;
        for (let b = 0; b < s.durations.length; b++) {
          cumulative += s.durations[b] ?? 0;
          duration += `${bucketPrefixes[b]}${label}"} ${cumulative}\n`;
        }
        duration +=
          `${infPrefix}${label}"} ${s.durationCount}\n` +
          `${DURATION.name}_sum{account="${label}"} ${formatValue(s.durationSum)}\n` +
          `${DURATION.name}_count{account="${label}"} ${s.durationCount}\n`;
      }
      return `${started}\n${finished}\n${duration}\n`;
    },
  };
}
