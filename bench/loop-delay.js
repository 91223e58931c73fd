// Preloaded into the exporter (`node --import`) by bench/bounds.js, so that no exporter code
// changes: the longest event-loop block (monitorEventLoopDelay), sent to the parent when asked.
import { monitorEventLoopDelay } from "node:perf_hooks";
import process from "node:process";

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
process.on("message", (command) => {
  if (command === "reset") delay.reset();
  process.send({ maxMs: delay.max / 1e6, p99Ms: delay.percentile(99) / 1e6 });
});
