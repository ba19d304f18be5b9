# shellcheck shell=bash
# Sourced by the scripts/check-*.sh scripts: one PASS/FAIL line per check and a
# closing "N passed, M failed". The sourcing script sets WORK to a scratch folder.
passed=0
failed=0

# check <name> <command...>: runs the command; prints PASS with its last non-blank
# output line, or FAIL with its output. Commands run under `if`, where set -e is
# off: functions used as checks return on their first failing step themselves.
check() {
  local name="$1"
  shift
  local log="$WORK/check.log" start end
  start="$(date +%s%N)"
  if "$@" >"$log" 2>&1; then
    end="$(date +%s%N)"
    passed=$((passed + 1))
    printf 'PASS  %s (%d ms)%s\n' "$name" $(((end - start) / 1000000)) "$(grep -v '^ *$' "$log" | tail -n 1 | sed 's/^ */: /; s/^: $//')"
  else
    failed=$((failed + 1))
    printf 'FAIL  %s\n' "$name"
    sed 's/^/      /' "$log" | tail -n 60
  fi
}

# Prints the closing line; the exit status says whether everything passed.
check_summary() {
  echo "$passed passed, $failed failed"
  [[ "$failed" -eq 0 ]]
}
