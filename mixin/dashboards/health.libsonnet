// The "Exporter health" row: whether the exporters poll useapi.net, and how well.
local w = import '../wording.libsonnet';
local filters = import 'filters.libsonnet';
local p = import 'panels.libsonnet';

function(config)
  local f = filters(config);
  // No alert: the age of the last poll turns orange well before the data counts as stale.
  local pollAgeWarningSeconds = std.min(60, config.dataStaleSeconds / 2);
  local pollAgeSteps = [p.step(null, 'green'), p.step(pollAgeWarningSeconds, 'orange'), p.step(config.dataStaleSeconds, 'red')];
  local upDownCells = [{ id: 'mappings', value: p.upDownMappings }, { id: 'custom.cellOptions', value: { type: 'color-text' } }];
  [
    p.row('Exporter health'),

    p.stat(
      'Upstream up',
      "Whether the exporter's last poll of the useapi.net API succeeded (the lowest value over the selected instances). " +
      "DOWN: see Poll outcomes per second for the reason (unauthorized: replace the API token; rate_limited: lengthen --poll.interval; timeout, network or server_error: check useapi.net's status and the exporter's network). No data: Prometheus does not scrape the exporter.",
      [p.target('A', 'min(useapi_minimax_up{%s})' % f.target)],
    ) + p.upDown
    + p.thresholds([p.step(null, 'red'), p.step(1, 'green')])
    + p.options({ colorMode: 'background', graphMode: 'none' })
    + p.size(6, 8),

    p.stat(
      'Age of last successful poll',
      "Time since the exporter's last successful poll of useapi.net (the newest over the selected instances); it should stay near the poll interval. " +
      'Orange after %s, red after %s, when the UseapiMinimaxDataStale alert starts to count: the per-account values are old or gone. While no poll has succeeded since the exporter started, the age counts from its start, as in the alert. Check Upstream up and Poll outcomes per second.' % [w.duration(pollAgeWarningSeconds), w.duration(config.dataStaleSeconds)],
      [p.target('A', '(time() - max(useapi_minimax_source_last_success_timestamp_seconds{source="jobs", %(t)s})) or (time() - max(process_start_time_seconds{%(t)s} and on (job, instance) useapi_minimax_up{%(t)s}))' % { t: f.target })],
    ) + p.unit('s')
    + p.thresholds(pollAgeSteps)
    + p.options({ colorMode: 'background', graphMode: 'none' })
    + p.size(6, 8),

    p.stateTimeline(
      'Upstream endpoints up by source',
      'Whether the last request to each upstream endpoint succeeded, over time (the lowest value over the selected instances): jobs is GET /v1/minimax/agent/jobs, accounts is GET /v1/minimax/accounts (every 5 minutes), job_status is GET /v1/minimax/agent/{jobId}, scheduler is GET /v1/minimax/scheduler/available. ' +
      'DOWN on every source: the token, the network or useapi.net is failing (see Poll outcomes per second). DOWN on accounts only: maxJobs and session expiry are not refreshed (Saturation and Session expiry keep their last values). DOWN on job_status only: finished jobs are counted as unknown. DOWN on scheduler only: the generation panels keep their last values. useapi_minimax_source_requests_total by outcome tells why.',
      [p.target('A', 'min by (source) (useapi_minimax_source_up{%s})' % f.target, '{{source}}')],
    ) + p.upDown
    + p.thresholds([p.step(null, 'red'), p.step(1, 'green')])
    + p.size(12, 8),

    p.table(
      'Exporters',
      'One row per exporter (job and instance): its version (useapi_minimax_exporter_build_info), whether Prometheus scrapes it (up), whether its last poll of useapi.net succeeded (useapi_minimax_up) and the age of its last successful poll. ' +
      'Click an instance to open its landing page (%s://instance/: poll status, accounts, /metrics) or its runbook (/runbook). Orange after %s, red after %s (UseapiMinimaxDataStale).' % [config.exporterScheme, w.duration(pollAgeWarningSeconds), w.duration(config.dataStaleSeconds)],
      [
        p.tableQuery('A', 'max by (job, instance, version) (useapi_minimax_exporter_build_info{%s})' % f.target),
        p.tableQuery('B', 'max by (job, instance) (up{%s})' % f.target),
        p.tableQuery('C', 'max by (job, instance) (useapi_minimax_up{%s})' % f.target),
        p.tableQuery('D', 'time() - max by (job, instance) (useapi_minimax_source_last_success_timestamp_seconds{source="jobs", %s})' % f.target),
      ],
    ) + {
      transformations: [
        { id: 'merge', options: {} },
        {
          id: 'organize',
          options: {
            excludeByName: { Time: true, 'Value #A': true },
            indexByName: { job: 0, instance: 1, version: 2, 'Value #B': 3, 'Value #C': 4, 'Value #D': 5 },
            renameByName: { job: 'Job', instance: 'Instance', version: 'Version', 'Value #B': 'Scraped', 'Value #C': 'Upstream', 'Value #D': 'Last successful poll' },
          },
        },
      ],
    } + p.options({ sortBy: [{ displayName: 'Instance', desc: false }] })
    + p.override('Instance', [{
      id: 'links',
      value: [
        { title: 'Landing page of ${__value.raw}', url: '%s://${__value.raw}/' % config.exporterScheme, targetBlank: true },
        { title: 'Runbook of ${__value.raw}', url: '%s://${__value.raw}/runbook' % config.exporterScheme, targetBlank: true },
      ],
    }])
    + p.override('Scraped', upDownCells)
    + p.override('Upstream', upDownCells)
    + p.override('Last successful poll', [
      { id: 'unit', value: 's' },
      { id: 'thresholds', value: { mode: 'absolute', steps: pollAgeSteps } },
      { id: 'custom.cellOptions', value: { type: 'color-text' } },
    ])
    + p.size(12, 8),

    p.timeSeries(
      'Poll outcomes per second',
      'Polls of the useapi.net jobs list per second by outcome. Normally only success, at one poll per interval. ' +
      "unauthorized: the API token is invalid or revoked; rate_limited: poll less often; timeout, network, server_error: useapi.net or the network is failing; invalid_json, invalid_payload, too_large: the API answer changed (check the exporter's logs and --useapi.max-response-bytes); limit_exceeded: the answer lists more accounts or jobs than --useapi.max-accounts or --useapi.max-jobs allow.",
      [p.target('A', 'sum by (outcome) (rate(useapi_minimax_source_requests_total{source="jobs", %s}[$__rate_interval]))' % f.target, '{{outcome}}')],
    ) + p.unit('reqps')
    + p.override('success', [p.fixedColor('green')])
    + p.size(12, 8),

    local quantile(refId, q, name) = p.target(
      refId,
      'histogram_quantile(%s, sum by (le) (rate(useapi_minimax_source_duration_seconds_bucket{source="jobs", %s}[$__rate_interval])))' % [q, f.target],
      name,
    );
    p.timeSeries(
      'Poll duration quantiles',
      "Median, 90th and 99th percentile duration of the exporter's polls of the useapi.net jobs list, whatever their outcome. " +
      'Quantiles close to --poll.timeout mean polls are timing out: the upstream is slow or the network is poor; raise the timeout (it must stay below --poll.interval) or investigate the upstream.',
      [quantile('A', '0.5', 'p50'), quantile('B', '0.9', 'p90'), quantile('C', '0.99', 'p99')],
    ) + p.unit('s') + p.size(12, 8),

    p.timeSeries(
      'Payload anomalies',
      'Inconsistencies the exporter tolerated in otherwise valid useapi.net answers, by kind (polls in which each occurred). Normally empty. ' +
      "A steady stream means the upstream's answer changed shape or disagrees with itself: the per-account values may be off; see the README's anomaly kinds and the exporter's debug logs.",
      [p.target('A', 'sum by (kind) (increase(useapi_minimax_payload_anomalies_total{%s}[$__rate_interval]))' % f.target, '{{kind}}')],
    ) + p.unit('short') + p.custom({ drawStyle: 'bars', fillOpacity: 60 }) + p.size(12, 8),
  ]
