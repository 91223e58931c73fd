import * as bargauge from "@grafana/grafana-foundation-sdk/bargauge";
import * as common from "@grafana/grafana-foundation-sdk/common";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as statetimeline from "@grafana/grafana-foundation-sdk/statetimeline";
import * as table from "@grafana/grafana-foundation-sdk/table";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import { fileURLToPath } from "node:url";
import { format, resolveConfig } from "prettier";
import { ALERT_THRESHOLDS } from "./alert-thresholds.js";

export const DASHBOARD_UID = "useapi-minimax-exporter";

/** Every panel and query uses the data source picked in the `datasource` variable. */
const DATASOURCE: dashboard.DataSourceRef = { type: "prometheus", uid: "${datasource}" };

const JOB_NEAR_EXPIRY_SECONDS = ALERT_THRESHOLDS.jobNearExpirySeconds.value;
const JOB_EXPIRY_SECONDS = ALERT_THRESHOLDS.jobExpirySeconds.value;
const DATA_STALE_SECONDS = ALERT_THRESHOLDS.dataStaleSeconds.value;
const SATURATION_RATIO = ALERT_THRESHOLDS.saturationRatio.value;
const FAILURE_RATIO = ALERT_THRESHOLDS.failureRatio.value;
const GENERATION_RUNNING_LONG_SECONDS = ALERT_THRESHOLDS.generationRunningLongSeconds.value;
/** No alert: the age of the last poll turns orange well before the data counts as stale. */
const POLL_AGE_WARNING_SECONDS = 60;
const SECONDS_PER_DAY = 86_400;
const SESSION_EXPIRED_DAYS = ALERT_THRESHOLDS.sessionExpiredSeconds.value / SECONDS_PER_DAY;
const SESSION_EXPIRY_WARNING_DAYS =
  ALERT_THRESHOLDS.sessionExpiringSoonSeconds.value / SECONDS_PER_DAY;

/** "15 minutes" for 900 seconds; "15-minute" as an adjective. */
const minutes = (seconds: number): string => `${seconds / 60} minutes`;
const minute = (seconds: number): string => `${seconds / 60}-minute`;
const percent = (ratio: number): string => `${ratio * 100}%`;

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

const thresholdLine = (): common.GraphThresholdsStyleConfigBuilder =>
  new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Line);

const fixedColor = (color: string): dashboard.DynamicConfigValue => ({
  id: "color",
  value: { mode: dashboard.FieldColorModeId.Fixed, fixedColor: color },
});

