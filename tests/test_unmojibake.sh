#!/bin/sh
# test_unmojibake.sh — the unmojibake tool: repair, --explain, --dry-run,
# -o (atomic, never over an input), exit codes. Usage: test_unmojibake.sh TOOL
set -u
tool=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
check() { # description, then a command that must succeed
    desc=$1
    shift
    if "$@"; then :; else
        echo "FAIL: $desc" >&2
        failures=$((failures + 1))
    fi
}

# "café" and "était": the bytes of their UTF-8 read as windows-1252.
printf 'Le caf\303\203\302\251 \303\203\302\251tait bon.\n' > "$tmp/in.txt"

out=$("$tool" "$tmp/in.txt")
check "repairs to stdout" [ "$out" = "Le café était bon." ]

"$tool" --explain "$tmp/in.txt" > /dev/null 2> "$tmp/explain.txt"
check "--explain names the chain" grep -q "mojibake \[.*) -> \[.*) confidence .*: UTF-8 read as windows-1252" "$tmp/explain.txt"

out=$("$tool" --dry-run --explain "$tmp/in.txt" 2> "$tmp/dry.txt")
check "--dry-run changes nothing" [ "$out" = "$(cat "$tmp/in.txt")" ]
check "--dry-run still reports" grep -q "mojibake" "$tmp/dry.txt"

out=$(printf 'Le caf\303\203\302\251.\n' | "$tool")
check "reads standard input" [ "$out" = "Le café." ]

"$tool" -o "$tmp/out.txt" "$tmp/in.txt"
check "-o writes the output" [ "$(cat "$tmp/out.txt")" = "Le café était bon." ]
check "-o leaves no temporary file" [ "$(ls "$tmp" | grep -c 'out.txt.')" = 0 ]

"$tool" -o "$tmp/in.txt" "$tmp/in.txt" 2> /dev/null
check "refuses to overwrite an input (exit 2)" [ $? -eq 2 ]
check "the input is untouched" grep -q "Ã©" "$tmp/in.txt"

"$tool" --bogus 2> /dev/null
check "unknown option is a usage error (exit 2)" [ $? -eq 2 ]

"$tool" --help > "$tmp/help.txt"
check "--help exits 0 and documents exit codes" grep -q "EXIT STATUS" "$tmp/help.txt"

"$tool" "$tmp/in.txt" "$tmp/missing.txt" > /dev/null 2>&1
check "one input missing (exit 1)" [ $? -eq 1 ]

"$tool" "$tmp/missing.txt" > /dev/null 2>&1
check "nothing processed (exit 3)" [ $? -eq 3 ]

printf 'bad \377 utf-8\n' > "$tmp/bad.txt"
"$tool" "$tmp/bad.txt" > /dev/null 2> "$tmp/bad.err"
check "invalid UTF-8 is refused with a message (exit 3)" [ $? -eq 3 ]
check "the message names the byte" grep -q "byte 4" "$tmp/bad.err"

echo "test_unmojibake: $failures failed"
[ "$failures" -eq 0 ]
