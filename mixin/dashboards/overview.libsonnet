// The top of the dashboard, above the rows: jobs executing now and per account, the longest jobs.
local w = import '../wording.libsonnet';
local filters = import 'filters.libsonnet';
local p = import 'panels.libsonnet';

function(config)
  local f = filters(config);
  [
    p.text(
      'About',
      'What this dashboard shows and where its values come from.',
      |||
        The %(project)s measures, per useapi.net account, MiniMax **agent jobs** (executing, longest running, started and finished by status), the **accounts** (job limits, session expiry), the **job status lookups**, the **video, image and speech scheduler** (generations, video slots), each account's **credits** and limits, the useapi.net **subscription** and the **requests useapi.net recorded** of this token's clients.

        Its values come from background polls of useapi.net, one per interval, served from its cache: each is the last successful poll's, so it can be up to one poll interval old. Exporter health shows whether the polls succeed.

        %(runbook)sEach exporter's landing page (poll status, accounts, /metrics) and the runbook it serves (what to do about each alert) are linked from its instance in the Exporters table of Exporter health.
      ||| % {
        project: if config.projectURL == '' then 'useapi-minimax-exporter' else '[useapi-minimax-exporter](%s)' % config.projectURL,
        runbook: if config.runbookFallbackURL == '' then '' else '[Runbook](%s) for the alerts. ' % config.runbookFallbackURL,
      },
    ) + p.size(24, 5),

    p.stat(
      'Jobs executing now',
      "MiniMax agent jobs executing right now, summed over the selected accounts (from the exporter's last successful poll). " +
      'If it shows No data, the exporter has no per-account series: check the Exporter health row (a failing upstream or stale data drops them) and the account filter.',
      [p.target('A', 'sum(useapi_minimax_agent_jobs_executing{%s})' % f.account)],
    ) + p.unit('short') + p.decimals(0) + p.thresholds([p.step(null, 'green')]) + p.size(6, 8),

    p.stat(
      'Accounts configured',
      'MiniMax accounts in the last successful answer of useapi.net. ' +
      'If it is lower than the accounts you configured at useapi.net, an account was removed or is failing there; if it shows No data, the exporter is not scraped (see Exporter health).',
      [p.target('A', 'max(useapi_minimax_accounts{%s})' % f.target)],
    ) + p.unit('short') + p.decimals(0) + p.thresholds([p.step(null, 'blue')]) + p.options({ graphMode: 'none' }) + p.size(6, 8),

    p.table(
      'Per-account summary',
      'One row per account: jobs executing now, elapsed time of its longest-running job and when the exporter last reported the account. ' +
      'A longest job near %s will be expired by useapi.net; a Last seen that lags behind means the account left the upstream answer or the data went stale (see Exporter health).' % w.duration(config.jobExpirySeconds),
      [
        p.tableQuery('A', 'max by (account) (useapi_minimax_agent_jobs_executing{%s})' % f.account),
        p.tableQuery('B', 'max by (account) (useapi_minimax_agent_job_max_elapsed_seconds{%s})' % f.account),
        // dateTimeFromNow reads milliseconds since the epoch.
        p.tableQuery('C', 'max by (account) (timestamp(useapi_minimax_agent_jobs_executing{%s})) * 1000' % f.account),
      ],
    ) + {
      transformations: [
        { id: 'merge', options: {} },
        {
          id: 'organize',
          options: {
            excludeByName: { Time: true },
            indexByName: { account: 0, 'Value #A': 1, 'Value #B': 2, 'Value #C': 3 },
            renameByName: { account: 'Account', 'Value #A': 'Executing', 'Value #B': 'Longest job', 'Value #C': 'Last seen' },
          },
        },
      ],
    } + p.options({ sortBy: [{ displayName: 'Longest job', desc: true }] })
    + p.override('Executing', [{ id: 'unit', value: 'short' }, { id: 'decimals', value: 0 }])
    + p.override('Longest job', [
      { id: 'unit', value: 's' },
      {
        id: 'thresholds',
        value: {
          mode: 'absolute',
          steps: [p.step(null, 'green'), p.step(config.jobNearExpirySeconds, 'orange'), p.step(config.jobExpirySeconds, 'red')],
        },
      },
      { id: 'custom.cellOptions', value: { type: 'color-text' } },
    ])
    + p.override('Last seen', [{ id: 'unit', value: 'dateTimeFromNow' }])
    + p.size(12, 8),

    p.timeSeries(
      'Jobs executing per account',
      'Agent jobs executing on each account, one line per account (not stacked: the total is Jobs executing now). ' +
      "A line flat at the account's job limit (maxJobs) means it is saturated and new jobs queue (see Saturation per account); a gap means no successful poll in that time (see Exporter health).",
      [p.target('A', 'sum by (account) (useapi_minimax_agent_jobs_executing{%s})' % f.account, '{{account}}')],
    ) + p.unit('short') + p.decimals(0) + p.size(12, 9),

    p.timeSeries(
      'Longest-running job per account',
      "Elapsed time of each account's longest-running agent job; 0 when the account is idle. The red line is useapi.net's %s job expiry. " % w.durationBefore(config.jobExpirySeconds) +
      "A line that keeps climbing towards it is a stuck job: useapi.net will expire it as failed, and until then it holds one of the account's job slots.",
      [p.target('A', 'max by (account) (useapi_minimax_agent_job_max_elapsed_seconds{%s})' % f.account, '{{account}}')],
    ) + p.unit('s')
    + p.thresholds([p.step(null, 'green'), p.step(config.jobExpirySeconds, 'red')])
    + p.thresholdLine
    // Keeps the expiry line in view while every job is short.
    + p.custom({ axisSoftMax: config.jobExpirySeconds + 100 })
    + p.size(12, 9),
  ]
