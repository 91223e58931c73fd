import { readFileSync, statSync } from "node:fs";
import type { Logger } from "./logger.js";

/** Where each request gets the useapi.net token from. */
export interface TokenSource {
  current(): string;
  /** Re-reads the token file now (SIGHUP); a no-op for a fixed token. */
  reload(): void;
}

export function fixedToken(token: string): TokenSource {
  return { current: () => token, reload: () => undefined };
}

export interface FileTokenOptions {
  path: string;
  /** The token read and checked at startup. */
  initial: string;
  logger: Logger;
  stat?: (path: string) => { mtimeMs: number; size: number; ino: number };
  readFile?: (path: string) => string;
}

/**
 * A token read from a file that may be rotated without a restart: before each request the file's
 * modification time, size and inode are compared with the last read, and a change re-reads it.
 * A file that turns unreadable or empty keeps the previous token (and says so, never its value).
 */
export function fileToken(options: FileTokenOptions): TokenSource {
  const { path, logger } = options;
  const stat = options.stat ?? ((p: string) => statSync(p));
  const readFile = options.readFile ?? ((p: string) => readFileSync(p, "utf8"));
  let token = options.initial;
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
    let text: string;
    try {
      text = readFile(path).trim();
    } catch (error) {
      const code = (error as { code?: string }).code ?? "read error";
      logger.warn({ path, code }, "cannot re-read the token file; keeping the current token");
      return;
    }
    if (text === "" || /[\s\p{Cc}]/u.test(text)) {
      logger.warn({ path }, "token file is empty or malformed; keeping the current token");
      return;
    }
    if (text !== token) logger.info({ path, reason }, "token reloaded from the token file");
    token = text;
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
  };
}
