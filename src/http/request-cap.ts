import type { ServerResponse } from "node:http";

/** How long a client may take to read one capped answer (/metrics, the landing page, the runbook). */
export const RESPONSE_TIMEOUT_MS = 60_000;

export interface RequestCap {
  /** Takes a slot for `res` and returns true, or returns false when all slots are taken. */
  tryEnter(res: ServerResponse): boolean;
}

/**
 * The --web.max-requests slots, shared by every capped path. A slot is freed when its response
 * is written out, or after `deadlineMs` by cutting it off (a client that stopped reading).
 */
export function requestCap(max: number, deadlineMs: number): RequestCap {
  let serving = 0;
  return {
    tryEnter(res) {
      if (serving >= max) return false;
      serving++;
      const deadline = setTimeout(() => res.destroy(), deadlineMs).unref();
      res.once("close", () => {
        serving--;
        clearTimeout(deadline);
      });
      return true;
    },
  };
}
