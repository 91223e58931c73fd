import { parseSourceInterval } from "../../config/values.js";
import { sourceFlag, type SourceModule } from "../module.js";
import { SCHEDULER_PATH } from "./answer.js";
import { generationsLanding } from "./landing.js";
import { SCHEDULER_ANOMALY_KINDS } from "./snapshot.js";
import { createSchedulerSource } from "./source.js";

/** MiniMax's video, image and speech scheduler on useapi.net, polled on its own interval. */
export const schedulerModule: SourceModule = {
  name: "scheduler",
  flags: [
    sourceFlag(
      "scheduler.interval",
      "",
      `Time between polls of GET ${SCHEDULER_PATH} (default --poll.interval); 0 turns them off.`,
    ),
  ],
  off: ["--scheduler.interval=0"],
  anomalyKinds: SCHEDULER_ANOMALY_KINDS,
  configure(read) {
    const { common } = read;
    const [label, text] = read.value("scheduler.interval");
    const intervalMs =
      text === "" ? common.pollIntervalMs : parseSourceInterval(label, text, common.pollTimeoutMs);
    if (intervalMs === 0) return undefined;
    return {
      settings: { intervalSeconds: intervalMs / 1000 },
      start(context) {
        const source = createSchedulerSource({
          registry: context.registry,
          intervalMs,
          limits: common.limits,
          countAnomaly: context.countAnomaly,
          accounts: context.channels.accounts,
        });
        return { source, landing: () => generationsLanding(source.snapshot()) };
      },
    };
  },
};
