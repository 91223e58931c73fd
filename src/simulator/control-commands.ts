import type { JobOutcome } from "./activity.js";
import {
  SIMULATOR_ENDPOINTS,
  SIMULATOR_MODES,
  checkModeOptions,
  isSimulatorEndpoint,
  isSimulatorMode,
  type ModeOptions,
  type SimulatorEndpoint,
  type SimulatorMode,
} from "./modes.js";

/** A control request the simulator refuses with 400; the message says why. */
export class ControlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ControlError";
  }
}

export interface ModeCommand {
  mode: SimulatorMode;
  options: ModeOptions;
  /** "jobs" unless given. */
  endpoint: SimulatorEndpoint;
}

export interface JobCommand {
  account: string;
  durationMs: number;
  /** "completed" unless given. */
  outcome: JobOutcome;
}

export interface AccountErrorCommand {
  account: string;
  /** undefined clears the error. */
  error: string | undefined;
}

export interface AccountExpiryCommand {
  account: string;
  expMs: number;
}

/**
 * Body of POST /__simulator/mode:
 * `{"mode": "...", "endpoint"?: "jobs" | "accounts" | "job", "retryAfter"?, "bytes"?, "delayMs"?}`.
 */
export function parseModeCommand(text: string): ModeCommand {
  const body = parseObject(text);
  const { mode, endpoint = "jobs", retryAfter, bytes, delayMs } = body;
  if (!isSimulatorMode(mode)) {
    throw new ControlError(`mode must be one of ${SIMULATOR_MODES.join(", ")}`);
  }
  if (!isSimulatorEndpoint(endpoint)) {
    throw new ControlError(`endpoint must be one of ${SIMULATOR_ENDPOINTS.join(", ")}`);
  }
  const options: ModeOptions = {};
  if (retryAfter !== undefined) {
    if (typeof retryAfter !== "string") throw new ControlError("retryAfter must be a string");
    options.retryAfter = retryAfter;
  }
  if (bytes !== undefined) {
    if (typeof bytes !== "number") throw new ControlError("bytes must be a number");
    options.bytes = bytes;
  }
  if (delayMs !== undefined) {
    if (typeof delayMs !== "number") throw new ControlError("delayMs must be a number");
    options.delayMs = delayMs;
  }
  try {
    checkModeOptions(options);
  } catch (error) {
    throw new ControlError((error as Error).message);
  }
  return { mode, options, endpoint };
}

/** Body of POST /__simulator/payload: any JSON to serve, or nothing to go back to the model. */
export function parsePayloadCommand(text: string): { body: unknown } | undefined {
  if (text.trim() === "") return undefined;
  return { body: parseJson(text) };
}

/** Body of POST /__simulator/jobs: `{"account": "...", "durationSeconds": n, "outcome"?: "failed"}`. */
export function parseJobCommand(text: string): JobCommand {
  const { account, durationSeconds, outcome = "completed" } = parseObject(text);
  if (typeof account !== "string") throw new ControlError("account must be a string");
  if (typeof durationSeconds !== "number" || !(durationSeconds > 0)) {
    throw new ControlError("durationSeconds must be a positive number");
  }
  if (outcome !== "completed" && outcome !== "failed") {
    throw new ControlError('outcome must be "completed" or "failed"');
  }
  return { account, durationMs: durationSeconds * 1000, outcome };
}

export interface GenerationCommand {
  account: string;
  type: "video" | "image" | "audio";
  durationMs: number;
}

/** Body of POST /__simulator/generations: `{"account": "...", "durationSeconds": n, "type"?: "image" | "audio"}`. */
export function parseGenerationCommand(text: string): GenerationCommand {
  const { account, durationSeconds, type = "video" } = parseObject(text);
  if (typeof account !== "string") throw new ControlError("account must be a string");
  if (typeof durationSeconds !== "number" || !(durationSeconds > 0)) {
    throw new ControlError("durationSeconds must be a positive number");
  }
  if (type !== "video" && type !== "image" && type !== "audio")
    throw new ControlError('type must be "video", "image" or "audio"');
  return { account, type, durationMs: durationSeconds * 1000 };
}

/** Body of POST /__simulator/accounts/error: `{"account": "...", "error": "..." | null}`. */
export function parseAccountErrorCommand(text: string): AccountErrorCommand {
  const { account, error } = parseObject(text);
  if (typeof account !== "string") throw new ControlError("account must be a string");
  if (error !== null && typeof error !== "string") {
    throw new ControlError("error must be a string, or null to clear it");
  }
  return { account, error: error ?? undefined };
}

/** Body of POST /__simulator/accounts/expiry: `{"account": "...", "expMs": n}`. */
export function parseAccountExpiryCommand(text: string): AccountExpiryCommand {
  const { account, expMs } = parseObject(text);
  if (typeof account !== "string") throw new ControlError("account must be a string");
  if (typeof expMs !== "number" || !Number.isFinite(expMs)) {
    throw new ControlError("expMs must be a finite number (epoch milliseconds)");
  }
  return { account, expMs };
}

function parseObject(text: string): Record<string, unknown> {
  const value = parseJson(text);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ControlError("body must be a JSON object");
  }
  return value as Record<string, unknown>;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ControlError("body is not valid JSON");
  }
}
