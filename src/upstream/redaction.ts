/** Upstream-derived text made fit for a log line or a page: secrets replaced, length bounded. */

/** Longest piece of upstream-derived text that goes into a log line or a page. */
export const MAX_DETAIL_CHARS = 200;
export const TOKEN_MARK = "[token]";

/**
 * `text` with every secret (and its JSON-escaped form) replaced by [token]. Replaced before any cut,
 * so that no cut can leave a piece of a secret that a later replacement would miss.
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret === "") continue;
    out = out.replaceAll(secret, TOKEN_MARK);
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) out = out.replaceAll(escaped, TOKEN_MARK);
  }
  return out;
}

/** Upstream-derived text made safe for a log line or a page: secrets replaced, then cut. */
export function safeText(text: string, secrets: readonly string[], max = MAX_DETAIL_CHARS): string {
  const clean = redact(text, secrets);
  if (clean.length <= max) return clean;
  const end = /[\uD800-\uDBFF]/.test(clean.charAt(max - 2)) ? max - 2 : max - 1;
  return `${clean.slice(0, end)}…`;
}
