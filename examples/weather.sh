#!/bin/sh
# A --tool command: the call's arguments arrive as JSON on stdin; what it prints is the tool's output.
# Try: codex ask --tool examples/weather.json "What's the weather in Paris?"
args=$(cat)
city=$(printf '%s' "$args" | sed -n 's/.*"city" *: *"\([^"]*\)".*/\1/p')
[ -n "$city" ] || { echo "no city given" >&2; exit 1; }
echo "It is 21°C and sunny in $city (tool call $CODEX_TOOL_CALL_ID)."
