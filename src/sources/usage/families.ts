import {
  registerFamily,
  registerHistogram,
  type Families,
  type SetSample,
} from "../../metrics/family.js";
import type { Histogram } from "../../metrics/histogram.js";
import type { LabelValue } from "../../metrics/label-value.js";

/** From a quick refusal to the 5-minute answers of a slow create. */
export const REQUEST_DURATION_BUCKETS = [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300];

export type RequestLabel = "account" | "endpoint" | "code";

/** The request counter (from the counts `requests` walks), the duration histogram; never reset. */
export function registerUsageFamilies(
  registry: Families,
  requests: (set: SetSample<RequestLabel>) => void,
  durations: ReadonlyMap<LabelValue, Histogram>,
): void {
  registerFamily(registry, {
    name: "useapi_minimax_api_requests_total",
    help: "Requests of this token's clients that useapi.net recorded (GET /v2/account/stats), by account (the row's config), endpoint and HTTP code.",
    type: "counter",
    labelNames: ["account", "endpoint", "code"],
    samples: requests,
  });
  registerHistogram(registry, {
    name: "useapi_minimax_api_request_duration_seconds",
    help: "Duration of the requests useapi.net recorded (msec of GET /v2/account/stats), by endpoint.",
    labelNames: ["endpoint"],
    buckets: REQUEST_DURATION_BUCKETS,
    samples(set) {
      for (const [endpoint, histogram] of durations) set({ endpoint }, histogram);
    },
  });
}
