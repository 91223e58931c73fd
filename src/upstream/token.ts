import { statSync } from "node:fs";
import { readTokenFile, type TokenRead } from "../config/token-file.js";
import type { Logger } from "../logging/logger.js";

/** Where each request gets the useapi.net token from. */
export interface TokenSource {
  current(): string;
  /** Re-reads the token file now (SIGHUP); a no-op for a fixed token. */
  reload(): void;
  /** The current token, then the ones replaced by reloads (newest first), for scrubbing text. */
  secrets(): readonly string[];
}

/** Tokens replaced by reloads that `secrets()` still lists. */
export const PREVIOUS_TOKENS_KEPT = 2;

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

/** A token file re-read when its mtime, size or inode change; a bad file keeps the last token. */
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
    previous = [token, ...previous]
      .filter((t) => t !== result.token)
      .slice(0, PREVIOUS_TOKENS_KEPT);
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
