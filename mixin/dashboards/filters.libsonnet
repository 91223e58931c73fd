// The filters every query applies: the mixin's selector, the exporters picked in the variables, and
// the accounts for per-account series.
function(config)
  local join(matchers) = std.join(', ', std.filter(function(m) m != '', matchers));
  {
    job: join([config.selector, 'job=~"$job"']),
    target: join([config.selector, 'job=~"$job"', 'instance=~"$instance"']),
    account: self.target + ', account=~"$account"',
  }
