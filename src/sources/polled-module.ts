import type { CommonSettings, ExporterFlag, FlagReader } from "../config/flag-reader.js";
import { MAX_TIMER_MS } from "../config/duration.js";
import { parseSourceInterval } from "../config/values.js";
import type { SourceContext, SourceModule, StartedSource } from "./module.js";
import type { Source } from "./source.js";

/** The interval flag of a source polled on its own schedule; `0` turns the source off. */
export function intervalFlag(name: string, defaultValue: string, help: string): ExporterFlag {
  return { name, type: "string", default: defaultValue, help };
}

/** The interval a source's flag gives, longer than --poll.timeout; 0 when the source is off. */
export function readInterval(read: FlagReader, name: string): number {
  return parseSourceInterval(...read.value(name), read.common.pollTimeoutMs);
}

/**
 * A source's staleness window: as many of its own intervals as --poll.stale-after holds of
 * --poll.interval, at most the longest timer.
 */
export function staleWindowMs(
  common: Pick<CommonSettings, "staleAfterMs" | "pollIntervalMs">,
  intervalMs: number,
): number {
  return Math.min((common.staleAfterMs * intervalMs) / common.pollIntervalMs, MAX_TIMER_MS);
}

export interface PolledModuleOptions<Answer> {
  name: string;
  /** Its interval flag: name, default and help. */
  flag: readonly [string, string, string];
  anomalyKinds: readonly string[];
  /** The source and the rest of the module's parts, made when it starts. */
  create(
    intervalMs: number,
    context: SourceContext,
    common: CommonSettings,
  ): { source: Source<Answer> } & StartedSource;
}

/** A module of one endpoint polled on its own interval flag by the shared runner. */
export function polledModule<Answer>(options: PolledModuleOptions<Answer>): SourceModule {
  const [flag, defaultValue, help] = options.flag;
  return {
    name: options.name,
    flags: [intervalFlag(flag, defaultValue, help)],
    off: [`--${flag}=0`],
    anomalyKinds: options.anomalyKinds,
    configure(read) {
      const intervalMs = readInterval(read, flag);
      if (intervalMs === 0) return undefined;
      return {
        settings: { intervalSeconds: intervalMs / 1000 },
        start(context) {
          const { source, ...started } = options.create(intervalMs, context, read.common);
          context.poll(source);
          return started;
        },
      };
    },
  };
}
