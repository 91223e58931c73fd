/**
 * An account ID as the upstream spells it: a non-empty string, or a whole number (some answers
 * give `567890` where others give `"567890"`). Undefined for anything else.
 */
export function readAccountId(value: unknown): string | undefined {
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return String(value);
  return undefined;
}

/**
 * The longest account ID exported as a label, in UTF-16 code units. The documented IDs are a few
 * digits; 128 leaves room for other forms while keeping every series of an account small.
 */
export const MAX_ACCOUNT_ID_LENGTH = 128;

/** The anomaly kind of an account ID that is read but refused as a label (see labelSafeAccountId). */
export const ACCOUNT_ID_ANOMALY = "unreadable_account_id";

// With the u flag a pair is one code point: only a lone surrogate is in Cs. (String's
// isWellFormed is on Node 20 but not in the ES2023 lib this project compiles against.)
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Whether an account ID may become a label: at most MAX_ACCOUNT_ID_LENGTH long, and well-formed
 * UTF-16. A lone surrogate becomes U+FFFD in UTF-8, so "\ud800" and "\udc00" would merge into one
 * series; a million-character ID would be copied into every series of the account.
 */
export function isLabelSafeAccountId(id: string): boolean {
  return id.length <= MAX_ACCOUNT_ID_LENGTH && !LONE_SURROGATE.test(id);
}
