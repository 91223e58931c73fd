import * as common from "@grafana/grafana-foundation-sdk/common";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as table from "@grafana/grafana-foundation-sdk/table";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import { fileURLToPath } from "node:url";
import { format, resolveConfig } from "prettier";

export const DASHBOARD_UID = "useapi-minimax-exporter";

/** Every panel and query uses the data source picked in the `datasource` variable. */
const DATASOURCE: dashboard.DataSourceRef = { type: "prometheus", uid: "${datasource}" };

/** useapi.net expires a job as failed after 15 minutes; the job expiry alerts use the same. */
const JOB_EXPIRY_SECONDS = 900;
const JOB_NEAR_EXPIRY_SECONDS = 780;
/** UseapiMinimaxDataStale fires when the last successful poll is older than this. */
const DATA_STALE_SECONDS = 300;

const TARGET = `job=~"$job", instance=~"$instance"`;
const ACCOUNT = `${TARGET}, account=~"$account"`;

function query(refId: string, expr: string): prometheus.DataqueryBuilder {
  return new prometheus.DataqueryBuilder()
    .datasource(DATASOURCE)
    .refId(refId)
    .expr(expr)
    .editorMode(prometheus.QueryEditorMode.Code);
}

function thresholds(steps: dashboard.Threshold[]): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder()
    .mode(dashboard.ThresholdsMode.Absolute)
    .steps(steps);
}

const legend = (): common.VizLegendOptionsBuilder =>
  new common.VizLegendOptionsBuilder()
    .displayMode(common.LegendDisplayMode.List)
    .placement(common.LegendPlacement.Bottom)
    .showLegend(true);

const tooltip = (): common.VizTooltipOptionsBuilder =>
  new common.VizTooltipOptionsBuilder()
    .mode(common.TooltipDisplayMode.Multi)
    .sort(common.SortOrder.Descending);

const lastValue = (): common.ReduceDataOptionsBuilder =>
  new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false);

function timeSeries(title: string, description: string): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title(title)
    .description(description)
    .datasource(DATASOURCE)
    .legend(legend())
    .tooltip(tooltip())
    .fillOpacity(10)
    .showPoints(common.VisibilityMode.Never)
    .axisSoftMin(0);
}

function statPanel(title: string, description: string): stat.PanelBuilder {
  return new stat.PanelBuilder()
    .title(title)
    .description(description)
    .datasource(DATASOURCE)
    .reduceOptions(lastValue())
    .graphMode(common.BigValueGraphMode.Area)
    .colorMode(common.BigValueColorMode.Value);
}

function jobsExecutingNow(): stat.PanelBuilder {
  return statPanel(
    "Jobs executing now",
    "MiniMax agent jobs executing right now, summed over the selected accounts (from the exporter's last successful poll). " +
      "If it shows No data, the exporter has no per-account series: check the Exporter health row (a failing upstream or stale data drops them) and the account filter.",
  )
    .withTarget(query("A", `sum(useapi_minimax_agent_jobs_executing{${ACCOUNT}})`))
    .unit("short")
    .decimals(0)
    .thresholds(thresholds([{ value: null, color: "green" }]))
    .height(8)
    .span(6);
}

function accountsConfigured(): stat.PanelBuilder {
  return statPanel(
    "Accounts configured",
    "MiniMax accounts in the last successful answer of useapi.net. " +
      "If it is lower than the accounts you configured at useapi.net, an account was removed or is failing there; if it shows No data, the exporter is not scraped (see Exporter health).",
  )
    .withTarget(query("A", `max(useapi_minimax_accounts{${TARGET}})`))
    .unit("short")
    .decimals(0)
    .thresholds(thresholds([{ value: null, color: "blue" }]))
    .graphMode(common.BigValueGraphMode.None)
    .height(8)
    .span(6);
}

