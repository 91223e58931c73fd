import type { FamilyMeta } from "../../metrics/families.js";

const FROM_CREDITS = "(from the background calls of GET /v1/minimax/features/, one per account)";

export const CREDITS = {
  name: "useapi_minimax_account_credits",
  help: `Credits left on the MiniMax account (totalCredits) ${FROM_CREDITS}.`,
  type: "gauge",
} as const satisfies FamilyMeta;

export const NEXT_EXPIRY = {
  name: "useapi_minimax_account_credits_next_expiry_timestamp_seconds",
  help: `Unix time when the account's next batch of credits with credits left expires ${FROM_CREDITS}.`,
  type: "gauge",
} as const satisfies FamilyMeta;

export const EXPIRING_NEXT = {
  name: "useapi_minimax_account_credits_expiring_next",
  help: `Credits of the batches that expire at the next expiry, 0 when none is listed ${FROM_CREDITS}.`,
  type: "gauge",
} as const satisfies FamilyMeta;

export const PLAN_INFO = {
  name: "useapi_minimax_account_plan_info",
  help: `Constant 1 labelled with the account's MiniMax plan (memberName) ${FROM_CREDITS}.`,
  type: "gauge",
} as const satisfies FamilyMeta;

export const VIDEO_COST = {
  name: "useapi_minimax_account_video_cost_credits",
  help: `Credits one video costs at the account's default model (videoCost) ${FROM_CREDITS}.`,
  type: "gauge",
} as const satisfies FamilyMeta;

export const QUEUE_LIMIT = {
  name: "useapi_minimax_account_queue_limit",
  help: `Generations of each type the account may have queued (queueLength, imageQueueLength) ${FROM_CREDITS}.`,
  type: "gauge",
} as const satisfies FamilyMeta;

/** The credits source's hand-written families, in /metrics order. */
export const CREDITS_FAMILIES: readonly FamilyMeta[] = [
  CREDITS,
  NEXT_EXPIRY,
  EXPIRING_NEXT,
  PLAN_INFO,
  VIDEO_COST,
  QUEUE_LIMIT,
];
