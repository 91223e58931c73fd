// The Prometheus Operator's PrometheusRule carrying the mixin's alert and recording rule groups.
function(mixin) {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'PrometheusRule',
  metadata: {
    name: 'useapi-minimax',
    labels: {
      'app.kubernetes.io/name': 'useapi-minimax-exporter',
      'app.kubernetes.io/component': 'exporter',
    },
  },
  spec: { groups: mixin.prometheusRules.groups + mixin.prometheusAlerts.groups },
}
