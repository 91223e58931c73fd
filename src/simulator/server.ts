import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { createActivity, type Activity } from "./activity.js";
import {
  ControlError,
  parseAccountErrorCommand,
  parseAccountExpiryCommand,
  parseJobCommand,
  parseModeCommand,
  parsePayloadCommand,
} from "./control.js";
import { JOB_ID_PATTERN, jobBody } from "./job-body.js";
import {
  DEFAULT_OVERSIZED_BYTES,
  DEFAULT_RETRY_AFTER,
  DEFAULT_SLOW_BODY_DELAY_MS,
  MAX_DELAY_MS,
  SIMULATOR_ENDPOINTS,
  checkModeOptions,
  isSimulatorEndpoint,
  isSimulatorMode,
  type ModeOptions,
  type SimulatorEndpoint,
  type SimulatorMode,
} from "./modes.js";
import { sendBytes, sendJson, sendSlowly, streamOversized } from "./responses.js";

export type { SimulatorEndpoint, SimulatorMode, ModeOptions } from "./modes.js";
export { JWT_SECRET_MARKER } from "./accounts.js";
export { JOB_ID_PATTERN, PROMPT_MARKER } from "./job-body.js";

export const JOBS_PATH = "/v1/minimax/agent/jobs";
/** Followed by a URL-encoded jobId: GET /v1/minimax/agent/{jobId}. */
export const JOB_PATH_PREFIX = "/v1/minimax/agent/";
export const ACCOUNTS_PATH = "/v1/minimax/accounts";
const CONTROL_PREFIX = "/__simulator/";
const CONTROL_PATHS: Record<string, "GET" | "POST"> = {
  mode: "POST",
  payload: "POST",
  jobs: "POST",
  "accounts/error": "POST",
  "accounts/expiry": "POST",
  stats: "GET",
  history: "GET",
};
const MAX_CONTROL_BODY_BYTES = 64 * 1024 * 1024;
const SERVER_ERROR_HTML = "<html><body><h1>503 Service Unavailable</h1></body></html>";
const MALFORMED_JSON: Record<SimulatorEndpoint, string> = {
  jobs: '{"accounts": ["67890",',
  accounts: '{"67890": {"account": "67890",',
  job: '{"jobId": "p123456789-u12345-a67890-bot:minimax", "status":',
};
const WRONG_SHAPE: Record<SimulatorEndpoint, unknown> = {
  jobs: { accounts: "67890", summary: [], executing: null },
  accounts: { "67890": { account: 67890, jwt: null, maxJobs: "one" } },
  job: { jobId: null, status: 42, created: [] },
};
const INVALID_JOB_ID = { error: "Invalid jobId", code: 400 };
const UNKNOWN_JOB = { error: "Job not found or not owned by this token", code: 400 };
const UNKNOWN_ACCOUNT = { error: "Account not configured", code: 404 };

export interface SimulatorOptions {
  token: string;
  /** 1 unless given. */
  seed?: number;
  /** 6 unless given. */
  accounts?: number;
  /** 1 unless given (0 with a single account). */
  idleAccounts?: number;
  now?: () => number;
  /** 127.0.0.1 unless given. */
  host?: string;
  /** 0 (any free port) unless given. */
  port?: number;
  /** How long every answer of GET /v1/minimax/agent/{jobId} waits; 0 unless given. */
  jobLookupDelayMs?: number;
}

export interface SimulatorStats {
  /** Every HTTP request, control requests included. */
  requests: number;
  /** Requests for the jobs path, any method or token. */
  jobsRequests: number;
  /** Jobs requests not yet answered (or abandoned), and the most there have been at once. */
  inFlight: number;
  maxInFlight: number;
  /** Requests for the accounts list or one account, any method or token. */
  accountsRequests: number;
  /** Requests for one job (agent/{jobId}), any method or token. */
  jobLookups: number;
  /** Job lookups not yet answered (or abandoned), and the most there have been at once. */
  jobLookupsInFlight: number;
  maxJobLookupsInFlight: number;
  /** Headers of the last jobs-list request. */
  lastAuthorization: string | undefined;
  lastUserAgent: string | undefined;
  lastAccept: string | undefined;
}

export interface Simulator {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:43123 */
  url: string;
  /** The model behind the answers, for injecting jobs and reading the ground truth. */
  activity: Activity;
  /**
   * Stays in force until changed; applies only to authorized requests to `endpoint` ("jobs"
   * unless given). Each endpoint keeps a mode of its own.
   */
  setMode(mode: SimulatorMode, options?: ModeOptions, endpoint?: SimulatorEndpoint): void;
  /** Serves this JSON body for the jobs list instead of the model; undefined goes back to it. */
  setPayload(body: unknown): void;
  /** A copy taken when read. */
  readonly stats: SimulatorStats;
  /** Stops listening and destroys every open connection, hung ones included. */
  close(): Promise<void>;
}

