#!/usr/bin/env bash
# Makes the certificates for cluster TLS (docs/cluster-security.md) with the JDK's keytool: the
# cluster's own CA (on the first run), the trust store that every node gets, and one key store per node
# named on the command line, signed by that CA.
# usage: docker/make-cluster-certs.sh [--dir DIR] [--days N] NAME[=SAN,...] ...
#   NAME        a node's name (letters, digits, . _ -): its certificate's CN and its files' names.
#               The example confs and compose files use the role names: orchestrator, resize, filter,
#               watermark, format; `one-machine` for docker-compose.yml, `swarm` for stack.yml.
#   =SAN,...    the addresses other nodes dial it at, for hostname verification (optional):
#               ip:192.168.1.11, dns:resize-1, comma-separated
#   --dir DIR   where the files go (default: docker/certs next to this script)
#   --days N    how long node certificates are valid (default 825 days; the CA: 3650 days)
# Files in DIR:
#   ca.p12 ca.password         the CA's private key: keep them on this machine (or offline), never on a node
#   ca.crt                     the CA certificate (PEM, public)
#   truststore.p12 truststore.password   the CA certificate as a PKCS12 trust store: every node gets both
#   NAME.p12 NAME.password     the node's key store: its private key and its certificate
#   NAME.env                   both passwords as IMGPIPE_TLS_*_PASSWORD=... lines (systemd EnvironmentFile,
#                              compose env_file)
# Running it again with new names adds their key stores, signed by the same CA; existing files are kept.
# Passwords are random and reach keytool through files (-storepass:file), never its command line.
# keytool: $KEYTOOL, else $JAVA_HOME/bin/keytool, else keytool on the PATH.
set -euo pipefail
umask 077

here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
dir="$here/certs"
days=825
ca_days=3650
names=()

usage() { sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "make-cluster-certs.sh: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case $1 in
    --dir) dir=${2:?--dir needs a directory}; shift 2 ;;
    --dir=*) dir=${1#--dir=}; shift ;;
    --days) days=${2:?--days needs a number}; shift 2 ;;
    --days=*) days=${1#--days=}; shift ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "make-cluster-certs.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
    *) names+=("$1"); shift ;;
  esac
