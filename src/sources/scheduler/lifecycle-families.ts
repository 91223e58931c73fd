import {
  emptyHistogram,
  histogramWriter,
  observe,
  type HistogramCounts,
} from "../../metrics/histogram-text.js";
import type { TextSink } from "../../metrics/mapped-sink.js";
import type { FamilyWriters } from "../../metrics/rendering.js";
import { escapeLabel } from "../../metrics/text-format.js";
import { GENERATION_TYPES } from "./answer.js";
import type { SchedulerFamilies } from "./families.js";
import type { SnapshotGeneration } from "./generation-list.js";

/** From a 30 s image or short clip to the 30 minutes of a long video queue. */
export const GENERATION_BUCKETS = [30, 60, 90, 120, 180, 240, 300, 420, 600, 900, 1200, 1800];

/** One (account, type) pair's counts. */
interface TypeSeries {
  started: number;
  finished: number;
  durations: HistogramCounts;
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
export function createGenerationLifecycle(
  families: Pick<SchedulerFamilies, "started" | "finished" | "duration">,
): GenerationLifecycle {
  // Each account's label, escaped once, and its series by type.
  const series = new Map<string, { label: string; byType: TypeSeries[] }>();
  const seriesOf = (account: string): TypeSeries[] => {
    let s = series.get(account);
    if (s === undefined) {
      s = {
        label: escapeLabel(account),
        byType: GENERATION_TYPES.map(() => ({
          started: 0,
          finished: 0,
          durations: emptyHistogram(),
        })),
      };
      series.set(account, s);
    }
    return s.byType;
  };
  /** The accounts last set, while no other account has series. */
  let lastAccounts: readonly string[] = [];
  const sameAccounts = (accounts: readonly string[]): boolean => {
    if (accounts.length !== lastAccounts.length || series.size !== accounts.length) return false;
    for (let i = 0; i < accounts.length; i++) if (accounts[i] !== lastAccounts[i]) return false;
    return true;
  };
  const typeLabels = GENERATION_TYPES.map((type) => `",type="${type}"`);
  const writeDurations = histogramWriter(families.duration.name, GENERATION_BUCKETS);

  const counter = (name: string, value: (s: TypeSeries) => number) => (out: TextSink) => {
    for (const { label, byType } of series.values()) {
      for (let t = 0; t < byType.length; t++) {
        out.write(`${name}{account="${label}${typeLabels[t]}} ${value(byType[t] as TypeSeries)}\n`);
      }
    }
  };

  return {
    setAccounts(accounts) {
      if (sameAccounts(accounts)) return;
      lastAccounts = accounts;
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
      if (seconds !== undefined) observe(s.durations, GENERATION_BUCKETS, seconds);
    },
    writers: {
      [families.started.name]: counter(families.started.name, (s) => s.started),
      [families.finished.name]: counter(families.finished.name, (s) => s.finished),
      [families.duration.name]: (out) => {
        for (const { label, byType } of series.values()) {
          for (let t = 0; t < byType.length; t++) {
            const s = byType[t] as TypeSeries;
            writeDurations(out, `account="${label}${typeLabels[t]}`, s.durations);
          }
        }
      },
    },
  };
}
