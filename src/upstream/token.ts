import { statSync } from "node:fs";
import { readBoundedFile } from "../config/bounded-file.js";
import type { Logger } from "../logging/logger.js";

/** Where each request gets the useapi.net token from. */
export interface TokenSource {
  current(): string;
  /** Re-reads the token file now (SIGHUP); a no-op for a fixed token. */
  reload(): void;
  /** The current token, then the ones replaced by reloads (newest first), for scrubbing text. */
  secrets(): readonly string[];
}

/** Largest token file read; a token is a few dozen bytes. */
export const MAX_TOKEN_FILE_BYTES = 4096;

/** Shortest token accepted: scrubbing a shorter one would mangle ordinary text and JSON. */
export const MIN_TOKEN_LENGTH = 8;

/** Tokens replaced by reloads that `secrets()` still lists. */
export const PREVIOUS_TOKENS_KEPT = 2;

export type TokenRead = { ok: true; token: string } | { ok: false; problem: string };

/**
 * Why `token` cannot be sent as a header value, or undefined if it can. Stricter than RFC 7230's
 * field-value: visible ASCII only, so no whitespace, control or non-ASCII characters.
 */
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
  if (token === "") return { ok: false, problem: `"${path}" is empty` };
  const problem = tokenProblem(token);
  if (problem !== undefined) return { ok: false, problem: `"${path}": ${problem}` };
  return { ok: true, token };
}

export function fixedToken(token: string): TokenSource {
  return { current: () => token, reload: () => undefined, secrets: () => [token] };
}

export interface FileTokenOptions {
  path: string;
  /** The token read and checked at startup. */
  initial: string;
  logger: Logger;
  stat?: (path: string) => { mtimeMs: number; size: number; ino: number };
  read?: (path: string) => TokenRead;
}

/**
 * A token read from a file that may be rotated without a restart: before each request the file's
 * modification time, size and inode are compared with the last read, and a change re-reads it.
 * A file that turns unreadable, empty, too large, not a regular file or malformed keeps the
 * previous token (and says so, never its value).
 */
export function fileToken(options: FileTokenOptions): TokenSource {
  const { path, logger } = options;
  const stat = options.stat ?? ((p: string) => statSync(p));
  const read = options.read ?? ((p: string) => readTokenFile(p));
  let token = options.initial;
  let previous: string[] = [];
  let signature = signatureOf();

  function signatureOf(): string | undefined {
    try {
      const s = stat(path);
      return `${s.mtimeMs}:${s.size}:${s.ino}`;
    } catch {
      return undefined;
    }
  }

  function reload(reason: string): void {
    const result = read(path);
    if (!result.ok) {
      logger.warn({ path, problem: result.problem }, "bad token file; keeping the current token");
      return;
    }
    if (result.token === token) return;
    logger.info({ path, reason }, "token reloaded from the token file");
    previous = [token, ...previous.filter((t) => t !== result.token)].slice(
      0,
      PREVIOUS_TOKENS_KEPT,
    );
    token = result.token;
  }

  return {
    current() {
      const now = signatureOf();
      if (now !== undefined && now !== signature) {
        signature = now;
        reload("file changed");
      }
      return token;
    },
    reload() {
      signature = signatureOf();
      reload("SIGHUP");
    },
    secrets: () => [token, ...previous],
  };
}
