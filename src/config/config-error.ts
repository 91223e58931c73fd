/** A word that begins like a useapi.net token (looksLikeToken): one pasted into a wrong flag. */
const TOKEN_WORD = /(^|[\s"'=-])user:\d+-[^\s"']*/g;

const hideTokens = (text: string): string =>
  text.replace(TOKEN_WORD, "$1<a useapi.net token, not shown>");

/** Longest message: a value quoted in it is already cut to MAX_QUOTED_CHARS. */
const MAX_MESSAGE_CHARS = 512;
/** Longest value quoted in a message. */
const MAX_QUOTED_CHARS = 64;

/** Invalid configuration: one line naming the flag and the problem, escaped and cut here too. */
export class ConfigError extends Error {
  constructor(flag: string, problem: string) {
    super(shownText(`${hideTokens(flag)}: ${hideTokens(problem)}`, MAX_MESSAGE_CHARS));
    this.name = "ConfigError";
  }
}

/** A value as an error quotes it: tokens hidden, then escaped and cut (see shownText). */
export function quoted(text: string, maxChars = MAX_QUOTED_CHARS): string {
  return `"${shownText(hideTokens(text), maxChars)}"`;
}

/** Control, format, separator and unassigned characters; the plain space is shown as is. */
const UNSAFE = /(?! )[\p{C}\p{Z}]/u;

/** Untrusted text for one error line: what would break, colour or hide it escaped; "…" cuts. */
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
