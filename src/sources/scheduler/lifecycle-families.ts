import {
  GENERATION_DURATION,
  GENERATIONS_FINISHED,
  GENERATIONS_STARTED,
} from "../../metrics/families.js";
import type { TextSink } from "../../metrics/mapped-sink.js";
import type { FamilyWriters } from "../../metrics/rendering.js";
import { escapeLabel, formatValue } from "../../metrics/text-format.js";
import { GENERATION_TYPES } from "./answer.js";
import type { SnapshotGeneration } from "./snapshot.js";

/** From a 30 s image or short clip to the 30 minutes of a long video queue. */
export const GENERATION_BUCKETS = [30, 60, 90, 120, 180, 240, 300, 420, 600, 900, 1200, 1800];

/** One (account, type) pair's counts; the histogram is undefined before its first observation. */
interface TypeSeries {
  started: number;
  finished: number;
  buckets: number[] | undefined;
  count: number;
  sum: number;
}

export interface GenerationLifecycle {
  /** The accounts of a successful answer: new ones start at 0, departed ones lose their series. */
  setAccounts(accounts: readonly string[]): void;
  recordStarted(generation: SnapshotGeneration): void;
  recordFinished(generation: SnapshotGeneration): void;
  readonly writers: FamilyWriters;
}

const typeIndex = (generation: SnapshotGeneration) => (generation.type === "video" ? 0 : 1);

/** The generation lifecycle families, written as text (see jobs/lifecycle-families.ts for why). */
export function createGenerationLifecycle(): GenerationLifecycle {
  const series = new Map<string, TypeSeries[]>();
  const seriesOf = (account: string): TypeSeries[] => {
    let s = series.get(account);
    if (s === undefined) {
      s = GENERATION_TYPES.map(() => ({
        started: 0,
        finished: 0,
        buckets: undefined,
        count: 0,
        sum: 0,
      }));
      series.set(account, s);
    }
    return s;
  };
  const suffixes = GENERATION_TYPES.map((type) => `",type="${type}"} `);
  const bucketLabels = GENERATION_BUCKETS.map((bound) => `{le="${formatValue(bound)}",account="`);

  const counter = (name: string, value: (s: TypeSeries) => number) => (out: TextSink) => {
    for (const [account, byType] of series) {
      const label = escapeLabel(account);
      for (let t = 0; t < byType.length; t++) {
        out.write(`${name}{account="${label}${suffixes[t]}${value(byType[t] as TypeSeries)}\n`);
      }
    }
  };

  return {
    setAccounts(accounts) {
      const current = new Set(accounts);
      for (const account of series.keys()) if (!current.has(account)) series.delete(account);
      for (const account of accounts) seriesOf(account);
    },
    recordStarted(generation) {
      const s = seriesOf(generation.account)[typeIndex(generation)] as TypeSeries;
      s.started++;
    },
    recordFinished(generation) {
      const s = seriesOf(generation.account)[typeIndex(generation)] as TypeSeries;
      s.finished++;
      const seconds = generation.elapsedSeconds;
      if (seconds === undefined) return;
      s.buckets ??= GENERATION_BUCKETS.map(() => 0);
      const bucket = GENERATION_BUCKETS.findIndex((bound) => seconds <= bound);
      if (bucket >= 0) s.buckets[bucket] = (s.buckets[bucket] ?? 0) + 1;
      s.count++;
      s.sum += seconds;
    },
    writers: {
      [GENERATIONS_STARTED.name]: counter(GENERATIONS_STARTED.name, (s) => s.started),
      [GENERATIONS_FINISHED.name]: counter(GENERATIONS_FINISHED.name, (s) => s.finished),
      [GENERATION_DURATION.name]: (out) => {
        const name = GENERATION_DURATION.name;
        for (const [account, byType] of series) {
          const label = escapeLabel(account);
          for (let t = 0; t < byType.length; t++) {
            const s = byType[t] as TypeSeries;
            if (s.buckets === undefined) continue;
            const tail = `${label}${suffixes[t]}`;
            let cumulative = 0;
            for (let b = 0; b < s.buckets.length; b++) {
              cumulative += s.buckets[b] ?? 0;
              out.write(`${name}_bucket${bucketLabels[b]}${tail}${cumulative}\n`);
            }
            out.write(
              `${name}_bucket{le="+Inf",account="${tail}${s.count}\n` +
                `${name}_sum{account="${tail}${formatValue(s.sum)}\n` +
                `${name}_count{account="${tail}${s.count}\n`,
            );
          }
        }
      },
    },
  };
}
