import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { families } from "../family-blocks.js";
import { Counter, Histogram, Registry } from "prom-client";
import { familiesWriter } from "../../src/metrics/rendering.js";
import { GENERATION_TYPES } from "../../src/sources/scheduler/answer.js";
import { schedulerFamilies } from "../../src/sources/scheduler/families.js";
import {
  createGenerationLifecycle,
  GENERATION_BUCKETS,
} from "../../src/sources/scheduler/lifecycle-families.js";

const FAMILIES = schedulerFamilies("useapi_minimax", "/v1/minimax/scheduler/available");
const LIFECYCLE = [FAMILIES.started, FAMILIES.finished, FAMILIES.duration];

/** prom-client doing what createGenerationLifecycle does, as the reference for its text. */
function referenceLifecycle() {
  const registry = new Registry();
  const registers = [registry];
  const labelNames = ["account", "type"] as const;
  const started = new Counter({ ...FAMILIES.started, labelNames, registers });
  const finished = new Counter({ ...FAMILIES.finished, labelNames, registers });
  const duration = new Histogram({
    ...FAMILIES.duration,
    labelNames,
    buckets: GENERATION_BUCKETS,
    registers,
  });
  const accounts = new Set<string>();
  const touch = (account: string) => {
    if (accounts.has(account)) return;
    accounts.add(account);
    for (const type of GENERATION_TYPES) {
      started.inc({ account, type }, 0);
      finished.inc({ account, type }, 0);
    }
  };
  return {
    registry,
    touch,
    started,
    finished,
    duration,
    setAccounts(current: readonly string[]) {
      for (const account of accounts) {
        if (current.includes(account)) continue;
        accounts.delete(account);
        for (const type of GENERATION_TYPES) {
          started.remove({ account, type });
          finished.remove({ account, type });
          duration.remove({ account, type });
        }
      }
      for (const account of current) touch(account);
    },
  };
}

describe("createGenerationLifecycle", () => {
  it("writes what prom-client writes for the same operations (families in order, series in any order)", async () => {
    const account = fc.oneof(fc.constantFrom("1", "2", "3"), fc.string({ maxLength: 4 }));
    const type = fc.constantFrom(...GENERATION_TYPES);
    const seconds = fc.option(
      fc.oneof(fc.nat(4000), fc.double({ min: 0, max: 4000, noNaN: true })),
      { nil: undefined },
    );
    const op = fc.oneof(
      fc.record({ kind: fc.constant("accounts" as const), accounts: fc.uniqueArray(account) }),
      fc.record({ kind: fc.constant("started" as const), account, type }),
      fc.record({ kind: fc.constant("finished" as const), account, type, seconds }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 30 }), async (ops) => {
        const ours = createGenerationLifecycle(FAMILIES);
        const reference = referenceLifecycle();
        for (const o of ops) {
          if (o.kind === "accounts") {
            ours.setAccounts(o.accounts);
            reference.setAccounts(o.accounts);
            continue;
          }
          const generation = { id: "g", account: o.account, type: o.type };
          reference.touch(o.account);
          if (o.kind === "started") {
            ours.recordStarted({ ...generation, elapsedSeconds: 0 });
            reference.started.inc({ account: o.account, type: o.type });
          } else {
            ours.recordFinished({ ...generation, elapsedSeconds: o.seconds });
            reference.finished.inc({ account: o.account, type: o.type });
            if (o.seconds !== undefined) {
              reference.duration.observe({ account: o.account, type: o.type }, o.seconds);
            }
          }
        }
        let text = "";
        const written = LIFECYCLE.map((meta) => ({
          meta,
          write: ours.writers[meta.name] ?? (() => undefined),
        }));
        familiesWriter(written)({ write: (chunk) => (text += chunk) });
        expect(families(text)).toEqual(families(await reference.registry.metrics()));
      }),
    );
  });
});
