#!/usr/bin/env bash
# The alert checks of `make test`, offline once promtool is installed: the one
# rules file the Helm chart ships (helm/paxfleet/files/alerts.yml) is valid
# (`promtool check rules`, which also lints, e.g. duplicate rules), its unit
# tests pass (`promtool test rules observability/alerts.test.yml`), and every
# alert in it has a test where it fires and one where it stays quiet, and a
# runbook_url naming a runbook that exists (docs/runbooks/<AlertName>.md). The
# Grafana dashboard the chart ships (helm/paxfleet/files/grafana-dashboard.json)
# is valid JSON, every panel query parses (each expression wrapped as a recording
# rule in a scratch rules file for `promtool check rules`) and queries only
# metrics the code exports (names in libs/ and services/ sources, and
# prom-client's default metrics).
# promtool comes from scripts/promtool.sh (Debian package `prometheus`).
# Prints one line per check and ends with "N passed, M failed".
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# Node 24 of the repository's toolchain when it is installed (make sets this too).
export PATH="$ROOT/.tools/bin:$PATH"
RULES=helm/paxfleet/files/alerts.yml
TESTS=observability/alerts.test.yml
DASHBOARD=helm/paxfleet/files/grafana-dashboard.json
PROMTOOL=scripts/promtool.sh

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# shellcheck source=scripts/lib/check.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/check.sh"

# Every `- alert: X` of the rules file has, in the tests, an alert_rule_test for X
# expecting it to fire (exp_alerts with entries) and one expecting none (exp_alerts: []).
every_alert_tested() {
  node - "$RULES" "$TESTS" <<'EOF_NODE'
const { readFileSync } = require('node:fs');
const [rulesFile, testsFile] = process.argv.slice(2);
const alerts = [...new Set([...readFileSync(rulesFile, 'utf8').matchAll(/^\s*-\s*alert:\s*(\S+)\s*$/gm)].map((m) => m[1]))];
const cases = new Map(alerts.map((alert) => [alert, { fires: 0, quiet: 0 }]));
let current;
const lines = readFileSync(testsFile, 'utf8').split('\n');
lines.forEach((line, index) => {
  const name = /^\s*alertname:\s*(\S+)\s*$/.exec(line);
  if (name) current = name[1];
  const expected = /^\s*exp_alerts:\s*(\[\])?\s*$/.exec(line);
  if (!expected || current === undefined) return;
  const entry = cases.get(current);
  if (!entry) {
    console.log(`${testsFile}:${index + 1}: tests ${current}, which ${rulesFile} does not define`);
    process.exitCode = 1;
    return;
  }
  if (expected[1]) entry.quiet += 1;
  else entry.fires += 1;
});
for (const [alert, { fires, quiet }] of cases) {
  if (fires === 0) console.log(`${alert}: no test where it fires`);
  if (quiet === 0) console.log(`${alert}: no test where it stays quiet`);
  if (fires === 0 || quiet === 0) process.exitCode = 1;
}
if (!process.exitCode) console.log(`${alerts.length} alerts, each with firing and quiet cases`);
EOF_NODE
}

# Every rule with `alert:` has annotations.runbook_url = docs/runbooks/<alert>.md, and that file exists.
every_alert_has_runbook() {
  node - "$RULES" <<'EOF_NODE'
const { readFileSync, existsSync } = require('node:fs');
const [rulesFile] = process.argv.slice(2);
let current;
const seen = new Map();
for (const line of readFileSync(rulesFile, 'utf8').split('\n')) {
  const alert = /^\s*-\s*(alert|record):\s*(\S+)\s*$/.exec(line);
  if (alert) {
    current = alert[1] === 'alert' ? alert[2] : undefined;
    if (current !== undefined) seen.set(current, seen.get(current) ?? []);
    continue;
  }
  const url = /^\s*runbook_url:\s*"?([^"\s]+)"?\s*$/.exec(line);
  if (url && current !== undefined) seen.get(current).push(url[1]);
}
// Rules of one name are one alert (several rules, one `reason` each): each needs the link.
const counts = new Map();
for (const line of readFileSync(rulesFile, 'utf8').split('\n')) {
  const alert = /^\s*-\s*alert:\s*(\S+)\s*$/.exec(line);
  if (alert) counts.set(alert[1], (counts.get(alert[1]) ?? 0) + 1);
}
for (const [alert, urls] of seen) {
  const expected = `docs/runbooks/${alert}.md`;
  if (urls.length !== counts.get(alert) || urls.some((url) => url !== expected)) {
    console.log(`${alert}: every rule needs runbook_url: "${expected}" (has ${JSON.stringify(urls)})`);
    process.exitCode = 1;
  }
  if (!existsSync(expected)) {
    console.log(`${alert}: ${expected} does not exist`);
    process.exitCode = 1;
  }
}
if (!process.exitCode) console.log(`${seen.size} alerts, each with its runbook`);
EOF_NODE
}

