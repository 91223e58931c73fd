// Recording rules for what the alerts and the dashboard compute repeatedly, named level:metric:
// operations as Prometheus' naming practice asks. Every one keeps the target labels (job, instance
// and any other) and selects with _config.selector. The group runs in order, so a later rule reads
// an earlier record of the same evaluation. Unit tests: prometheus/rules.test.yml.
{
  local s = $._config.selector,
  local record(name, expr) = { record: name, expr: expr },

  prometheusRules+:: {
    groups+: [{
      name: 'useapi-minimax.rules',
      rules: [
        // An account that may run no job (maxJobs 0) has no ratio rather than +Inf or NaN.
        record(
          'account:useapi_minimax_agent_jobs_executing_per_max_jobs:ratio',
          'useapi_minimax_agent_jobs_executing{%(s)s} / (useapi_minimax_account_max_jobs{%(s)s} > 0)' % { s: s },
        ),
        record(
          'account:useapi_minimax_agent_jobs_started:rate5m',
          'rate(useapi_minimax_agent_jobs_started_total{%s}[5m])' % s,
        ),
        record(
          'account_status:useapi_minimax_agent_jobs_finished:rate5m',
          'rate(useapi_minimax_agent_jobs_finished_total{%s}[5m])' % s,
        ),
        // Jobs of unknown status (their lookup failed) count neither way.
        record(
          'account:useapi_minimax_agent_jobs_completed_or_failed:increase1h',
          'sum without (status) (increase(useapi_minimax_agent_jobs_finished_total{status=~"completed|failed", %s}[1h]))' % s,
        ),
        // An account with no completed or failed job in the hour has no ratio rather than NaN.
        record(
          'account:useapi_minimax_agent_jobs_failed_per_completed_or_failed:ratio_increase1h',
          |||
            sum without (status) (increase(useapi_minimax_agent_jobs_finished_total{status="failed", %(s)s}[1h]))
            /
            (account:useapi_minimax_agent_jobs_completed_or_failed:increase1h{%(s)s} > 0)
          ||| % { s: s },
        ),
        record(
          'account_type:useapi_minimax_generations_started:rate5m',
          'rate(useapi_minimax_generations_started_total{%s}[5m])' % s,
        ),
        record(
          'account_type:useapi_minimax_generations_finished:rate5m',
          'rate(useapi_minimax_generations_finished_total{%s}[5m])' % s,
        ),
        record(
          'account:useapi_minimax_video_slots_used:count',
          'useapi_minimax_video_slots{%(s)s} - useapi_minimax_video_slots_available{%(s)s}' % { s: s },
        ),
        // An account with no video slots (maxJobs 0) has no ratio rather than NaN.
        record(
          'account:useapi_minimax_video_slots_used_per_slots:ratio',
          'account:useapi_minimax_video_slots_used:count{%(s)s} / (useapi_minimax_video_slots{%(s)s} > 0)' % { s: s },
        ),
        // Videos' worth of credits left; an account whose video cost is 0 or unknown has none.
        record(
          'account:useapi_minimax_account_credits_per_video_cost:ratio',
          'useapi_minimax_account_credits{%(s)s} / (useapi_minimax_account_video_cost_credits{%(s)s} > 0)' % { s: s },
        ),
        // The usage rows (GET /v2/account/stats) arrive 5 to 15 minutes late and a poll at a time:
        // 30 minutes holds a few polls' worth.
        record(
          'account_code:useapi_minimax_api_requests:increase30m',
          'sum without (endpoint) (increase(useapi_minimax_api_requests_total{%s}[30m]))' % s,
        ),
        // 429 means "retry later", neither success nor failure: it counts on neither side.
        record(
          'account:useapi_minimax_api_requests_not_rate_limited:increase1h',
          'sum without (endpoint, code) (increase(useapi_minimax_api_requests_total{code!="429", %s}[1h]))' % s,
        ),
        // 0 rather than nothing for an account whose requests all succeeded.
        record(
          'account:useapi_minimax_api_requests_failed_per_not_rate_limited:ratio_increase1h',
          |||
            (
              sum without (endpoint, code) (increase(useapi_minimax_api_requests_total{code=~"[45]..", code!="429", %(s)s}[1h]))
              or
              0 * account:useapi_minimax_api_requests_not_rate_limited:increase1h{%(s)s}
            )
            /
            (account:useapi_minimax_api_requests_not_rate_limited:increase1h{%(s)s} > 0)
          ||| % { s: s },
        ),
      ],
    }],
  },
}
