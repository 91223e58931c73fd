import type { ServerResponse } from "node:http";

/** How long a client may take to read a capped answer (/metrics, the landing page, the runbook). */
export const RESPONSE_TIMEOUT_MS = 60_000;

export type RequestCap = ReturnType<typeof requestCap>;

/** The --web.max-requests slots: one is freed once its answer is written or cut at `deadlineMs`. */
export function requestCap(max: number, deadlineMs: number) {
  let serving = 0;
  return {
    /** Takes a slot for `res` (true), or false when all are taken. */
    tryEnter(res: ServerResponse): boolean {
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
