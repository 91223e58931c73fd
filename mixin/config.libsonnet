// The mixin's settings: override any of them with `mixin + { _config+:: { ... } }`.
{
  _config+:: {
    // Label matchers of the exporter's scrape job. Every alert, recording rule and the dashboard's
    // job variable select with it; set it to match your own job labels.
    selector: 'job="useapi-minimax"',

    // useapi.net expires a job as failed after 15 minutes; the warning comes two minutes before.
    jobNearExpirySeconds: 780,
    jobExpirySeconds: 900,
    // Jobs executing / maxJobs at which an account counts as saturated.
    saturationRatio: 1,
    // Share of the jobs completed or failed in an hour that failed, and the fewest such jobs that
    // count, so that one failure out of two does not page.
    failureRatio: 0.25,
    failureRatioMinJobs: 4,
    // Warn this long before a MiniMax session expires.
    sessionExpiryWarningSeconds: 604800,
    // No expiry is documented for generations; 30 minutes, the last duration bucket, means stuck.
    generationRunningLongSeconds: 1800,
    // Seconds without a successful poll of the jobs list before the data counts as stale.
    dataStaleSeconds: 300,
    // Share of polls answered 429 over 15 minutes that counts as persistent rate limiting.
    rateLimitedRatio: 0.25,
    // Credits below this many videos at the account's own video cost count as low.
    creditsLowVideos: 10,
    // Warn this long before the next batch of an account's credits expires.
    creditsExpiryWarningSeconds: 86400,
    // Share of an account's requests that useapi.net recorded in an hour (GET /v2/account/stats)
    // and answered with a 4xx or 5xx, 429 left out of both sides, and the fewest requests other
    // than 429 in the hour that count.
    submissionsFailingRatio: 0.2,
    submissionsFailingMinRequests: 10,

    // Where you publish this project (its README), linked from the dashboard; '' links none. No
    // public home exists yet, and nothing shipped may link one that does not exist.
    projectURL: '',
    // The scheme of the exporter's landing page and runbook, linked per instance.
    exporterScheme: 'http',
    // Each alert's runbook_url is runbookURL plus '#' and the alert's name in lower case. By default
    // the runbook the alerting exporter serves itself at /runbook, found from the alert's instance
    // label; set it to where you publish docs/runbook.md if Prometheus scrapes through a proxy.
    runbookURL: self.exporterScheme + '://{{ $labels.instance }}/runbook',
    // For what cannot link the exporter's own page: UseapiMinimaxExporterDown (the exporter is not
    // answering; its description carries the first steps) and the dashboard's Runbook link (no
    // alert labels). runbookURL itself unless it names the instance; '' links none.
    runbookFallbackURL:
      if std.length(std.findSubstr('{{', self.runbookURL)) > 0
      then ''
      else self.runbookURL,

    // The dashboard's identity and defaults.
    dashboardUID: 'useapi-minimax-exporter',
    dashboardTitle: 'useapi.net MiniMax',
    dashboardRefresh: '30s',
    dashboardTimeFrom: 'now-6h',
  },
}
