import type { FamilyMeta } from "../../metrics/families.js";

export const API_REQUESTS = {
  name: "useapi_minimax_api_requests_total",
  help: "Requests of this token's clients that useapi.net recorded (GET /v2/account/stats), by account (the row's config), endpoint and HTTP code.",
  type: "counter",
} as const satisfies FamilyMeta;

export const API_REQUEST_DURATION = {
  name: "useapi_minimax_api_request_duration_seconds",
  help: "Duration of the requests useapi.net recorded (msec of GET /v2/account/stats), by endpoint.",
  type: "histogram",
} as const satisfies FamilyMeta;

/** The usage source's hand-written families, in /metrics order. */
export const USAGE_FAMILIES: readonly FamilyMeta[] = [API_REQUESTS, API_REQUEST_DURATION];
