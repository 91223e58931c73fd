/** Reads a Grafana dashboard's JSON model: its panels, queries and threshold steps. */

export type Json = Record<string, unknown>;

export interface DashboardQuery {
  panel: string;
  expr: string;
}

/** One coloured step of a panel's thresholds; field is "" for the panel's defaults. */
export interface ThresholdStep {
  panel: string;
  field: string;
  color: string;
  value: number;
}

export const isRecord = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const records = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isRecord) : []);

const title = (panel: Json): string => (typeof panel["title"] === "string" ? panel["title"] : "");

/** Every panel of a dashboard model, the panels of collapsed rows included. */
export function dashboardPanels(model: object): Json[] {
  return records((model as Json)["panels"]).flatMap((panel) => [
    panel,
    ...records(panel["panels"]),
  ]);
}

/** Every PromQL expression of a dashboard model, with the title of its panel. */
export function dashboardQueries(model: object): DashboardQuery[] {
  return dashboardPanels(model).flatMap((panel) =>
    records(panel["targets"]).flatMap((target) => {
      const expr = target["expr"];
      return typeof expr === "string" ? [{ panel: title(panel), expr }] : [];
    }),
  );
}

function steps(panel: Json, field: string, thresholds: unknown): ThresholdStep[] {
  if (!isRecord(thresholds)) return [];
  return records(thresholds["steps"]).flatMap((step) =>
    typeof step["value"] === "number"
      ? [{ panel: title(panel), field, color: String(step["color"]), value: step["value"] }]
      : [],
  );
}

/**
 * Every threshold step with a value (the base step, value null, is left out), of the panels'
 * defaults and of their by-name field overrides.
 */
export function dashboardThresholdSteps(model: object): ThresholdStep[] {
  return dashboardPanels(model).flatMap((panel) => {
    const config = isRecord(panel["fieldConfig"]) ? panel["fieldConfig"] : {};
    const defaults = isRecord(config["defaults"]) ? config["defaults"] : {};
    return [
      ...steps(panel, "", defaults["thresholds"]),
      ...records(config["overrides"]).flatMap((override) => {
        const matcher = isRecord(override["matcher"]) ? override["matcher"] : {};
        return records(override["properties"])
          .filter((property) => property["id"] === "thresholds")
          .flatMap((property) => steps(panel, String(matcher["options"]), property["value"]));
      }),
    ];
  });
}
