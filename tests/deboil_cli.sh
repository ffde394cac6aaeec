#!/bin/sh
# deboil_cli.sh DEBOIL TESTDATA — the deboil tool's documented behaviour:
# exit codes, outputs, never overwriting an input, metadata, templates.
set -u
deboil=$1 data=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # check DESCRIPTION COMMAND...
    desc=$1; shift
    if "$@"; then echo "ok: $desc"; else echo "FAILED: $desc"; fail=1; fi
}
seed="$data/strip/gold/002_d6a4e868b2ae8101.txt"

"$deboil" --help > "$tmp/help"; rc=$?
check "--help exits 0 and documents exit codes" [ $rc -eq 0 ]
check "--help has EXIT STATUS" grep -q "EXIT STATUS" "$tmp/help"
"$deboil" --bogus 2>/dev/null; rc=$?
check "unknown option exits 2" [ $rc -eq 2 ]
"$deboil" "$tmp/missing.txt" 2>/dev/null; rc=$?
check "nothing processed exits 3" [ $rc -eq 3 ]
"$deboil" -d "$tmp" "$seed" "$tmp/missing.txt" 2>/dev/null; rc=$?
check "some inputs failed exits 1" [ $rc -eq 1 ]
"$deboil" "$seed" > "$tmp/stdout.txt"
check "--outdir writes what stdout gets" cmp -s "$tmp/stdout.txt" "$tmp/$(basename "$seed")"
check "boilerplate removed" sh -c "! grep -q '免责声明' '$tmp/stdout.txt'"
cp "$seed" "$tmp/in.txt"
"$deboil" -o "$tmp/in.txt" "$tmp/in.txt" 2>/dev/null; rc=$?
check "refuses to overwrite its input" [ $rc -eq 3 ]
check "input left as it was" cmp -s "$seed" "$tmp/in.txt"
"$deboil" --metadata json "$seed" > "$tmp/meta.json"
check "--metadata json has the ISO date" grep -q '"date":"2023-11-10T08:42:00"' "$tmp/meta.json"
"$deboil" --explain "$seed" 2> "$tmp/explain" > /dev/null
check "--explain names line and reason" grep -q "002_d6a4e868b2ae8101.txt:1: navigation: " "$tmp/explain"

for i in 1 2 3; do
    printf '第%s篇\n\n今天我们去公园散步,看见许多人在湖边钓鱼、跑步和唱歌,心情格外舒畅%s。\n\n本站内容均来自网友分享,愿每一位来访的朋友都能在这里读到喜欢的文章。\n' $i $i > "$tmp/p$i.txt"
done
mkdir "$tmp/out"
"$deboil" --learn-template "$tmp/site.tpl" -d "$tmp/out" "$tmp"/p1.txt "$tmp"/p2.txt "$tmp"/p3.txt 2>/dev/null; rc=$?
check "--learn-template exits 0" [ $rc -eq 0 ]
check "template file written" grep -q "本站内容均来自网友分享" "$tmp/site.tpl"
check "template line removed" sh -c "! grep -q '本站内容' '$tmp/out/p1.txt'"
"$deboil" --template "$tmp/site.tpl" "$tmp/p2.txt" > "$tmp/p2.out"
check "--template removes it too" sh -c "! grep -q '本站内容' '$tmp/p2.out' && grep -q '钓鱼' '$tmp/p2.out'"
"$deboil" --template "$tmp/no-such.tpl" "$tmp/p2.txt" > "$tmp/p2.none" 2> "$tmp/err"; rc=$?
check "unreadable --template exits 3 with a message" sh -c "[ $rc -eq 3 ] && grep -q 'no-such.tpl' '$tmp/err'"
exit $fail
