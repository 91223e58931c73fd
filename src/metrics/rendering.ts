import { gzipSync } from "node:zlib";
import { Counter, type Registry } from "prom-client";
import { RENDERING_FAILURES, UP, type FamilyMeta } from "./families.js";
import { createMappedSink, type TextSink } from "./mapped-sink.js";
import { familyHeader } from "./text-format.js";

/**
 * The /metrics body, rendered once per poll (polls ending in the same turn of the event loop
 * share one rendering) and served as-is to every scrape. The gzip form is
 * made on the first scrape that asks for it and kept until the next rendering.
 */
export interface Exposition {
  readonly contentType: string;
  /** Throws when a hand-written family's name is also a prom-client family's (at startup). */
  verify(): void;
  refresh(): Promise<void>;
  /** The rendering as UTF-8 bytes, encoded once per poll rather than once per scrape. */
  body(): Buffer;
  gzipped(): Buffer;
}

/** Each hand-written family's sample lines, by family name, from the source that holds its data. */
export type FamilyWriters = Readonly<Record<string, (out: TextSink) => void>>;

/** A hand-written family and the writer of its samples. */
export interface HandWrittenFamily {
  meta: FamilyMeta;
  write: (out: TextSink) => void;
}

/** Writes the hand-written families in the order given, each under its HELP and TYPE lines. */
export function familiesWriter(written: readonly HandWrittenFamily[]): (out: TextSink) => void {
  const families = written.map(({ meta, write }) => ({
    header: familyHeader(meta.name, meta.help, meta.type),
    write,
  }));
  return (out) => {
    for (const family of families) {
      out.write(family.header);
      family.write(out);
      out.write("\n");
    }
  };
}

/** Resolves after the I/O callbacks of the event loop's current turn (setImmediate). */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * The body: the hand-written families in the order given, then the registry's. After a failed
 * rendering it is up 0 and the failure count, never the last good rendering, which would still
 * claim up 1.
 */
export function createExposition(
  registry: Registry,
  written: readonly HandWrittenFamily[] = [],
): Exposition {
  const failuresCounter = new Counter({ ...RENDERING_FAILURES, registers: [registry] });
  const handWritten = familiesWriter(written);
  let failures = 0;
  let body: Buffer = Buffer.alloc(0);
  let gzipped: Buffer | undefined;
  let rendering = Promise.resolve();
  // The rendering asked for and not yet started: a refresh() before it starts joins it.
  let waiting: Promise<void> | undefined;

  async function render() {
    try {
      const rest = await registry.metrics();
      const out = createMappedSink(body.length);
      handWritten(out);
      out.write(rest);
      body = out.finish();
    } catch (error) {
      failures++;
      failuresCounter.inc();
      const out = createMappedSink();
      out.write(
        `${familyHeader(UP.name, UP.help, "gauge")}${UP.name} 0\n` +
          familyHeader(RENDERING_FAILURES.name, RENDERING_FAILURES.help, "counter") +
          `${RENDERING_FAILURES.name} ${failures}\n`,
      );
      body = out.finish();
      throw error;
    } finally {
      gzipped = undefined;
    }
  }

  return {
    contentType: registry.contentType,
    verify() {
      const registered = new Set(registry.getMetricsAsArray().map((metric) => metric.name));
      for (const { meta } of written) {
        if (registered.has(meta.name)) {
          throw new Error(`metric family ${meta.name} is both hand-written and prom-client's`);
        }
      }
    },
    refresh() {
      if (waiting !== undefined) return waiting;
      // Chained so that a slow rendering never overwrites a newer one; a failed rendering is
      // reported to its callers only, and the next one still runs. It starts on the event loop's
      // next turn, so that every poll ending in this turn shares it.
      const next = rendering
        .catch(() => undefined)
        .then(nextTurn)
        .then(() => {
          waiting = undefined;
          return render();
        });
      waiting = next;
      rendering = next;
      return next;
    },
    body: () => body,
    gzipped() {
      gzipped ??= gzipSync(body);
      return gzipped;
    },
  };
}
