/** Where an alert rule of prometheus/alerts.yml holds one of its thresholds. */
export interface AlertThreshold {
  /** The rule's `alert` name. */
  readonly alert: string;
  /** The rule's expression text right before the number, whitespace collapsed to one space. */
  readonly comparison: string;
  /** The number after the comparison, in the rule's unit. */
  readonly value: number;
}

/**
 * The alert thresholds the dashboard draws, the one place it takes them from. They are copies of
 * numbers in prometheus/alerts.yml (promtool cannot import them); test/dashboard.test.ts reads the
 * rules and fails when a value here differs from the number after its comparison there, or when a
 * panel's threshold step differs from the rule it mirrors, so a change to one side fails alone.
 */
export const ALERT_THRESHOLDS = {
  jobNearExpirySeconds: {
    alert: "UseapiMinimaxJobNearExpiry",
    comparison: "useapi_minimax_agent_job_max_elapsed_seconds >=",
    value: 780,
  },
  /** useapi.net expires a job as failed after 15 minutes. */
  jobExpirySeconds: {
    alert: "UseapiMinimaxJobPastExpiry",
    comparison: "useapi_minimax_agent_job_max_elapsed_seconds >",
    value: 900,
  },
  dataStaleSeconds: {
    alert: "UseapiMinimaxDataStale",
    comparison:
      'time() - max without (source) (useapi_minimax_source_last_success_timestamp_seconds{source="jobs"}) >',
    value: 300,
  },
  saturationRatio: {
    alert: "UseapiMinimaxAccountSaturated",
    comparison: "useapi_minimax_account_max_jobs >=",
    value: 1,
  },
  sessionExpiringSoonSeconds: {
    alert: "UseapiMinimaxSessionExpiringSoon",
    comparison: "useapi_minimax_account_session_expiry_timestamp_seconds - time() <",
    value: 604_800,
  },
  sessionExpiredSeconds: {
    alert: "UseapiMinimaxSessionExpired",
    comparison: "time() - useapi_minimax_account_session_expiry_timestamp_seconds >=",
    value: 0,
  },
  failureRatio: {
    alert: "UseapiMinimaxJobFailureRatioHigh",
    comparison: ") >",
    value: 0.25,
  },
  /** No expiry is documented for generations: 30 minutes, the last duration bucket, means stuck. */
  generationRunningLongSeconds: {
    alert: "UseapiMinimaxGenerationRunningLong",
    comparison: "useapi_minimax_generation_max_elapsed_seconds >",
    value: 1800,
  },
} as const satisfies Record<string, AlertThreshold>;
