import {
  emptyHistogram,
  histogramWriter,
  observe,
  type HistogramCounts,
} from "../../metrics/histogram-text.js";
import type { FamilyWriters } from "../../metrics/rendering.js";
import { escapeLabel } from "../../metrics/text-format.js";
import type { UsageRow } from "./answer.js";
import { API_REQUEST_DURATION, API_REQUESTS } from "./families.js";

/** From a quick refusal to the 5-minute answers of a slow create. */
export const REQUEST_DURATION_BUCKETS = [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300];
/** Distinct (account, endpoint, code) series at most; further rows fold into account and endpoint `other`. */
export const MAX_REQUEST_SERIES = 1_000;
/** Distinct endpoints of the histogram at most; further ones fold into `other`. */
export const MAX_DURATION_ENDPOINTS = 50;
export const OTHER = "other";

export interface UsageMetrics {
  /** Counts one row; returns false when its labels were folded into `other`. */
  record(row: UsageRow): boolean;
  /** Requests counted by code, for the landing page. */
  byCode(): ReadonlyMap<string, number>;
  readonly writers: FamilyWriters;
}

interface RequestSeries {
  /** The label pairs, escaped, without braces. */
  readonly labels: string;
  count: number;
}

/**
 * The usage counters and the duration histogram, written as text by hand. Series are never
 * removed: they are totals since the exporter started. The folded `other` series keep the code
 * (at most 501 of them), so that 412 and 596 stay visible however many accounts there are.
 */
export function createUsageMetrics(
  maxSeries = MAX_REQUEST_SERIES,
  maxEndpoints = MAX_DURATION_ENDPOINTS,
): UsageMetrics {
  const requests = new Map<string, RequestSeries>();
  const durations = new Map<string, HistogramCounts>();
  const codes = new Map<string, number>();
  const writeDurations = histogramWriter(API_REQUEST_DURATION.name, REQUEST_DURATION_BUCKETS);

  // Created by folding: beyond the bound, so they do not count against it.
  let foldedSeries = 0;
  const seriesOf = (account: string, endpoint: string, code: string): RequestSeries => {
    const key = `${account}\u0000${endpoint}\u0000${code}`;
    let s = requests.get(key);
    if (s === undefined) {
      s = {
        labels: `account="${escapeLabel(account)}",endpoint="${escapeLabel(endpoint)}",code="${code}"`,
        count: 0,
      };
      requests.set(key, s);
    }
    return s;
  };

  return {
    record(row) {
      let kept = true;
      let series = requests.get(`${row.account}\u0000${row.endpoint}\u0000${row.code}`);
      if (series === undefined) {
        if (requests.size - foldedSeries < maxSeries) {
          series = seriesOf(row.account, row.endpoint, row.code);
        } else {
          kept = false;
          const size = requests.size;
          // One map for both, so that an upstream account named `other` never writes a series twice.
          series = seriesOf(OTHER, OTHER, row.code);
          if (requests.size > size) foldedSeries++;
        }
      }
      series.count++;
      codes.set(row.code, (codes.get(row.code) ?? 0) + 1);
      if (row.seconds !== undefined) {
        let endpoint = row.endpoint;
        let histogram = durations.get(endpoint);
        if (histogram === undefined && durations.size >= maxEndpoints && endpoint !== OTHER) {
          kept = false;
          endpoint = OTHER;
          histogram = durations.get(OTHER);
        }
        if (histogram === undefined) {
          histogram = emptyHistogram();
          durations.set(endpoint, histogram);
        }
        observe(histogram, REQUEST_DURATION_BUCKETS, row.seconds);
      }
      return kept;
    },
    byCode: () => codes,
    writers: {
      [API_REQUESTS.name]: (out) => {
        for (const s of requests.values())
          out.write(`${API_REQUESTS.name}{${s.labels}} ${s.count}\n`);
      },
      [API_REQUEST_DURATION.name]: (out) => {
        for (const [endpoint, counts] of durations)
          writeDurations(out, `endpoint="${escapeLabel(endpoint)}"`, counts);
      },
    },
  };
}
