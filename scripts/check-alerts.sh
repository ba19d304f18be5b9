#!/usr/bin/env bash
# The alert checks of `make test`, offline once promtool is installed: the one
# rules file the Helm chart ships (helm/paxfleet/files/alerts.yml) is valid
# (`promtool check rules`, which also lints, e.g. duplicate rules), its unit
# tests pass (`promtool test rules observability/alerts.test.yml`), and every
# alert in it has a test where it fires and one where it stays quiet.
# promtool comes from scripts/promtool.sh (Debian package `prometheus`).
# Prints one line per check and ends with "N passed, M failed".
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# Node 24 of the repository's toolchain when it is installed (make sets this too).
export PATH="$ROOT/.tools/bin:$PATH"
RULES=helm/paxfleet/files/alerts.yml
TESTS=observability/alerts.test.yml
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

if ! "$PROMTOOL" --install; then
  echo "FAIL  tools: scripts/promtool.sh could not provide promtool"
  echo "0 passed, 1 failed"
  exit 1
fi

check "promtool check rules $RULES" "$PROMTOOL" check rules "$RULES"
check "promtool test rules $TESTS" "$PROMTOOL" test rules "$TESTS"
check "every alert has a firing and a quiet test" every_alert_tested

check_summary
