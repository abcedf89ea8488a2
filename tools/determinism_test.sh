#!/bin/bash
# Cross-process determinism: every library scenario (and each finding) runs
# twice, in two separate processes, with different heap layouts
# (MALLOC_PERTURB_) and ASLR; the trace hash, the event count and the whole
# events.jsonl must be identical. Two processes matter: Abseil seeds its hash
# tables per process, so a behaviour that depends on hash-map iteration order
# passes any in-process "run twice" test and fails here.
#
# Usage (bazel test sets the arguments): determinism_test.sh SLOTSIM FILE...
set -u
slotsim="$1"
shift
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
failures=0
runs=0
for file in "$@"; do
  name="$(basename "$file" .textproto)"
  extra=()
  case "$name" in
    # Its minute of gossip takes long; tools:library_test runs it, and
    # cluster_100_nodes covers the same code at scale here.
    cluster_1000_nodes) continue ;;
  esac
  for i in 1 2; do
    rm -rf "$tmp/$name.$i"
    MALLOC_PERTURB_=$((i * 77)) "$slotsim" run "$file" "${extra[@]}" --quiet \
      --out "$tmp/$name.$i" >/dev/null 2>"$tmp/$name.$i.err"
    rc=$?
    if [[ $rc -gt 1 ]]; then
      echo "FAIL $name: slotsim exited $rc"; cat "$tmp/$name.$i.err"
      failures=$((failures + 1)); continue 2
    fi
  done
  runs=$((runs + 1))
  h1="$(grep -o '"trace_hash": *"[0-9]*"' "$tmp/$name.1/summary.json")"
  h2="$(grep -o '"trace_hash": *"[0-9]*"' "$tmp/$name.2/summary.json")"
  if [[ -z "$h1" || "$h1" != "$h2" ]]; then
    echo "FAIL $name: trace hashes differ: [$h1] vs [$h2]"
    failures=$((failures + 1))
  elif ! cmp -s "$tmp/$name.1/events.jsonl" "$tmp/$name.2/events.jsonl"; then
    echo "FAIL $name: events.jsonl differ from line" \
      "$(cmp "$tmp/$name.1/events.jsonl" "$tmp/$name.2/events.jsonl" | grep -o 'line [0-9]*')"
    failures=$((failures + 1))
  else
    echo "ok   $name $h1 ($(wc -l <"$tmp/$name.1/events.jsonl") events)"
  fi
done
# The comparison must be able to fail: another seed gives another hash.
if [[ $# -gt 0 ]]; then
  first="$1"
  name="$(basename "$first" .textproto)"
  "$slotsim" run "$first" --seed 987654 --quiet --out "$tmp/$name.other" \
    >/dev/null 2>&1
  h3="$(grep -o '"trace_hash": *"[0-9]*"' "$tmp/$name.other/summary.json")"
  h1="$(grep -o '"trace_hash": *"[0-9]*"' "$tmp/$name.1/summary.json")"
  if [[ -z "$h3" || "$h3" == "$h1" ]]; then
    echo "FAIL $name: seed 987654 gives the same trace hash as the file's seed"
    failures=$((failures + 1))
  fi
fi
echo "$runs scenarios run twice, $failures differ"
[[ $runs -gt 0 && $failures -eq 0 ]]
