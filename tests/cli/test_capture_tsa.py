"""`capture --tsa` against authorities shaped like the ones libraries use: an OpenSSL
TSA sending the TSA certificate alone, FreeTSA-like (TSA + root) and DigiCert- or
GlobalSign-like (TSA, intermediate, root), all in chain order, from a real
`openssl ts -reply` behind an HTTP server on 127.0.0.1."""

import json
from pathlib import Path

import pytest
from rfc3161_client import decode_timestamp_response

from conftest import SEED
from support.tsa import trust_tsa


@pytest.mark.parametrize("route,authority,certificates", [
    ("/ok", "good", 1), ("/freetsa", "freetsa", 2), ("/chain", "chained", 3)])
def test_capture_with_each_authority_shape(cli, tmp_path, tsa, route, authority, certificates):
    made = cli("capture", SEED, "--out", tmp_path / "archive", "--tsa", tsa.url(route))
    assert made.returncode == 0, made.stderr
    token = next(Path(made.stdout.strip()).glob("signatures/*.tsr")).read_bytes()
    if certificates > 1:    # kept as the authority sent it: chain order, refused by strict DER
        with pytest.raises(ValueError, match="InvalidSetOrdering"):
            decode_timestamp_response(token)
    trust_tsa(cli, tsa, tmp_path, authority, authority)
    result = cli("verify", made.stdout.strip(), "--json")
    assert result.returncode == 0, result.stdout
    seal = json.loads(result.stdout)["packages"][0]["facts"]["seals"][0]
    assert seal["time_source"] == "timestamp" and "signing time-stamps" in seal["tsa"]
