import type { IncomingMessage, ServerResponse } from "node:http";
import {
  DEFAULT_OVERSIZED_BYTES,
  DEFAULT_RETRY_AFTER,
  DEFAULT_SLOW_BODY_DELAY_MS,
  type ModeSetting,
  type SimulatorEndpoint,
} from "./modes.js";
import { sendBytes, sendJson, sendSlowly, streamOversized } from "./responses.js";
import type { Reply } from "./model.js";
import type { Schedule } from "./timers.js";

const SERVER_ERROR_HTML = "<html><body><h1>503 Service Unavailable</h1></body></html>";
const MALFORMED_JSON: Record<SimulatorEndpoint, string> = {
  jobs: '{"accounts": ["67890",',
  accounts: '{"67890": {"account": "67890",',
  job: '{"jobId": "p123456789-u12345-a67890-bot:minimax", "status":',
  scheduler: '{"executing": [{"videoId": "user:12345-minimax:67890-video:x",',
  subscription: '{"subscriptionIsActive": true, "accounts": {"MiniMax API": {"total": 3,',
  credits: '{"totalCredits": 2278, "creditExpireText": [{"credit":',
  usage: '{"bot": "minimax", "data": [{"jobid": "20260213103000123-user:12345-bot:minimax",',
};
const WRONG_SHAPE: Record<SimulatorEndpoint, unknown> = {
  jobs: { accounts: "67890", summary: [], executing: null },
  accounts: { "67890": { account: 67890, jwt: null, maxJobs: "one" } },
  job: { jobId: null, status: 42, created: [] },
  scheduler: { executing: { videoId: 1 }, available: "none" },
  subscription: { subscriptionIsActive: "yes", accounts: [] },
  credits: [{ totalCredits: 2278 }],
  usage: { bot: "minimax", data: { jobid: 1 } },
};

/** Answers an authorized request to `endpoint` as its mode says; "ok" sends the model's reply. */
export async function answerInMode(
  req: IncomingMessage,
  res: ServerResponse,
  endpoint: SimulatorEndpoint,
  { mode, options }: ModeSetting,
  reply: () => Reply,
  schedule: Schedule,
): Promise<void> {
  switch (mode) {
    case "ok": {
      const { status, body } = reply();
      sendBytes(res, status, body);
      return;
    }
    case "unauthorized":
      sendJson(res, 401, { error: "Unauthorized" });
      return;
    case "forbidden":
      sendJson(res, 403, { error: "Forbidden", code: 403 });
      return;
    case "rate_limited":
      sendJson(
        res,
        429,
        { error: "Too many requests", code: 429 },
        { "retry-after": options.retryAfter ?? DEFAULT_RETRY_AFTER },
      );
      return;
    case "server_error":
      sendBytes(res, 503, Buffer.from(SERVER_ERROR_HTML), {}, "text/html; charset=utf-8");
      return;
    case "bad_request":
      sendJson(res, 400, { error: "Bad request", code: 400 });
      return;
    case "hang":
      return;
    case "reset":
      req.socket.resetAndDestroy();
      return;
    case "malformed_json":
      sendBytes(res, 200, Buffer.from(MALFORMED_JSON[endpoint]));
      return;
    case "wrong_shape":
      sendJson(res, 200, WRONG_SHAPE[endpoint]);
      return;
    case "oversized":
      await streamOversized(res, options.bytes ?? DEFAULT_OVERSIZED_BYTES);
      return;
    case "slow_body": {
      const { status, body } = reply();
      sendSlowly(res, body, options.delayMs ?? DEFAULT_SLOW_BODY_DELAY_MS, schedule, status);
      return;
    }
  }
}
