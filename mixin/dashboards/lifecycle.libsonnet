// The "Job lifecycle and capacity" row: saturation, sessions, jobs started and finished, failures, durations.
local w = import '../wording.libsonnet';
local filters = import 'filters.libsonnet';
local p = import 'panels.libsonnet';

function(config)
  local f = filters(config);
  [
    p.row('Job lifecycle and capacity'),

    p.timeSeries(
      'Saturation per account',
      'Jobs executing on each account divided by the jobs it may run at once (maxJobs from GET /v1/minimax/accounts, refreshed every 5 minutes), as the recording rule account:useapi_minimax_agent_jobs_executing_per_max_jobs:ratio computes it. The red line is %s (UseapiMinimaxAccountSaturated); at 100%% every job slot is taken and useapi.net answers new jobs with 429 until one finishes. ' % w.percent(config.saturationRatio) +
      "A line that stays on it is what UseapiMinimaxAccountSaturated alerts on: spread work over more accounts or raise the account's limit. No line for an account means its maxJobs is unknown: check Upstream endpoints up by source (accounts).",
      [p.target('A', 'max by (account) (account:useapi_minimax_agent_jobs_executing_per_max_jobs:ratio{%s})' % f.account, '{{account}}')],
    ) + p.unit('percentunit')
    + p.thresholds([p.step(null, 'green'), p.step(config.saturationRatio, 'red')])
    + p.thresholdLine
    // Keeps the saturation line in view while the accounts are idle.
    + p.custom({ axisSoftMax: config.saturationRatio })
    + p.size(12, 8),

    p.barGauge(
      'Session expiry per account',
      "Days left before each account's MiniMax session (jwt.exp from GET /v1/minimax/accounts) expires; after it the account stops working until it is reconfigured at useapi.net. " +
      "Orange under %s (UseapiMinimaxSessionExpiringSoon), red once expired (UseapiMinimaxSessionExpired): renew the account's MiniMax login and update its configuration at useapi.net before it runs out. An account without a bar reported no expiry." % w.duration(config.sessionExpiryWarningSeconds),
      [p.instant('A', '(max by (account) (useapi_minimax_account_session_expiry_timestamp_seconds{%s}) - time()) / 86400' % f.account, '{{account}}')],
    ) + p.unit('d') + p.decimals(1) + p.defaults({ min: 0 })
    // Red from the expiry (0 days left, as UseapiMinimaxSessionExpired compares), orange within the warning.
    + p.thresholds([p.step(null, 'red'), p.step(0, 'orange'), p.step(config.sessionExpiryWarningSeconds / 86400, 'green')])
    + p.size(12, 8),

    p.timeSeries(
      'Jobs started and finished per minute',
      'Agent jobs per minute that appeared in the running list (started) and that left it, by final status (completed, failed, or unknown when their status could not be read), over the selected accounts, averaged over 5 minutes (the rate5m recording rules). ' +
      'Over time started and finished should match: finished lagging behind means jobs pile up (see Saturation per account); a rise of failed means useapi.net or MiniMax rejects or expires jobs (see Failure ratio); a rise of unknown means job status lookups fail (see Upstream endpoints up by source, job_status).',
      [
        p.target('A', 'sum(account:useapi_minimax_agent_jobs_started:rate5m{%s}) * 60' % f.account, 'started'),
        p.target('B', 'sum by (status) (account_status:useapi_minimax_agent_jobs_finished:rate5m{%s}) * 60' % f.account, '{{status}}'),
      ],
    ) + p.unit('short')
    + p.override('started', [p.fixedColor('blue')])
    + p.override('completed', [p.fixedColor('green')])
    + p.override('failed', [p.fixedColor('red')])
    + p.override('unknown', [p.fixedColor('text')])
    + p.size(12, 8),

    p.timeSeries(
      'Failure ratio',
      "Share of each account's agent jobs that finished failed among those that finished completed or failed over the last hour (the recording rule account:useapi_minimax_agent_jobs_failed_per_completed_or_failed:ratio_increase1h; jobs of unknown status are left out). No line means no job finished in the past hour. The red line is the %s of UseapiMinimaxJobFailureRatioHigh, which compares the same ratio and also needs at least %s such jobs in the hour. " % [w.percent(config.failureRatio), config.failureRatioMinJobs] +
      "If it stays high: look the failed jobs up with GET /v1/minimax/agent/{jobId} for their error (timeouts, moderation, credits), check the accounts' errors and sessions, and useapi.net's status.",
      [p.target('A', 'max by (account) (account:useapi_minimax_agent_jobs_failed_per_completed_or_failed:ratio_increase1h{%s})' % f.account, '{{account}}')],
    ) + p.unit('percentunit') + p.defaults({ min: 0, max: 1 })
    + p.thresholds([p.step(null, 'green'), p.step(config.failureRatio, 'red')])
    + p.thresholdLine
    + p.size(12, 8),

    local quantile(refId, q, name) = p.target(
      refId,
      'histogram_quantile(%s, sum by (account, le) (rate(useapi_minimax_agent_job_duration_seconds_bucket{%s}[$__rate_interval])))' % [q, f.account],
      name + ' {{account}}',
    );
    p.timeSeries(
      'Job duration p50/p90/p99 per account',
      "Median, 90th and 99th percentile run time of the agent jobs that finished on each account (the elapsed time last seen before they left the running list, so up to one poll interval short), estimated from histogram buckets between 20 s and 15 minutes. The red line is useapi.net's %s job expiry. " % w.durationBefore(config.jobExpirySeconds) +
      "Gaps mean no job finished in that time. Quantiles climbing towards the expiry mean jobs are slow or stuck and will be expired as failed: check the Longest-running job panel, the failure ratio and the prompts' complexity.",
      [quantile('A', '0.5', 'p50'), quantile('B', '0.9', 'p90'), quantile('C', '0.99', 'p99')],
    ) + p.unit('s')
    + p.thresholds([p.step(null, 'green'), p.step(config.jobExpirySeconds, 'red')])
    + p.thresholdLine
    + p.size(24, 9),
  ]
