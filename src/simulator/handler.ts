import type { IncomingMessage, ServerResponse } from "node:http";
import { ControlError } from "./control-commands.js";
import {
  BodyTooLargeError,
  CONTROL_PREFIX,
  answerControl,
  type Controls,
} from "./control-endpoints.js";
import { answerInMode } from "./failure-modes.js";
import type { ModeSetting, SimulatorEndpoint } from "./modes.js";
import { sendJson } from "./responses.js";
import type { Model } from "./model.js";
import { route, type Route } from "./routes.js";
import { pause, type Schedule } from "./timers.js";
import { countRequest, type SimulatorStats } from "./stats.js";

export interface HandlerDeps extends Model, Controls {
  counts: SimulatorStats;
  expectedAuthorization: string;
  /** How long every job lookup is held back. */
  jobLookupDelayMs: number;
  schedule: Schedule;
  modeOf(endpoint: SimulatorEndpoint): ModeSetting;
}

/** The simulator's request listener: an upstream path, a control path, or 404. */
export function createHandler(
  deps: HandlerDeps,
): (req: IncomingMessage, res: ServerResponse) => void {
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    deps.counts.requests++;
    const url = new URL(req.url ?? "/", "http://simulator");
    const path = url.pathname;
    const upstream = route(path, deps, url.searchParams);
    if (upstream) {
      await answerUpstream(req, res, upstream, deps);
    } else if (path.startsWith(CONTROL_PREFIX)) {
      await answerControl(req, res, path, deps);
    } else {
      req.resume();
      sendJson(res, 404, { error: "Not found", code: 404 });
    }
  };
  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
      } else if (error instanceof BodyTooLargeError) {
        sendJson(res, 413, { error: error.message, code: 413 }, { connection: "close" });
      } else if (error instanceof ControlError || error instanceof RangeError) {
        sendJson(res, 400, { error: error.message, code: 400 });
      } else {
        sendJson(res, 500, { error: "Internal error", code: 500 });
      }
    });
  };
}

/** Counted, job lookups held back, then 405 to a wrong method, 401 to a wrong token, or the mode's answer. */
async function answerUpstream(
  req: IncomingMessage,
  res: ServerResponse,
  { endpoint, reply }: Route,
  deps: HandlerDeps,
): Promise<void> {
  countRequest(deps.counts, endpoint, req, res);
  req.resume();
  const delayMs = endpoint === "job" ? deps.jobLookupDelayMs : 0;
  if (delayMs > 0 && !(await pause(res, delayMs, deps.schedule))) return;
  if (req.method !== "GET") {
    sendJson(res, 405, { error: "Method not allowed", code: 405 }, { allow: "GET" });
    return;
  }
  if (req.headers.authorization !== deps.expectedAuthorization) {
    sendJson(res, 401, { error: "Unauthorized" });
    return;
  }
  await answerInMode(req, res, endpoint, deps.modeOf(endpoint), reply, deps.schedule);
}
