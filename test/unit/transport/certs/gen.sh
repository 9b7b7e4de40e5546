#!/bin/sh
# SPDX-License-Identifier: MIT
# Regenerates the transport tests' certificates (EC P-256, valid 100 years). Run from this folder.
set -eu
days=36500
ec() { openssl ecparam -name prime256v1 -genkey -noout | openssl pkey -out "$1"; }

ec ca.key
openssl req -x509 -new -key ca.key -sha256 -days $days -subj "/CN=uvmysql test CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.crt

ec wrong-ca.key
openssl req -x509 -new -key wrong-ca.key -sha256 -days $days -subj "/CN=uvmysql wrong CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out wrong-ca.crt
rm wrong-ca.key

sign() {  # name subject extensions
    ec "$1.key"
    openssl req -new -key "$1.key" -subj "$2" -out "$1.csr"
    printf '%s\n' "$3" > "$1.ext"
    openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -sha256 -days $days \
        -extfile "$1.ext" -out "$1.crt"
    rm "$1.csr" "$1.ext"
}
sign server "/CN=localhost" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1"
sign client "/CN=uvmysql-client" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth"
rm -f ca.srl
