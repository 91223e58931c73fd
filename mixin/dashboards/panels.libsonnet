// Plain-jsonnet constructors of the dashboard's panels, queries and field settings, with the
// defaults Grafana 11 writes (schemaVersion 41). Combine: p.timeSeries(...) + p.unit('s') + p.size(12, 8).
{
  datasource: { type: 'prometheus', uid: '${datasource}' },

  target(refId, expr, legendFormat=null): {
    expr: expr,
    refId: refId,
    datasource: $.datasource,
    editorMode: 'code',
  } + (if legendFormat == null then {} else { legendFormat: legendFormat }),

  instant(refId, expr, legendFormat=null): $.target(refId, expr, legendFormat) + { instant: true, range: false },

  tableQuery(refId, expr): $.instant(refId, expr) + { format: 'table' },

  step(value, color): { value: value, color: color },

  local legend = { displayMode: 'list', placement: 'bottom', showLegend: true, calcs: [] },
  local tooltip = { mode: 'multi', sort: 'desc' },
  local lastValue = { calcs: ['lastNotNull'], values: false },

  local panel(type, title, description, targets) = {
    type: type,
    transparent: false,
    repeatDirection: 'h',
    title: title,
    description: description,
    datasource: $.datasource,
    targets: targets,
    fieldConfig: { defaults: {}, overrides: [] },
  },

  timeSeries(title, description, targets):
    panel('timeseries', title, description, targets) + {
      options: { legend: legend, tooltip: tooltip },
      fieldConfig+: { defaults+: { custom: { fillOpacity: 10, showPoints: 'never', axisSoftMin: 0 } } },
    },

  stat(title, description, targets):
    panel('stat', title, description, targets) + {
      options: {
        graphMode: 'area',
        colorMode: 'value',
        justifyMode: 'auto',
        textMode: 'auto',
        wideLayout: true,
        showPercentChange: false,
        reduceOptions: lastValue,
        percentChangeColorMode: 'standard',
        orientation: 'auto',
      },
    },

  table(title, description, targets):
    panel('table', title, description, targets) + {
      options: {
        frameIndex: 0,
        showHeader: true,
        showTypeIcons: false,
        footer: { show: false, reducer: [], countRows: false },
        cellHeight: 'sm',
      },
    },

  barGauge(title, description, targets):
    panel('bargauge', title, description, targets) + {
      options: {
        displayMode: 'basic',
        valueMode: 'color',
        namePlacement: 'auto',
        showUnfilled: true,
        sizing: 'auto',
        minVizWidth: 8,
        minVizHeight: 16,
        legend: legend { showLegend: false },
        reduceOptions: lastValue,
        maxVizHeight: 300,
        orientation: 'horizontal',
      },
    },

  stateTimeline(title, description, targets):
    panel('state-timeline', title, description, targets) + {
      options: {
        showValue: 'never',
        rowHeight: 0.9,
        mergeValues: true,
        alignValue: 'left',
        legend: legend,
        tooltip: tooltip,
        perPage: 20,
      },
    },

  // Markdown with no query: the only panel without a data source.
  text(title, description, markdown): {
    type: 'text',
    transparent: false,
    title: title,
    description: description,
    options: { mode: 'markdown', content: markdown },
  },

  // An expanded row holds no panels itself: Grafana gives it the panels that follow it.
  row(title): { type: 'row', collapsed: false, panels: [], title: title, gridPos: { h: 1, w: 24 } },

  size(w, h): { gridPos: { h: h, w: w } },
  options(options): { options+: options },
  defaults(defaults): { fieldConfig+: { defaults+: defaults } },
  custom(custom): $.defaults({ custom+: custom }),
  unit(unit): $.defaults({ unit: unit }),
  decimals(decimals): $.defaults({ decimals: decimals }),
  thresholds(steps): $.defaults({ thresholds: { mode: 'absolute', steps: steps } }),
  thresholdLine: $.custom({ thresholdsStyle: { mode: 'line' } }),
  override(name, properties): {
    fieldConfig+: { overrides+: [{ matcher: { id: 'byName', options: name }, properties: properties }] },
  },
  fixedColor(color): { id: 'color', value: { mode: 'fixed', fixedColor: color } },

  // Maps a 0/1 up value to DOWN and UP.
  upDownMappings: [{
    type: 'value',
    options: {
      '0': { text: 'DOWN', color: 'red', index: 1 },
      '1': { text: 'UP', color: 'green', index: 0 },
    },
  }],
  upDown: $.defaults({ mappings: $.upDownMappings }),
}
