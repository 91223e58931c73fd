// The mixin's outputs with `config` merged into _config, as JSON: `jsonnet mixin/render.jsonnet`,
// `--tla-code config='{ selector: "job=\"mine\"" }'` to override. npm run mixin writes them as the
// repository's YAML and JSON files (mixin/render.ts).
function(config={})
  local mixin = (import 'mixin.libsonnet') + { _config+:: config };
  {
    config: mixin._config,
    alerts: mixin.prometheusAlerts,
    rules: mixin.prometheusRules,
    dashboard: mixin.grafanaDashboards['useapi-minimax.json'],
    prometheusRule: (import 'kubernetes/prometheus-rule.libsonnet')(mixin),
  }
