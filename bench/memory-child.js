// Child process of memory.js (run with --expose-gc): the exporter alone, polling on command.
import process from "node:process";
import { startExporter } from "../dist/exporter.js";
import { exporterConfig, silentLogger } from "./common.js";

const exporter = await startExporter(exporterConfig(process.argv[2]), {
  logger: silentLogger(),
  defaultMetrics: true,
});
await exporter.runner("jobs").pollOnce();

const rssMb = () => {
  globalThis.gc();
  globalThis.gc();
  return {
    rssMb: process.memoryUsage().rss / 2 ** 20,
    heapMb: process.memoryUsage().heapUsed / 2 ** 20,
  };
};

process.on("message", (command) => {
  const run = async () => {
    if (command === "poll") {
      await exporter.runner("jobs").pollOnce();
      return { polled: true };
    }
    if (command === "rss") return rssMb();
    await exporter.close();
    process.exit(0);
  };
  void run().then((reply) => process.send(reply));
});
process.send({ ready: true, url: exporter.url });
