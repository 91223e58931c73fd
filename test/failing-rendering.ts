import { createLogger } from "../src/logging/logger.js";
import { registerFamily } from "../src/metrics/family.js";
import { createRegistry, type MetricRegistry } from "../src/metrics/registry.js";
import { createExposition } from "../src/metrics/rendering.js";
import { startSimulator } from "../src/simulator/server.js";
import { createChannel } from "../src/sources/channels.js";
import { createSourceHealth } from "../src/sources/health.js";
import { createJobsSource } from "../src/sources/jobs/source.js";
import { createSourceRunner } from "../src/sources/runner.js";
import { createUpstreamClient } from "../src/upstream/client.js";
import { fixedToken } from "../src/upstream/token.js";
import { TOKEN } from "./harness.js";

/**
 * The jobs source's runner polling a simulator, a family of its registry throwing as a string too
 * long for V8 would: each poll succeeds and each rendering fails. `lines` holds its log lines.
 */
export async function failingRendering() {
  const simulator = await startSimulator({ token: TOKEN, accounts: 2 });
  const client = createUpstreamClient({
    baseUrl: simulator.url,
    token: fixedToken(TOKEN),
    timeoutMs: 5_000,
    maxResponseBytes: 1 << 20,
    maxAccounts: 1_000,
    userAgent: "test",
  });
  const lines: string[] = [];
  const logger = createLogger({
    level: "info",
    format: "json",
    destination: { write: (line: string) => void lines.push(line) },
  });
  const registry = createRegistry({
    buildInfo: { version: "t", nodejs: "v0" },
    defaultMetrics: false,
  });
  const source = createJobsSource({
    registry,
    intervalMs: 3_600_000,
    countAnomaly: () => undefined,
    finished: createChannel(),
  });
  failingFamily(registry, () => true);
  const exposition = createExposition(registry);
  const poller = createSourceRunner({
    source,
    client,
    health: createSourceHealth(registry, ["jobs"], "jobs"),
    refresh: () => exposition.refresh(),
    logger,
    maxBackoffMs: 3_600_000,
    staleAfterMs: 3_600_000,
  });
  return {
    poller,
    exposition,
    lines,
    close: async () => {
      await poller.stop();
      await client.close();
      await simulator.close();
    },
  };
}

/** A family whose collection throws while `failing()`, as an exposition too large to hold would. */
export function failingFamily(registry: MetricRegistry, failing: () => boolean): void {
  registerFamily(registry, {
    ...{ name: "failing", help: "throws while failing", type: "gauge", labelNames: [] },
    samples() {
      if (failing()) throw new RangeError("Invalid string length");
    },
  });
}
