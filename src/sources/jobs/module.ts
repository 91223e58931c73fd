import type { SourceModule } from "../module.js";
import { jobsLanding } from "./landing.js";
import { ANOMALY_KINDS } from "./snapshot.js";
import { createJobsSource } from "./source.js";

/** GET /v1/minimax/agent/jobs, polled every --poll.interval: always on, the headline source. */
export const jobsModule: SourceModule = {
  name: "jobs",
  flags: [],
  anomalyKinds: ANOMALY_KINDS,
  configure: ({ common }) => ({
    settings: { intervalSeconds: common.pollIntervalMs / 1000 },
    start(context) {
      const source = createJobsSource({
        registry: context.registry,
        intervalMs: common.pollIntervalMs,
        limits: common.limits,
        countAnomaly: context.countAnomaly,
        finished: context.channels.finishedJobs,
        accounts: context.channels.accounts,
      });
      return { source, landing: () => jobsLanding(source.snapshot()) };
    },
  }),
};
