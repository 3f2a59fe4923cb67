"""ID-token claim rules (OIDC Core 3.1.3.7) on tokens signed with a key made for the test."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from api_edge.id_token import InvalidIdToken, validate

ISSUER, CLIENT, NONCE = "https://issuer.example", "shine-client", "n-0123456789"
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
KEY = RSAKey.generate_key(2048, parameters={"kid": "k1"})
OTHER_KEY = RSAKey.generate_key(2048, parameters={"kid": "k1"})


def _token(key: RSAKey = KEY, **changes: Any) -> str:
    now = int(NOW.timestamp())
    claims = {"iss": ISSUER, "aud": CLIENT, "sub": "42", "exp": now + 300, "iat": now, "nonce": NONCE, **changes}
    return jwt.encode({"alg": "RS256", "kid": "k1"}, {k: v for k, v in claims.items() if v is not None}, key)


def _reason(token: str, nonce: str = NONCE) -> str:
    with pytest.raises(InvalidIdToken) as info:
        validate(token, KeySet([KEY]), issuer=ISSUER, client_id=CLIENT, nonce=nonce, now=NOW)
    return info.value.reason


def test_a_valid_token_passes() -> None:
    claims = validate(_token(), KeySet([KEY]), issuer=ISSUER, client_id=CLIENT, nonce=NONCE, now=NOW)
    assert claims["sub"] == "42"


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"iss": "https://evil.example"}, "wrong_issuer"),
        ({"aud": "another-client"}, "wrong_audience"),
        ({"aud": [CLIENT, "another"]}, "wrong_audience"),  # several audiences need azp naming us
        ({"azp": "another-client"}, "wrong_audience"),
        ({"exp": int(NOW.timestamp()) - 120}, "expired"),
        ({"iat": int(NOW.timestamp()) + 3600}, "issued_in_future"),
        ({"nonce": "another-nonce"}, "nonce_mismatch"),
        ({"nonce": None}, "nonce_mismatch"),
        ({"sub": None}, "no_subject"),
    ],
)
def test_each_rule_is_enforced(changes: dict[str, Any], reason: str) -> None:
    assert _reason(_token(**changes)) == reason


def test_several_audiences_with_our_azp_pass_and_leeway_is_a_minute() -> None:
    keys = KeySet([KEY])
    validate(_token(aud=[CLIENT, "x"], azp=CLIENT), keys, issuer=ISSUER, client_id=CLIENT, nonce=NONCE, now=NOW)
    almost = _token(exp=int(NOW.timestamp()) - 30)
    validate(almost, keys, issuer=ISSUER, client_id=CLIENT, nonce=NONCE, now=NOW)


def test_a_token_signed_by_another_key_or_not_at_all_is_refused() -> None:
    assert _reason(_token(key=OTHER_KEY)) == "bad_signature"
    assert _reason("e30.e30.") == "bad_signature"


def test_a_non_ascii_nonce_is_a_mismatch_not_a_crash() -> None:
    assert _reason(_token(nonce="ñönce"), nonce="nönce") == "nonce_mismatch"
