import { LimitError } from "../../upstream/json-checks.js";

/** Throws a LimitError as soon as `record` has more than `max` keys, without listing them. */
export function checkKeyCount(record: Record<string, unknown>, max: number, what: string): void {
  let count = 0;
  for (const key in record) {
    if (Object.hasOwn(record, key) && ++count > max) {
      throw new LimitError(`more than ${max} accounts in ${what}: over --useapi.max-accounts`);
    }
  }
}

/** Throws a LimitError when a list of `length` accounts is over the bound. */
export function checkAccountCount(length: number, max: number, what: string): void {
  if (length > max) {
    throw new LimitError(`${length} ${what} listed, more than --useapi.max-accounts=${max}`);
  }
}
