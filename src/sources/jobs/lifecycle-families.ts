import { JOB_STATUSES, type FinalStatus, type FinishedJob } from "../common/finished-jobs.js";
import {
  emptyHistogram,
  histogramWriter,
  observe,
  type HistogramCounts,
} from "../../metrics/histogram-text.js";
import type { FamilyWriters } from "../../metrics/rendering.js";
import { escapeLabel } from "../../metrics/text-format.js";
import { JOB_DURATION, JOBS_FINISHED, JOBS_STARTED } from "./families.js";

/** From the 20 s of a simple job to the 15-minute expiry. */
export const DURATION_BUCKETS = [20, 30, 45, 60, 90, 120, 180, 300, 450, 600, 750, 900];

const STARTED = JOBS_STARTED;
const FINISHED = JOBS_FINISHED;
const DURATION = JOB_DURATION;

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
  /** The sample lines of the started, finished and duration families. */
  readonly writers: FamilyWriters;
}

/**
 * One account's series. A series that is undefined is not exported: an account that left the
 * answer keeps only what its last finished jobs recorded, until the next answer.
 */
interface AccountSeries {
  started: number | undefined;
  /** Indexed like JOB_STATUSES. */
  finished: (number | undefined)[];
  durations: HistogramCounts;
}

function emptySeries(): AccountSeries {
  return {
    started: undefined,
    finished: JOB_STATUSES.map(() => undefined),
    durations: emptyHistogram(),
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
  const writeDurations = histogramWriter(DURATION.name, DURATION_BUCKETS);
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
      observe(seriesOf(job.account).durations, DURATION_BUCKETS, seconds);
    },
    recordFinished(job, status) {
      const s = seriesOf(job.account);
      const i = JOB_STATUSES.indexOf(status);
      s.finished[i] = (s.finished[i] ?? 0) + 1;
    },
    writers: {
      [STARTED.name]: (out) => {
        for (const [account, s] of series) {
          if (s.started !== undefined) {
            out.write(`${STARTED.name}{account="${escapeLabel(account)}"} ${s.started}\n`);
          }
        }
      },
      [FINISHED.name]: (out) => {
        for (const [account, s] of series) {
          const label = escapeLabel(account);
          for (let i = 0; i < s.finished.length; i++) {
            const value = s.finished[i];
            if (value !== undefined) {
              out.write(`${FINISHED.name}{account="${label}${finishedSuffixes[i]}${value}\n`);
            }
          }
        }
      },
      [DURATION.name]: (out) => {
        for (const [account, s] of series) {
          writeDurations(out, `account="${escapeLabel(account)}"`, s.durations);
        }
      },
    },
  };
}
