import type { Families } from "../../metrics/family.js";
import type { Logger } from "../../logging/logger.js";
import type { AnomalyCount } from "../../metrics/anomalies.js";
import { INVALID_LABEL_VALUE, type LabelValue } from "../../metrics/label-value.js";
import type { Source } from "../source.js";
import { parseUsageAnswer, USAGE_LIMIT, USAGE_PATH, type UsageAnswer } from "./answer.js";
import { createRowMemory } from "./row-memory.js";
import { createUsageMetrics } from "./usage-metrics.js";

export const USAGE_ANOMALY_KINDS = [
  "usage_rows_missed",
  "usage_invalid_row",
  "usage_odd_row",
  "usage_duplicate_row",
  "usage_series_overflow",
  INVALID_LABEL_VALUE,
] as const;

export interface UsageSourceOptions {
  registry: Families;
  intervalMs: number;
  countAnomaly: AnomalyCount;
  logger: Logger;
  /** The `limit` asked for: an answer this long may have left rows out. */
  limit?: number | undefined;
}

/** What the landing page shows of the last answer and of everything counted. */
export interface UsageSnapshot {
  readonly takenAtMs: number;
  readonly listed: number;
  readonly fresh: number;
  readonly counted: number;
  readonly missedAnswers: number;
  readonly byCode: ReadonlyMap<string, number>;
}

export interface UsageSource extends Source<UsageAnswer> {
  snapshot(): UsageSnapshot | undefined;
}

/** GET /v2/account/stats: each recorded request counted once (first answer's too), in any order. */
export function createUsageSource(options: UsageSourceOptions): UsageSource {
  const { countAnomaly, logger, limit = USAGE_LIMIT } = options;
  const memory = createRowMemory();
  const metrics = createUsageMetrics(options.registry);
  let snapshot: UsageSnapshot | undefined;
  let counted = 0;
  let missedAnswers = 0;

  return {
    name: "usage",
    title: "the usage records",
    path: limit === USAGE_LIMIT ? USAGE_PATH : `/v2/account/stats?bot=minimax&limit=${limit}`,
    intervalMs: options.intervalMs,
    parse: parseUsageAnswer,
    update(answer, nowMs) {
      const { jobIds, accounts, endpoints, codes, seconds } = answer;
      const taken = memory.take(jobIds);
      let folded = 0;
      for (const i of taken.fresh) {
        const kept = metrics.record(
          accounts[i] as LabelValue,
          endpoints[i] as LabelValue,
          codes[i] as LabelValue,
          seconds[i] as number,
        );
        if (!kept) folded++;
      }
      counted += taken.fresh.length;
      const distinct = jobIds.length - taken.duplicates;
      const missed =
        !taken.first && answer.listed >= limit && distinct > 0 && taken.fresh.length === distinct;
      countAnomaly(INVALID_LABEL_VALUE, answer.invalidLabels);
      countAnomaly("usage_invalid_row", answer.invalidRows);
      countAnomaly("usage_odd_row", answer.oddRows);
      countAnomaly("usage_duplicate_row", taken.duplicates);
      countAnomaly("usage_series_overflow", folded);
      if (missed) {
        countAnomaly("usage_rows_missed", 1);
        if (missedAnswers++ === 0) {
          logger.warn(
            { source: "usage", rows: answer.listed, limit },
            "every row of a full usage answer was new: requests recorded since the last poll may have been missed; shorten --usage.interval (further cases are counted as usage_rows_missed only)",
          );
        }
      }
      snapshot = {
        takenAtMs: nowMs,
        listed: answer.listed,
        fresh: taken.fresh.length,
        counted,
        missedAnswers,
        byCode: metrics.byCode(),
      };
      return { rows: answer.listed, newRows: taken.fresh.length };
    },
    snapshot: () => snapshot,
  };
}
