import type { Families } from "../../metrics/family.js";
import { ownLabel, type LabelValue } from "../../metrics/label-value.js";
import { NO_DURATION } from "./answer.js";
import { createHistogram, observe, type Histogram } from "../../metrics/histogram.js";
import { registerUsageFamilies, REQUEST_DURATION_BUCKETS, type RequestLabel } from "./families.js";

/** Most (account, endpoint, code) series kept; more rows fold into account and endpoint `other`. */
export const MAX_REQUEST_SERIES = 1_000;
/** Distinct endpoints of the histogram at most; further ones fold into `other`. */
export const MAX_DURATION_ENDPOINTS = 50;
export const OTHER = ownLabel("other");

export interface UsageMetrics {
  /** Counts a row (`seconds` NO_DURATION if none); false when its labels fold into `other`. */
  record(account: LabelValue, endpoint: LabelValue, code: LabelValue, seconds: number): boolean;
  /** Requests counted by code, for the landing page. */
  byCode(): ReadonlyMap<string, number>;
}

interface RequestSeries {
  /** Made once: the counter's collect sets every series from these. */
  readonly labels: Readonly<Record<RequestLabel, LabelValue>>;
  count: number;
  /** Every series' count of this code, counted with it: no walk over the series for the page. */
  readonly total: { count: number };
}

/** Usage counts (set at collect) and durations, never reset; `other` keeps codes: 412, 596 show. */
export function createUsageMetrics(
  registry: Families,
  maxSeries = MAX_REQUEST_SERIES,
  maxEndpoints = MAX_DURATION_ENDPOINTS,
): UsageMetrics {
  // Account, then endpoint, then code: lookups of the answer's own strings, no key built per row.
  const requests = new Map<string, Map<string, Map<string, RequestSeries>>>();
  const durations = new Map<LabelValue, Histogram>();
  const codeTotals = new Map<string, { count: number }>();
  let series = 0;
  // Created by folding: beyond the bound, so they do not count against it.
  let foldedSeries = 0;
  registerUsageFamilies(
    registry,
    (set) => {
      for (const byEndpoint of requests.values())
        for (const byCode of byEndpoint.values())
          for (const s of byCode.values()) set(s.labels, s.count);
    },
    durations,
  );

  const find = (account: string, endpoint: string, code: string): RequestSeries | undefined =>
    requests.get(account)?.get(endpoint)?.get(code);
  const create = (account: LabelValue, endpoint: LabelValue, code: LabelValue): RequestSeries => {
    let byEndpoint = requests.get(account);
    if (byEndpoint === undefined)
      requests.set(account, (byEndpoint = new Map<string, Map<string, RequestSeries>>()));
    let byCode = byEndpoint.get(endpoint);
    if (byCode === undefined) byEndpoint.set(endpoint, (byCode = new Map<string, RequestSeries>()));
    let total = codeTotals.get(code);
    if (total === undefined) codeTotals.set(code, (total = { count: 0 }));
    const s = { labels: { account, endpoint, code }, count: 0, total };
    byCode.set(code, s);
    series++;
    return s;
  };
  return {
    record(account, endpoint, code, seconds) {
      let kept = true;
      let s = find(account, endpoint, code);
      if (s === undefined) {
        if (series - foldedSeries < maxSeries) {
          s = create(account, endpoint, code);
        } else {
          kept = false;
          // One map for both, so an upstream account named `other` never writes a series twice.
          s = find(OTHER, OTHER, code);
          if (s === undefined) {
            s = create(OTHER, OTHER, code);
            foldedSeries++;
          }
        }
      }
      s.count++;
      s.total.count++;
      if (seconds !== NO_DURATION) {
        let histogram = durations.get(endpoint);
        if (histogram === undefined && durations.size >= maxEndpoints && endpoint !== OTHER) {
          kept = false;
          endpoint = OTHER;
          histogram = durations.get(OTHER);
        }
        if (histogram === undefined) {
          histogram = createHistogram(REQUEST_DURATION_BUCKETS);
          durations.set(endpoint, histogram);
        }
        observe(histogram, REQUEST_DURATION_BUCKETS, seconds);
      }
      return kept;
    },
    byCode: () => new Map([...codeTotals].map(([code, total]) => [code, total.count])),
  };
}
