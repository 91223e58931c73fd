// Alerts in the style of node_exporter's node-mixin: every alert has `for`, a `severity` label,
// `summary`, `description` and a `runbook_url` to its section of docs/runbook.md. Unit tests:
// prometheus/alerts.test.yml, run on the default render.
local w = import '../wording.libsonnet';

{
  local config = $._config,
  local s = config.selector,
  local alert(name, expr, forDuration, severity, summary, description) = {
    alert: name,
    expr: expr,
    'for': forDuration,
    labels: { severity: severity },
    // The exporter that is down cannot serve its own runbook: a published one, or none.
    local base = if name == 'UseapiMinimaxExporterDown' then config.runbookFallbackURL else config.runbookURL,
    annotations: {
      summary: summary,
      description: description,
    } + (if base == '' then {} else { runbook_url: '%s#%s' % [base, std.asciiLower(name)] }),
  },

  prometheusAlerts+:: {
    groups+: [{
      name: 'useapi-minimax',
      rules: [
        alert(
          'UseapiMinimaxExporterDown',
          'up{%s} == 0' % s,
          '5m',
          'critical',
          'The useapi.net MiniMax exporter cannot be scraped.',
          "Prometheus has failed to scrape the exporter at {{ $labels.instance }} (job {{ $labels.job }}) for several minutes; no MiniMax job or poll metrics are being collected from it. First steps: is the process or container running, and with what exit code (2: invalid configuration, named on its one stderr line; 1: it could not start, e.g. the address is in use)? Read its last log lines. Does it listen on the address Prometheus scrapes (the target error on Prometheus' Targets page: refused, timeout, 401 with basic auth, TLS)? Then check the network path (a firewall, a NetworkPolicy, a port published on 127.0.0.1 only).",
        ),
        alert(
          'UseapiMinimaxPollsFailing',
          'useapi_minimax_up{%s} == 0' % s,
          '10m',
          'warning',
          "The exporter's polls of the useapi.net API are failing.",
          'Every poll of the useapi.net MiniMax API by the exporter at {{ $labels.instance }} has failed for several minutes; it backs off and serves the last good per-account values until they go stale. useapi_minimax_source_requests_total{source="jobs"} by outcome shows why.',
        ),
        // Rejections within the window of the longest backoff (5m), while the last poll failed: a
        // single 401 followed by a success does not page, and the alert ends with the first success.
        alert(
          'UseapiMinimaxTokenRejected',
          |||
            increase(useapi_minimax_source_requests_total{source="jobs", outcome="unauthorized", %(s)s}[10m]) > 0
            and ignoring (source, outcome)
            useapi_minimax_up{%(s)s} == 0
          ||| % { s: s },
          '2m',
          'critical',
          "useapi.net rejects the exporter's API token.",
          'useapi.net answered {{ $value | printf "%.0f" }} polls by the exporter at {{ $labels.instance }} in the last 10 minutes with 401 or 403, and its last poll failed: the API token is invalid, revoked or lacks access.',
        ),
        // Polls of the jobs list only: the job status lookups are retried and may meet 429 often.
        alert(
          'UseapiMinimaxRateLimited',
          |||
            (
              sum without (outcome) (increase(useapi_minimax_source_requests_total{source="jobs", outcome="rate_limited", %(s)s}[15m]))
              /
              sum without (outcome) (increase(useapi_minimax_source_requests_total{source="jobs", %(s)s}[15m]))
            ) > %(ratio)s
          ||| % { s: s, ratio: w.number(config.rateLimitedRatio) },
          '15m',
          'warning',
          'useapi.net persistently rate-limits the exporter.',
          '{{ $value | humanizePercentage }} of the polls by the exporter at {{ $labels.instance }} in the last 15 minutes were answered 429 (rate limited); the per-account metrics have gaps.',
        ),
        // The timestamp appears with the first success: the second branch counts from the start of
        // an exporter (one with useapi_minimax_up) that has not succeeded since it started.
        alert(
          'UseapiMinimaxDataStale',
          |||
            time() - max without (source) (useapi_minimax_source_last_success_timestamp_seconds{source="jobs", %(s)s}) > %(stale)s
            or
            (
              time() - process_start_time_seconds{%(s)s} > %(stale)s
              and on (job, instance)
              useapi_minimax_up{%(s)s}
              unless on (job, instance)
              useapi_minimax_source_last_success_timestamp_seconds{source="jobs", %(s)s}
            )
          ||| % { s: s, stale: w.number(config.dataStaleSeconds) },
          '5m',
          'warning',
          "The exporter's MiniMax data is stale.",
          'The exporter at {{ $labels.instance }} has not completed a successful poll of the useapi.net API for {{ $value | humanizeDuration }}; its per-account job metrics are stale or absent, so the job expiry alerts cannot fire.',
        ),
        alert(
          'UseapiMinimaxJobNearExpiry',
          'useapi_minimax_agent_job_max_elapsed_seconds{%s} >= %s' % [s, w.number(config.jobNearExpirySeconds)],
          '1m',
          'warning',
          "A MiniMax agent job is close to useapi.net's job expiry.",
          'The longest-running agent job of MiniMax account {{ $labels.account }} (exporter {{ $labels.instance }}) has run for {{ $value | humanizeDuration }}; useapi.net will soon expire it as failed.',
        ),
        alert(
          'UseapiMinimaxJobPastExpiry',
          'useapi_minimax_agent_job_max_elapsed_seconds{%s} > %s' % [s, w.number(config.jobExpirySeconds)],
          '1m',
          'critical',
          "A MiniMax agent job runs past useapi.net's job expiry.",
          "The longest-running agent job of MiniMax account {{ $labels.account }} (exporter {{ $labels.instance }}) has run for {{ $value | humanizeDuration }}, past useapi.net's job expiry: it is stuck in the upstream and may hold one of the account's job slots.",
        ),
        // maxJobs comes from the accounts poll (every 5 minutes): a changed limit shows that late.
        alert(
          'UseapiMinimaxAccountSaturated',
          'account:useapi_minimax_agent_jobs_executing_per_max_jobs:ratio{%s} >= %s' % [s, w.number(config.saturationRatio)],
          '15m',
          'warning',
          if config.saturationRatio >= 1 then 'A MiniMax account runs as many jobs as it may.'
          else 'A MiniMax account uses %s or more of its job slots.' % w.percent(config.saturationRatio),
          'MiniMax account {{ $labels.account }} (exporter {{ $labels.instance }}) has been using {{ $value | humanizePercentage }} of its job slots (jobs executing / maxJobs) for several minutes; %suseapi.net answers its new jobs with 429 until one finishes.' % (
            if config.saturationRatio >= 1 then '' else 'at 100%% '
          ),
        ),
        alert(
          'UseapiMinimaxSessionExpiringSoon',
          |||
            useapi_minimax_account_session_expiry_timestamp_seconds{%(s)s} - time() < %(warning)s
            and
            useapi_minimax_account_session_expiry_timestamp_seconds{%(s)s} - time() > 0
          ||| % { s: s, warning: w.number(config.sessionExpiryWarningSeconds) },
          '1h',
          'warning',
          "A MiniMax account's session expires within %s." % (
            if config.sessionExpiryWarningSeconds == 604800 then 'a week'
            else w.duration(config.sessionExpiryWarningSeconds)
          ),
          'The MiniMax session of account {{ $labels.account }} (exporter {{ $labels.instance }}) expires in {{ $value | humanizeDuration }}; after that the account stops working until it is reconfigured at useapi.net.',
        ),
        alert(
          'UseapiMinimaxSessionExpired',
          'time() - useapi_minimax_account_session_expiry_timestamp_seconds{%s} >= 0' % s,
          '5m',
          'critical',
          "A MiniMax account's session has expired.",
          'The MiniMax session of account {{ $labels.account }} (exporter {{ $labels.instance }}) expired {{ $value | humanizeDuration }} ago; the account cannot run jobs until it is reconfigured at useapi.net.',
        ),
        alert(
          'UseapiMinimaxAccountError',
          'useapi_minimax_account_error{%s} == 1' % s,
          '10m',
          'warning',
          'useapi.net reports a MiniMax account in error.',
          'useapi.net has reported MiniMax account {{ $labels.account }} (exporter {{ $labels.instance }}) in error for several minutes (useapi_minimax_account_error = {{ $value }}); the account object of GET /v1/minimax/accounts carries the error.',
        ),
        // Jobs of unknown status (their lookup failed) count neither way.
        alert(
          'UseapiMinimaxJobFailureRatioHigh',
          |||
            account:useapi_minimax_agent_jobs_failed_per_completed_or_failed:ratio_increase1h{%(s)s} > %(ratio)s
            and
            account:useapi_minimax_agent_jobs_completed_or_failed:increase1h{%(s)s} >= %(min)s
          ||| % { s: s, ratio: w.number(config.failureRatio), min: w.number(config.failureRatioMinJobs) },
          '15m',
          'warning',
          'Many MiniMax agent jobs fail.',
          '{{ $value | humanizePercentage }} of the agent jobs of MiniMax account {{ $labels.account }} (exporter {{ $labels.instance }}) that completed or failed in the last hour failed.',
        ),
        // maxJobs 0 (an account that may run no videos) has no ratio, so it is not a full account.
        alert(
          'UseapiMinimaxVideoSlotsExhausted',
          'account:useapi_minimax_video_slots_used_per_slots:ratio{%s} >= 1' % s,
          '15m',
          'warning',
          'A MiniMax account has no free video slot.',
          '{{ $value | humanizePercentage }} of the video slots of MiniMax account {{ $labels.account }} (exporter {{ $labels.instance }}) have been in use for 15 minutes (GET /v1/minimax/scheduler/available); its new video generations wait or are refused until one finishes.',
        ),
        alert(
          'UseapiMinimaxGenerationRunningLong',
          'useapi_minimax_generation_max_elapsed_seconds{%s} > %s' % [s, w.number(config.generationRunningLongSeconds)],
          '1m',
          'warning',
          'A MiniMax generation has run for over %s.' % w.duration(config.generationRunningLongSeconds),
          'The longest-running {{ $labels.type }} generation of MiniMax account {{ $labels.account }} (exporter {{ $labels.instance }}) has run for {{ $value | humanizeDuration }}; it is probably stuck at useapi.net and may hold a video slot.',
        ),
        alert(
          'UseapiMinimaxSchedulerFailing',
          'useapi_minimax_source_up{source="scheduler", %s} == 0' % s,
          '10m',
          'warning',
          "The exporter's polls of the useapi.net scheduler are failing.",
          'Every poll of GET /v1/minimax/scheduler/available by the exporter at {{ $labels.instance }} has failed for 10 minutes; the generation metrics show the last good values until they go stale. useapi_minimax_source_requests_total{source="scheduler"} by outcome shows why.',
        ),
        // The account's own video cost (videoCost of GET /v1/minimax/features/) prices a video.
        alert(
          'UseapiMinimaxCreditsLow',
          'account:useapi_minimax_account_credits_per_video_cost:ratio{%s} < %s' % [s, w.number(config.creditsLowVideos)],
          '15m',
          'warning',
          'A MiniMax account has credits for fewer than %s videos.' % w.number(config.creditsLowVideos),
          'MiniMax account {{ $labels.account }} (exporter {{ $labels.instance }}) has credits left for {{ $value | printf "%.1f" }} videos at its video cost; once they run out useapi.net answers its generations with 412 (out of credits).',
        ),
        // The usage rows of GET /v2/account/stats are the requests of the token's own clients, 5 to
        // 15 minutes late. A series that first appears at 1 shows no increase: the first 412 of an
        // account since the exporter started is seen with the second (and CreditsLow sees the credits).
        alert(
          'UseapiMinimaxOutOfCredits',
          'account_code:useapi_minimax_api_requests:increase30m{code="412", %s} > 0' % s,
          '1m',
          'critical',
          'A MiniMax account has run out of credits.',
          'useapi.net answered {{ $value | printf "%.0f" }} requests on MiniMax account {{ $labels.account }} with 412 (out of credits) in the last 30 minutes, as its request log shows to the exporter at {{ $labels.instance }}; the account\'s generations fail until it has credits again.',
        ),
        alert(
          'UseapiMinimaxAccountOnHold',
          'account_code:useapi_minimax_api_requests:increase30m{code="596", %s} > 0' % s,
          '1m',
          'warning',
          'A MiniMax account is on hold.',
          'useapi.net answered {{ $value | printf "%.0f" }} requests on MiniMax account {{ $labels.account }} with 596 (account on hold, which may last a few hours) in the last 30 minutes, as its request log shows to the exporter at {{ $labels.instance }}; the account\'s requests fail meanwhile.',
        ),
        alert(
          'UseapiMinimaxSubmissionsFailing',
          |||
            account:useapi_minimax_api_requests_failed_per_not_rate_limited:ratio_increase1h{%(s)s} > %(ratio)s
            and
            account:useapi_minimax_api_requests_not_rate_limited:increase1h{%(s)s} >= %(min)s
          ||| % { s: s, ratio: w.number(config.submissionsFailingRatio), min: w.number(config.submissionsFailingMinRequests) },
          '15m',
          'warning',
          'Many requests on a MiniMax account fail.',
          'useapi.net answered {{ $value | humanizePercentage }} of the requests on MiniMax account {{ $labels.account }} in the last hour with a 4xx or 5xx other than 429, as its request log shows to the exporter at {{ $labels.instance }}.',
        ),
        alert(
          'UseapiMinimaxSubscriptionInactive',
          'useapi_minimax_subscription_active{%s} == 0' % s,
          '5m',
          'critical',
          'The useapi.net subscription is inactive.',
          'useapi.net reports the subscription of the API token of the exporter at {{ $labels.instance }} as not active (GET /v2/account); every useapi.net API, MiniMax included, refuses its requests until it is renewed.',
        ),
        // The accounts of the subscription, not one account: UseapiMinimaxAccountError names them.
        alert(
          'UseapiMinimaxAccountsInError',
          'useapi_minimax_subscription_accounts{api="MiniMax API", state="error", %s} > 0' % s,
          '15m',
          'warning',
          'useapi.net counts MiniMax accounts in error.',
          "useapi.net counts {{ $value }} of the MiniMax accounts of the subscription in error (GET /v2/account, exporter {{ $labels.instance }}); they run nothing and still use up the subscription's accounts allowance.",
        ),
        alert(
          'UseapiMinimaxCreditsExpiringSoon',
          |||
            useapi_minimax_account_credits_next_expiry_timestamp_seconds{%(s)s} - time() < %(warning)s
            and
            useapi_minimax_account_credits_expiring_next{%(s)s} > 0
          ||| % { s: s, warning: w.number(config.creditsExpiryWarningSeconds) },
          '15m',
          'warning',
          'Credits of a MiniMax account expire within %s.' % (
            if config.creditsExpiryWarningSeconds == 86400 then 'a day'
            else w.duration(config.creditsExpiryWarningSeconds)
          ),
          'The next batch of credits of MiniMax account {{ $labels.account }} (exporter {{ $labels.instance }}) expires in {{ $value | humanizeDuration }}; credits left unspent by then are lost.',
        ),
      ],
    }],
  },
}