function perAccountSummary(): table.PanelBuilder {
  const instant = (refId: string, expr: string): prometheus.DataqueryBuilder =>
    query(refId, expr).instant().format(prometheus.PromQueryFormat.Table);
  return new table.PanelBuilder()
    .title("Per-account summary")
    .description(
      "One row per account: jobs executing now, elapsed time of its longest-running job and when the exporter last reported the account. " +
        "A longest job near 15 minutes will be expired by useapi.net; a Last seen that lags behind means the account left the upstream answer or the data went stale (see Exporter health).",
    )
    .datasource(DATASOURCE)
    .targets([
      instant("A", `max by (account) (useapi_minimax_agent_jobs_executing{${ACCOUNT}})`),
      instant("B", `max by (account) (useapi_minimax_agent_job_max_elapsed_seconds{${ACCOUNT}})`),
      // dateTimeFromNow reads milliseconds since the epoch.
      instant(
        "C",
        `max by (account) (timestamp(useapi_minimax_agent_jobs_executing{${ACCOUNT}})) * 1000`,
      ),
    ])
    .transformations([
      { id: "merge", options: {} },
      {
        id: "organize",
        options: {
          excludeByName: { Time: true },
          indexByName: { account: 0, "Value #A": 1, "Value #B": 2, "Value #C": 3 },
          renameByName: {
            account: "Account",
            "Value #A": "Executing",
            "Value #B": "Longest job",
            "Value #C": "Last seen",
          },
        },
      },
    ])
    .sortBy([new common.TableSortByFieldStateBuilder().displayName("Longest job").desc(true)])
    .overrideByName("Executing", [
      { id: "unit", value: "short" },
      { id: "decimals", value: 0 },
    ])
    .overrideByName("Longest job", [
      { id: "unit", value: "s" },
      {
        id: "thresholds",
        value: {
          mode: dashboard.ThresholdsMode.Absolute,
          steps: [
            { value: null, color: "green" },
            { value: JOB_NEAR_EXPIRY_SECONDS, color: "orange" },
            { value: JOB_EXPIRY_SECONDS, color: "red" },
          ],
        },
      },
      { id: "custom.cellOptions", value: { type: "color-text" } },
    ])
    .overrideByName("Last seen", [{ id: "unit", value: "dateTimeFromNow" }])
    .height(8)
    .span(12);
}

function jobsExecutingPerAccount(): timeseries.PanelBuilder {
  return timeSeries(
    "Jobs executing per account",
    "Agent jobs executing on each account, stacked so the top edge is the total. " +
      "A flat line at an account's job limit means it is saturated and new jobs queue; a gap means no successful poll in that time (see Exporter health).",
  )
    .withTarget(
      query("A", `sum by (account) (useapi_minimax_agent_jobs_executing{${ACCOUNT}})`).legendFormat(
        "{{account}}",
      ),
    )
    .unit("short")
    .decimals(0)
    .stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal))
    .fillOpacity(30)
    .height(9)
    .span(12);
}

function longestRunningJob(): timeseries.PanelBuilder {
  return (
    timeSeries(
      "Longest-running job per account",
      "Elapsed time of each account's longest-running agent job; 0 when the account is idle. The red line is useapi.net's 15-minute job expiry. " +
        "A line that keeps climbing towards it is a stuck job: useapi.net will expire it as failed, and until then it holds one of the account's job slots.",
    )
      .withTarget(
        query(
          "A",
          `max by (account) (useapi_minimax_agent_job_max_elapsed_seconds{${ACCOUNT}})`,
        ).legendFormat("{{account}}"),
      )
      .unit("s")
      .thresholds(
        thresholds([
          { value: null, color: "green" },
          { value: JOB_EXPIRY_SECONDS, color: "red" },
        ]),
      )
      .thresholdsStyle(
        new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Line),
      )
      // Keeps the expiry line in view while every job is short.
      .axisSoftMax(1000)
      .height(9)
      .span(12)
  );
}

