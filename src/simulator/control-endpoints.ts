import type { IncomingMessage, ServerResponse } from "node:http";
import type { Activity } from "./activity.js";
import type { Generations } from "./generations.js";
import {
  ControlError,
  parseAccountErrorCommand,
  parseAccountExpiryCommand,
  parseGenerationCommand,
  parseJobCommand,
  parseModeCommand,
  parsePayloadCommand,
} from "./control-commands.js";
import type { ModeOptions, SimulatorEndpoint, SimulatorMode } from "./modes.js";
import { sendJson } from "./responses.js";
import { parseSubscriptionCommand, type Subscription } from "./subscription.js";

export const CONTROL_PREFIX = "/__simulator/";
const CONTROL_PATHS: Record<string, "GET" | "POST"> = {
  mode: "POST",
  payload: "POST",
  "scheduler/payload": "POST",
  generations: "POST",
  jobs: "POST",
  "accounts/error": "POST",
  "accounts/expiry": "POST",
  subscription: "POST",
  stats: "GET",
  history: "GET",
};
const MAX_CONTROL_BODY_BYTES = 64 * 1024 * 1024;

/** What the control endpoints act on. */
export interface Controls {
  activity: Activity;
  now: () => number;
  setMode(mode: SimulatorMode, options: ModeOptions, endpoint: SimulatorEndpoint): void;
  setPayload(body: unknown, endpoint?: "jobs" | "scheduler" | "usage"): void;
  generations: Generations;
  subscription: Subscription;
  /** The stats as served, without the token. */
  stats(): unknown;
}

/** A control body past the limit; answered 413. */
export class BodyTooLargeError extends Error {
  constructor() {
    super(`body exceeds ${MAX_CONTROL_BODY_BYTES} bytes`);
    this.name = "BodyTooLargeError";
  }
}

/**
 * Answers a request under /__simulator/; a bad command throws ControlError or RangeError (400),
 * a body too large BodyTooLargeError (413).
 */
export async function answerControl(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  controls: Controls,
): Promise<void> {
  const { activity, now } = controls;
  const checkAccount = (account: string): void => {
    if (!activity.accounts.includes(account)) {
      throw new ControlError(`unknown account ${JSON.stringify(account)}`);
    }
  };
  switch (`${req.method ?? ""} ${path}`) {
    case "POST /__simulator/mode": {
      const command = parseModeCommand(await readBody(req));
      controls.setMode(command.mode, command.options, command.endpoint);
      sendJson(res, 200, { mode: command.mode, endpoint: command.endpoint });
      return;
    }
    case "POST /__simulator/payload": {
      const command = parsePayloadCommand(await readBody(req));
      controls.setPayload(command?.body);
      sendJson(res, 200, { payload: command ? "fixed" : "model" });
      return;
    }
    case "POST /__simulator/scheduler/payload": {
      const command = parsePayloadCommand(await readBody(req));
      controls.setPayload(command?.body, "scheduler");
      sendJson(res, 200, { payload: command ? "fixed" : "model" });
      return;
    }
    case "POST /__simulator/generations": {
      const { account, type, durationMs } = parseGenerationCommand(await readBody(req));
      checkAccount(account);
      sendJson(res, 201, { id: controls.generations.start(account, type, now(), durationMs) });
      return;
    }
    case "POST /__simulator/jobs": {
      const { account, durationMs, outcome } = parseJobCommand(await readBody(req));
      checkAccount(account);
      sendJson(res, 201, { jobId: activity.startJob(account, now(), durationMs, outcome) });
      return;
    }
    case "POST /__simulator/accounts/error": {
      const { account, error } = parseAccountErrorCommand(await readBody(req));
      checkAccount(account);
      activity.setAccountError(account, error);
      sendJson(res, 200, { account, error: error ?? null });
      return;
    }
    case "POST /__simulator/accounts/expiry": {
      const { account, expMs } = parseAccountExpiryCommand(await readBody(req));
      checkAccount(account);
      activity.setSessionExpiry(account, expMs);
      sendJson(res, 200, { account, expMs });
      return;
    }
    case "POST /__simulator/subscription": {
      const { active } = parseSubscriptionCommand(await readBody(req));
      controls.subscription.setActive(active);
      sendJson(res, 200, { active });
      return;
    }
    case "GET /__simulator/history": {
      activity.advanceTo(now());
      sendJson(res, 200, { jobs: activity.history() });
      return;
    }
    case "GET /__simulator/stats": {
      sendJson(res, 200, controls.stats());
      return;
    }
  }
  req.resume();
  const allow = CONTROL_PATHS[path.slice(CONTROL_PREFIX.length)];
  if (allow !== undefined) {
    sendJson(res, 405, { error: "Method not allowed", code: 405 }, { allow });
  } else {
    sendJson(res, 404, { error: "Not found", code: 404 });
  }
}

/** The whole body as text; past the limit it rejects at once and discards whatever follows. */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_CONTROL_BODY_BYTES) chunks.push(chunk);
      else reject(new BodyTooLargeError());
    });
    req.once("end", () => {
      resolve(Buffer.concat(chunks).toString("utf8"));
    });
    req.once("error", reject);
  });
}
