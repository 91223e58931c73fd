// The Grafana dashboard, from _config: its thresholds are the alerts' and its job variable selects
// with the alerts' selector. Rendered to grafana/dashboard.json by `npm run mixin`.
local filters = import 'filters.libsonnet';
local layout = import 'layout.libsonnet';
local p = import 'panels.libsonnet';

{
  local config = $._config,
  local f = filters(config),

  local link(title, tooltip, icon, url) = {
    title: title,
    type: 'link',
    tooltip: tooltip,
    icon: icon,
    url: url,
    targetBlank: true,
    asDropdown: false,
    includeVars: false,
    keepTime: false,
    tags: [],
  },

  local queryVariable(name, label, query) = {
    type: 'query',
    name: name,
    skipUrlSync: false,
    multi: true,
    allowCustomValue: true,
    includeAll: true,
    label: label,
    datasource: p.datasource,
    query: query,
    refresh: 2,  // on time range change
    sort: 1,  // alphabetical, ascending
    allValue: '.*',
    current: { selected: true, text: ['All'], value: ['$__all'] },
  },

  grafanaDashboards+:: {
    'useapi-minimax.json': {
      timezone: 'browser',
      // Generated from the mixin: edits in Grafana would be lost at the next render.
      editable: false,
      graphTooltip: 1,  // shared crosshair
      fiscalYearStartMonth: 0,
      schemaVersion: 41,
      templating: {
        list: [
          {
            type: 'datasource',
            name: 'datasource',
            skipUrlSync: false,
            multi: false,
            allowCustomValue: true,
            includeAll: false,
            label: 'Data source',
            query: 'prometheus',
          },
          queryVariable('job', 'Job', 'label_values(useapi_minimax_up{%s}, job)' % config.selector),
          queryVariable('instance', 'Instance', 'label_values(useapi_minimax_up{%s}, instance)' % f.job),
          queryVariable('account', 'Account', 'label_values(useapi_minimax_agent_jobs_executing{%s}, account)' % f.target),
        ],
      },
      annotations: {},
      title: config.dashboardTitle,
      uid: config.dashboardUID,
      description: 'MiniMax agent jobs per useapi.net account, their lifecycle and capacity, the generations, credits and subscription, and the health of the exporter.',
      tags: ['useapi', 'minimax', 'prometheus-exporter'],
      // Only what _config names: each exporter's own runbook is linked from the Exporters table.
      links:
        (if config.runbookFallbackURL == '' then [] else [link('Runbook', 'What to do about each alert', 'doc', config.runbookFallbackURL)]) +
        (if config.projectURL == '' then [] else [link('README', 'The exporter, its flags, metrics and this dashboard', 'info', config.projectURL + '#readme')]),
      refresh: config.dashboardRefresh,
      time: { from: config.dashboardTimeFrom, to: 'now' },
      panels: layout(
        (import 'overview.libsonnet')(config) +
        (import 'lifecycle.libsonnet')(config) +
        (import 'generations.libsonnet')(config) +
        (import 'credits.libsonnet')(config) +
        (import 'health.libsonnet')(config)
      ),
    },
  },
}
