import { formatElapsed, type JobError, type JobRecord } from "./activity.js";

/** Every simulated prompt contains this, so a test can prove prompts never leak. */
export const PROMPT_MARKER = "SIMULATED-PROMPT";
/** A jobId as the upstream hands them out; anything else is refused as malformed. */
export const JOB_ID_PATTERN = /^p\d+-u\d+-a\d+-bot:minimax$/;

const PROMPT = `${PROMPT_MARKER}: generate a video of a cat playing piano`;
const MODELS = ["hailuo-2.3"];

/** The 200 body of GET /v1/minimax/agent/{jobId}, as documented. */
export interface JobBody {
  jobId: string;
  status: "started" | "completed" | "failed";
  created: string;
  request: { prompt: string; models: string[]; async: boolean };
  response?: { elapsedTime: string; timestamp: number; attachments: unknown[] };
  error?: JobError;
}

export function jobBody(record: JobRecord): JobBody {
  const body: JobBody = {
    jobId: record.jobId,
    status: record.status,
    created: new Date(record.startMs).toISOString(),
    request: { prompt: PROMPT, models: [...MODELS], async: true },
  };
  if (record.status === "completed") {
    body.response = {
      elapsedTime: formatElapsed(record.endMs - record.startMs),
      timestamp: Math.floor(record.endMs),
      attachments: [],
    };
  } else if (record.status === "failed") {
    body.error = { ...(record.error ?? { message: "Job failed", status: 500 }) };
  }
  return body;
}
