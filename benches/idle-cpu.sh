#!/usr/bin/env bash
# CPU the app uses at rest, per screen, under Xvfb with software Vulkan: the menu, the
# briefing, the war room with the clock running at 1x and paused; then the war room's
# frame time (p50/p95, drawing continuously) at 12 minutes and 2 hours of sim time. Uses
# ../shared/tools/idle-cpu's method (CPU ticks of the process over a window) and xdotool
# to click through the screens at 1280x720.
#   usage: benches/idle-cpu.sh [FIREDRILL_BINARY]   (default: $CARGO_TARGET_DIR/debug/firedrill)
# Needs: xvfb xauth mesa-vulkan-drivers libvulkan1 xdotool.
set -euo pipefail
bin=${1:-${CARGO_TARGET_DIR:-target}/debug/firedrill}
settle=6; measure=10
tmp=$(mktemp -d); disp=":$((100 + RANDOM % 100))"
Xvfb "$disp" -screen 0 1280x720x24 >/dev/null 2>&1 & xpid=$!
cleanup() { kill "${apid:-}" 2>/dev/null || true; kill "$xpid" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
sleep 1
mkdir -p "$tmp/xdg" "$tmp/data"; chmod 700 "$tmp/xdg"
export DISPLAY=$disp XDG_RUNTIME_DIR="$tmp/xdg"
hz=$(getconf CLK_TCK)

# Share of one core the app used over $measure seconds.
cpu() {
    local t1 t2
    t1=$(awk '{print $14+$15}' "/proc/$apid/stat"); sleep "$measure"
    t2=$(awk '{print $14+$15}' "/proc/$apid/stat")
    echo "$(( (t2 - t1) * 100 / (measure * hz) ))%"
}
click() { xdotool mousemove "$1" "$2" click 1; sleep "$settle"; }
start() { "$bin" "$@" --data-dir "$tmp/data" >"$tmp/log" 2>&1 & apid=$!; sleep "$settle"; }
stop() { kill "$apid"; wait "$apid" 2>/dev/null || true; }

start
echo "menu: $(cpu)"
stop
start play edge-waf-regex --role commander --speed 1
echo "briefing: $(cpu)"
click 248 693   # Start the clock
echo "war room, clock running at 1x: $(cpu)"
click 993 18    # Pause
echo "war room, paused: $(cpu)"
stop
for at in 12m 2h; do
    "$bin" play chat-gateway-saturation --role commander --at "$at" \
        --screenshot "$tmp/war-room-$at.png" 2>/dev/null | sed "s|^$tmp/|war room at $at: |"
done
