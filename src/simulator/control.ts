import {
  SIMULATOR_MODES,
  checkModeOptions,
  isSimulatorMode,
  type ModeOptions,
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
}

export interface JobCommand {
  account: string;
  durationMs: number;
}

/** Body of POST /__simulator/mode: `{"mode": "...", "retryAfter"?, "bytes"?, "delayMs"?}`. */
export function parseModeCommand(text: string): ModeCommand {
  const body = parseObject(text);
  const { mode, retryAfter, bytes, delayMs } = body;
  if (!isSimulatorMode(mode)) {
    throw new ControlError(`mode must be one of ${SIMULATOR_MODES.join(", ")}`);
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
  return { mode, options };
}

/** Body of POST /__simulator/payload: any JSON to serve, or nothing to go back to the model. */
export function parsePayloadCommand(text: string): { body: unknown } | undefined {
  if (text.trim() === "") return undefined;
  return { body: parseJson(text) };
}

/** Body of POST /__simulator/jobs: `{"account": "...", "durationSeconds": n}`. */
export function parseJobCommand(text: string): JobCommand {
  const { account, durationSeconds } = parseObject(text);
  if (typeof account !== "string") throw new ControlError("account must be a string");
  if (typeof durationSeconds !== "number" || !(durationSeconds > 0)) {
    throw new ControlError("durationSeconds must be a positive number");
  }
  return { account, durationMs: durationSeconds * 1000 };
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
