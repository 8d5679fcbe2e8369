# Sourced by the guide driver. wait_ready <probe> <timeout-seconds> [pid]: waits until an
# http(s):// URL answers 2xx or tcp:<host>:<port> accepts a connection; with a pid, fails as soon
# as that background block has exited.
wait_ready() {
  local probe=$1 deadline=$((SECONDS + $2)) pid=${3:-}
  while :; do
    case "$probe" in
      tcp:*)
        local hp=${probe#tcp:}
        (exec 3<>"/dev/tcp/${hp%:*}/${hp##*:}") 2>/dev/null && return 0 ;;
      *) curl -fsS -o /dev/null --max-time 2 "$probe" 2>/dev/null && return 0 ;;
    esac
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      echo "[runner] the background block exited before $probe answered"
      return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "[runner] $probe did not answer within $2 s"
      return 1
    fi
    sleep 0.5
  done
}
