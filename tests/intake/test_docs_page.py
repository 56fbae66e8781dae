"""The docs-page link finder: what it returns for the pages a user may hand update-spec."""

from __future__ import annotations

import pytest

from generator.intake.docs_page import MAX_LINKS, spec_link

PAGE = "https://docs.norce.io/api-reference/nco/openapi/order"


@pytest.mark.parametrize(
    ("html", "found"),
    [
        # The download link wins over an earlier link to another spec file.
        (
            b'<a href="/other.json">x</a><a href="/_spec/order.yaml?download">'
            b"Download <b>OpenAPI</b> description</a>",
            "https://docs.norce.io/_spec/order.yaml?download",
        ),
        (b'<a href="order.yml">spec', "https://docs.norce.io/api-reference/nco/openapi/order.yml"),
        (b"<p>no links at all</p>", None),
        (b'<a href="javascript:alert(1)//.json">x</a>', None),
        (b'<a href="https://x.test/\x1b[2J.json">x</a>', None),
        (b'<a href="https://x.test/a b.yaml">x</a>', None),
        (b"<<<a href=>", None),
    ],
)
def test_spec_link(html: bytes, found: str | None) -> None:
    assert spec_link(html, PAGE) == found


def test_a_local_file_gives_only_absolute_links() -> None:
    assert spec_link(b'<a href="/order.yaml">x</a>', None) is None
    assert spec_link(b'<a href="https://h.test/o.yaml">x</a>', None) == "https://h.test/o.yaml"


def test_anchors_past_the_limit_are_not_collected() -> None:
    html = b'<a href="/p">x</a>' * MAX_LINKS + b'<a href="/late.yaml">x</a>'
    assert spec_link(html, PAGE) is None
