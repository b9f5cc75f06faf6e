# Sourced by infra/start.sh and run.sh: development secrets, generated once and kept in .run/ (directory 0700, files
# 0600) so they stay the same between runs. Nothing here has a default value anyone could guess.
#   secret NAME   prints the secret in .run/NAME, creating it first (24 random bytes, URL-safe base64, never
#                 starting with '-')
secrets_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.run"
secret() {
  (
    umask 077
    mkdir -p "$secrets_dir"
    chmod 700 "$secrets_dir"
    # Never a leading '-': command-line tools (rabbitmqctl add_user) would read the secret as an option.
    [[ -s $secrets_dir/$1 && $(head -c 1 "$secrets_dir/$1") != - ]] ||
      head -c 24 /dev/urandom | base64 | tr '/+' '_-' | tr -d '=\n' | sed 's/^-/_/' > "$secrets_dir/$1"
    chmod 600 "$secrets_dir/$1"
    cat "$secrets_dir/$1"
  )
}