/** Maps a 0/1 up value to DOWN and UP. */
const UP_DOWN: dashboard.ValueMapping[] = [
  {
    type: dashboard.MappingType.ValueToText,
    options: {
      "0": { text: "DOWN", color: "red", index: 1 },
      "1": { text: "UP", color: "green", index: 0 },
    },
  },
];

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
        `A longest job near ${minutes(JOB_EXPIRY_SECONDS)} will be expired by useapi.net; a Last seen that lags behind means the account left the upstream answer or the data went stale (see Exporter health).`,
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
      `Elapsed time of each account's longest-running agent job; 0 when the account is idle. The red line is useapi.net's ${minute(JOB_EXPIRY_SECONDS)} job expiry. ` +
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
      .thresholdsStyle(thresholdLine())
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
    .mappings(UP_DOWN)
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
      `Orange after a minute, red after ${minutes(DATA_STALE_SECONDS)}, when the UseapiMinimaxDataStale alert starts to count: the per-account values are old or gone. While no poll has succeeded since the exporter started, the age counts from its start, as in the alert. Check Upstream up and Poll outcomes per second.`,
  )
    .withTarget(
      query(
        "A",
        `(time() - max(useapi_minimax_source_last_success_timestamp_seconds{source="jobs", ${TARGET}})) or (time() - max(process_start_time_seconds{${TARGET}} and on (job, instance) useapi_minimax_up{${TARGET}}))`,
      ),
    )
    .unit("s")
    .thresholds(
      thresholds([
        { value: null, color: "green" },
        { value: POLL_AGE_WARNING_SECONDS, color: "orange" },
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
    "Polls of the useapi.net jobs list per second by outcome. Normally only success, at one poll per interval. " +
      "unauthorized: the API token is invalid or revoked; rate_limited: poll less often; timeout, network, server_error: useapi.net or the network is failing; invalid_json, invalid_payload, too_large: the API answer changed (check the exporter's logs and --useapi.max-response-bytes); limit_exceeded: the answer lists more accounts or jobs than --useapi.max-accounts or --useapi.max-jobs allow.",
  )
    .withTarget(
      query(
        "A",
        `sum by (outcome) (rate(useapi_minimax_source_requests_total{source="jobs", ${TARGET}}[$__rate_interval]))`,
      ).legendFormat("{{outcome}}"),
    )
    .unit("reqps")
    .overrideByName("success", [fixedColor("green")])
    .height(8)
    .span(12);
}

function pollDuration(): timeseries.PanelBuilder {
  const quantile = (refId: string, q: string, legendFormat: string): prometheus.DataqueryBuilder =>
    query(
      refId,
      `histogram_quantile(${q}, sum by (le) (rate(useapi_minimax_source_duration_seconds_bucket{source="jobs", ${TARGET}}[$__rate_interval])))`,
    ).legendFormat(legendFormat);
  return timeSeries(
    "Poll duration quantiles",
    "Median, 90th and 99th percentile duration of the exporter's polls of the useapi.net jobs list, whatever their outcome. " +
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

function saturation(): timeseries.PanelBuilder {
  return (
    timeSeries(
      "Saturation per account",
      `Jobs executing on each account divided by the jobs it may run at once (maxJobs from GET /v1/minimax/accounts, refreshed every 5 minutes). The red line is ${percent(SATURATION_RATIO)}: every job slot is taken and useapi.net answers new jobs with 429 until one finishes. ` +
        "A line that stays on it is what UseapiMinimaxAccountSaturated alerts on: spread work over more accounts or raise the account's limit. No line for an account means its maxJobs is unknown: check Upstream endpoints up by source (accounts).",
    )
      .withTarget(
        query(
          "A",
          `max by (account) (useapi_minimax_agent_jobs_executing{${ACCOUNT}}) / max by (account) (useapi_minimax_account_max_jobs{${ACCOUNT}})`,
        ).legendFormat("{{account}}"),
      )
      .unit("percentunit")
      .thresholds(
        thresholds([
          { value: null, color: "green" },
          { value: SATURATION_RATIO, color: "red" },
        ]),
      )
      .thresholdsStyle(thresholdLine())
      // Keeps the 100% line in view while the accounts are idle.
      .axisSoftMax(SATURATION_RATIO)
      .height(8)
      .span(12)
  );
}

function sessionExpiry(): bargauge.PanelBuilder {
  return new bargauge.PanelBuilder()
    .title("Session expiry per account")
    .description(
      "Days left before each account's MiniMax session (jwt.exp from GET /v1/minimax/accounts) expires; after it the account stops working until it is reconfigured at useapi.net. " +
        `Orange under ${SESSION_EXPIRY_WARNING_DAYS} days (UseapiMinimaxSessionExpiringSoon), red once expired (UseapiMinimaxSessionExpired): renew the account's MiniMax login and update its configuration at useapi.net before it runs out. An account without a bar reported no expiry.`,
    )
    .datasource(DATASOURCE)
    .withTarget(
      query(
        "A",
        `(max by (account) (useapi_minimax_account_session_expiry_timestamp_seconds{${ACCOUNT}}) - time()) / ${SECONDS_PER_DAY}`,
      )
        .instant()
        .legendFormat("{{account}}"),
    )
    .reduceOptions(lastValue())
    .orientation(common.VizOrientation.Horizontal)
    .displayMode(common.BarGaugeDisplayMode.Basic)
    .valueMode(common.BarGaugeValueMode.Color)
    .showUnfilled(true)
    .unit("d")
    .decimals(1)
    .min(0)
    .thresholds(
      thresholds([
        { value: null, color: "red" },
        { value: SESSION_EXPIRED_DAYS, color: "orange" },
        { value: SESSION_EXPIRY_WARNING_DAYS, color: "green" },
      ]),
    )
    .height(8)
    .span(12);
}

function jobsStartedFinished(): timeseries.PanelBuilder {
  return timeSeries(
    "Jobs started and finished per minute",
    "Agent jobs per minute that appeared in the running list (started) and that left it, by final status (completed, failed, or unknown when their status could not be read), over the selected accounts. " +
      "Over time started and finished should match: finished lagging behind means jobs pile up (see Saturation per account); a rise of failed means useapi.net or MiniMax rejects or expires jobs (see Failure ratio); a rise of unknown means job status lookups fail (see Upstream endpoints up by source, job_status).",
  )
    .targets([
      query(
        "A",
        `sum(rate(useapi_minimax_agent_jobs_started_total{${ACCOUNT}}[$__rate_interval])) * 60`,
      ).legendFormat("started"),
      query(
        "B",
        `sum by (status) (rate(useapi_minimax_agent_jobs_finished_total{${ACCOUNT}}[$__rate_interval])) * 60`,
      ).legendFormat("{{status}}"),
    ])
    .unit("short")
    .overrideByName("started", [fixedColor("blue")])
    .overrideByName("completed", [fixedColor("green")])
    .overrideByName("failed", [fixedColor("red")])
    .overrideByName("unknown", [fixedColor("text")])
    .height(8)
    .span(12);
}

function failureRatio(): timeseries.PanelBuilder {
  return timeSeries(
    "Failure ratio",
    `Share of the agent jobs that finished failed among those that finished completed or failed, over the selected accounts (jobs of unknown status are left out). Gaps mean no job finished in that time. The red line is the ${percent(FAILURE_RATIO)} of UseapiMinimaxJobFailureRatioHigh, which looks at a whole hour per account. ` +
      "If it stays high: look the failed jobs up with GET /v1/minimax/agent/{jobId} for their error (timeouts, moderation, credits), check the accounts' errors and sessions, and useapi.net's status.",
  )
    .withTarget(
      query(
        "A",
        `sum(rate(useapi_minimax_agent_jobs_finished_total{${ACCOUNT}, status="failed"}[$__rate_interval])) / sum(rate(useapi_minimax_agent_jobs_finished_total{${ACCOUNT}, status=~"completed|failed"}[$__rate_interval]))`,
      ).legendFormat("failed"),
    )
    .unit("percentunit")
    .min(0)
    .max(1)
    .thresholds(
      thresholds([
        { value: null, color: "green" },
        { value: FAILURE_RATIO, color: "red" },
      ]),
    )
    .thresholdsStyle(thresholdLine())
    .overrideByName("failed", [fixedColor("red")])
    .height(8)
    .span(12);
}

function jobDuration(): timeseries.PanelBuilder {
  const quantile = (refId: string, q: string, name: string): prometheus.DataqueryBuilder =>
    query(
      refId,
      `histogram_quantile(${q}, sum by (account, le) (rate(useapi_minimax_agent_job_duration_seconds_bucket{${ACCOUNT}}[$__rate_interval])))`,
    ).legendFormat(`${name} {{account}}`);
  return timeSeries(
    "Job duration p50/p90/p99 per account",
    `Median, 90th and 99th percentile run time of the agent jobs that finished on each account (the elapsed time last seen before they left the running list, so up to one poll interval short), estimated from histogram buckets between 20 s and 15 minutes. The red line is useapi.net's ${minute(JOB_EXPIRY_SECONDS)} job expiry. ` +
      "Gaps mean no job finished in that time. Quantiles climbing towards the expiry mean jobs are slow or stuck and will be expired as failed: check the Longest-running job panel, the failure ratio and the prompts' complexity.",
  )
    .targets([
      quantile("A", "0.5", "p50"),
      quantile("B", "0.9", "p90"),
      quantile("C", "0.99", "p99"),
    ])
    .unit("s")
    .thresholds(
      thresholds([
        { value: null, color: "green" },
        { value: JOB_EXPIRY_SECONDS, color: "red" },
      ]),
    )
    .thresholdsStyle(thresholdLine())
    .height(9)
    .span(24);
}

function generationsRunning(): timeseries.PanelBuilder {
  return timeSeries(
    "Generations running per account and type",
    "Video and image generations running on each account (GET /v1/minimax/scheduler/available), stacked so the top edge is the total. " +
      "Videos flat at an account's video slots mean it is full (see Video slots used and free); a gap means no successful poll of the scheduler in that time (see Upstream endpoints up by source, scheduler).",
  )
    .withTarget(
      query(
        "A",
        `sum by (account, type) (useapi_minimax_generations_executing{${ACCOUNT}})`,
      ).legendFormat("{{account}} {{type}}"),
    )
    .unit("short")
    .decimals(0)
    .stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal))
    .fillOpacity(30)
    .height(8)
    .span(12);
}

function longestRunningGeneration(): timeseries.PanelBuilder {
  return timeSeries(
    "Longest-running generation per account",
    `Elapsed time of each account's longest-running video and image generation; 0 when idle. No expiry is documented for generations: the red line is the ${minutes(GENERATION_RUNNING_LONG_SECONDS)} of UseapiMinimaxGenerationRunningLong. ` +
      "A line that keeps climbing past it is a stuck generation that may hold a video slot: check it in GET /v1/minimax/scheduler/.",
  )
    .withTarget(
      query(
        "A",
        `max by (account, type) (useapi_minimax_generation_max_elapsed_seconds{${ACCOUNT}})`,
      ).legendFormat("{{account}} {{type}}"),
    )
    .unit("s")
    .thresholds(
      thresholds([
        { value: null, color: "green" },
        { value: GENERATION_RUNNING_LONG_SECONDS, color: "red" },
      ]),
    )
    .thresholdsStyle(thresholdLine())
    .height(8)
    .span(12);
}

function videoSlots(): timeseries.PanelBuilder {
  return timeSeries(
    "Video slots used and free per account",
    "Each account's video slots (maxJobs of the scheduler) in use and free. Image generations take no video slot. " +
      "Free at 0 for long means new videos wait or are refused (UseapiMinimaxVideoSlotsExhausted fires after 15 minutes): spread work over other accounts or look for stuck generations.",
  )
    .targets([
      query(
        "A",
        `sum by (account) (useapi_minimax_video_slots{${ACCOUNT}}) - sum by (account) (useapi_minimax_video_slots_available{${ACCOUNT}})`,
      ).legendFormat("used {{account}}"),
      query(
        "B",
        `sum by (account) (useapi_minimax_video_slots_available{${ACCOUNT}})`,
      ).legendFormat("free {{account}}"),
    ])
    .unit("short")
    .decimals(0)
    .height(8)
    .span(12);
}

function generationsStartedFinished(): timeseries.PanelBuilder {
  return timeSeries(
    "Generations started and finished per minute",
    "Video and image generations per minute that appeared in the scheduler's list (started) and that left it (finished), over the selected accounts. " +
      "Over time they should match: finished lagging behind means generations pile up (see Video slots used and free).",
  )
    .targets([
      query(
        "A",
        `sum by (type) (rate(useapi_minimax_generations_started_total{${ACCOUNT}}[$__rate_interval])) * 60`,
      ).legendFormat("started {{type}}"),
      query(
        "B",
        `sum by (type) (rate(useapi_minimax_generations_finished_total{${ACCOUNT}}[$__rate_interval])) * 60`,
      ).legendFormat("finished {{type}}"),
    ])
    .unit("short")
    .height(8)
    .span(12);
}

function generationDuration(): timeseries.PanelBuilder {
  const quantile = (refId: string, q: string, name: string): prometheus.DataqueryBuilder =>
    query(
      refId,
      `histogram_quantile(${q}, sum by (type, le) (rate(useapi_minimax_generation_duration_seconds_bucket{${ACCOUNT}}[$__rate_interval])))`,
    ).legendFormat(`${name} {{type}}`);
  return timeSeries(
    "Generation duration p50/p90/p99 per type",
    "Median, 90th and 99th percentile run time of the video and image generations that finished over the selected accounts (the elapsed time last seen before they left the list, so up to one poll interval short), estimated from histogram buckets between 30 s and 30 minutes. " +
      "Gaps mean no generation finished in that time. Video quantiles climbing mean MiniMax is slow: expect the video slots to fill.",
  )
    .targets([
      quantile("A", "0.5", "p50"),
      quantile("B", "0.9", "p90"),
      quantile("C", "0.99", "p99"),
    ])
    .unit("s")
    .height(8)
    .span(24);
}

function sourcesUp(): statetimeline.PanelBuilder {
  return new statetimeline.PanelBuilder()
    .title("Upstream endpoints up by source")
    .description(
      "Whether the last request to each upstream endpoint succeeded, over time (the lowest value over the selected instances): jobs is GET /v1/minimax/agent/jobs, accounts is GET /v1/minimax/accounts (every 5 minutes), job_status is GET /v1/minimax/agent/{jobId}, scheduler is GET /v1/minimax/scheduler/available. " +
        "DOWN on every source: the token, the network or useapi.net is failing (see Poll outcomes per second). DOWN on accounts only: maxJobs and session expiry are not refreshed (Saturation and Session expiry keep their last values). DOWN on job_status only: finished jobs are counted as unknown. DOWN on scheduler only: the generation panels keep their last values. useapi_minimax_source_requests_total by outcome tells why.",
    )
    .datasource(DATASOURCE)
    .withTarget(
      query("A", `min by (source) (useapi_minimax_source_up{${TARGET}})`).legendFormat(
        "{{source}}",
      ),
    )
    .mappings(UP_DOWN)
    .thresholds(
      thresholds([
        { value: null, color: "red" },
        { value: 1, color: "green" },
      ]),
    )
    .showValue(common.VisibilityMode.Never)
    .mergeValues(true)
    .legend(legend())
    .tooltip(tooltip())
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
    .description(
      "MiniMax agent jobs per useapi.net account, their lifecycle and capacity, and the health of the exporter.",
    )
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
    .withRow(new dashboard.RowBuilder("Job lifecycle and capacity"))
    .withPanel(saturation())
    .withPanel(sessionExpiry())
    .withPanel(jobsStartedFinished())
    .withPanel(failureRatio())
    .withPanel(jobDuration())
    .withRow(new dashboard.RowBuilder("Video and image generations"))
    .withPanel(generationsRunning())
    .withPanel(longestRunningGeneration())
    .withPanel(videoSlots())
    .withPanel(generationsStartedFinished())
    .withPanel(generationDuration())
    .withRow(new dashboard.RowBuilder("Exporter health"))
    .withPanel(upstreamUp())
    .withPanel(lastPollAge())
    .withPanel(sourcesUp())
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
