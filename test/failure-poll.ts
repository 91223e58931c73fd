import type { Stack } from "./harness.js";
import { requestDeadline } from "./harness.js";
import { until, within } from "./deadline.js";
import type { VirtualClock } from "./virtual-clock.js";

/**
 * One poll of `source` in a failure case expecting `outcome`: when that is a timeout, the request's
 * deadline is fired on `clock` once the request has reached the simulator, so no test waits for a
 * real timeout. The stack's exporter must run on `clock` with the harness's --poll.timeout.
 */
export async function pollCase(
  stack: Stack,
  clock: VirtualClock,
  source: string,
  outcome: string,
): Promise<string> {
  const runner = stack.exporter.runner(source);
  if (outcome !== "timeout") return await runner.pollOnce();
  const before = stack.simulator.stats.requests;
  const poll = runner.pollOnce();
  await until(
    () => stack.simulator.stats.requests > before,
    `the ${source} request to reach the simulator`,
  );
  clock.fire(await clock.scheduled(requestDeadline, `the ${source} request's deadline`));
  // Sooner than undici's own timeouts, which would end it as a timeout too.
  return await within(poll, `the ${source} poll to end once its deadline fired`);
}
