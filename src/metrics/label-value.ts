declare const checked: unique symbol;

/** A string that passed `labelValue` (or `ownLabels`): the only label value the families accept. */
export type LabelValue = string & { readonly [checked]: true };

/** The longest label value, in UTF-16 code units: every series of a value carries a copy. */
export const MAX_LABEL_VALUE_LENGTH = 128;

/** The anomaly kind of an upstream value refused as a label; its sample is left out. */
export const INVALID_LABEL_VALUE = "invalid_label_value";

// A lone surrogate (UTF-8 writes U+FFFD: two values, one series), controls, and the bidirectional
// overrides and isolates, which make a label read as another.
const REFUSED = /[\p{Cs}\p{Cc}\u202A-\u202E\u2066-\u2069]/u;

/** The value as a label, or undefined when it is too long or holds a refused character. */
export function labelValue(text: string): LabelValue | undefined {
  return text.length <= MAX_LABEL_VALUE_LENGTH && !REFUSED.test(text)
    ? (text as LabelValue)
    : undefined;
}

/** The exporter's own label values (types, states, `other`), checked once as the module loads. */
export function ownLabels<const T extends readonly string[]>(
  values: T,
): { readonly [K in keyof T]: T[K] & LabelValue } {
  for (const value of values) {
    if (labelValue(value) === undefined) throw new Error(`not a label value: ${value}`);
  }
  return values as { readonly [K in keyof T]: T[K] & LabelValue };
}

export function ownLabel<const T extends string>(value: T): T & LabelValue {
  return ownLabels([value] as const)[0];
}
