// The "Video, image and speech generations" row: what useapi.net's scheduler runs per account and type.
local w = import '../wording.libsonnet';
local filters = import 'filters.libsonnet';
local p = import 'panels.libsonnet';

function(config)
  local f = filters(config);
  [
    p.row('Video, image and speech generations'),

    p.timeSeries(
      'Generations running per account and type',
      "Generations in the scheduler's list on each account (GET /v1/minimax/scheduler/available), one line per account and type (not stacked): video, image, and audio for speech. " +
      "The \"speech (own count)\" lines are the account's own count of speech in flight (executingAudio), drawn where the account reports it: it may differ from the audio lines, which are the scheduler's list. " +
      "A video line flat at the account's video slots means it is full (see Video slots used and free); a gap means no successful poll of the scheduler in that time (see Upstream endpoints up by source, scheduler).",
      [
        p.target('A', 'sum by (account, type) (useapi_minimax_generations_executing{%s})' % f.account, '{{account}} {{type}}'),
        p.target('B', 'sum by (account) (useapi_minimax_speech_executing{%s})' % f.account, '{{account}} speech (own count)'),
      ],
    ) + p.unit('short') + p.decimals(0) + p.size(12, 8),

    p.timeSeries(
      'Longest-running generation per account',
      "Elapsed time of each account's longest-running generation of each type (video, image, audio for speech); 0 when idle. No expiry is documented for generations: the red line is the %s of UseapiMinimaxGenerationRunningLong. " % w.duration(config.generationRunningLongSeconds) +
      'A line that keeps climbing past it is a stuck generation that may hold a video slot: check it in GET /v1/minimax/scheduler/.',
      [p.target('A', 'max by (account, type) (useapi_minimax_generation_max_elapsed_seconds{%s})' % f.account, '{{account}} {{type}}')],
    ) + p.unit('s')
    + p.thresholds([p.step(null, 'green'), p.step(config.generationRunningLongSeconds, 'red')])
    + p.thresholdLine
    + p.size(12, 8),

    p.timeSeries(
      'Video slots used and free per account',
      "Each account's video slots (maxJobs of the scheduler) in use (the recording rule account:useapi_minimax_video_slots_used:count, slots minus available) and free. Image and speech generations take no video slot. " +
      'Free at 0 for long means new videos wait or are refused (UseapiMinimaxVideoSlotsExhausted fires after 15 minutes): spread work over other accounts or look for stuck generations.',
      [
        p.target('A', 'sum by (account) (account:useapi_minimax_video_slots_used:count{%s})' % f.account, 'used {{account}}'),
        p.target('B', 'sum by (account) (useapi_minimax_video_slots_available{%s})' % f.account, 'free {{account}}'),
      ],
    ) + p.unit('short') + p.decimals(0) + p.size(12, 8),

    p.timeSeries(
      'Generations started and finished per minute',
      "Generations per minute, by type (video, image, audio for speech), that appeared in the scheduler's list (started) and that left it (finished), over the selected accounts, averaged over 5 minutes (the rate5m recording rules). " +
      'Over time they should match: finished lagging behind means generations pile up (see Video slots used and free).',
      [
        p.target('A', 'sum by (type) (account_type:useapi_minimax_generations_started:rate5m{%s}) * 60' % f.account, 'started {{type}}'),
        p.target('B', 'sum by (type) (account_type:useapi_minimax_generations_finished:rate5m{%s}) * 60' % f.account, 'finished {{type}}'),
      ],
    ) + p.unit('short') + p.size(12, 8),

    local quantile(refId, q, name) = p.target(
      refId,
      'histogram_quantile(%s, sum by (type, le) (rate(useapi_minimax_generation_duration_seconds_bucket{%s}[$__rate_interval])))' % [q, f.account],
      name + ' {{type}}',
    );
    p.timeSeries(
      'Generation duration p50/p90/p99 per type',
      'Median, 90th and 99th percentile run time of the generations of each type (video, image, audio for speech) that finished over the selected accounts (the elapsed time last seen before they left the list, so up to one poll interval short), estimated from histogram buckets between 30 s and 30 minutes; ' +
      'most speech ends within the first bucket, so its quantiles only say it stays under 30 s. ' +
      'Gaps mean no generation finished in that time. Video quantiles climbing mean MiniMax is slow: expect the video slots to fill.',
      [quantile('A', '0.5', 'p50'), quantile('B', '0.9', 'p90'), quantile('C', '0.99', 'p99')],
    ) + p.unit('s') + p.size(24, 8),
  ]