# The dashboard parses as JSON with panels and targets; writes every target's expression
# as a recording rule to $WORK/dashboard-rules.yml (for promtool) and checks the metric
# names each one queries against those the code exports.
dashboard_queries() {
  node - "$DASHBOARD" "$WORK/dashboard-rules.yml" <<'EOF_NODE'
const { readFileSync, writeFileSync, readdirSync, statSync } = require('node:fs');
const path = require('node:path');
const [dashboardFile, rulesOut] = process.argv.slice(2);
let dashboard;
try {
  dashboard = JSON.parse(readFileSync(dashboardFile, 'utf8'));
} catch (error) {
  console.log(`${dashboardFile}: not valid JSON: ${error.message}`);
  process.exit(1);
}
// Metric names the code exports: string literals that look like our metric names in
// non-test sources of libs/ and services/, and prom-client's default metrics.
const exported = new Set();
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) walk(file);
    else if (/\.ts$/.test(name) && !/\.test\.ts$/.test(name)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/'((?:paxfleet|kafka|http)_[a-z0-9_]+)'/g)) exported.add(m[1]);
    }
  }
};
walk('libs');
walk('services');
const promClient = path.dirname(require.resolve('prom-client/package.json', { paths: ['libs/service'] }));
const defaults = path.join(promClient, 'lib', 'metrics');
for (const name of readdirSync(defaults)) {
  if (!name.endsWith('.js')) continue;
  for (const m of readFileSync(path.join(defaults, name), 'utf8').matchAll(/'((?:process|nodejs)_[a-z0-9_]+)'/g)) exported.add(m[1]);
}
for (const name of [...exported]) for (const suffix of ['_bucket', '_sum', '_count']) exported.add(name + suffix);
exported.add('up');

const keywords = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan']);
const metricsOf = (expr) => {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  return [...bare.matchAll(/(?<![\w.])([a-zA-Z_:][\w:]*)(?![\w:]|\s*\()/g)].map((m) => m[1]).filter((w) => !keywords.has(w.toLowerCase()));
};
const panels = [];
const collect = (list) => {
  for (const panel of list ?? []) {
    panels.push(panel);
    collect(panel.panels);
  }
};
collect(dashboard.panels);
if (panels.length === 0) {
  console.log(`${dashboardFile}: no panels`);
  process.exit(1);
}
const rules = [];
const metrics = new Set();
for (const panel of panels) {
  if (panel.type === 'row') continue;
  if (!Array.isArray(panel.targets) || panel.targets.length === 0) {
    console.log(`panel "${panel.title}": no targets`);
    process.exitCode = 1;
    continue;
  }
  for (const target of panel.targets) {
    if (typeof target.expr !== 'string' || target.expr.trim() === '') {
      console.log(`panel "${panel.title}" target ${target.refId}: no expr`);
      process.exitCode = 1;
      continue;
    }
    rules.push(`      - record: dashboard:panel_${panel.id}_${target.refId}\n        expr: ${JSON.stringify(target.expr)}`);
    for (const metric of metricsOf(target.expr)) {
      metrics.add(metric);
      if (!exported.has(metric)) {
        console.log(`panel "${panel.title}" target ${target.refId}: ${metric} is not a metric the code exports`);
        process.exitCode = 1;
      }
    }
  }
}
writeFileSync(rulesOut, `groups:\n  - name: dashboard\n    rules:\n${rules.join('\n')}\n`);
if (!process.exitCode) console.log(`${panels.length} panels, ${rules.length} queries of ${metrics.size} exported metrics`);
EOF_NODE
}

dashboard_promql_parses() {
  [[ -s $WORK/dashboard-rules.yml ]] || { echo "no queries written (the check before failed)"; return 1; }
  "$PROMTOOL" check rules --lint=none "$WORK/dashboard-rules.yml"
}

if ! "$PROMTOOL" --install; then
  echo "FAIL  tools: scripts/promtool.sh could not provide promtool"
  echo "0 passed, 1 failed"
  exit 1
fi

check "promtool check rules $RULES" "$PROMTOOL" check rules "$RULES"
check "promtool test rules $TESTS" "$PROMTOOL" test rules "$TESTS"
check "every alert has a firing and a quiet test" every_alert_tested
check "every alert has a runbook_url to docs/runbooks/<alert>.md" every_alert_has_runbook
check "dashboard $DASHBOARD: JSON, panels query exported metrics" dashboard_queries
check "dashboard queries parse (promtool check rules)" dashboard_promql_parses

check_summary
