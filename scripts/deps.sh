#!/bin/sh
# Install the Debian packages barebpf needs, if any are missing.
# Quiet and fast when everything is already there (one dpkg-query).
set -eu

PKGS="build-essential pkg-config libelf-dev zlib1g-dev libcriterion-dev \
clang-19 llvm-19 libclang-rt-19-dev libpcap-dev iproute2 libbpf-dev \
systemtap-sdt-dev"
# libbpf-dev: only the bench binaries link it, as the yardstick barebpf is
# measured against; the library, CLI and tools never do.
# systemtap-sdt-dev: <sys/sdt.h> for the USDT attach tests' probe binary.

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "barebpf: installing missing Debian packages:$missing"
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO=sudo
	else
		echo "barebpf: need root to install:$missing" >&2
		echo "         run as root, or: apt-get install$missing" >&2
		exit 1
	fi
else
	SUDO=""
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
