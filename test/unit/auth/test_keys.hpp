// SPDX-License-Identifier: MIT
// Test-only keys made with `openssl genrsa 2048`, `openssl rsa -pubout / -RSAPublicKey_out`, `openssl ecparam`.
#pragma once

namespace uvmysql::test {

/// An OpenSSL-generated RSA-2048 private key (PKCS#8), for decrypting in tests only.
inline constexpr const char* openssl_private_key = R"PEM(
-----BEGIN PRIVATE KEY-----
MIIEvwIBADANBgkqhkiG9w0BAQEFAASCBKkwggSlAgEAAoIBAQC7InLovY/O7ovH
yB5lcqE9/EIjQnEOBBAv8EbJO1unLjxE9vaR3PM+RfuaFxpDpwUaYb6D8I5LKsP2
PDwq5N/pYP8T/FuhQk7FI8xmUeSFxQv/NioFTJNgkXeQhz19xhb4lqDsKHGZqIt+
xOcku7n7D4xkJq25adUkYtgN6k7lFyWlvDI1zgZ6tjwgEVvjb5mW0IEJ0+aPF9+e
Ro6hAx5EeboWvr6xOZbi+qtJ9yjOPx9/OkFK6yDjfoX1Zo/HzA9YF/J/ppmhm43w
Q6tgU7+hsOPSZK5KPEl0QCSzIBt5ySgH5hz3LFRsaqezPrqzQXguIUbsnw+GKyH9
27hdnBXTAgMBAAECggEAMKkNC0MbjXoPI+SALu4HSph5VDTXNAdPdD+9EF+cfhTy
PBah2B0FrUhCW/es7zGTjKAlC6b2QUp+CV3xYVABf2ym93n0E7Mry2x7HpIl47jw
3Sym8ZjPa9l3pz/beASV/Y8hijccDxI6L70gw7cC7etFnNdH7kI8V8lSGBA48q3H
TUG7ksWJk4edtqB1z+yxWNnUm2XCvnbEJkYgdEK1rriPb0BLjdU8cQ9iTVVxrVdI
vkAKrPVTucObKxfOO+UtavaiwFAJde2i4vvhcW0HFtmADMNNCU80Ket7Di44bEX4
5NoMBI1l7iRljW5hZA6PdlgX/jtT+PnJxt1I6LG4gQKBgQDxgwYG+3gYxSt6gXD6
pWwIyMGr2+m5DU5oMXE/qiDXgR3PtTQWmB35hpvRMRhbUZA77y5ZQf989+onI2IH
AJ6hqpxcj+kaCgyk0R8MoLNyxO/kUCRwExLuf7ve0iXxxytwq++UO6K5eERtmrnN
jazKdv6JsTcODzGMQ1qDJq0JUwKBgQDGXFYHlncAidUJhus+YKep3mRRIZdQPglz
n7lg/DMDij+p/7iv+5ets1JD9Hm37Qyn6q2qgQ11vaMIdH183MnESxRQC/R7noMV
Xhq4u3U9MESpRxakZunRyyS9biDy0mePEoz3yEcOsuNgHKa+b7VUNRK0mr1SKqxr
eAu5GCixgQKBgQCK6hJNcddiaAbaMBoMEZpScyby80s8Zarzw3ygYfsB+gJrto5/
cH/NRt/ZM6QO4ptT3f+K16tc9jx4xqFb5b9YvgmyNBSgJaegJaj2WnjdSumxKWfM
DyyUgmRNhhLNPwJ9jGgBm0u94q95W8YDtbntuwQtrwE71QFq7FLjnRtqgQKBgQCv
4zBligX7dDxzNi9iIFKLTaemSSLjBB9dZ0P5u6eAfBX3p8kcQvs8CsXne+ByNsAC
JRXZGpXU0VK/LIwZK629YNWiJPekpemWCNuo8pACscowT9jD7n1mibsKPZz5s5gg
RVK6Y9yeLAFyN/Wi52riQC1V99/n++7nXIsIlWOAAQKBgQDU/LAZBWY3xuQq96W4
DsTsJBS4yIYYSX6peZP7PhTq5pNoqf67HY9BkwB2D7UEfrroGPKpipORQCTpVJNo
Rrs4wdlzI2SuiGD9mJEc5bPTLd+8tLsIZhHM49WWOqkfGrTAIK+H6j64wB5g7SA+
wtXQmz0NWXNftFfbegHOeiL0IQ==
-----END PRIVATE KEY-----
)PEM";

/// Its public key as SubjectPublicKeyInfo ("BEGIN PUBLIC KEY", what MySQL servers send).
inline constexpr const char* openssl_public_key = R"PEM(
-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAuyJy6L2Pzu6Lx8geZXKh
PfxCI0JxDgQQL/BGyTtbpy48RPb2kdzzPkX7mhcaQ6cFGmG+g/COSyrD9jw8KuTf
6WD/E/xboUJOxSPMZlHkhcUL/zYqBUyTYJF3kIc9fcYW+Jag7ChxmaiLfsTnJLu5
+w+MZCatuWnVJGLYDepO5RclpbwyNc4GerY8IBFb42+ZltCBCdPmjxffnkaOoQMe
RHm6Fr6+sTmW4vqrSfcozj8ffzpBSusg436F9WaPx8wPWBfyf6aZoZuN8EOrYFO/
obDj0mSuSjxJdEAksyAbeckoB+Yc9yxUbGqnsz66s0F4LiFG7J8Phish/du4XZwV
0wIDAQAB
-----END PUBLIC KEY-----
)PEM";

/// The same public key as PKCS#1 ("BEGIN RSA PUBLIC KEY").
inline constexpr const char* openssl_public_key_pkcs1 = R"PEM(
-----BEGIN RSA PUBLIC KEY-----
MIIBCgKCAQEAuyJy6L2Pzu6Lx8geZXKhPfxCI0JxDgQQL/BGyTtbpy48RPb2kdzz
PkX7mhcaQ6cFGmG+g/COSyrD9jw8KuTf6WD/E/xboUJOxSPMZlHkhcUL/zYqBUyT
YJF3kIc9fcYW+Jag7ChxmaiLfsTnJLu5+w+MZCatuWnVJGLYDepO5RclpbwyNc4G
erY8IBFb42+ZltCBCdPmjxffnkaOoQMeRHm6Fr6+sTmW4vqrSfcozj8ffzpBSusg
436F9WaPx8wPWBfyf6aZoZuN8EOrYFO/obDj0mSuSjxJdEAksyAbeckoB+Yc9yxU
bGqnsz66s0F4LiFG7J8Phish/du4XZwV0wIDAQAB
-----END RSA PUBLIC KEY-----
)PEM";

/// A P-256 public key: valid PEM, but not RSA.
inline constexpr const char* ec_public_key = R"PEM(
-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEr0CEHGUCQ64eYopGo7bbpI7hT2+j
RuvZ35TAOfVA08nMJDRMOVCyBWjdvgTLlQKPb/iBVC7Pw4L+mPVObh28Wg==
-----END PUBLIC KEY-----
)PEM";

}  // namespace uvmysql::test
