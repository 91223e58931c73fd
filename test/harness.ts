import { request } from "undici";
import { loadConfig, type Config } from "../src/config/config.js";
import { startExporter, type ExporterDeps, type RunningExporter } from "../src/exporter.js";
import { createLogger } from "../src/logging/logger.js";
import { startSimulator, type Simulator, type SimulatorOptions } from "../src/simulator/server.js";

export const TOKEN = "user:1234-abcdefghijklmnopqrstuv";

export interface Stack {
  simulator: Simulator;
  exporter: RunningExporter;
  /** Every log line the exporter wrote, as raw JSON text. */
  logs: string[];
  close(): Promise<void>;
}

/** A simulator and an exporter polling it, both on loopback port 0. */
export async function startStack(
  overrides: Partial<Config> = {},
  deps: Partial<ExporterDeps> = {},
  before?: (simulator: Simulator) => void,
  simulatorOptions: Partial<SimulatorOptions> = {},
): Promise<Stack> {
  const simulator = await startSimulator({
    token: TOKEN,
    seed: 7,
    accounts: 4,
    idleAccounts: 1,
    ...simulatorOptions,
  });
  before?.(simulator);
  const logs: string[] = [];
  const logger = createLogger({
    level: "debug",
    format: "json",
    destination: { write: (line: string) => void logs.push(line) },
  });
  // Through the real flag parser: loopback port 0, polls only when asked (1 h interval).
  const command = loadConfig({
    argv: [
      "--web.listen-address=127.0.0.1:0",
      `--useapi.base-url=${simulator.url}`,
      "--poll.interval=1h",
      "--poll.timeout=1s",
      "--poll.max-backoff=1h",
      "--useapi.max-response-bytes=1MiB",
      "--accounts.interval=0",
      "--jobs.resolve-status=false",
      "--jobs.lookup-rate=50",
    ],
    env: { USEAPI_TOKEN: TOKEN },
  });
  if (command.kind !== "run") throw new Error(`unexpected ${command.kind}`);
  const config: Config = { ...command.config, ...overrides };
  const exporter = await startExporter(config, { logger, ...deps });
  return {
    simulator,
    exporter,
    logs,
    async close() {
      await exporter.close();
      await simulator.close();
    },
  };
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export async function get(
  url: string,
  init: { method?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const response = await request(url, {
    method: (init.method ?? "GET") as "GET",
    ...(init.headers ? { headers: init.headers } : {}),
  });
  const body = await response.body.text();
  return { status: response.statusCode, headers: response.headers, body };
}

/** Sample values of an exposition, keyed by `name{labels}` exactly as written. */
export function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const cut = line.lastIndexOf(" ");
    out.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return out;
}

/** The samples of our own metrics only (useapi_minimax_*). */
export function ownSamples(text: string): Map<string, number> {
  return new Map([...samples(text)].filter(([key]) => key.startsWith("useapi_minimax_")));
}

const ACCOUNT_GAUGES = [
  "useapi_minimax_agent_jobs_executing{",
  "useapi_minimax_agent_job_max_elapsed_seconds{",
];

/** The samples of the per-account gauges of the jobs list. */
export function accountSamples(text: string): Map<string, number> {
  return new Map(
    [...samples(text)].filter(([key]) => ACCOUNT_GAUGES.some((name) => key.startsWith(name))),
  );
}

export async function scrape(stack: Stack): Promise<string> {
  const answer = await get(`${stack.exporter.url}/metrics`);
  if (answer.status !== 200) throw new Error(`scrape answered ${answer.status}`);
  return answer.body;
}