function upstreamUp(): stat.PanelBuilder {
  return statPanel(
    "Upstream up",
    "Whether the exporter's last poll of the useapi.net API succeeded (the lowest value over the selected instances). " +
      "DOWN: see Poll outcomes per second for the reason (unauthorized: replace the API token; rate_limited: lengthen --poll.interval; timeout, network or server_error: check useapi.net's status and the exporter's network). No data: Prometheus does not scrape the exporter.",
  )
    .withTarget(query("A", `min(useapi_minimax_up{${TARGET}})`))
    .mappings([
      {
        type: dashboard.MappingType.ValueToText,
        options: {
          "0": { text: "DOWN", color: "red", index: 1 },
          "1": { text: "UP", color: "green", index: 0 },
        },
      },
    ])
    .thresholds(
      thresholds([
        { value: null, color: "red" },
        { value: 1, color: "green" },
      ]),
    )
    .colorMode(common.BigValueColorMode.Background)
    .graphMode(common.BigValueGraphMode.None)
    .height(8)
    .span(6);
}

function lastPollAge(): stat.PanelBuilder {
  return statPanel(
    "Age of last successful poll",
    "Time since the exporter's last successful poll of useapi.net (the newest over the selected instances); it should stay near the poll interval. " +
      "Orange after a minute, red after 5 minutes, when the UseapiMinimaxDataStale alert starts to count: the per-account values are old or gone. A huge value means no poll has ever succeeded. Check Upstream up and Poll outcomes per second.",
  )
    .withTarget(
      query("A", `time() - max(useapi_minimax_last_poll_success_timestamp_seconds{${TARGET}})`),
    )
    .unit("s")
    .thresholds(
      thresholds([
        { value: null, color: "green" },
        { value: 60, color: "orange" },
        { value: DATA_STALE_SECONDS, color: "red" },
      ]),
    )
    .colorMode(common.BigValueColorMode.Background)
    .graphMode(common.BigValueGraphMode.None)
    .height(8)
    .span(6);
}

function pollOutcomes(): timeseries.PanelBuilder {
  return timeSeries(
    "Poll outcomes per second",
    "Polls of the useapi.net API per second by outcome. Normally only success, at one poll per interval. " +
      "unauthorized: the API token is invalid or revoked; rate_limited: poll less often; timeout, network, server_error: useapi.net or the network is failing; invalid_json, invalid_payload, too_large: the API answer changed (check the exporter's logs and --useapi.max-response-bytes).",
  )
    .withTarget(
      query(
        "A",
        `sum by (outcome) (rate(useapi_minimax_polls_total{${TARGET}}[$__rate_interval]))`,
      ).legendFormat("{{outcome}}"),
    )
    .unit("reqps")
    .overrideByName("success", [
      { id: "color", value: { mode: dashboard.FieldColorModeId.Fixed, fixedColor: "green" } },
    ])
    .height(8)
    .span(12);
}

function pollDuration(): timeseries.PanelBuilder {
  const quantile = (refId: string, q: string, legendFormat: string): prometheus.DataqueryBuilder =>
    query(
      refId,
      `histogram_quantile(${q}, sum by (le) (rate(useapi_minimax_poll_duration_seconds_bucket{${TARGET}}[$__rate_interval])))`,
    ).legendFormat(legendFormat);
  return timeSeries(
    "Poll duration quantiles",
    "Median, 90th and 99th percentile duration of the exporter's polls of useapi.net, whatever their outcome. " +
      "Quantiles close to --poll.timeout mean polls are timing out: the upstream is slow or the network is poor; raise the timeout (it must stay below --poll.interval) or investigate the upstream.",
  )
    .targets([
      quantile("A", "0.5", "p50"),
      quantile("B", "0.9", "p90"),
      quantile("C", "0.99", "p99"),
    ])
    .unit("s")
    .height(8)
    .span(12);
}

function payloadAnomalies(): timeseries.PanelBuilder {
  return timeSeries(
    "Payload anomalies",
    "Inconsistencies the exporter tolerated in otherwise valid useapi.net answers, by kind (polls in which each occurred). Normally empty. " +
      "A steady stream means the upstream's answer changed shape or disagrees with itself: the per-account values may be off; see the README's anomaly kinds and the exporter's debug logs.",
  )
    .withTarget(
      query(
        "A",
        `sum by (kind) (increase(useapi_minimax_payload_anomalies_total{${TARGET}}[$__rate_interval]))`,
      ).legendFormat("{{kind}}"),
    )
    .unit("short")
    .drawStyle(common.GraphDrawStyle.Bars)
    .fillOpacity(60)
    .height(8)
    .span(12);
}

