// Numbers and durations as the alerts and the dashboard write them from _config.
local unit(seconds) =
  if seconds >= 86400 && seconds % 86400 == 0 then [seconds / 86400, 'day']
  else if seconds >= 3600 && seconds % 3600 == 0 then [seconds / 3600, 'hour']
  else if seconds >= 60 && seconds % 60 == 0 then [seconds / 60, 'minute']
  else [seconds, 'second'];

{
  // A PromQL literal: '%s' would write 0.9 as 0.90000000000000002.
  number(x): '%.15g' % x,
  // "15 minutes", "7 days", "1 hour", "90 seconds".
  duration(seconds):
    local u = unit(seconds);
    '%s %s%s' % [self.number(u[0]), u[1], if u[0] == 1 then '' else 's'],
  // "15-minute", before a noun.
  durationBefore(seconds):
    local u = unit(seconds);
    '%s-%s' % [self.number(u[0]), u[1]],
  // "25%" for 0.25.
  percent(ratio): '%s%%' % self.number(ratio * 100),
}
