import type { ServerResponse } from "node:http";

/** Runs `fn` once after `delayMs` and returns what cancels it. */
export type Schedule = (fn: () => void, delayMs: number) => () => void;

export const timerSchedule: Schedule = (fn, delayMs) => {
  const timer = setTimeout(fn, delayMs);
  return () => {
    clearTimeout(timer);
  };
};

/** `schedule`, with every call still pending cancellable at once, for closing. */
export function cancellable(schedule: Schedule): { schedule: Schedule; cancelAll(): void } {
  const pending = new Set<() => void>();
  return {
    schedule(fn, delayMs) {
      let cancelTimer = (): void => undefined;
      const cancel = (): void => {
        pending.delete(cancel);
        cancelTimer();
      };
      pending.add(cancel);
      cancelTimer = schedule(() => {
        pending.delete(cancel);
        fn();
      }, delayMs);
      return cancel;
    },
    cancelAll() {
      for (const cancel of [...pending]) cancel();
    },
  };
}

/** Resolves true after `delayMs`, or false as soon as the response closes. */
export function pause(res: ServerResponse, delayMs: number, schedule: Schedule): Promise<boolean> {
  return new Promise((resolve) => {
    const cancel = schedule(() => {
      res.off("close", onClose);
      resolve(true);
    }, delayMs);
    const onClose = (): void => {
      cancel();
      resolve(false);
    };
    res.once("close", onClose);
  });
}
