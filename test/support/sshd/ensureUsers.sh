#!/bin/sh
# Creates or refreshes the two SSH test accounts, the vehicle's service account (oht, which owns the backend folder
# as on a vehicle; it never logs in) and the sudo rule. Test files start their sshd in parallel,
# so users.ts runs this under flock: useradd, usermod and visudo do not tolerate concurrent runs.
# Usage: ensureUsers.sh SUDO_USER PLAIN_USER PASSWORD_HASH SUDOERS_FILE
set -eu
sudo_user=$1
plain_user=$2
password_hash=$3
sudoers_file=$4

for user in "$sudo_user" "$plain_user"; do
  if ! id -u "$user" >/dev/null 2>&1; then
    useradd -m -s /bin/bash "$user"
  fi
  # useradd leaves the account locked ('!'), and with UsePAM no sshd refuses locked accounts even for keys.
  usermod -p "$password_hash" "$user"
  home=$(getent passwd "$user" | cut -d: -f6)
  group=$(id -gn "$user")
  # StrictModes: home not writable by others, ~/.ssh and the per-sshd key directory private to the user.
  chmod 755 "$home"
  install -d -m 700 -o "$user" -g "$group" "$home/.ssh" "$home/.ssh/authorized_keys.d"
done

if ! id -u oht >/dev/null 2>&1; then
  useradd -r -M -s /usr/sbin/nologin oht
fi

# sudo ignores files whose names contain a dot, so the draft cannot take effect before it is validated.
draft=$(mktemp /etc/sudoers.d/.ohtw-test.XXXXXX)
{
  echo "# SSH test harness of the OHT-50 workstation: $sudo_user has passwordless sudo, $plain_user has none."
  # Keep the caller's PATH under sudo so that root commands find the fake vehicle tools, like the real ones on a vehicle.
  echo "Defaults:$sudo_user !secure_path"
  echo "$sudo_user ALL=(ALL:ALL) NOPASSWD: ALL"
} >"$draft"
chmod 440 "$draft"
visudo -qcf "$draft"
mv -f "$draft" "$sudoers_file"
