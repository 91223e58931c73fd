// The variables' filters every query applies: the exporters picked, and the accounts for per-account series.
{
  target: 'job=~"$job", instance=~"$instance"',
  account: self.target + ', account=~"$account"',
}
