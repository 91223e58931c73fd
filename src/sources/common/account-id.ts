import { labelValue, type LabelValue } from "../../metrics/label-value.js";

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
 * The distinct values of one answer refused by the label check, each counted once however often
 * it appears (an account in `accounts`, `summary` and `executing` is one refusal).
 */
export function createLabelChecks() {
  const refused = new Set<string>();
  return {
    /** The value as a label, or undefined (and remembered) when the check refuses it. */
    take(text: string): LabelValue | undefined {
      const value = labelValue(text);
      if (value === undefined) refused.add(text);
      return value;
    },
    refused: () => refused.size,
  };
}
