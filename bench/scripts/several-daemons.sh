#!/bin/bash
# Throughput of N daemons of one consumer group with partition-scoped state (docs/performance.md, "Partition state
# hand-over"). Run from the repository root, with a broker on 127.0.0.1:19092 holding my-topic (6 partitions,
# 2,000,000 records):
#   ./ringflow broker --port 19092 --partitions 6 &
#   ./ringflow produce --topic my-topic --generate 2000000 --keys 1000 --partitions 6 --bootstrap-servers 127.0.0.1:19092
#   bench/scripts/several-daemons.sh 1; bench/scripts/several-daemons.sh 2; bench/scripts/several-daemons.sh 3
# Each run uses a new group and output topic, and prints the seconds from the first daemon's launch until a
# read_committed consumer has read 2,000,000 outputs. A run counts only when it prints outputs=2000000: the consumer
# stops at once when the output topic does not exist yet.
set -u
n=$1
work=${WORK:-/tmp/ringflow-scale}
tag=scale$n-$RANDOM
mkdir -p "$work"
sed -e "s/group-id: ringflow-seed-sliding-sum/group-id: $tag/" -e "s/topic: aggregated-topic/topic: out-$tag/" \
  examples/seed-sliding-sum.yaml > "$work/$tag.yaml"
printf '\nstate:\n  scope: partition\n  topic: %s-state\n' "$tag" >> "$work/$tag.yaml"
start=$(date +%s.%N)
pids=()
for i in $(seq 1 "$n"); do
  ./ringflow run --pipeline "$work/$tag.yaml" --bootstrap-servers 127.0.0.1:19092 --journal-dir "$work/j-$tag-$i" \
    --metrics-bind off --admin-bind off --status-interval 60 > "$work/$tag-$i.log" 2>&1 &
  pids+=($!)
done
count=$(./ringflow consume --topic "out-$tag" --follow --max 2000000 --bootstrap-servers 127.0.0.1:19092 \
  2> "$work/$tag-consume.log" | wc -l)
end=$(date +%s.%N)
kill -TERM "${pids[@]}"
wait "${pids[@]}" 2> /dev/null
python3 -c "import sys; s = float(sys.argv[2]) - float(sys.argv[1]); \
print(f'daemons={sys.argv[3]} seconds={s:.1f} rate={2e6 / s:,.0f} records/s outputs={sys.argv[4]}')" \
  "$start" "$end" "$n" "$count"
