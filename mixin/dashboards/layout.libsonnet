// Places panels left to right on Grafana's 24-column grid, a row starting a new line, and numbers them
// in that order: each panel brings its gridPos' w and h, layout adds x, y and id.
local place(state, panel) =
  local isRow = panel.type == 'row';
  local wraps = isRow || state.x + panel.gridPos.w > 24;
  local y = if wraps then state.y + state.h else state.y;
  local x = if wraps then 0 else state.x;
  local placed = panel { id: std.length(state.panels) + 1, gridPos+: { x: x, y: y } };
  {
    panels: state.panels + [placed],
    x: x + panel.gridPos.w,
    y: y,
    h: if wraps then panel.gridPos.h else std.max(state.h, panel.gridPos.h),
  };

function(panels) std.foldl(place, panels, { panels: [], x: 0, y: 0, h: 0 }).panels
