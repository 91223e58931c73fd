import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { createActivity, type Activity } from "./activity.js";
import { ControlError, parseJobCommand, parseModeCommand, parsePayloadCommand } from "./control.js";
import {
  DEFAULT_OVERSIZED_BYTES,
  DEFAULT_RETRY_AFTER,
  DEFAULT_SLOW_BODY_DELAY_MS,
  checkModeOptions,
  isSimulatorMode,
  type ModeOptions,
  type SimulatorMode,
} from "./modes.js";
import { sendBytes, sendJson, sendSlowly, streamOversized } from "./responses.js";

export type { SimulatorMode, ModeOptions } from "./modes.js";

export const JOBS_PATH = "/v1/minimax/agent/jobs";
const CONTROL_PREFIX = "/__simulator/";
const MAX_CONTROL_BODY_BYTES = 64 * 1024 * 1024;
const SERVER_ERROR_HTML = "<html><body><h1>503 Service Unavailable</h1></body></html>";
const MALFORMED_JSON = '{"accounts": ["67890",';
const WRONG_SHAPE = { accounts: "67890", summary: [], executing: null };

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
}

export interface SimulatorStats {
  /** Every HTTP request, control requests included. */
  requests: number;
  /** Requests for the jobs path, any method or token. */
  jobsRequests: number;
  /** Jobs requests not yet answered (or abandoned), and the most there have been at once. */
  inFlight: number;
  maxInFlight: number;
  lastAuthorization: string | undefined;
  lastUserAgent: string | undefined;
  lastAccept: string | undefined;
}

export interface Simulator {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:43123 */
  url: string;
  /** The model behind the answers, for injecting jobs and reading the ground truth. */
  activity: Activity;
  /** Stays in force until changed; applies only to authorized requests for the jobs list. */
  setMode(mode: SimulatorMode, options?: ModeOptions): void;
  /** Serves this JSON body instead of the model; undefined goes back to the model. */
  setPayload(body: unknown): void;
  /** A copy taken when read. */
  readonly stats: SimulatorStats;
  /** Stops listening and destroys every open connection, hung ones included. */
  close(): Promise<void>;
}

/** A local stand-in for GET /v1/minimax/agent/jobs with switchable failure modes. */
export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const { token, host = "127.0.0.1", port = 0 } = options;
  if (token === "") throw new RangeError("token must not be empty");
  const now = options.now ?? Date.now;
  const accounts = options.accounts ?? 6;
  const activity = createActivity({
    seed: options.seed ?? 1,
    accounts,
    idleAccounts: options.idleAccounts ?? Math.min(1, Math.max(0, accounts - 1)),
    startMs: now(),
  });
  const expectedAuthorization = `Bearer ${token}`;

  let mode: SimulatorMode = "ok";
  let modeOptions: ModeOptions = {};
  let fixedBody: Buffer | undefined;
  const stats: SimulatorStats = {
    requests: 0,
    jobsRequests: 0,
    inFlight: 0,
    maxInFlight: 0,
    lastAuthorization: undefined,
    lastUserAgent: undefined,
    lastAccept: undefined,
  };
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const setMode = (next: SimulatorMode, nextOptions: ModeOptions = {}): void => {
    if (!isSimulatorMode(next)) throw new RangeError(`unknown simulator mode ${String(next)}`);
    checkModeOptions(nextOptions);
    mode = next;
    modeOptions = { ...nextOptions };
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

  const currentBody = (): Buffer => {
    if (fixedBody) return fixedBody;
    const at = now();
    activity.advanceTo(at);
    return Buffer.from(JSON.stringify(activity.payload(at)));
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

  const answerJobs = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    stats.jobsRequests++;
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    res.once("close", () => {
      stats.inFlight--;
    });
    stats.lastAuthorization = req.headers.authorization;
    stats.lastUserAgent = req.headers["user-agent"];
    stats.lastAccept = req.headers.accept;
    req.resume();

    if (req.method !== "GET") {
      sendJson(res, 405, { error: "Method not allowed", code: 405 }, { allow: "GET" });
      return;
    }
    if (req.headers.authorization !== expectedAuthorization) {
      sendJson(res, 401, { error: "Unauthorized" });
      return;
    }
    switch (mode) {
      case "ok":
        sendBytes(res, 200, currentBody());
        return;
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
        sendBytes(res, 200, Buffer.from(MALFORMED_JSON));
        return;
      case "wrong_shape":
        sendJson(res, 200, WRONG_SHAPE);
        return;
      case "oversized":
        await streamOversized(res, modeOptions.bytes ?? DEFAULT_OVERSIZED_BYTES);
        return;
      case "slow_body":
        sendSlowly(res, currentBody(), modeOptions.delayMs ?? DEFAULT_SLOW_BODY_DELAY_MS, schedule);
        return;
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
        const { mode: next, options: nextOptions } = parseModeCommand(await readBody(req));
        setMode(next, nextOptions);
        sendJson(res, 200, { mode: next });
        return;
      }
      case "POST /__simulator/payload": {
        const command = parsePayloadCommand(await readBody(req));
        setPayload(command?.body);
        sendJson(res, 200, { payload: command ? "fixed" : "model" });
        return;
      }
      case "POST /__simulator/jobs": {
        const { account, durationMs } = parseJobCommand(await readBody(req));
        if (!activity.accounts.includes(account)) {
          throw new ControlError(`unknown account ${JSON.stringify(account)}`);
        }
        sendJson(res, 201, { jobId: activity.startJob(account, now(), durationMs) });
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
    const known = ["mode", "payload", "jobs", "stats"].includes(path.slice(CONTROL_PREFIX.length));
    if (known) {
      const allow = path === "/__simulator/stats" ? "GET" : "POST";
      sendJson(res, 405, { error: "Method not allowed", code: 405 }, { allow });
    } else {
      sendJson(res, 404, { error: "Not found", code: 404 });
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    stats.requests++;
    const path = new URL(req.url ?? "/", "http://simulator").pathname;
    if (path === JOBS_PATH) {
      await answerJobs(req, res);
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
