// Thresholds as the descriptions state them: "15 minutes" for 900 seconds, "15-minute" before a noun.
{
  minutes(seconds): '%s minutes' % (seconds / 60),
  minute(seconds): '%s-minute' % (seconds / 60),
  days(seconds): seconds / 86400,
  percent(ratio): '%g%%' % (ratio * 100),
}
