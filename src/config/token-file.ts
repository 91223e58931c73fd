import { MAX_SHOWN_PATH, readBoundedFile } from "./bounded-file.js";
import { quoted } from "./config-error.js";

/** Largest token file read; a token is a few dozen bytes. */
export const MAX_TOKEN_FILE_BYTES = 4096;

/** Shortest token accepted: scrubbing a shorter one would mangle ordinary text and JSON. */
export const MIN_TOKEN_LENGTH = 8;

export type TokenRead = { ok: true; token: string } | { ok: false; problem: string };

/** Why `token` is unfit for a header (stricter than RFC 7230: visible ASCII only), or undefined. */
export function tokenProblem(token: string): string | undefined {
  if (token === "") return "is empty";
  if (!/^[\x21-\x7e]+$/.test(token)) {
    return "token must be visible ASCII characters only (no spaces, control or non-ASCII characters)";
  }
  if (token.length < MIN_TOKEN_LENGTH) {
    return `is shorter than ${MIN_TOKEN_LENGTH} characters; useapi.net tokens are longer`;
  }
  return undefined;
}

/** useapi.net tokens begin `user:<digits>-`, as in README's `user:1234-yourtoken`. */
export function looksLikeToken(text: string): boolean {
  return /^\s*user:\d+-/.test(text);
}

/** Reads a token file as any operator-named file is read (bounded, regular files only). */
export function readTokenFile(path: string, maxBytes = MAX_TOKEN_FILE_BYTES): TokenRead {
  // The token itself given as the file name: say so, without printing it.
  if (looksLikeToken(path)) {
    return {
      ok: false,
      problem:
        "looks like a useapi.net token (not shown), not a file name: put the token in a file",
    };
  }
  const read = readBoundedFile(path, maxBytes);
  if (!read.ok) return read;
  const token = read.data.toString("utf8").trim();
  const shown = quoted(path, MAX_SHOWN_PATH);
  if (token === "") return { ok: false, problem: `${shown} is empty` };
  const problem = tokenProblem(token);
  if (problem !== undefined) return { ok: false, problem: `${shown}: ${problem}` };
  return { ok: true, token };
}
