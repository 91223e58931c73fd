import { parseBool, parseCount } from "../../config/values.js";
import { sourceFlag, type SourceModule } from "../module.js";
import { createStatusResolver } from "./resolver.js";

/** Max lookup backlog (at --jobs.lookup-rate): beyond it a job is `unknown` now, not hours late. */
const LOOKUP_BACKLOG_SECONDS = 600;

/** GET /v1/minimax/agent/{jobId} for each job gone from the jobs list: on events, no schedule. */
export const jobStatusModule: SourceModule = {
  name: "job_status",
  flags: [
    sourceFlag(
      "jobs.resolve-status",
      "true",
      "Look up each finished job's final status (completed or failed); false counts it unknown.",
    ),
    sourceFlag("jobs.lookup-concurrency", "2", "Job status lookups running at once."),
    sourceFlag("jobs.lookup-rate", "2", "Job status lookups started per second, at most."),
  ],
  anomalyKinds: [],
  off: ["--jobs.resolve-status=false"],
  configure(read) {
    if (!parseBool(...read.value("jobs.resolve-status"))) return undefined;
    const concurrency = parseCount(...read.value("jobs.lookup-concurrency"), 64);
    const ratePerSecond = parseCount(...read.value("jobs.lookup-rate"), 100);
    return {
      settings: { concurrency, ratePerSecond },
      start(context) {
        const resolver = createStatusResolver({
          ...{ client: context.client, logger: context.logger, concurrency, ratePerSecond },
          ...{ maxAttempts: 3, retryDelayMs: Math.min(read.common.pollIntervalMs, 10_000) },
          maxQueued: Math.ceil(ratePerSecond * LOOKUP_BACKLOG_SECONDS),
          onLookup: (outcome, seconds, at, detail) =>
            context.health.record("job_status", outcome, seconds, at, detail),
          ...context.clock,
        });
        context.channels.finishedJobs.listen((batch) => resolver.enqueue(batch));
        return { idle: () => resolver.idle(), stop: () => resolver.stop() };
      },
    };
  },
};
