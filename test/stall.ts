import { once } from "node:events";
import type { Server } from "node:http";
import { connect as connectTcp, type Socket } from "node:net";
import { connect as connectTls } from "node:tls";
import type { AppOptions } from "../src/http/app.js";
import { createHandler } from "../src/http/handler.js";
import { createLogger } from "../src/logging/logger.js";
import { within } from "./deadline.js";
import { STUB_STATUS } from "./landing-status.js";
import { builtRunbook } from "./built-runbook.js";

/** An exposition of `bytes` bytes: far more than loopback's socket buffers hold. */
export function bigExposition(bytes = 32 * 1024 * 1024): AppOptions["exposition"] {
  const body = Buffer.alloc(bytes, "#");
  return {
    contentType: "text/plain; version=0.0.4; charset=utf-8",
    refresh: () => Promise.resolve(),
    body: () => body,
    gzipped: () => body,
  };
}

/** createHandler with quiet logs, a status that is ready, the built runbook, and `options` on top. */
export function testHandler(options: Partial<AppOptions>) {
  return createHandler({
    telemetryPath: "/metrics",
    version: "test",
    exposition: bigExposition(),
    status: () => ({ ...STUB_STATUS, lastSuccessAtMs: 1 }),
    logger: createLogger({ level: "error", format: "json", destination: { write: () => true } }),
    runbook: builtRunbook(),
    ...options,
  });
}

/**
 * A GET that stops reading once the answer has begun: the server has taken its slot and cannot
 * finish writing while the socket stays paused. Resolves with the client socket.
 */
export async function stalledRequest(
  url: string,
  path: string,
  headers: Record<string, string> = {},
  ca?: string,
): Promise<Socket> {
  const { hostname, port, protocol } = new URL(url);
  const socket =
    protocol === "https:"
      ? connectTls({ host: hostname, port: Number(port), ca, servername: "localhost" })
      : connectTcp(Number(port), hostname);
  const connected = protocol === "https:" ? "secureConnect" : "connect";
  await within(once(socket, connected), `the stalled request's ${connected} to ${url}`);
  const lines = Object.entries({ Host: hostname, ...headers }).map(([k, v]) => `${k}: ${v}\r\n`);
  socket.write(`GET ${path} HTTP/1.1\r\n${lines.join("")}\r\n`);
  await within(once(socket, "data"), `the first bytes of the answer to GET ${path}`);
  socket.pause();
  return socket;
}

/** Its close, whether or not an error (a reset) came first; fails naming it after the deadline. */
function closeOf(socket: Socket): Promise<void> {
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  return within(closed, `the server to close its side of port ${socket.remotePort}`);
}

/** Every server-side socket, so that a test can wait until the server has seen one close. */
export function trackSockets(server: Server) {
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  const peer = (client: Socket) => [...sockets].find((s) => s.remotePort === client.localPort);
  return {
    /** Resolves once the server's side of the client's connection has closed. */
    async closed(client: Socket): Promise<void> {
      const socket = peer(client);
      if (socket !== undefined && !socket.destroyed) await closeOf(socket);
    },
    /** Destroys the client socket and resolves once the server's side of it has closed. */
    async destroy(client: Socket): Promise<void> {
      const socket = peer(client);
      client.destroy();
      if (socket !== undefined && !socket.destroyed) await closeOf(socket);
    },
  };
}
