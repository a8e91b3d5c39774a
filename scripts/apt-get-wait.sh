# Sourced by .ci/run and scripts/e2e/install.sh: `apt_get ARGS...` runs apt-get so that it waits for another apt-get
# or dpkg (on a fresh machine: unattended-upgrades, cloud-init) instead of failing at once.
# - DPkg::Lock::Timeout makes apt-get wait for the dpkg lock (install, remove).
# - apt-get update takes the package lists' lock, which that option does not cover (apt 2.6 fails at once with
#   "Could not get lock /var/lib/apt/lists/lock"): a failure that names a held lock is tried again every few seconds.
# Both wait up to APT_LOCK_WAIT_SECONDS (300). APT_GET is the command ("sudo apt-get" when not root).

apt_get() {
  local wait="${APT_LOCK_WAIT_SECONDS:-300}" log
  local deadline=$((SECONDS + wait))
  log="$(mktemp)"
  while :; do
    # shellcheck disable=SC2086 # APT_GET may be "sudo apt-get"
    if ${APT_GET:-apt-get} -o "DPkg::Lock::Timeout=$wait" "$@" 2>"$log"; then
      cat "$log" >&2
      rm -f "$log"
      return 0
    fi
    if grep -q 'Could not get lock' "$log" && ((SECONDS < deadline)); then
      printf 'apt-get: another apt-get or dpkg holds its lock; waiting (%s s left)\n' "$((deadline - SECONDS))" >&2
      sleep "${APT_LOCK_RETRY_SECONDS:-5}"
      continue
    fi
    cat "$log" >&2
    rm -f "$log"
    return 1
  done
}