interface Reply {
  status: number;
  body: Buffer;
}

/**
 * A local stand-in for the upstream's GET agent/jobs, agent/{jobId}, accounts and
 * accounts/{account}, with switchable failure modes per endpoint.
 */
export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const { token, host = "127.0.0.1", port = 0, jobLookupDelayMs = 0 } = options;
  if (token === "") throw new RangeError("token must not be empty");
  if (!(jobLookupDelayMs >= 0 && jobLookupDelayMs <= MAX_DELAY_MS)) {
    throw new RangeError(`jobLookupDelayMs must be a number from 0 to ${MAX_DELAY_MS}`);
  }
  const now = options.now ?? Date.now;
  const accounts = options.accounts ?? 6;
  const activity = createActivity({
    seed: options.seed ?? 1,
    accounts,
    idleAccounts: options.idleAccounts ?? Math.min(1, Math.max(0, accounts - 1)),
    startMs: now(),
  });
  const expectedAuthorization = `Bearer ${token}`;

  const modes = new Map<SimulatorEndpoint, { mode: SimulatorMode; options: ModeOptions }>(
    SIMULATOR_ENDPOINTS.map((endpoint) => [endpoint, { mode: "ok", options: {} }]),
  );
  let fixedBody: Buffer | undefined;
  const stats: SimulatorStats = {
    requests: 0,
    jobsRequests: 0,
    inFlight: 0,
    maxInFlight: 0,
    accountsRequests: 0,
    jobLookups: 0,
    jobLookupsInFlight: 0,
    maxJobLookupsInFlight: 0,
    lastAuthorization: undefined,
    lastUserAgent: undefined,
    lastAccept: undefined,
  };
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const setMode = (
    next: SimulatorMode,
    nextOptions: ModeOptions = {},
    endpoint: SimulatorEndpoint = "jobs",
  ): void => {
    if (!isSimulatorMode(next)) throw new RangeError(`unknown simulator mode ${String(next)}`);
    if (!isSimulatorEndpoint(endpoint)) {
      throw new RangeError(`unknown simulator endpoint ${String(endpoint)}`);
    }
    checkModeOptions(nextOptions);
    modes.set(endpoint, { mode: next, options: { ...nextOptions } });
  };

  const setPayload = (body: unknown): void => {
    if (body === undefined) {
      fixedBody = undefined;
      return;
    }
    const text = JSON.stringify(body) as string | undefined;
    if (text === undefined) throw new TypeError("payload must be serializable as JSON");
    fixedBody = Buffer.from(text);
  };

  const jobsReply = (): Reply =>
    fixedBody ? { status: 200, body: fixedBody } : json(200, activity.payload(now()));

  const accountsReply = (account: string | undefined) => (): Reply => {
    if (account === undefined) return json(200, activity.accountsBody(now()));
    const body = activity.accountBody(account, now());
    return body ? json(200, body) : json(404, UNKNOWN_ACCOUNT);
  };

  const jobReply = (jobId: string) => (): Reply => {
    if (!JOB_ID_PATTERN.test(jobId)) return json(400, INVALID_JOB_ID);
    const record = activity.job(jobId, now());
    return record ? json(200, jobBody(record)) : json(400, UNKNOWN_JOB);
  };

  const route = (path: string): { endpoint: SimulatorEndpoint; reply: () => Reply } | undefined => {
    if (path === JOBS_PATH) return { endpoint: "jobs", reply: jobsReply };
    if (path === ACCOUNTS_PATH) return { endpoint: "accounts", reply: accountsReply(undefined) };
    const account = segmentAfter(path, `${ACCOUNTS_PATH}/`);
    if (account !== undefined) return { endpoint: "accounts", reply: accountsReply(account) };
    const jobId = segmentAfter(path, JOB_PATH_PREFIX);
    if (jobId !== undefined) return { endpoint: "job", reply: jobReply(jobId) };
    return undefined;
  };

  const checkAccount = (account: string): void => {
    if (!activity.accounts.includes(account)) {
      throw new ControlError(`unknown account ${JSON.stringify(account)}`);
    }
  };

  const schedule = (fn: () => void, delayMs: number): (() => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, delayMs);
    timers.add(timer);
    return () => {
      clearTimeout(timer);
      timers.delete(timer);
    };
  };

  /** Resolves true after `delayMs`, or false as soon as the response closes. */
  const pause = (res: ServerResponse, delayMs: number): Promise<boolean> =>
    new Promise((resolve) => {
      const cancel = schedule(() => {
        res.off("close", onClose);
        resolve(true);
      }, delayMs);
      const onClose = (): void => {
        cancel();
        resolve(false);
      };
      res.once("close", onClose);
    });

  const track = (endpoint: SimulatorEndpoint, req: IncomingMessage, res: ServerResponse): void => {
    switch (endpoint) {
      case "jobs":
        stats.jobsRequests++;
        stats.inFlight++;
        stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
        res.once("close", () => {
          stats.inFlight--;
        });
        stats.lastAuthorization = req.headers.authorization;
        stats.lastUserAgent = req.headers["user-agent"];
        stats.lastAccept = req.headers.accept;
        return;
      case "accounts":
        stats.accountsRequests++;
        return;
      case "job":
        stats.jobLookups++;
        stats.jobLookupsInFlight++;
        stats.maxJobLookupsInFlight = Math.max(
          stats.maxJobLookupsInFlight,
          stats.jobLookupsInFlight,
        );
        res.once("close", () => {
          stats.jobLookupsInFlight--;
        });
        return;
    }
  };

  const answerApi = async (
    req: IncomingMessage,
    res: ServerResponse,
    endpoint: SimulatorEndpoint,
    reply: () => Reply,
  ): Promise<void> => {
    track(endpoint, req, res);
    req.resume();
    if (endpoint === "job" && jobLookupDelayMs > 0 && !(await pause(res, jobLookupDelayMs))) {
      return;
    }
    if (req.method !== "GET") {
      sendJson(res, 405, { error: "Method not allowed", code: 405 }, { allow: "GET" });
      return;
    }
    if (req.headers.authorization !== expectedAuthorization) {
      sendJson(res, 401, { error: "Unauthorized" });
      return;
    }
    const { mode, options: modeOptions } = modes.get(endpoint) ?? { mode: "ok", options: {} };
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
          { "retry-after": modeOptions.retryAfter ?? DEFAULT_RETRY_AFTER },
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
        await streamOversized(res, modeOptions.bytes ?? DEFAULT_OVERSIZED_BYTES);
        return;
      case "slow_body": {
        const { status, body } = reply();
        const delayMs = modeOptions.delayMs ?? DEFAULT_SLOW_BODY_DELAY_MS;
        sendSlowly(res, body, delayMs, schedule, status);
        return;
      }
    }
  };

  const answerControl = async (
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
  ): Promise<void> => {
    const route = `${req.method ?? ""} ${path}`;
    switch (route) {
      case "POST /__simulator/mode": {
        const command = parseModeCommand(await readBody(req));
        setMode(command.mode, command.options, command.endpoint);
        sendJson(res, 200, { mode: command.mode, endpoint: command.endpoint });
        return;
      }
      case "POST /__simulator/payload": {
        const command = parsePayloadCommand(await readBody(req));
        setPayload(command?.body);
        sendJson(res, 200, { payload: command ? "fixed" : "model" });
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
      case "GET /__simulator/history": {
        activity.advanceTo(now());
        sendJson(res, 200, { jobs: activity.history() });
        return;
      }
      case "GET /__simulator/stats": {
        const { lastAuthorization, ...rest } = stats;
        // Over HTTP, say whether the token matched rather than echo it.
        const lastAuthorizationValid =
          lastAuthorization === undefined ? null : lastAuthorization === expectedAuthorization;
        sendJson(res, 200, { ...rest, lastAuthorizationValid });
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
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    stats.requests++;
    const path = new URL(req.url ?? "/", "http://simulator").pathname;
    const api = route(path);
    if (api) {
      await answerApi(req, res, api.endpoint, api.reply);
    } else if (path.startsWith(CONTROL_PREFIX)) {
      await answerControl(req, res, path);
    } else {
      req.resume();
      sendJson(res, 404, { error: "Not found", code: 404 });
    }
  };

  const server = createServer((req, res) => {
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
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === "IPv6" ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve, reject) => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.close((error) => {
        if (error) reject(error);
        else resolve();
      });
      for (const socket of sockets) socket.destroy();
    });
    return closing;
  };

  return {
    url: `http://${urlHost}:${address.port}`,
    activity,
    setMode,
    setPayload,
    get stats() {
      return { ...stats };
    },
    close,
  };
}

function json(status: number, body: unknown): Reply {
  return { status, body: Buffer.from(JSON.stringify(body)) };
}

/** The single URL-decoded path segment after `prefix`, or undefined if the path is not one. */
function segmentAfter(path: string, prefix: string): string | undefined {
  if (!path.startsWith(prefix)) return undefined;
  const raw = path.slice(prefix.length);
  if (raw.includes("/")) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    // Not valid percent-encoding: keep it raw, so it is refused as an unknown ID.
    return raw;
  }
}

class BodyTooLargeError extends Error {
  constructor() {
    super(`body exceeds ${MAX_CONTROL_BODY_BYTES} bytes`);
    this.name = "BodyTooLargeError";
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
