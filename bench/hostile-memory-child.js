// Child process of hostile-memory.js: the exporter alone at its default flags (4 MiB body cap,
// default account and job bounds), polling the jobs list (or the scheduler, or a credits round)
// once on command.
import { readFileSync } from "node:fs";
import process from "node:process";
import { startExporter } from "../dist/exporter.js";
import { silentLogger, stackConfig, TOKEN } from "./common.js";

/** Peak resident set of this process so far, in MiB (the kernel's high-water mark). */
function peakMb() {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
  return Number(kb) / 1024;
}

/** The source whose poll is measured: the jobs list, the scheduler, or credits. */
const source = process.argv[3] ?? "jobs";
const config = stackConfig({
  baseUrl: process.argv[2],
  flags: [
    "--poll.interval=1h",
    "--accounts.interval=0",
    source === "scheduler" ? "--scheduler.interval=1h" : "--scheduler.interval=0",
    source === "credits" ? "--credits.interval=1h" : "--credits.interval=0",
    "--subscription.interval=0",
    "--usage.interval=0",
    "--jobs.resolve-status=false",
    "--log.level=error",
  ],
  env: { USEAPI_TOKEN: TOKEN },
});
const exporter = await startExporter(config, { logger: silentLogger() });
// The start's own poll, of the harmless answer (credits: after the jobs list named the accounts).
if (source === "credits") await exporter.runner("jobs").pollOnce();
await exporter.runner(source).pollOnce();

process.on("message", (command) => {
  if (command === "poll") {
    const before = peakMb();
    void exporter
      .runner(source)
      .pollOnce()
      .then((outcome) => {
        process.send({ outcome, beforeMb: before, peakMb: peakMb() });
      });
    return;
  }
  void exporter.close().then(() => process.exit(0));
});
process.send({ url: exporter.url });
