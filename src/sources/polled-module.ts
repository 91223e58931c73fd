import type { CommonSettings, FlagReader } from "../config/flag-reader.js";
import { MAX_TIMER_MS } from "../config/duration.js";
import { parseSourceInterval } from "../config/values.js";
import { sourceFlag, type SourceContext, type SourceModule } from "./module.js";

/** The interval a source's flag gives, longer than --poll.timeout; 0 when the source is off. */
export function readInterval(read: FlagReader, name: string): number {
  return parseSourceInterval(...read.value(name), read.common.pollTimeoutMs);
}

/** A source's staleness window: --poll.stale-after scaled from --poll.interval to its interval. */
export function staleWindowMs(
  common: Pick<CommonSettings, "staleAfterMs" | "pollIntervalMs">,
  intervalMs: number,
): number {
  return Math.min((common.staleAfterMs * intervalMs) / common.pollIntervalMs, MAX_TIMER_MS);
}

/** A one-endpoint module the shared runner polls on its own interval flag (name, default, help). */
export function polledModule(
  {
    flag: [flag, defaultValue, help],
    ...module
  }: Pick<SourceModule, "name" | "anomalyKinds"> & { flag: readonly [string, string, string] },
  start: (
    intervalMs: number,
    context: SourceContext,
    common: CommonSettings,
  ) => Pick<SourceModule, "source" | "landing">,
): SourceModule {
  return {
    ...module,
    flags: [sourceFlag(flag, defaultValue, help)],
    off: [`--${flag}=0`],
    configure(read) {
      const intervalMs = readInterval(read, flag);
      if (intervalMs === 0) return undefined;
      return {
        settings: { intervalSeconds: intervalMs / 1000 },
        start: (context) => start(intervalMs, context, read.common),
      };
    },
  };
}
