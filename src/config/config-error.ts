/**
 * A word that begins like a useapi.net token (`user:<digits>-`, see looksLikeToken), as a value
 * echoed in an error would be if the token were pasted into the wrong flag.
 */
const TOKEN_WORD = /(^|[\s"'=-])user:\d+-[^\s"']*/g;

const hideTokens = (text: string): string =>
  text.replace(TOKEN_WORD, "$1<a useapi.net token, not shown>");

/** Invalid configuration; the message is one line naming the flag and the problem. */
export class ConfigError extends Error {
  constructor(flag: string, problem: string) {
    super(`${hideTokens(flag)}: ${hideTokens(problem)}`);
    this.name = "ConfigError";
  }
}

/** Control, format, separator and unassigned characters; the plain space is shown as is. */
const UNSAFE = /(?! )[\p{C}\p{Z}]/u;

/**
 * Untrusted text made safe for a one-line error: characters that could break the line, colour a
 * terminal or hide themselves are escaped (`\x1b`, `\u202e`), and at most `maxChars` characters
 * are shown, an escape never cut in two; "…" marks the cut.
 */
export function shownText(text: string, maxChars: number): string {
  let shown = "";
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    const piece = !UNSAFE.test(char)
      ? char
      : code < 0x100
        ? `\\x${code.toString(16).padStart(2, "0")}`
        : code < 0x10000
          ? `\\u${code.toString(16).padStart(4, "0")}`
          : `\\u{${code.toString(16)}}`;
    if (shown.length + piece.length > maxChars) return `${shown}…`;
    shown += piece;
  }
  return shown;
}
