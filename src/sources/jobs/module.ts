import type { SourceModule } from "../module.js";
import { JOBS_FAMILIES } from "./families.js";
import { jobsLanding } from "./landing.js";
import { ANOMALY_KINDS } from "./snapshot.js";
import { createJobsSource } from "./source.js";

/** Bound on the job IDs tracked between polls. */
const MAX_TRACKED_JOBS = 100_000;

/** GET /v1/minimax/agent/jobs, polled every --poll.interval: always on, the headline source. */
export const jobsModule: SourceModule = {
  name: "jobs",
  flags: [],
  families: JOBS_FAMILIES,
  anomalyKinds: ANOMALY_KINDS,
  configure: ({ common }) => ({
    settings: { intervalSeconds: common.pollIntervalMs / 1000 },
    start(context) {
      const source = createJobsSource({
        registry: context.registry,
        intervalMs: common.pollIntervalMs,
        limits: common.limits,
        maxTracked: MAX_TRACKED_JOBS,
        countAnomaly: context.countAnomaly,
        finished: context.channels.finishedJobs,
        accounts: context.channels.accounts,
      });
      context.poll(source);
      return { writers: source.writers, landing: () => jobsLanding(source.snapshot()) };
    },
  }),
};
