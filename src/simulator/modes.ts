/** The upstream endpoints the simulator serves; each has a mode of its own. */
export const SIMULATOR_ENDPOINTS = [
  "jobs",
  "accounts",
  "job",
  "scheduler",
  "subscription",
  "credits",
  "usage",
] as const;

/** "jobs": the running-jobs list; "accounts": GET accounts and accounts/{account}; "job": agent/{jobId}; "scheduler": scheduler/available; "subscription": GET /v2/account; "credits": features/?account=; "usage": v2/account/stats. */
export type SimulatorEndpoint = (typeof SIMULATOR_ENDPOINTS)[number];

export function isSimulatorEndpoint(value: unknown): value is SimulatorEndpoint {
  return (SIMULATOR_ENDPOINTS as readonly unknown[]).includes(value);
}

/** How the simulator answers authorized requests to an endpoint. */
export const SIMULATOR_MODES = [
  "ok",
  "unauthorized",
  "forbidden",
  "rate_limited",
  "server_error",
  "bad_request",
  "hang",
  "reset",
  "malformed_json",
  "wrong_shape",
  "oversized",
  "slow_body",
] as const;

export type SimulatorMode = (typeof SIMULATOR_MODES)[number];

export interface ModeOptions {
  /** Retry-After header of "rate_limited"; "2" unless given. */
  retryAfter?: string;
  /** Body size of "oversized"; 16 MiB unless given. */
  bytes?: number;
  /** How long "slow_body" holds back the rest of the body; 30 s unless given. */
  delayMs?: number;
}

export const DEFAULT_RETRY_AFTER = "2";
export const DEFAULT_OVERSIZED_BYTES = 16 * 1024 * 1024;
export const DEFAULT_SLOW_BODY_DELAY_MS = 30_000;
// Node's timers overflow past this and fire at once.
export const MAX_DELAY_MS = 2 ** 31 - 1;

export function isSimulatorMode(value: unknown): value is SimulatorMode {
  return (SIMULATOR_MODES as readonly unknown[]).includes(value);
}

/** Throws a RangeError naming the first bad option. */
export function checkModeOptions(options: ModeOptions): void {
  const { retryAfter, bytes, delayMs } = options;
  if (retryAfter !== undefined && !/^[\x20-\x7e]*$/.test(retryAfter)) {
    throw new RangeError("retryAfter must be printable ASCII");
  }
  if (bytes !== undefined && !(Number.isSafeInteger(bytes) && bytes >= 0)) {
    throw new RangeError("bytes must be a non-negative integer");
  }
  if (delayMs !== undefined && !(delayMs >= 0 && delayMs <= MAX_DELAY_MS)) {
    throw new RangeError(`delayMs must be a number from 0 to ${MAX_DELAY_MS}`);
  }
}

/** An endpoint's mode and its options, as set. */
export interface ModeSetting {
  mode: SimulatorMode;
  options: ModeOptions;
}

/** Each endpoint's mode, "ok" until set; `set` throws a RangeError naming what is wrong. */
export function createModeTable(): {
  set: (mode: SimulatorMode, options: ModeOptions, endpoint: SimulatorEndpoint) => void;
  get: (endpoint: SimulatorEndpoint) => ModeSetting;
} {
  const modes = new Map<SimulatorEndpoint, ModeSetting>();
  return {
    set: (mode, options, endpoint) => {
      if (!isSimulatorMode(mode)) throw new RangeError(`unknown simulator mode ${String(mode)}`);
      if (!isSimulatorEndpoint(endpoint)) {
        throw new RangeError(`unknown simulator endpoint ${String(endpoint)}`);
      }
      checkModeOptions(options);
      modes.set(endpoint, { mode, options: { ...options } });
    },
    get: (endpoint) => modes.get(endpoint) ?? { mode: "ok", options: {} },
  };
}
