import { randomBytes } from "node:crypto";
import type { Config } from "./config/config.js";
import type { Logger } from "./logging/logger.js";
import { startSimulator } from "./simulator/server.js";

/** --demo: the simulator on a free loopback port in useapi.net's place, the config aimed at it. */
export async function startDemoUpstream<C extends Config>(
  config: C,
  logger: Logger,
): Promise<{ config: C; close: () => Promise<void> }> {
  const token = randomBytes(16).toString("hex");
  const simulator = await startSimulator({ token, host: "127.0.0.1", port: 0 });
  logger.info({ simulator: simulator.url }, "demo mode: polling the built-in simulator");
  return {
    config: { ...config, baseUrl: simulator.url, token, tokenFile: undefined },
    close: () => simulator.close(),
  };
}
