import { labelValue, type LabelValue } from "../../metrics/label-value.js";

/** A non-empty string or a whole number: some answers give `567890`, others `"567890"`. */
export function readAccountId(value: unknown): string | undefined {
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return String(value);
  return undefined;
}

/** One answer's refused label values, each counted once however often it appears. */
export function createLabelChecks() {
  const refused = new Set<string>();
  return {
    take(text: string): LabelValue | undefined {
      const value = labelValue(text);
      if (value === undefined) refused.add(text);
      return value;
    },
    refused: () => refused.size,
  };
}
