#!/bin/sh
# One-shot (compose service mosquitto-init): writes the broker's password file and ACL into
# the mosquitto-auth volume before the broker starts.
set -eu

: "${MQTT_SERVICE_PASSWORD:?MQTT_SERVICE_PASSWORD is not set: copy .env.example to .env and fill it in}"
AUTH_DIR="${MOSQUITTO_AUTH_DIR:-/mosquitto/auth}"
SERVICE_USER=sc-ingest

mkdir -p "$AUTH_DIR"
if [ -f "$AUTH_DIR/passwd" ]; then
  # Update the service user in place: device entries added since the first start stay.
  mosquitto_passwd -b "$AUTH_DIR/passwd" "$SERVICE_USER" "$MQTT_SERVICE_PASSWORD"
else
  mosquitto_passwd -b -c "$AUTH_DIR/passwd" "$SERVICE_USER" "$MQTT_SERVICE_PASSWORD"
fi
cp "$(dirname "$0")/acl" "$AUTH_DIR/acl"

# The broker runs as mosquitto and refuses (future versions) or warns about readable files.
chown mosquitto:mosquitto "$AUTH_DIR" "$AUTH_DIR/passwd" "$AUTH_DIR/acl"
chmod 0700 "$AUTH_DIR"
chmod 0600 "$AUTH_DIR/passwd" "$AUTH_DIR/acl"
echo "mosquitto-init: password file and ACL ready for user $SERVICE_USER"
