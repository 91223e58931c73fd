/** How long a test waits for one event: well under vitest's 20 s, so a hang names what it awaited. */
export const WAIT_MS = 5_000;

function expired(ms: number, what: string): Error {
  return new Error(`waited ${ms} ms for ${what}`);
}

/** `promise`, or a failure naming `what` once `ms` have passed without it settling. */
export async function within<T>(promise: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(expired(ms, what)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Checks `condition` every few milliseconds until it holds, or fails naming `what` after `ms`: for
 * state that changes without an event to wait on (a counter of the simulator's sockets).
 */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  ms = WAIT_MS,
): Promise<void> {
  const end = performance.now() + ms;
  while (!(await condition())) {
    if (performance.now() >= end) throw expired(ms, what);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
