// The "Credits and subscription" row: each account's credits and limits (GET /v1/minimax/features/),
// the useapi.net subscription (GET /v2/account) and the requests useapi.net recorded of the token's
// clients (GET /v2/account/stats).
local w = import '../wording.libsonnet';
local filters = import 'filters.libsonnet';
local p = import 'panels.libsonnet';

function(config)
  local f = filters(config);
  local warningHours = config.creditsExpiryWarningSeconds / 3600;
  [
    p.row('Credits and subscription'),

    p.stat(
      'Subscription active',
      'Whether useapi.net reports the subscription of the API token as paid up (subscriptionIsActive of GET /v2/account; the lowest value over the selected instances). ' +
      'INACTIVE: every useapi.net API refuses the requests of this token, MiniMax included, until it is renewed (UseapiMinimaxSubscriptionInactive). No data: the subscription source is off or failing (see Upstream endpoints up by source, subscription).',
      [p.target('A', 'min(useapi_minimax_subscription_active{%s})' % f.target)],
    ) + p.defaults({
      mappings: [{
        type: 'value',
        options: {
          '0': { text: 'INACTIVE', color: 'red', index: 1 },
          '1': { text: 'ACTIVE', color: 'green', index: 0 },
        },
      }],
    })
    + p.thresholds([p.step(null, 'red'), p.step(1, 'green')])
    + p.options({ colorMode: 'background', graphMode: 'none' })
    + p.size(6, 8),

    p.stat(
      'Subscription renewed',
      'When the useapi.net subscription was last renewed (sub of GET /v2/account, a day, taken as midnight UTC). ' +
      'A renewal longer ago than your billing period, with Subscription active at INACTIVE, means the payment did not go through: renew it at useapi.net.',
      [p.target('A', 'max(useapi_minimax_subscription_renewed_timestamp_seconds{%s}) * 1000' % f.target)],
    ) + p.unit('dateTimeFromNow')
    + p.thresholds([p.step(null, 'blue')])
    + p.options({ graphMode: 'none' })
    + p.size(6, 8),

    p.timeSeries(
      'Subscription accounts by state',
      'The accounts configured at useapi.net per API of the subscription, in total, active and in error (GET /v2/account), and the accounts the subscription allows per API (maxAccountsPerAPI). ' +
      'MiniMax accounts in error run nothing and still use up the allowance (UseapiMinimaxAccountsInError); UseapiMinimaxAccountError names each of them.',
      [
        p.target('A', 'max by (api, state) (useapi_minimax_subscription_accounts{%s})' % f.target, '{{api}} {{state}}'),
        p.target('B', 'max(useapi_minimax_subscription_max_accounts_per_api{%s})' % f.target, 'allowed per API'),
      ],
    ) + p.unit('short') + p.decimals(0)
    + p.override('allowed per API', [p.fixedColor('text'), { id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } }])
    + p.size(12, 8),

    p.timeSeries(
      'Credits per account',
      'MiniMax credits left on each account (totalCredits of GET /v1/minimax/features/, one call per account every credits interval). ' +
      'They fall as generations start; a sudden rise is a top-up or a new batch. No line for an account means its last call failed (on hold, not configured): see the landing page and useapi_minimax_source_requests_total{source="credits"}.',
      [p.target('A', 'max by (account) (useapi_minimax_account_credits{%s})' % f.account, '{{account}}')],
    ) + p.unit('short') + p.decimals(0) + p.size(12, 8),

    p.timeSeries(
      'Videos of credits left per account',
      "Each account's credits divided by the credits one video costs it at the default model (videoCost), as the recording rule account:useapi_minimax_account_credits_per_video_cost:ratio computes it. " +
      'The red zone is below %s videos (UseapiMinimaxCreditsLow): buy credits or move work to other accounts before useapi.net answers its generations with 412. An account without a line has no video cost.' % w.number(config.creditsLowVideos),
      [p.target('A', 'max by (account) (account:useapi_minimax_account_credits_per_video_cost:ratio{%s})' % f.account, '{{account}}')],
    ) + p.unit('short') + p.decimals(1)
    + p.thresholds([p.step(null, 'red'), p.step(config.creditsLowVideos, 'transparent')])
    + p.custom({ thresholdsStyle: { mode: 'line+area' }, axisSoftMax: config.creditsLowVideos * 2 })
    + p.size(12, 8),

    p.barGauge(
      'Next credits expiry per account',
      "Hours until the next batch of each account's credits expires (the earliest endTime of creditExpireText in GET /v1/minimax/features/), for accounts whose next batch still holds credits. " +
      'Orange under %s (UseapiMinimaxCreditsExpiringSoon): credits left unspent by then are lost, so spend them first. The table beside gives how many expire.' % w.duration(config.creditsExpiryWarningSeconds),
      [p.instant(
        'A',
        '(max by (account) (useapi_minimax_account_credits_next_expiry_timestamp_seconds{%(a)s}) - time()) / 3600 and max by (account) (useapi_minimax_account_credits_expiring_next{%(a)s}) > 0' % { a: f.account },
        '{{account}}',
      )],
    ) + p.unit('h') + p.decimals(1) + p.defaults({ min: 0 })
    + p.thresholds([p.step(null, 'orange'), p.step(warningHours, 'green')])
    + p.size(12, 8),

    p.table(
      'Plan and limits per account',
      'One row per account from GET /v1/minimax/features/: its MiniMax plan (memberName), the credits one video costs (videoCost), how many video and image generations it may queue (queueLength, imageQueueLength) and the credits of its next batch to expire. ' +
      'A plan that changed to Free, or queue limits that fell, explain generations refused or waiting.',
      [
        p.tableQuery('A', 'max by (account, plan) (useapi_minimax_account_plan_info{%s})' % f.account),
        p.tableQuery('B', 'max by (account) (useapi_minimax_account_video_cost_credits{%s})' % f.account),
        p.tableQuery('C', 'max by (account) (useapi_minimax_account_queue_limit{type="video", %s})' % f.account),
        p.tableQuery('D', 'max by (account) (useapi_minimax_account_queue_limit{type="image", %s})' % f.account),
        p.tableQuery('E', 'max by (account) (useapi_minimax_account_credits_expiring_next{%s})' % f.account),
      ],
    ) + {
      transformations: [
        { id: 'merge', options: {} },
        {
          id: 'organize',
          options: {
            excludeByName: { Time: true, 'Value #A': true },
            indexByName: { account: 0, plan: 1, 'Value #B': 2, 'Value #C': 3, 'Value #D': 4, 'Value #E': 5 },
            renameByName: { account: 'Account', plan: 'Plan', 'Value #B': 'Video cost', 'Value #C': 'Video queue', 'Value #D': 'Image queue', 'Value #E': 'Credits expiring next' },
          },
        },
      ],
    } + p.options({ sortBy: [{ displayName: 'Account', desc: false }] })
    + p.size(12, 8),

    p.timeSeries(
      'Requests by code',
      "The requests of this token's clients that useapi.net recorded (GET /v2/account/stats, 5 to 15 minutes late), over the selected accounts, per 30 minutes by HTTP code (the recording rule account_code:useapi_minimax_api_requests:increase30m). " +
      '412: out of credits (UseapiMinimaxOutOfCredits; for speech, no audio subscription); 596: account on hold (UseapiMinimaxAccountOnHold); 429: retry later; 422: moderated; other 4xx and 5xx: failures (see Request failure ratio per account).',
      [p.target('A', 'sum by (code) (account_code:useapi_minimax_api_requests:increase30m{%s})' % f.account, '{{code}}')],
    ) + p.unit('short')
    + p.override('412', [p.fixedColor('red')])
    + p.override('596', [p.fixedColor('orange')])
    + p.override('429', [p.fixedColor('text')])
    + p.size(12, 8),

    p.timeSeries(
      'Request failure ratio per account',
      "Share of each account's recorded requests over the last hour that useapi.net answered with a 4xx or 5xx, 429 left out of both sides (the recording rule account:useapi_minimax_api_requests_failed_per_not_rate_limited:ratio_increase1h). " +
      'The red line is the %s of UseapiMinimaxSubmissionsFailing, which also needs at least %s requests other than 429 in the hour. Requests by code tells which codes.' % [w.percent(config.submissionsFailingRatio), w.number(config.submissionsFailingMinRequests)],
      [p.target('A', 'max by (account) (account:useapi_minimax_api_requests_failed_per_not_rate_limited:ratio_increase1h{%s})' % f.account, '{{account}}')],
    ) + p.unit('percentunit') + p.defaults({ min: 0, max: 1 })
    + p.thresholds([p.step(null, 'green'), p.step(config.submissionsFailingRatio, 'red')])
    + p.thresholdLine
    + p.size(12, 8),

    local quantile(refId, q, name) = p.target(
      refId,
      'histogram_quantile(%s, sum by (endpoint, le) (rate(useapi_minimax_api_request_duration_seconds_bucket{%s}[30m])))' % [q, f.target],
      name + ' {{endpoint}}',
    );
    p.timeSeries(
      'Request duration p50/p90/p99 per endpoint',
      'Median, 90th and 99th percentile time useapi.net took to answer the recorded requests (msec of GET /v2/account/stats), per endpoint, over 30 minutes since the rows arrive a poll at a time. ' +
      'Quantiles climbing mean useapi.net or MiniMax is slow for everyone using this token.',
      [quantile('A', '0.5', 'p50'), quantile('B', '0.9', 'p90'), quantile('C', '0.99', 'p99')],
    ) + p.unit('s') + p.size(24, 8),
  ]
