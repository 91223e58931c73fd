// The floor of bench/users.js: loads the exporter's runtime dependencies (package.json's
// "dependencies", each of which dist/main.js loads at startup), collects prom-client's default
// metrics on a registry as the exporter does (dist/metrics/default-metrics.js), and does nothing
// else: what any Node exporter built on them holds.
import { setInterval } from "node:timers";
import "@node-rs/bcrypt";
import "express";
import "negotiator";
import "pino";
import { collectDefaultMetrics, Registry } from "prom-client";
import "undici";
import "yaml";
import { DEFAULT_METRICS } from "../dist/metrics/default-metrics.js";

collectDefaultMetrics({ ...DEFAULT_METRICS, register: new Registry() });
setInterval(() => undefined, 2 ** 31 - 1); // keeps the process alive without waking it