done
[ ${#names[@]} -gt 0 ] || { usage >&2; exit 2; }
[[ $days =~ ^[1-9][0-9]*$ ]] || die "--days must be a positive number, not '$days'"

if [ -n "${KEYTOOL:-}" ]; then keytool=$KEYTOOL
elif [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/keytool" ]; then keytool=$JAVA_HOME/bin/keytool
else keytool=$(command -v keytool) || die "keytool not found: install a JDK 17, or set KEYTOOL or JAVA_HOME"
fi

# Check every name first, so that a typo in the last one does not leave half a set behind.
for spec in "${names[@]}"; do
  name=${spec%%=*}
  [[ $name =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || die "'$name' is not a node name (letters, digits, . _ -)"
  case $name in ca | truststore) die "'$name' is reserved for the CA's files; choose another node name" ;; esac
  if [ "$spec" != "$name" ]; then
    san=${spec#*=}
    [[ ${san,,} =~ ^(ip|dns):[a-z0-9.:_-]+(,(ip|dns):[a-z0-9.:_-]+)*$ ]] \
      || die "'$san' is not a list like ip:192.168.1.11,dns:resize-1"
  fi
done

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
kt() { "$keytool" "$@" >/dev/null 2>"$dir/.keytool.err" || { cat "$dir/.keytool.err" >&2; die "keytool $1 failed"; }; }
trap 'rm -f "$dir/.keytool.err" "$dir"/.*.csr "$dir"/.*.crt' EXIT

# 32 random letters and digits.
new_password() {
  local p
  p=$(head -c 96 /dev/urandom | base64 -w0 | LC_ALL=C tr -dc 'A-Za-z0-9')
  printf '%s\n' "${p:0:32}" >"$1"
}

if [ -f "$dir/ca.p12" ]; then
  for f in ca.password ca.crt truststore.p12 truststore.password; do
    [ -f "$dir/$f" ] || die "$dir/ca.p12 exists but $f is missing"
  done
  echo "using the cluster CA in $dir/ca.p12"
else
  echo "making the cluster CA in $dir/ca.p12 (valid $ca_days days)"
  new_password "$dir/ca.password"
  # A name of its own, so that an error about two CAs can tell them apart.
  kt -genkeypair -alias ca -keyalg EC -groupname secp256r1 -validity "$ca_days" \
    -dname "CN=imgpipe cluster CA $(date -u +%Y-%m-%dT%H%MZ) $(head -c 3 /dev/urandom | od -An -tx1 | tr -d ' \n'), O=imgpipe" \
    -ext "BasicConstraints:critical=ca:true,pathlen:0" -ext "KeyUsage:critical=keyCertSign,cRLSign" \
    -keystore "$dir/ca.p12" -storetype PKCS12 -storepass:file "$dir/ca.password"
  kt -exportcert -rfc -alias ca -keystore "$dir/ca.p12" -storepass:file "$dir/ca.password" -file "$dir/ca.crt"
  new_password "$dir/truststore.password"
  kt -importcert -noprompt -alias imgpipe-cluster-ca -file "$dir/ca.crt" \
    -keystore "$dir/truststore.p12" -storetype PKCS12 -storepass:file "$dir/truststore.password"
fi

made=()
for spec in "${names[@]}"; do
  name=${spec%%=*}
  san=""
  [ "$spec" != "$name" ] && san=${spec#*=}
  store="$dir/$name.p12"
  if [ -f "$store" ]; then
    echo "kept $store (delete $dir/$name.* to make a new one)"
    continue
  fi
  pw="$dir/$name.password"
  new_password "$pw"
  kt -genkeypair -alias node -keyalg EC -groupname secp256r1 -validity "$days" \
    -dname "CN=$name, OU=imgpipe node, O=imgpipe" -keystore "$store" -storetype PKCS12 -storepass:file "$pw"
  kt -certreq -alias node -keystore "$store" -storepass:file "$pw" -file "$dir/.$name.csr"
  ext=(-ext "KeyUsage:critical=digitalSignature" -ext "ExtendedKeyUsage=serverAuth,clientAuth")
  [ -n "$san" ] && ext+=(-ext "SubjectAlternativeName=$san")
  kt -gencert -rfc -alias ca -keystore "$dir/ca.p12" -storepass:file "$dir/ca.password" -validity "$days" \
    "${ext[@]}" -infile "$dir/.$name.csr" -outfile "$dir/.$name.crt"
  # The CA certificate is needed to import the signed chain; the node's store keeps only its own entry.
  kt -importcert -noprompt -alias ca -file "$dir/ca.crt" -keystore "$store" -storepass:file "$pw"
  kt -importcert -alias node -file "$dir/.$name.crt" -keystore "$store" -storepass:file "$pw"
  kt -delete -alias ca -keystore "$store" -storepass:file "$pw"
  {
    echo "IMGPIPE_TLS_KEY_STORE_PASSWORD=$(head -1 "$pw")"
    echo "IMGPIPE_TLS_TRUST_STORE_PASSWORD=$(head -1 "$dir/truststore.password")"
  } >"$dir/$name.env"
  echo "made $store for CN=$name${san:+ (SAN $san)}, valid $days days"
  made+=("$name")
done

# The stores are encrypted with their random passwords and must be readable by the node's user (in the
# containers uid 10001); the passwords and the CA's key stay readable by this user only.
chmod 0644 "$dir/ca.crt" "$dir/truststore.p12"
for name in "${made[@]}"; do chmod 0644 "$dir/$name.p12"; done
chmod 0600 "$dir/ca.p12" "$dir"/*.password "$dir"/*.env 2>/dev/null || true

echo
echo "Each node needs: truststore.p12 and truststore.password (or its NAME.env), and its own NAME.p12 and"
echo "NAME.password. Keep ca.p12 and ca.password here; they sign new nodes. docs/cluster-security.md says where"
echo "each file goes for ./imgpipe node, systemd, docker-compose and Docker Swarm."