function queryVariable(name: string, label: string, expr: string): dashboard.QueryVariableBuilder {
  return new dashboard.QueryVariableBuilder(name)
    .label(label)
    .datasource(DATASOURCE)
    .query(expr)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue(".*")
    .current({ selected: true, text: ["All"], value: ["$__all"] });
}

/** Gives every panel, rows included, a unique id in layout order. */
function numberPanels(model: dashboard.Dashboard): void {
  let id = 0;
  for (const panel of model.panels ?? []) {
    panel.id = ++id;
    for (const inner of "panels" in panel ? panel.panels : []) inner.id = ++id;
  }
}

/** The dashboard's JSON model, as Grafana imports it. */
export function buildDashboard(): object {
  const builder = new dashboard.DashboardBuilder("useapi.net MiniMax")
    .uid(DASHBOARD_UID)
    .description("MiniMax agent jobs per useapi.net account, and the health of the exporter.")
    .tags(["useapi", "minimax", "prometheus-exporter"])
    .editable()
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .refresh("30s")
    .time({ from: "now-6h", to: "now" })
    .timezone("browser")
    .withVariable(
      new dashboard.DatasourceVariableBuilder("datasource").label("Data source").type("prometheus"),
    )
    .withVariable(queryVariable("job", "Job", "label_values(useapi_minimax_up, job)"))
    .withVariable(
      queryVariable(
        "instance",
        "Instance",
        'label_values(useapi_minimax_up{job=~"$job"}, instance)',
      ),
    )
    .withVariable(
      queryVariable(
        "account",
        "Account",
        `label_values(useapi_minimax_agent_jobs_executing{${TARGET}}, account)`,
      ),
    )
    .withPanel(jobsExecutingNow())
    .withPanel(accountsConfigured())
    .withPanel(perAccountSummary())
    .withPanel(jobsExecutingPerAccount())
    .withPanel(longestRunningJob())
    // An expanded row holds no panels itself: Grafana gives it the panels that follow it.
    .withRow(new dashboard.RowBuilder("Exporter health"))
    .withPanel(upstreamUp())
    .withPanel(lastPollAge())
    .withPanel(pollOutcomes())
    .withPanel(pollDuration())
    .withPanel(payloadAnomalies());
  const model = builder.build();
  numberPanels(model);
  // A plain JSON value: drops the SDK's marker methods and undefined fields.
  return JSON.parse(JSON.stringify(model)) as object;
}

/**
 * The text of grafana/dashboard.json: 2-space JSON laid out as the repository's prettier lays it
 * out, so that the generated file passes `prettier --check`.
 */
export async function serializeDashboard(model: object): Promise<string> {
  const options = await resolveConfig(fileURLToPath(import.meta.url));
  return format(JSON.stringify(model, null, 2), { ...options, parser: "json" });
}

export interface DashboardQuery {
  panel: string;
  expr: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const records = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value) ? value.filter(isRecord) : [];

/** Every panel of a dashboard model, the panels of collapsed rows included. */
export function dashboardPanels(model: object): Record<string, unknown>[] {
  return records((model as Record<string, unknown>)["panels"]).flatMap((panel) => [
    panel,
    ...records(panel["panels"]),
  ]);
}

/** Every PromQL expression of a dashboard model, with the title of its panel. */
export function dashboardQueries(model: object): DashboardQuery[] {
  return dashboardPanels(model).flatMap((panel) =>
    records(panel["targets"]).flatMap((target) => {
      const expr = target["expr"];
      return typeof expr === "string"
        ? [{ panel: typeof panel["title"] === "string" ? panel["title"] : "", expr }]
        : [];
    }),
  );
}
