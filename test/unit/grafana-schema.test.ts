import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { isRecord, type Json } from "../dashboard-model.js";
import { dashboardTypeErrors } from "../grafana-schema.js";

const DASHBOARD = readFileSync(new URL("../../grafana/dashboard.json", import.meta.url), "utf8");

/** The committed dashboard with `change` applied to a copy of its model. */
function changed(change: (model: Json) => void): string {
  const model = JSON.parse(DASHBOARD) as Json;
  change(model);
  return JSON.stringify(model, null, 2);
}

/** The first panel of the model whose type is `type`. */
function firstPanel(model: Json, type: string): Json {
  const panels = Array.isArray(model["panels"]) ? (model["panels"] as unknown[]) : [];
  const found = panels.find((panel) => isRecord(panel) && panel["type"] === type);
  if (!isRecord(found)) throw new Error(`no ${type} panel`);
  return found;
}

describe("grafana/dashboard.json against @grafana/schema's Dashboard type", () => {
  let errors: Record<string, string[]>;
  beforeAll(() => {
    // One compilation for all of them: the schema's types load once.
    errors = dashboardTypeErrors({
      committed: DASHBOARD,
      schemaVersionAsString: changed((model) => {
        model["schemaVersion"] = "41";
      }),
      gridWidthAsString: changed((model) => {
        (firstPanel(model, "timeseries")["gridPos"] as Json)["w"] = "12";
      }),
      unknownThresholdsMode: changed((model) => {
        const defaults = (firstPanel(model, "timeseries")["fieldConfig"] as Json)[
          "defaults"
        ] as Json;
        defaults["thresholds"] = { mode: "absolut", steps: [] };
      }),
      unknownTopLevelField: changed((model) => {
        model["refreshEvery"] = "30s";
      }),
    });
  }, 60_000);

  it("type-checks the committed dashboard without an error", () => {
    expect(errors["committed"]).toEqual([]);
  });

  it.each([
    ["schemaVersionAsString", /schemaVersion/],
    ["gridWidthAsString", /'string' is not assignable to type 'number'/],
    ["unknownThresholdsMode", /"absolut"/],
    ["unknownTopLevelField", /refreshEvery/],
  ])("reports a dashboard with %s", (name, message) => {
    const found = errors[name] ?? [];
    expect(found.length, name).toBe(1);
    expect(found.join("\n")).toMatch(message);
  });
});
