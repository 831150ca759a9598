#!/usr/bin/env bash
# The real Codex CLI against `serve`, by hand (issue: serve, fixture, the published CLI in a network
# namespace with only loopback, then check). Everything between `unshare` and the end of the inner
# shell runs in fresh network and mount namespaces: loopback is the only interface, the production
# host names resolve to 127.0.0.1 through a bind-mounted hosts file, and the mock serves them over
# TLS with a CA made for this run. Nothing can leave the machine.
#
#   bash scripts/real-cli/by-hand.sh [chatgpt|apiKey] [codex version]
#
# Needs root (or unprivileged user namespaces), util-linux, iproute2, openssl; installs
# @openai/codex into .cache/codex-cli on first use (about 420 MB).
set -euo pipefail
cd "$(dirname "$0")/../.."
MODE="${1:-chatgpt}"
VERSION="${2:-0.171.0}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
CLI=(node --import tsx src/cli/main.ts)

# The binary (cached) and a CA + leaf for the production host names, made for this run.
CODEX_BIN="$(node --import tsx -e "import('./src/harness/codex-cli/codex-install.ts').then(async (m) => console.log((await m.ensureCodexCli('$VERSION')).binaryPath))")"
node --import tsx -e "import('./src/harness/isolation/run-certificates.ts').then((m) => m.createRunCertificates('$WORK/certs'))"
node --import tsx -e "import('./src/harness/isolation/production-hosts.ts').then((m) => process.stdout.write(m.renderHostsFile()))" > "$WORK/hosts"
printf 'nameserver 127.0.0.1\n' > "$WORK/resolv.conf"

export WORK MODE CODEX_BIN
unshare --net --mount --propagation private bash -euo pipefail -c '
  ip link set lo up
  [ "$(ip -o link show | cut -d: -f2 | tr -d " " | tr "\n" " ")" = "lo " ] || { echo "not isolated: other interfaces exist" >&2; exit 91; }
  mount --bind "$WORK/hosts" /etc/hosts
  mount --bind "$WORK/resolv.conf" /etc/resolv.conf
  node --import tsx src/cli/main.ts serve --host 127.0.0.1 --port 443 \
    --tls-cert "$WORK/certs/leaf.pem" --tls-key "$WORK/certs/leaf.key" --journal "$WORK/journal.ndjson" > "$WORK/serve.log" &
  SERVE=$!
  for _ in $(seq 1 100); do grep -q listening "$WORK/serve.log" 2>/dev/null && break; sleep 0.1; done
  NODE_EXTRA_CA_CERTS="$WORK/certs/ca.pem" node --import tsx src/cli/main.ts fixture --mode "$MODE" \
    --codex-home "$WORK/home" --base-url https://chatgpt.com/backend-api/
  CODEX_HOME="$WORK/home" HOME="$WORK" CODEX_CA_CERTIFICATE="$WORK/certs/ca.pem" SSL_CERT_FILE="$WORK/certs/ca.pem" \
    timeout 180 "$CODEX_BIN" exec --skip-git-repo-check "Say hello." > "$WORK/codex.out" 2> "$WORK/codex.err" || echo "codex exited $?" >&2
  echo "--- codex (last lines):" >&2; tail -n 4 "$WORK/codex.out" "$WORK/codex.err" >&2 || true
  kill -TERM "$SERVE"; wait "$SERVE" || true
'
echo "requests journalled: $(wc -l < "$WORK/journal.ndjson")"
"${CLI[@]}" check "$WORK/journal.ndjson"
