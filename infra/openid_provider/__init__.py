"""A local OpenID Connect provider for `make run`: Google's part in the sign-in, on this machine.

Authorization code flow with PKCE S256 and a nonce, RS256 ID tokens with Google's claims (`sub`, `email`,
`email_verified`, `name`), discovery and JWKS — the protocol the edge speaks to Google. Its sign-in page asks for an
email address: anyone may sign in as anyone, so it only ever runs on loopback as a development stand-in.
"""
