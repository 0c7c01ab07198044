"""Where a webhook may point (SSRF): public addresses only, unless the allowance is set."""

from __future__ import annotations

import pytest

from mutual.kit.errors import DomainError
from mutual.notify.addresses import check_url

REFUSED = [
    "http://127.0.0.1/", "http://127.8.9.10:9000/x", "http://10.0.0.1/", "http://172.16.5.4/",
    "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data/", "http://100.64.0.1/",
    "http://0.0.0.0/", "http://[::1]/", "http://[fe80::1]/", "http://[fc00::1]/",
    "http://[::ffff:127.0.0.1]/", "http://224.0.0.1/", "http://localhost/",
]  # fmt: skip


@pytest.mark.parametrize("url", REFUSED)
async def test_private_loopback_and_link_local_addresses_are_refused(url: str) -> None:
    with pytest.raises(DomainError) as refused:
        await check_url(url, allow_private=False)

    assert refused.value.code == "PRIVATE_ADDRESS"
    assert refused.value.field == "url"


@pytest.mark.parametrize("url", REFUSED[:3])
async def test_the_allowance_lets_local_receivers_through(url: str) -> None:
    assert await check_url(url, allow_private=True) == url


@pytest.mark.parametrize(
    "url", ["https://93.184.215.14/hooks", "http://[2606:4700:4700::1111]:8443/x"]
)
async def test_public_addresses_pass(url: str) -> None:
    assert await check_url(f"  {url} ", allow_private=False) == url


@pytest.mark.parametrize(
    "url", ["ftp://93.184.215.14/", "https://", "javascript:alert(1)", "https://a:b@1.1.1.1/",
            "https://93.184.215.14:99999/", "https://x/" + "a" * 2000],
)  # fmt: skip
async def test_what_is_no_http_url_is_invalid(url: str) -> None:
    with pytest.raises(DomainError) as refused:
        await check_url(url, allow_private=False)

    assert refused.value.code == "INVALID_URL"
