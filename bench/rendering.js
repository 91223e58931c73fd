// Benchmark: how many renderings the polls cost. Each poll of any one source re-renders /metrics
// once, and polls that end in the same turn of the event loop share one rendering.
import process from "node:process";
import { createExposition } from "../dist/metrics/rendering.js";
import { createRegistry } from "../dist/metrics/registry.js";
import { startStack } from "./common.js";

const BUILD = { version: "bench", nodejs: process.version };

const SOURCES = ["jobs", "accounts", "scheduler", "subscription", "usage", "credits"];

/** Counts the calls of the registry's render(), which each rendering makes once. */
function countRenderings(registry) {
  const render = registry.render.bind(registry);
  const counter = { renderings: 0 };
  registry.render = (...args) => {
    counter.renderings++;
    return render(...args);
  };
  return counter;
}

/**
 * Against the simulator, every source on: the renderings of one poll of each source alone, then
 * of `rounds` rounds in which every source polls at once (their answers arrive together, as when
 * their intervals meet), and of `burst` refreshes asked in one turn.
 */
export async function runRenderings({ rounds = 5, burst = 100 } = {}) {
  const stack = await startStack(undefined, [
    ...SOURCES.filter((s) => s !== "jobs").map((s) => `--${s}.interval=1h`),
    "--jobs.resolve-status=false",
  ]);
  const { exporter } = stack;
  try {
    await exporter.idle();
    const counter = countRenderings(exporter.registry);
    const alone = [];
    for (const source of SOURCES) {
      const before = counter.renderings;
      const outcome = await exporter.runner(source).pollOnce();
      alone.push({ source, outcome, renderings: counter.renderings - before });
    }
    const together = [];
    for (let i = 0; i < rounds; i++) {
      const before = counter.renderings;
      const outcomes = await Promise.all(SOURCES.map((s) => exporter.runner(s).pollOnce()));
      together.push({
        polls: outcomes.filter((o) => o !== "aborted").length,
        renderings: counter.renderings - before,
      });
    }
    return {
      alone,
      together,
      polls: together.reduce((sum, r) => sum + r.polls, 0),
      renderings: together.reduce((sum, r) => sum + r.renderings, 0),
      burst: { refreshes: burst, renderings: await burstRenderings(burst) },
    };
  } finally {
    await stack.close();
  }
}

/** `count` refreshes asked in one turn of the event loop, of an exposition of its own. */
async function burstRenderings(count) {
  const registry = createRegistry({ buildInfo: BUILD, defaultMetrics: true });
  const counter = countRenderings(registry);
  const exposition = createExposition(registry);
  await Promise.all(Array.from({ length: count }, () => exposition.refresh()));
  return counter.renderings;
}
