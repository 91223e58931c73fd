import { parseSourceInterval } from "../../config/values.js";
import type { SourceModule } from "../module.js";
import { generationsLanding } from "./landing.js";
import { SCHEDULER_ANOMALY_KINDS } from "./snapshot.js";
import { createSchedulerSource, type SchedulerEndpoint } from "./source.js";

/** A scheduler-shaped source: where it is, its interval flag and the prefix of its metric names. */
export interface SchedulerShape extends SchedulerEndpoint {
  /** Its interval flag; empty means --poll.interval, 0 turns it off. */
  flag: string;
}

/** MiniMax's video and image scheduler on useapi.net. */
export const MINIMAX_SCHEDULER: SchedulerShape = {
  name: "scheduler",
  title: "the scheduler",
  path: "/v1/minimax/scheduler/available",
  accountMark: "minimax:",
  flag: "scheduler.interval",
  prefix: "useapi_minimax",
};

/** A scheduler's running generations and video capacity, polled on its own interval. */
export function schedulerModule(shape: SchedulerShape): SourceModule {
  return {
    name: shape.name,
    flags: [
      {
        name: shape.flag,
        type: "string",
        default: "",
        help: `Time between polls of GET ${shape.path} (default --poll.interval); 0 turns them off.`,
      },
    ],
    off: [`--${shape.flag}=0`],
    anomalyKinds: SCHEDULER_ANOMALY_KINDS,
    configure(read) {
      const { common } = read;
      const [label, text] = read.value(shape.flag);
      const intervalMs =
        text === ""
          ? common.pollIntervalMs
          : parseSourceInterval(label, text, common.pollTimeoutMs);
      if (intervalMs === 0) return undefined;
      return {
        settings: { intervalSeconds: intervalMs / 1000 },
        start(context) {
          const source = createSchedulerSource({
            registry: context.registry,
            endpoint: shape,
            intervalMs,
            limits: common.limits,
            countAnomaly: context.countAnomaly,
            accounts: context.channels.accounts,
          });
          context.poll(source);
          return {
            landing: () => generationsLanding(source.snapshot()),
          };
        },
      };
    },
  };
}
