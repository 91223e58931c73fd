// The useapi-minimax-exporter monitoring mixin: alerts, recording rules and the Grafana dashboard,
// all selecting the exporter's job with _config.selector. See docs/alerts.md, "Monitoring mixin".
(import 'config.libsonnet') +
(import 'alerts/alerts.libsonnet') +
(import 'rules/rules.libsonnet') +
(import 'dashboards/dashboards.libsonnet')
